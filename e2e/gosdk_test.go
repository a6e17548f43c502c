package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// The TypeScript SDK client against the go-sdk backend: the fixture of
// e2e_test.go built on gosdk.Server, the same callers, probes and
// expectations. What the SDKs answer themselves (a missing resource's
// error code, the last page) is each SDK's own.

// gosdkOptions configures a go-sdk fixture: its middleware and page size.
type gosdkOptions struct {
	middleware []authz.Middleware
	pageSize   int
}

func gosdkFixture(o gosdkOptions) *gosdk.Server {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "e2e-fixture", Version: "1.2.3"}, &mcp.ServerOptions{
		PageSize:           o.pageSize,
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}, gosdk.WithMiddleware(o.middleware...))
	text := func(name string) mcp.ToolHandler {
		return func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return toolText(name + " ok"), nil
		}
	}
	empty := map[string]any{"type": "object"}
	tool := func(name, description string) *mcp.Tool {
		return &mcp.Tool{Name: name, Description: description, InputSchema: empty}
	}
	srv.AddTool(tool("public_tool", "Anyone may call it."), text("public_tool"))
	srv.AddTool(tool("read_tool", ""), text("read_tool"), gosdk.WithScopes("read"))
	type writeArgs struct {
		Text string `json:"text"`
	}
	gosdk.AddTool(srv, &mcp.Tool{Name: "write_tool"}, func(_ context.Context, _ *mcp.CallToolRequest, in writeArgs) (*mcp.CallToolResult, any, error) {
		return toolText("write_tool ok: " + in.Text), nil, nil
	}, gosdk.WithScopes("write"))
	srv.AddTool(tool("admin_tool", ""), text("admin_tool"), gosdk.WithScopes("admin"), gosdk.WithTags("admin"))
	srv.AddTool(tool("tagged_tool", ""), text("tagged_tool"), gosdk.WithTags("admin"))
	srv.AddTool(tool("frozen_tool", ""), text("frozen_tool"), gosdk.WithTags("frozen"))
	srv.AddTool(tool("owner_tool", ""), text("owner_tool"), gosdk.WithAuth(gosdk.Check(
		func(ac gosdk.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "writer-app" })))
	srv.AddTool(tool("whoami", ""), func(ctx context.Context, _ *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return toolText(caller(ctx)), nil
	})

	resource := func(uri string, opts ...gosdk.ComponentOption) {
		srv.AddResource(&mcp.Resource{URI: uri, Name: strings.ReplaceAll(uri, "://", "_"), MIMEType: "text/plain"},
			func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
				return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: uri + " for " + caller(ctx)}}}, nil
			}, opts...)
	}
	resource("public://info")
	resource("secret://data", gosdk.WithScopes("read"))
	resource("admin://config", gosdk.WithScopes("admin"), gosdk.WithTags("admin"))
	resource("ops://status", gosdk.WithTags("admin"))
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "users://{id}/profile", Name: "user_profile", MIMEType: "text/plain"},
		func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			text := fmt.Sprintf("profile %s for %s", gosdk.TemplateVar(ctx, "id"), caller(ctx))
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}}, nil
		}, gosdk.WithScopes("read"))

	prompt := func(name string, opts ...gosdk.ComponentOption) {
		srv.AddPrompt(&mcp.Prompt{Name: name}, func(ctx context.Context, _ *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return promptText(name + " for " + caller(ctx)), nil
		}, opts...)
	}
	prompt("public_prompt")
	srv.AddPrompt(&mcp.Prompt{Name: "greet", Arguments: []*mcp.PromptArgument{{Name: "name", Required: true}}},
		func(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return promptText(fmt.Sprintf("Hello, %s (for %s)", req.Params.Arguments["name"], caller(ctx))), nil
		}, gosdk.WithScopes("read"))
	prompt("admin_prompt", gosdk.WithScopes("admin"), gosdk.WithTags("admin"))
	prompt("ops_prompt", gosdk.WithTags("admin"))
	return srv
}

func toolText(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

func promptText(text string) *mcp.GetPromptResult {
	return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: text}}}}
}

// gosdkMiddleware is middleware() of e2e_test.go on the core's names.
func gosdkMiddleware() []authz.Middleware {
	frozen := authz.Check(func(ac authz.AuthContext) (bool, error) {
		if ac.Component.HasTag("frozen") {
			return false, &authz.AuthorizationError{Message: frozenMessage}
		}
		return true, nil
	})
	return []authz.Middleware{authz.AuthMiddleware(authz.RestrictTag("admin", "admin")), authz.AuthMiddleware(frozen)}
}

// serveGoSDK serves srv as serve does: the static verifier, at /mcp, with
// its metadata.
func serveGoSDK(t *testing.T, srv *gosdk.Server, opts ...gosdk.HTTPOption) string {
	t.Helper()
	h := srv.HTTPHandler(append([]gosdk.HTTPOption{gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(tokens))}, opts...)...)
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestAuthorizationGoSDK is TestAuthorization against the go-sdk backend.
func TestAuthorizationGoSDK(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	plain := []user{
		{"guest-token", access{allowed: guestAllowed}},
		{"reader-token", access{allowed: readerAllowed}},
		{"writer-token", access{allowed: writerAllowed}},
		{"admin-token", access{allowed: adminAllowed}},
	}
	withMW := []user{
		{"guest-token", withMiddleware(guestAllowed, false)},
		{"reader-token", withMiddleware(readerAllowed, false)},
		{"writer-token", withMiddleware(writerAllowed, false)},
		{"admin-token", withMiddleware(adminAllowed, true)},
	}
	for _, tc := range []struct {
		v      variant
		o      gosdkOptions
		stepUp bool
	}{
		{variant{name: "components", meta: componentMeta, callers: plain}, gosdkOptions{}, false},
		{variant{name: "middleware", middleware: true, meta: middlewareMeta, callers: withMW}, gosdkOptions{middleware: gosdkMiddleware()}, false},
		{variant{name: "paged", pageSize: 2, meta: componentMeta, callers: []user{plain[0], plain[3]}}, gosdkOptions{pageSize: 2}, false},
		{variant{name: "middleware+paged", middleware: true, pageSize: 2, meta: middlewareMeta, callers: []user{withMW[0], withMW[3]}},
			gosdkOptions{middleware: gosdkMiddleware(), pageSize: 2}, false},
		{variant{name: "step-up", middleware: true, meta: middlewareMeta, callers: []user{
			{"guest-token", withStepUp(guestAllowed)},
			{"reader-token", withStepUp(readerAllowed, "read")},
			{"writer-token", withStepUp(writerAllowed, "read", "write")},
			{"admin-token", withStepUp(adminAllowed, "read", "write", "admin")},
		}}, gosdkOptions{middleware: []authz.Middleware{authz.AuthMiddleware(authz.RestrictTag("admin", "admin"))}}, true},
	} {
		tc.v.goSDK = true
		t.Run(tc.v.name, func(t *testing.T) {
			t.Parallel()
			var opts []gosdk.HTTPOption
			if tc.stepUp {
				opts = append(opts, gosdk.WithStepUp())
			}
			base := serveGoSDK(t, gosdkFixture(tc.o), opts...)
			for _, c := range tc.v.callers {
				t.Run(strings.TrimSuffix(c.token, "-token"), func(t *testing.T) {
					t.Parallel()
					checkCaller(t, node, base, c.token, c.access, tc.v)
				})
			}
		})
	}
}
