package parity_test

import (
	"context"

	mcpgo "github.com/mark3labs/mcp-go/mcp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// Two templates match noted://a/x: noted://{a}/x, whose own check denies
// and notes the policy that denied it, as a policy engine used as a
// component's check does (authz.PolicyNotes), and noted://{b}/{c},
// which has no checks. The read goes to the second; its decision names no
// policy, for none decided it.
var withNoting = setup{id: "noting", noting: true}

// forbidFirst is the own check of noted://{a}/x.
func forbidFirst() authz.ComponentOption {
	return authz.WithAuth(authz.AuthCheck(func(ctx context.Context, _ authz.AuthContext) (bool, error) {
		authz.PolicyNotesFrom(ctx).Note("forbid-first")
		return false, nil
	}))
}

func addNotingMCPGo(srv *runtime.Server) {
	for _, tmpl := range []string{"noted://{a}/x", "noted://{b}/{c}"} {
		var opts []authz.ComponentOption
		if tmpl == "noted://{a}/x" {
			opts = append(opts, forbidFirst())
		}
		srv.AddResourceTemplate(mcpgo.NewResourceTemplate(tmpl, tmpl), func(_ context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
			return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: tmpl}}, nil
		}, opts...)
	}
}

func addNotingGoSDK(srv *gosdk.Server) {
	for _, tmpl := range []string{"noted://{a}/x", "noted://{b}/{c}"} {
		var opts []authz.ComponentOption
		if tmpl == "noted://{a}/x" {
			opts = append(opts, forbidFirst())
		}
		srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: tmpl, Name: tmpl}, func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: tmpl}}}, nil
		}, opts...)
	}
}
