package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReportSameOnBothBackends checks that the backend changes nothing
// but the emitted registration: gosdkbasic, basic's twin on the go-sdk,
// has basic's report, package names aside.
func TestReportSameOnBothBackends(t *testing.T) {
	r, err := Report(Config{Dir: ".."}, "./testdata/basic", "./testdata/gosdkbasic")
	if err != nil {
		t.Fatal(err)
	}
	basic, twin := r.ForToken([]string{"read"}), r.ForToken([]string{"read"})
	basic.Packages, twin.Packages = r.Packages[:1], r.Packages[1:]
	want := string(basic.Markdown())
	got := strings.ReplaceAll(string(twin.Markdown()), "gosdkbasic", "basic")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the go-sdk twin's report differs (-basic +gosdkbasic):\n%s", diff)
	}
}

// TestBackendChoice checks how a package's backend is chosen: its
// //mcp:backend line, else -backend. (Mistakes are the backends error
// case.)
func TestBackendChoice(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	root, _ := filepath.Abs("..")
	write("go.mod", "module example.com/m\n\ngo 1.26\n\nrequire (\n\tgithub.com/mcpauthgen/mcpauthgen v0.0.0\n\tgithub.com/mark3labs/mcp-go v1.2.1\n)\n\nreplace github.com/mcpauthgen/mcpauthgen => "+root+"\n")
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write("go.sum", string(gosum))
	write("plain/plain.go", "package plain\n\n//mcp:tool\nfunc Ping() (string, error) { return \"pong\", nil }\n")
	write("sdk/sdk.go", "package sdk\n\n//mcp:backend gosdk\n\n//mcp:tool\nfunc Ping() (string, error) { return \"pong\", nil }\n")
	write("mcpgo/mcpgo.go", "package mcpgo\n\n//mcp:backend mcpgo\n\n//mcp:tool\nfunc Ping() (string, error) { return \"pong\", nil }\n")
	for _, tc := range []struct {
		backend string
		want    map[string]string // package: runtime import in its file
	}{
		{"", map[string]string{"plain": "/runtime\"", "sdk": "/runtime/gosdk\"", "mcpgo": "/runtime\""}},
		{BackendGoSDK, map[string]string{"plain": "/runtime/gosdk\"", "sdk": "/runtime/gosdk\"", "mcpgo": "/runtime\""}},
	} {
		files, err := Generate(Config{Dir: dir, Backend: tc.backend}, "./...")
		if err != nil {
			t.Fatalf("-backend=%q: %v", tc.backend, err)
		}
		for _, f := range files {
			pkg := filepath.Base(filepath.Dir(f.Path))
			if !strings.Contains(string(f.Content), `"github.com/mcpauthgen/mcpauthgen`+tc.want[pkg]) {
				t.Errorf("-backend=%q: %s imports the wrong runtime:\n%s", tc.backend, pkg, f.Content)
			}
		}
	}

	if _, err := Generate(Config{Dir: dir, Backend: "go-sdk"}, "./plain"); err == nil || err.Error() != `backend "go-sdk" is not one of gosdk, mcpgo` {
		t.Errorf("bad -backend: %v", err)
	}
}

// TestGoSDKRolesAndAny checks that roles(…) and any(…) reach the go-sdk
// backend as they reach mcp-go's: the generated file registers them and
// builds.
func TestGoSDKRolesAndAny(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	src := generateAndVet(t, map[string]string{
		"wiki/wiki.go": `package wiki

import "github.com/mcpauthgen/mcpauthgen/runtime/gosdk"

//mcp:backend gosdk

func isOwner(ac gosdk.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "owner" }

//mcp:tool auth=roles(editor)
func Edit() (string, error) { return "edited", nil }

//mcp:tool auth=scopes(read),any(roles(admin),check(isOwner),any(scopes(root),roles(ops)))
func Delete() (string, error) { return "deleted", nil }
`,
	})
	for _, want := range []string{
		`gosdk.WithRule("roles(editor)", gosdk.RequireRoles("editor"))`,
		`gosdk.WithRule("any(roles(admin),check(isOwner),any(scopes(root),roles(ops)))", gosdk.AnyOf(gosdk.RequireRoles("admin"), gosdk.Check(isOwner), gosdk.AnyOf(gosdk.RequireScopes("root"), gosdk.RequireRoles("ops"))))`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated file lacks %s:\n%s", want, src)
		}
	}
}
