package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutsideRepository uses mcpauthgen as the README tells a user to,
// from a local checkout: in a fresh module outside this repository it
// requires and replaces the module, adds the command as a tool, annotates
// a handler, tidies, runs go generate (one line at the module root), builds, vets
// and serves one tool call over Streamable HTTP with a bearer token.
func TestOutsideRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// The module cache is shared; nothing but the Go module proxy is
		// needed, for what the cache lacks.
		cmd.Env = append(os.Environ(), "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	write("go.mod", "module example.com/notes\n\ngo 1.26\n")
	goCmd("mod", "edit",
		"-require=github.com/mcpauthgen/mcpauthgen@v0.0.0",
		"-replace=github.com/mcpauthgen/mcpauthgen="+repo,
		"-tool=github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen")
	write("generate.go", `// Command notes serves notes over MCP.
package main

//go:generate go tool mcpauthgen ./...
`)
	write("tools/tools.go", `// Package tools holds the server's MCP tools.
package tools

import "context"

//mcp:scopes notes:read

// Hello greets someone.
//
//mcp:tool auth=scopes(notes:read)
func Hello(ctx context.Context, name string) (string, error) { return "hello " + name, nil }
`)
	write("main.go", `package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"

	"example.com/notes/tools"
)

func main() {
	srv := runtime.NewServer("notes", "1.0.0")
	tools.Register(srv)
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"reader": {ClientID: "c", Scopes: []string{"notes:read"}},
	})
	ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(verifier)))
	defer ts.Close()

	ctx := context.Background()
	c, err := client.NewStreamableHttpClient(ts.URL, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer reader"}))
	if err == nil {
		err = c.Start(ctx)
	}
	if err == nil {
		_, err = c.Initialize(ctx, mcp.InitializeRequest{})
	}
	var res *mcp.CallToolResult
	if err == nil {
		req := mcp.CallToolRequest{}
		req.Params.Name = "hello"
		req.Params.Arguments = map[string]any{"name": "world"}
		res, err = c.CallTool(ctx, req)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(res.Content[0].(mcp.TextContent).Text)
}
`)
	goCmd("mod", "tidy")
	goCmd("generate", "./...")
	if _, err := os.Stat(filepath.Join(dir, "tools", "mcpauth_gen.go")); err != nil {
		t.Fatalf("go generate wrote no file: %v", err)
	}
	goCmd("build", "./...")
	goCmd("vet", "./...")
	if got := goCmd("run", "."); got != "hello world" {
		t.Errorf("the tool call answered %q, want %q", got, "hello world")
	}
}
