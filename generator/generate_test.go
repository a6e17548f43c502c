package generator

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// The golden cases: each is a real package of this module under
// ../testdata. A success case's golden output is its committed
// mcpauth_gen.go, so that it builds with its package (the end-to-end tests
// import and run it); an error case lists its errors in errors.txt.
var (
	goldenCases = []string{"basic", "advanced", "gosdkbasic"}
	errorCases  = []struct {
		dir string
		cfg Config // Dir is set by the test
		min int    // at least this many errors
	}{
		// One of each mistake.
		{"errors", Config{}, 25},
		// A scope vocabulary over two files: misspelt scopes with and
		// without a close suggestion.
		{"vocab", Config{}, 6},
		// Components without auth= under RequireAuth, in a package
		// without a vocabulary (whose odd scopes pass).
		{"requireauth", Config{RequireAuth: true}, 6},
		// Mistakes that once got past the generator: the trust boundary,
		// tags, near misses, files left out of the build, duplicates by
		// meaning, inputs that cannot work, quotes, broken directives.
		{"mistakes", Config{}, 30},
		// Malformed schema tags, invopop and go-sdk conventions.
		{"schematags", Config{}, 18},
		{"schemasdk", Config{}, 2},
		// roles(…), any(…) and the role vocabulary.
		{"roles", Config{}, 13},
		// The other SDK's types on the go-sdk backend, two backends.
		{"backends", Config{}, 11},
		// Cedar policy files with one class of mistake each, and one
		// without (//mcp:policies).
		{"cedar", Config{}, 15},
		// Schema files of the server's own entity types that are wrong.
		{"cedarown", Config{}, 4},
	}
)

func casePatterns(cases []string) []string {
	var ps []string
	for _, c := range cases {
		ps = append(ps, "./testdata/"+c)
	}
	return ps
}

func TestGolden(t *testing.T) {
	files, err := Generate(Config{Dir: ".."}, casePatterns(goldenCases)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(goldenCases) {
		t.Fatalf("got %d files, want one per case (%d)", len(files), len(goldenCases))
	}
	for _, f := range files {
		if f.Remove || filepath.Base(f.Path) != DefaultOutput {
			t.Errorf("unexpected file %+v", f)
			continue
		}
		if !strings.HasPrefix(string(f.Content), Header+"\n\npackage ") {
			t.Errorf("%s does not start with the header", f.Path)
		}
		compareGolden(t, f.Path, string(f.Content))
	}
}

func TestGoldenErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.dir, func(t *testing.T) {
			cfg := c.cfg
			cfg.Dir = ".."
			files, err := Generate(cfg, "./testdata/"+c.dir)
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got files %v, error %v; want an ErrorList", files, err)
			}
			if files != nil {
				t.Errorf("got files along with errors: %v", files)
			}
			dir, _ := filepath.Abs(filepath.Join("..", "testdata", c.dir))
			got := relErrors(dir, list)
			compareGolden(t, filepath.Join(dir, "errors.txt"), got)
			if len(list) < c.min {
				t.Errorf("the error case reports %d errors, want at least %d distinct mistakes", len(list), c.min)
			}

			// The report validates as generation does.
			r, err := Report(cfg, "./testdata/"+c.dir)
			var rlist ErrorList
			if !errors.As(err, &rlist) || r != nil {
				t.Fatalf("Report: got %v, error %v; want an ErrorList", r, err)
			}
			if d := cmp.Diff(got, relErrors(dir, rlist)); d != "" {
				t.Errorf("Report's errors differ from Generate's (-generate +report):\n%s", d)
			}
		})
	}
}

// relErrors prints errors one per line, with file names relative to dir.
func relErrors(dir string, list ErrorList) string {
	var b strings.Builder
	for _, e := range list {
		rel, _ := filepath.Rel(dir, e.Pos.Filename)
		pos := e.Pos
		pos.Filename = rel
		b.WriteString(pos.String() + ": " + e.Msg + "\n")
	}
	return b.String()
}

// TestRequireAuthOff validates the require-auth error case without
// RequireAuth: what remains are its golden errors but the -require-auth
// ones, so its odd scopes are fine without a vocabulary.
func TestRequireAuthOff(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "testdata", "requireauth"))
	golden, err := os.ReadFile(filepath.Join(dir, "errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for line := range strings.Lines(string(golden)) {
		if !strings.Contains(line, "(-require-auth)") {
			want.WriteString(line)
		}
	}
	_, err = Generate(Config{Dir: ".."}, "./testdata/requireauth")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got error %v, want an ErrorList", err)
	}
	if d := cmp.Diff(want.String(), relErrors(dir, list)); d != "" {
		t.Errorf("errors without RequireAuth (-want +got):\n%s", d)
	}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs from the generated output (-want +got):\n%s", path, d)
	}
}

// TestDeterministic generates the golden cases again, with each
// package's files in reverse order, and expects the same bytes.
func TestDeterministic(t *testing.T) {
	first, err := Generate(Config{Dir: ".."}, casePatterns(goldenCases)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, reverse := range []bool{false, true} {
		again, err := Generate(Config{Dir: "..", reverse: reverse}, casePatterns(goldenCases)...)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(first, again); d != "" {
			t.Errorf("reverse=%v: output changed (-first +again):\n%s", reverse, d)
		}
	}
}

// TestSharedVocabulary generates two sibling packages of the module in one
// run: the vocabularies one declares apply to the other, which declares
// none. Generated alone, the other has no vocabulary to break.
func TestSharedVocabulary(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "testdata", "sharedvocab"))
	_, err := Generate(Config{Dir: ".."}, "./testdata/sharedvocab/...")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got error %v, want an ErrorList", err)
	}
	want := `use/use.go:6:24: scope "wrte" is not in the //mcp:scopes vocabulary; did you mean "write"?
use/use.go:6:35: tag "admn" is not in the //mcp:tags vocabulary; did you mean "admin"?
`
	if d := cmp.Diff(want, relErrors(dir, list)); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	files, err := Generate(Config{Dir: ".."}, "./testdata/sharedvocab/use")
	if err != nil || len(files) != 1 {
		t.Errorf("use alone: got %d files, error %v; want its file", len(files), err)
	}
}

func TestPlatformSuffix(t *testing.T) {
	for name, want := range map[string]string{
		"a.go":                "",
		"a_linux.go":          "linux",
		"a_arm64.go":          "arm64",
		"a_windows_amd64.go":  "windows_amd64",
		"a_linux_test.go":     "linux",
		"linux.go":            "",
		"handlers_extra.go":   "",
		"conn_js_wasm.go":     "js_wasm",
		"x_darwin_notarch.go": "",
	} {
		if got := platformSuffix(name); got != want {
			t.Errorf("platformSuffix(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestChunkBounds(t *testing.T) {
	for _, tc := range []struct {
		m, n int
		want []int
	}{
		{1, 1, []int{0, 1}},
		{1001, 1, []int{0, 1001}},
		{1001, 2, []int{0, 1, 1001}},           // Register alone, the wrappers
		{1001, 4, []int{0, 1, 335, 668, 1001}}, // Register is half the work
		{3, 8, []int{0, 1, 2, 3}},
	} {
		if got := chunkBounds(tc.m, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("chunkBounds(%d, %d) = %v, want %v", tc.m, tc.n, got, tc.want)
		}
	}
}
