package runtime_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestDependencies pins what links what: the authorization core imports no
// MCP SDK, so that another backend can reuse it as is; and a server built
// from generated code links neither the JOSE library (runtime/jwtauth) nor
// mcp-go's client (runtime/runtimetest), nor OpenTelemetry; and the
// OpenTelemetry package links the OpenTelemetry API only, not the SDK.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	for _, tc := range []struct {
		pkg       string
		forbidden []string
	}{
		{"github.com/mcpauthgen/mcpauthgen/runtime/authz", []string{"github.com/mark3labs/"}},
		{"github.com/mcpauthgen/mcpauthgen/runtime/jwtauth", []string{"github.com/mark3labs/"}},
		{"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth", []string{"github.com/mark3labs/"}},
		{"github.com/mcpauthgen/mcpauthgen/examples/scoped", []string{"github.com/go-jose/", "github.com/mark3labs/mcp-go/client", "github.com/cedar-policy/", "go.opentelemetry.io/"}},
		{"github.com/mcpauthgen/mcpauthgen/runtime/otelmcp", []string{"go.opentelemetry.io/otel/sdk"}},
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
