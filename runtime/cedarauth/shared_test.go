package cedarauth_test

import (
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
)

// TestSharedAuthorizer: one Authorizer may serve several servers, whose
// components of the same name differ; each decision sees the component
// of the server asked, tags included.
func TestSharedAuthorizer(t *testing.T) {
	set, err := cedarauth.ParsePolicies("shared.cedar", []byte(`
permit (principal, action, resource);
forbid (principal, action, resource) when { resource.tags.contains("admin") };
`))
	if err != nil {
		t.Fatal(err)
	}
	az := cedarauth.New(set)
	public := runtime.NewServer("public", "1", runtime.WithMiddleware(az.Middleware()))
	public.AddTool(mcp.NewTool("reset"), ok("reset public"))
	internal := runtime.NewServer("internal", "1", runtime.WithMiddleware(az.Middleware()))
	internal.AddTool(mcp.NewTool("reset"), ok("reset internal"), runtime.WithTags("admin"))

	if text, _, err := mcptest.Connect(t, public).Call(alice, "reset", nil); err != nil || text != "reset public" {
		t.Fatalf("public reset: %q %v", text, err)
	}
	c := mcptest.Connect(t, internal)
	if tools := c.Tools(alice); len(tools) != 0 {
		t.Errorf("the internal server lists %v, though its reset is tagged admin", tools)
	}
	if text, _, err := c.Call(alice, "reset", nil); err != nil || text != "Authorization failed for tool 'reset': insufficient permissions" {
		t.Errorf("internal reset, tagged admin: %q %v", text, err)
	}
}
