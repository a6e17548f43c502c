package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// The benchmarks compare generating a package of 1,000 annotated handlers
// with merely loading it the way the generator does (same Need bits, one
// packages.Load): loading dominates, and the generator's own work should
// add little to it.

var bench, bench30 struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{bench.dir, bench30.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// benchPackages writes, once, 30 packages of 10 handlers each under one
// directory, as a module with many small annotated packages has them; the
// pattern that loads them all is returned.
func benchPackages(b *testing.B) string {
	bench30.once.Do(func() {
		root, err := filepath.Abs(filepath.Join("..", "testdata"))
		if err != nil {
			bench30.err = err
			return
		}
		bench30.dir, bench30.err = os.MkdirTemp(root, "tmp-bench30-")
		if bench30.err != nil {
			return
		}
		for i := range 30 {
			dir := filepath.Join(bench30.dir, fmt.Sprintf("p%02d", i))
			if bench30.err = os.Mkdir(dir, 0o777); bench30.err != nil {
				return
			}
			if bench30.err = writeBenchPackage(dir, 10); bench30.err != nil {
				return
			}
		}
		_, bench30.err = packages.Load(&packages.Config{Mode: loadMode}, bench30.dir+"/...")
	})
	if bench30.err != nil {
		b.Fatal(bench30.err)
	}
	return bench30.dir + "/..."
}

// benchPackage writes the synthetic package once, inside the module (so
// that it can import the runtime) under testdata (which ./... skips).
func benchPackage(b *testing.B) string {
	bench.once.Do(func() {
		root, err := filepath.Abs(filepath.Join("..", "testdata"))
		if err != nil {
			bench.err = err
			return
		}
		bench.dir, bench.err = os.MkdirTemp(root, "tmp-bench-")
		if bench.err != nil {
			return
		}
		if bench.err = writeBenchPackage(bench.dir, 1000); bench.err != nil {
			return
		}
		// The first load builds the package's export data; later ones
		// find it in the build cache, as repeated go generate runs do.
		_, bench.err = packages.Load(&packages.Config{Mode: loadMode}, bench.dir)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.dir
}

// writeBenchPackage writes n handlers, in files of 50: tools with named
// parameters and with a struct, resources, templates and prompts, with
// scopes and checks.
func writeBenchPackage(dir string, n int) error {
	common := `package bench

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Input is a struct of arguments.
type Input struct {
	// ID names the item.
	ID    string   ` + "`json:\"id\"`" + `
	Count int      ` + "`json:\"count,omitempty\"`" + `
	Tags  []string ` + "`json:\"tags\"`" + `
	Meta  map[string]any
}

// Output is a structured result.
type Output struct {
	ID  string ` + "`json:\"id\"`" + `
	Sum int    ` + "`json:\"sum\"`" + `
}

func owner(ac runtime.AuthContext) bool { return ac.Token != nil }

func level(n int) runtime.AuthCheck {
	return func(ctx context.Context, ac runtime.AuthContext) (bool, error) { return n > 0, nil }
}
`
	if err := os.WriteFile(filepath.Join(dir, "common.go"), []byte(common), 0o666); err != nil {
		return err
	}
	for f := 0; f*50 < n; f++ {
		var b strings.Builder
		b.WriteString("package bench\n\nimport \"context\"\n\nvar _ context.Context\n")
		for i := f * 50; i < min(n, (f+1)*50); i++ {
			switch i % 5 {
			case 0:
				fmt.Fprintf(&b, "\n// Tool%d adds.\n//\n//mcp:tool auth=scopes(read,write),check(owner) tags=a,b readonly\nfunc Tool%d(ctx context.Context, a int, b *int, name string) (string, error) { return name, nil }\n", i, i)
			case 1:
				fmt.Fprintf(&b, "\n// Struct%d takes a struct.\n//\n//mcp:tool auth=check(level(%d))\nfunc Struct%d(ctx context.Context, in *Input) (Output, error) { return Output{ID: in.ID}, nil }\n", i, i, i)
			case 2:
				fmt.Fprintf(&b, "\n// Res%d is a resource.\n//\n//mcp:resource uri=res://%d mime=text/plain auth=scopes(read)\nfunc Res%d(ctx context.Context) (string, error) { return \"r\", nil }\n", i, i, i)
			case 3:
				fmt.Fprintf(&b, "\n// Tmpl%d is a template.\n//\n//mcp:resource uri=items://%d/{id} auth=scopes(read)\nfunc Tmpl%d(ctx context.Context, id string) (Output, error) { return Output{ID: id}, nil }\n", i, i, i)
			case 4:
				fmt.Fprintf(&b, "\n// Prompt%d is a prompt.\n//\n//mcp:prompt auth=public\nfunc Prompt%d(topic string, style *string) (string, error) { return topic, nil }\n", i, i)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("h%02d.go", f)), []byte(b.String()), 0o666); err != nil {
			return err
		}
	}
	return nil
}

func BenchmarkGenerate1000(b *testing.B) {
	dir := benchPackage(b)
	for b.Loop() {
		files, err := Generate(Config{}, dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(files) != 1 {
			b.Fatalf("%d files", len(files))
		}
	}
}

func BenchmarkLoad1000(b *testing.B) {
	dir := benchPackage(b)
	for b.Loop() {
		pkgs, err := packages.Load(&packages.Config{Mode: loadMode}, dir)
		if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
			b.Fatal(err, pkgs)
		}
	}
}

// BenchmarkGenerateVsLoad1000 alternates the two and reports the ratio of
// their wall times, which the separate benchmarks leave to arithmetic. The
// target is at most 1.5.
func BenchmarkGenerateVsLoad1000(b *testing.B) {
	generateVsLoad(b, benchPackage(b), 1)
}

// BenchmarkGenerateVsLoad30x10 is the same for 30 packages of 10 handlers
// loaded by one pattern. The target is at most 1.3.
func BenchmarkGenerateVsLoad30x10(b *testing.B) {
	generateVsLoad(b, benchPackages(b), 30)
}

// generateVsLoad alternates loading and generating the packages of
// pattern. Besides the ratio of wall times it reports the ratio of CPU
// times (this process and the go list processes it waits for), which
// other work on a busy machine disturbs less.
func generateVsLoad(b *testing.B, pattern string, n int) {
	var gen, load, genCPU, loadCPU time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		if _, err := packages.Load(&packages.Config{Mode: loadMode}, pattern); err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), cpuTime()
		files, err := Generate(Config{}, pattern)
		if err != nil {
			b.Fatal(err)
		}
		if len(files) != n {
			b.Fatalf("%d files, want %d", len(files), n)
		}
		t2, c2 := time.Now(), cpuTime()
		load += t1.Sub(t0)
		gen += t2.Sub(t1)
		loadCPU += c1 - c0
		genCPU += c2 - c1
	}
	b.ReportMetric(float64(gen)/float64(load), "gen/load")
	b.ReportMetric(float64(genCPU)/float64(loadCPU), "cpu-gen/load")
	b.ReportMetric(float64(gen.Milliseconds())/float64(b.N), "gen-ms/op")
	b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
}

// BenchmarkEmit1000 is the emission alone (jennifer and gofmt), the
// largest part of the generator's own work.
func BenchmarkEmit1000(b *testing.B) {
	dir := benchPackage(b)
	cfg := Config{Output: DefaultOutput, Register: DefaultRegister}
	pkgs, err := load(cfg, []string{dir})
	if err != nil {
		b.Fatal(err)
	}
	pf := analyzeOne(cfg, pkgs[0])
	for b.Loop() {
		if _, err := emit(pf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyze1000 is the validation alone.
func BenchmarkAnalyze1000(b *testing.B) {
	dir := benchPackage(b)
	cfg := Config{Output: DefaultOutput, Register: DefaultRegister}
	pkgs, err := load(cfg, []string{dir})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		analyzeOne(cfg, pkgs[0])
	}
}

// analyzeOne finds and validates the directives of one loaded package.
func analyzeOne(cfg Config, pkg *packages.Package) *pkgFile {
	e := &errs{fset: pkg.Fset}
	dirs := findDirectives(pkg, cfg.Output, e)
	var vocab vocabularies
	vocab.add(dirs)
	pf, _ := analyze(cfg, pkg, dirs, &vocab, e)
	return pf
}

// cpuTime returns the user and system time of this process and of its
// waited-for children.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}
