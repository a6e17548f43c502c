package introspect_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestDependencies pins that a server using introspection links no MCP SDK,
// no JOSE library and not the test provider's OpenID library through this
// package.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	const pkg = "github.com/mcpauthgen/mcpauthgen/runtime/introspect"
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps}, pkg)
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		t.Fatalf("load %s: %v", pkg, err)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, f := range []string{"github.com/mark3labs/", "github.com/go-jose/", "github.com/zitadel/"} {
			if strings.HasPrefix(p.PkgPath, f) {
				t.Errorf("%s depends on %s", pkg, p.PkgPath)
			}
		}
	})
}
