package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain runs the command itself when the test binary is started by
// runCommand (the stringer way of testing a command), and the tests
// otherwise.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("PORTING_TEST_ARGS"); ok {
		os.Args = append([]string{"porting"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// toolsOverStdio starts the command with args, speaks MCP to it over
// stdio as a client would (initialize, initialized, tools/list) and
// returns the names of the tools it lists.
func toolsOverStdio(t *testing.T, args string) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PORTING_TEST_ARGS="+args)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for _, msg := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
	} {
		if _, err := io.WriteString(stdin, msg+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the command ended before answering tools/list")
			}
			var res struct {
				ID     int `json:"id"`
				Result struct {
					Tools []struct{ Name string } `json:"tools"`
				} `json:"result"`
			}
			if json.Unmarshal([]byte(line), &res) != nil || res.ID != 2 {
				continue
			}
			var names []string
			for _, tool := range res.Result.Tools {
				names = append(names, tool.Name)
			}
			slices.Sort(names)
			return names
		case <-deadline:
			t.Fatal("no answer to tools/list within 30 s")
		}
	}
}

// TestDisableWriteOverStdio runs the command as a user would: without
// the flag it lists every tool; with --disable-write the writing tools
// do not exist.
func TestDisableWriteOverStdio(t *testing.T) {
	if got, want := toolsOverStdio(t, ""), []string{"create_annotation", "list_alert_rules", "update_dashboard"}; !slices.Equal(got, want) {
		t.Errorf("tools %v, want %v", got, want)
	}
	if got, want := toolsOverStdio(t, "--disable-write"), []string{"list_alert_rules"}; !slices.Equal(got, want) {
		t.Errorf("tools with --disable-write %v, want %v", got, want)
	}
}
