package gosdk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// The tokens of the test verifier.
var tokens = map[string]gosdk.AccessToken{
	"reader-token": {ClientID: "reader", Scopes: []string{"read"}},
	"writer-token": {ClientID: "writer", Scopes: []string{"read", "write"}},
	"admin-token":  {ClientID: "admin", Scopes: []string{"read", "write", "admin"}},
	"admin-2":      {ClientID: "admin", Scopes: []string{"read", "write", "admin"}},
	"nobody-token": {ClientID: "nobody"},
	"reader-2":     {ClientID: "reader", Scopes: []string{"read", "write"}},
}

// fixture registers one component of each kind for each access level, as
// package runtime's test fixture does:
//
//	tools      public_tool, read_tool (scopes read), write_tool (scopes
//	           write), admin_tool (scopes admin, tag admin), tagged_tool
//	           (tag admin, no checks), whoami (reports the caller's token)
//	resources  public://info, secret://data (read), admin://config (admin,
//	           tag admin)
//	templates  users://{id}/profile (read)
//	prompts    public_prompt, admin_prompt (admin, tag admin)
func fixture(opts *mcp.ServerOptions, options ...gosdk.Option) *gosdk.Server {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "fixture", Version: "1.0.0"}, opts, options...)
	for _, tc := range []struct {
		name string
		opts []gosdk.ComponentOption
	}{
		{"public_tool", nil},
		{"read_tool", []gosdk.ComponentOption{gosdk.WithScopes("read")}},
		{"write_tool", []gosdk.ComponentOption{gosdk.WithScopes("write")}},
		{"admin_tool", []gosdk.ComponentOption{gosdk.WithScopes("admin"), gosdk.WithTags("admin")}},
		{"tagged_tool", []gosdk.ComponentOption{gosdk.WithTags("admin")}},
	} {
		srv.AddTool(textTool(tc.name), textHandler(tc.name), tc.opts...)
	}
	gosdk.AddTool(srv, &mcp.Tool{Name: "whoami"}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: describeToken(gosdk.AccessTokenFromContext(ctx))}}}, nil, nil
	})
	resource := func(uri string, opts ...gosdk.ComponentOption) {
		srv.AddResource(&mcp.Resource{URI: uri, Name: uri}, readHandler(uri), opts...)
	}
	resource("public://info")
	resource("secret://data", gosdk.WithScopes("read"))
	resource("admin://config", gosdk.WithScopes("admin"), gosdk.WithTags("admin"))
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "users://{id}/profile", Name: "user_profile"},
		readHandler("user_profile"), gosdk.WithScopes("read"))
	prompt := func(name string, opts ...gosdk.ComponentOption) {
		srv.AddPrompt(&mcp.Prompt{Name: name}, promptHandler(name), opts...)
	}
	prompt("public_prompt")
	prompt("admin_prompt", gosdk.WithScopes("admin"), gosdk.WithTags("admin"))
	return srv
}

// bare is a go-sdk server without the runtime, holding what an anonymous
// caller of fixture sees: what fixture's hidden components must be
// indistinguishable from.
func bare(opts *mcp.ServerOptions) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "fixture", Version: "1.0.0"}, opts)
	for _, name := range []string{"public_tool", "tagged_tool"} {
		srv.AddTool(textTool(name), textHandler(name))
	}
	srv.AddResource(&mcp.Resource{URI: "public://info", Name: "public://info"}, readHandler("public://info"))
	srv.AddPrompt(&mcp.Prompt{Name: "public_prompt"}, promptHandler("public_prompt"))
	return srv
}

func bareHandler(srv *mcp.Server) http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
}

func textTool(name string) *mcp.Tool {
	return &mcp.Tool{Name: name, InputSchema: map[string]any{"type": "object"}}
}

func textHandler(name string) mcp.ToolHandler {
	return func(ctx context.Context, _ *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		text := name + " for " + describeToken(gosdk.AccessTokenFromContext(ctx))
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil
	}
}

func readHandler(name string) mcp.ResourceHandler {
	return func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		text := name + " " + req.Params.URI + " for " + describeToken(gosdk.AccessTokenFromContext(ctx))
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{Text: text}}}, nil
	}
}

func promptHandler(name string) mcp.PromptHandler {
	return func(ctx context.Context, _ *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		text := name + " for " + describeToken(gosdk.AccessTokenFromContext(ctx))
		return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: text}}}}, nil
	}
}

func describeToken(t *gosdk.AccessToken) string {
	if t == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s %v", t.ClientID, t.Scopes)
}

// authorized serves srv over HTTP with the test verifier.
func authorized(srv *gosdk.Server, opts ...gosdk.HTTPOption) http.Handler {
	return srv.HTTPHandler(append([]gosdk.HTTPOption{gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(tokens))}, opts...)...)
}

// serve starts h on a test server and returns its URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}
