package gosdk_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestDependencies pins that the two backends do not link each other's
// SDK: a go-sdk server (generated code included) links no mcp-go, an
// mcp-go server no go-sdk.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	for _, tc := range []struct {
		pkg       string
		forbidden []string
	}{
		{"github.com/mcpauthgen/mcpauthgen/runtime/gosdk", []string{"github.com/mark3labs/", "github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"}},
		{"github.com/mcpauthgen/mcpauthgen/runtime", []string{"github.com/modelcontextprotocol/"}},
		{"github.com/mcpauthgen/mcpauthgen/examples/gosdk/scoped", []string{"github.com/mark3labs/", "github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"}},
		// A Cedar-governed go-sdk server: runtime/cedarauth links no mcp-go.
		{"github.com/mcpauthgen/mcpauthgen/examples/gosdk/cedarnotes", []string{"github.com/mark3labs/", "github.com/mcpauthgen/mcpauthgen/runtime/jwtauth"}},
	} {
		pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps}, tc.pkg)
		if err != nil || packages.PrintErrors(pkgs) > 0 {
			t.Fatalf("load %s: %v", tc.pkg, err)
		}
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			for _, f := range tc.forbidden {
				if strings.HasPrefix(p.PkgPath, f) {
					t.Errorf("%s depends on %s", tc.pkg, p.PkgPath)
				}
			}
		})
	}
}
