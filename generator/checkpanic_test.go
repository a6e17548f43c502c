package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckPanicNamesAnnotation builds and runs a server whose check
// expression panics when Register evaluates it: the panic names the
// annotation's position and expression, not a line of generated code.
func TestCheckPanicNamesAnnotation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	root, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "tmp-panic-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	const src = `package main

import (
	"fmt"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

type limits struct{ Max int }

var lim *limits // never set

func minLevel(n int) runtime.Checker { return runtime.RequireScopes("x") }

// Tool has a check whose expression dereferences nil.
//
//mcp:tool auth=check(minLevel(lim.Max))
func Tool() (string, error) { return "", nil }

func main() {
	defer func() { fmt.Print(recover()) }()
	Register(runtime.NewServer("t", "1"))
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	files, err := Generate(Config{}, dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("Generate: %v, %v", files, err)
	}
	if err := os.WriteFile(files[0].Path, files[0].Content, 0o666); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	const want = "main.go:17:23: check(minLevel(lim.Max)) panicked when Register ran: runtime error: invalid memory address or nil pointer dereference"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
