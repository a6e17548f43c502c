package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// npmCITimeout bounds the npm ci a test runs when a Node project's
// node_modules is missing or stale.
const npmCITimeout = 5 * time.Minute

// requireNode returns the path of node, or skips the test when node is not on
// PATH: the end-to-end tests drive the server with Node MCP clients.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the end-to-end tests need Node.js 20 or later (and npm) to run the MCP TypeScript SDK client")
	}
	return node
}

var npmInstalls sync.Map // dir -> *npmInstall

type npmInstall struct {
	once sync.Once
	err  error
}

// ensureNodeModules makes sure dir (a folder with package.json and
// package-lock.json) has its dependencies installed at the versions
// package.json pins, running "npm ci" once per test binary when they are
// missing or stale. It fails the test with npm's output if that fails.
func ensureNodeModules(t *testing.T, dir string) {
	t.Helper()
	v, _ := npmInstalls.LoadOrStore(dir, &npmInstall{})
	inst := v.(*npmInstall)
	inst.once.Do(func() {
		if installed(dir) {
			return
		}
		inst.err = npmCI(dir)
	})
	if inst.err != nil {
		t.Fatalf("installing the Node dependencies of %s: %v", dir, inst.err)
	}
}

// installed reports whether every dependency of dir/package.json is in
// dir/node_modules at the exact version package.json pins.
func installed(dir string) bool {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return false
	}
	for name, want := range pkg.Dependencies {
		var dep struct {
			Version string `json:"version"`
		}
		if err := readJSON(filepath.Join(dir, "node_modules", name, "package.json"), &dep); err != nil || dep.Version != want {
			return false
		}
	}
	return true
}

func npmCI(dir string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return errors.New("node_modules is missing and npm is not on PATH; run `npm ci` in " + dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), npmCITimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = errors.New("npm ci did not finish within " + npmCITimeout.String())
		}
		return errors.New(err.Error() + "\n" + out.String())
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// clientDir is the folder of the MCP client driver (client/client.mjs).
func clientDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("client")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// op is one operation for client.mjs; see the comment at its top.
type op map[string]any

// clientOutput is the JSON document client.mjs prints.
type clientOutput struct {
	Connect struct {
		OK         bool `json:"ok"`
		ServerInfo struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"serverInfo"`
		ProtocolVersion string       `json:"protocolVersion"`
		Error           *clientError `json:"error"`
	} `json:"connect"`
	Results []opResult `json:"results"`
}

type opResult struct {
	Op     string          `json:"op"`
	ID     string          `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *clientError    `json:"error"`
}

// clientError is an error as the TypeScript SDK reported it: an McpError
// (JSON-RPC error code and message) or, for an HTTP failure, a
// StreamableHTTPError whose code is the status, with the response's
// WWW-Authenticate header and the parameters the SDK parsed from it.
type clientError struct {
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Code    *int            `json:"code"`
	Data    json.RawMessage `json:"data"`
	HTTP    *struct {
		Status                int    `json:"status"`
		WWWAuthenticate       string `json:"wwwAuthenticate"`
		WWWAuthenticateParams struct {
			ResourceMetadataURL string `json:"resourceMetadataUrl"`
			Scope               string `json:"scope"`
			Error               string `json:"error"`
		} `json:"wwwAuthenticateParams"`
	} `json:"http"`
}

// runClient runs client.mjs against url as the holder of token (none when
// token is empty) and returns its output.
func runClient(t *testing.T, node, url, token string, ops []op) clientOutput {
	t.Helper()
	var args []string
	if token != "" {
		args = []string{"--token", token}
	}
	var out clientOutput
	if err := json.Unmarshal(runClientArgs(t, node, url, args, ops), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// runClientArgs runs client.mjs against url with more arguments, checks
// that it printed a result per operation, and returns what it printed.
func runClientArgs(t *testing.T, node, url string, more []string, ops []op) []byte {
	t.Helper()
	in, err := json.Marshal(ops)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"client.mjs", "--url", url}, more...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = clientDir(t)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node client.mjs: %v\nstderr:\n%s\nstdout:\n%s", err, stderr.String(), stdout.String())
	}
	var out clientOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("client.mjs printed no JSON document: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if len(out.Results) != len(ops) {
		t.Fatalf("client.mjs answered %d of %d operations", len(out.Results), len(ops))
	}
	return stdout.Bytes()
}
