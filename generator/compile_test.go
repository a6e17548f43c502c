package generator

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

var seed = flag.Uint64("seed", 1, "seed of TestRandomPackagesCompile (0: one from the clock, to explore)")

// namePool is what the generated file declares or refers to (wrapper
// locals, the server parameter, import names and their aliases, wrapper
// names) plus the names of packages the handlers' types come from: the
// names a user's package is most likely to collide with.
var namePool = []string{
	"ctx", "req", "args", "in", "res", "err", "out", "s", "srv", "mcpauthServer",
	"context", "json", "mcp", "runtime", "mcpauthjson", "mcpauthmcp", "mcpauthruntime",
	"mcpauthcontext", "time", "url", "mcpauthToolH0", "mcpauthPromptH1", "mcpauthResourceH2", "T", "t",
}

// TestRandomPackagesCompile generates many valid packages whose handler,
// parameter, field, type and variable names are drawn from namePool, then
// builds and vets all of them: a mistake the generator lets through must
// never become a compile error in the generated file. The default seed
// keeps the test deterministic; -seed 0 explores with a seed from the
// clock, which is logged, and -seed N replays it.
func TestRandomPackagesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds many packages")
	}
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -seed %d)", s, s)
	rng := rand.New(rand.NewPCG(s, s))

	root, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "tmp-random-")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("KEEP") == "" {
		t.Cleanup(func() { os.RemoveAll(dir) })
	}
	const n = 16
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("p%02d", i))
		if err := os.Mkdir(p, 0o777); err != nil {
			t.Fatal(err)
		}
		for name, src := range randomPackage(rng, fmt.Sprintf("p%02d", i)) {
			if err := os.WriteFile(filepath.Join(p, name), []byte(src), 0o666); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, err := Generate(Config{}, dir+"/...")
	if err != nil {
		t.Fatalf("seed %d: %v", s, err)
	}
	if len(files) != n {
		t.Fatalf("seed %d: %d files, want %d", s, len(files), n)
	}
	for _, f := range files {
		if err := os.WriteFile(f.Path, f.Content, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"build"}, {"vet"}} {
		cmd := exec.Command("go", append(args, "./...")...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("seed %d: go %s: %v\n%s", s, args[0], err, out)
		}
	}
}

// randomPackage returns the files of a valid annotated package whose
// names come from namePool: decoys.go declares package-level variables,
// types and checks, handlers.go the handlers.
func randomPackage(rng *rand.Rand, name string) map[string]string {
	pool := slices.Clone(namePool)
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	take := func() string { v := pool[0]; pool = pool[1:]; return v }

	var decoys, handlers strings.Builder
	fmt.Fprintf(&decoys, "package %s\n\nimport (\n\tstdctx \"context\"\n\n\tmcprt \"github.com/mcpauthgen/mcpauthgen/runtime\"\n)\n\n", name)
	// Package-level names the generated file must not hide or clash with.
	strType, intType, structType := take(), take(), take()
	fmt.Fprintf(&decoys, "type %s string\n\ntype %s int\n\n", strType, intType)
	var fieldNames []string
	for _, f := range namePool {
		if !slices.ContainsFunc(fieldNames, func(g string) bool { return exported(g) == exported(f) }) {
			fieldNames = append(fieldNames, f)
		}
	}
	rng.Shuffle(len(fieldNames), func(i, j int) { fieldNames[i], fieldNames[j] = fieldNames[j], fieldNames[i] })
	fmt.Fprintf(&decoys, "type %s struct {\n", structType)
	for i, f := range fieldNames[:4] {
		typ := []string{"string", "int", strType, "*" + intType}[i]
		fmt.Fprintf(&decoys, "\t%s %s `json:\"%s\"`\n", exported(f), typ, f)
	}
	decoys.WriteString("}\n\n")
	check := take()
	fmt.Fprintf(&decoys, "func %s(ac mcprt.AuthContext) bool { return ac.Token != nil }\n\n", check)
	// A check of the package's own type (a runtime.Checker through its
	// pointer), registered as it is.
	checkerType, checker := take(), take()
	fmt.Fprintf(&decoys, "type %s struct{ max int }\n\nfunc (c *%[1]s) Check(_ stdctx.Context, ac mcprt.AuthContext) (bool, error) {\n\treturn ac.Token != nil && c.max > 0, nil\n}\n\nvar %s = &%[1]s{max: 1}\n\n", checkerType, checker)
	for range 3 {
		fmt.Fprintf(&decoys, "var %s = %d\n", take(), rng.IntN(9))
	}

	fmt.Fprintf(&handlers, "package %s\n\nimport (\n\tstdctx \"context\"\n\tstdtime \"time\"\n)\n\nvar _ stdtime.Duration\n\nvar _ stdctx.Context\n", name)
	types := []string{"string", "int", "*string", "[]string", strType, intType, "*" + intType, "stdtime.Duration", "map[string]" + strType}
	auths := []string{"auth=public", "auth=scopes(read)", "auth=check(" + check + ")", "auth=scopes(a,b),check(" + check + ")", "",
		"auth=check(" + checker + ")", "auth=check(&" + checkerType + "{max: 2}),any(check(" + checker + "),scopes(read))"}
	names := map[string]bool{} // MCP names, which must differ
	for h := range 3 {
		fn := take()
		for names[annotations.SnakeCase(fn)] {
			fn = take()
		}
		names[annotations.SnakeCase(fn)] = true
		// Parameters may hide any package-level name but the types the
		// signature uses.
		params := slices.DeleteFunc(slices.Clone(namePool), func(p string) bool {
			return p == strType || p == intType || p == structType
		})
		rng.Shuffle(len(params), func(i, j int) { params[i], params[j] = params[j], params[i] })
		var sig []string
		switch rng.IntN(3) {
		case 0:
			sig = append(sig, "_ stdctx.Context")
		case 1:
			sig = append(sig, params[0]+" stdctx.Context")
			params = params[1:]
		}
		kind := []string{"tool", "tool", "prompt", "resource"}[rng.IntN(4)]
		auth := auths[rng.IntN(len(auths))]
		result := []string{"string", "*string", structType, strType}[rng.IntN(4)]
		directive := "//mcp:" + kind + " " + auth
		switch kind {
		case "tool":
			if rng.IntN(3) == 0 {
				sig = append(sig, params[0]+" *"+structType)
				break
			}
			seen := map[string]bool{}
			for _, p := range params[:rng.IntN(4)] {
				if seen[snakeKey(p)] {
					continue
				}
				seen[snakeKey(p)] = true
				sig = append(sig, p+" "+types[rng.IntN(len(types))])
			}
		case "prompt":
			result = []string{"string", "*string"}[rng.IntN(2)]
			seen := map[string]bool{}
			for _, p := range params[:rng.IntN(3)] {
				if seen[snakeKey(p)] {
					continue
				}
				seen[snakeKey(p)] = true
				sig = append(sig, p+" "+[]string{"string", "*string"}[rng.IntN(2)])
			}
		case "resource":
			v := params[0]
			directive = fmt.Sprintf("//mcp:resource uri=r%d://{%s} %s", h, v, auth)
			sig = append(sig, v+" string")
		}
		fmt.Fprintf(&handlers, "\n// %s is a %s.\n//\n%s\nfunc %s(%s) (%s, error) {\n\tvar zero %s\n\treturn zero, nil\n}\n",
			fn, kind, strings.TrimSpace(directive), fn, strings.Join(sig, ", "), result, result)
	}
	return map[string]string{"decoys.go": decoys.String(), "handlers.go": handlers.String()}
}

func snakeKey(name string) string { return strings.ToLower(strings.ReplaceAll(name, "_", "")) }
