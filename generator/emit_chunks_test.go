package generator

import (
	"go/format"
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChunksRenderAsOne renders a file of 200 handlers whole and in
// chunks on several goroutines, each chunk started while the next
// declarations are built: the bytes are the same, and gofmt'ed.
func TestChunksRenderAsOne(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "tmp-chunks-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := writeBenchPackage(dir, 200); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Output: DefaultOutput, Register: DefaultRegister}
	pkgs, err := load(cfg, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	pf := analyzeOne(cfg, pkgs[0])
	if pf == nil || len(pf.Components) != 200 {
		t.Fatalf("model %v, want 200 components", pf)
	}
	render := func(procs int) []byte {
		defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(procs))
		out, err := emit(pf)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	whole := render(1) // one chunk
	if formatted, err := format.Source(whole); err != nil || string(formatted) != string(whole) {
		t.Fatalf("output is not gofmt'ed (error %v)", err)
	}
	for _, procs := range []int{2, 3, 8} { // 2, 3 and 6 chunks
		if d := cmp.Diff(string(whole), string(render(procs))); d != "" {
			t.Errorf("GOMAXPROCS %d: output differs from the one chunk's (-one +chunks):\n%s", procs, d)
		}
	}
}
