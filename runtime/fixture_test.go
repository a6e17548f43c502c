package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// fixture registers one component of each kind for each access level:
//
//	tools      public_tool, read_tool (scopes read), write_tool (scopes
//	           write), admin_tool (scopes admin, tag admin), tagged_tool
//	           (tag admin, no checks), whoami (reports the caller's token)
//	resources  public://info, secret://data (read), admin://config (admin,
//	           tag admin)
//	templates  users://{id}/profile (read)
//	prompts    public_prompt, admin_prompt (admin, tag admin)
func fixture(opts ...runtime.Option) *runtime.Server {
	srv := runtime.NewServer("fixture", "1.0.0", opts...)
	for _, tc := range []struct {
		name string
		opts []runtime.ComponentOption
	}{
		{"public_tool", nil},
		{"read_tool", []runtime.ComponentOption{runtime.WithScopes("read")}},
		{"write_tool", []runtime.ComponentOption{runtime.WithScopes("write")}},
		{"admin_tool", []runtime.ComponentOption{runtime.WithScopes("admin"), runtime.WithTags("admin")}},
		{"tagged_tool", []runtime.ComponentOption{runtime.WithTags("admin")}},
	} {
		tool, h := textTool(tc.name)
		srv.AddTool(tool, h, tc.opts...)
	}
	srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(describeToken(runtime.AccessTokenFromContext(ctx))), nil
	})

	resource := func(uri string, opts ...runtime.ComponentOption) {
		srv.AddResource(mcp.NewResource(uri, uri), func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			text := uri + " for " + describeToken(runtime.AccessTokenFromContext(ctx))
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}, nil
		}, opts...)
	}
	resource("public://info")
	resource("secret://data", runtime.WithScopes("read"))
	resource("admin://config", runtime.WithScopes("admin"), runtime.WithTags("admin"))

	srv.AddResourceTemplate(mcp.NewResourceTemplate("users://{id}/profile", "user_profile"),
		func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			text := fmt.Sprintf("profile %v for %s", templateVar(req, "id"), describeToken(runtime.AccessTokenFromContext(ctx)))
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}, nil
		}, runtime.WithScopes("read"))

	prompt := func(name string, opts ...runtime.ComponentOption) {
		srv.AddPrompt(mcp.NewPrompt(name), func(ctx context.Context, _ mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			text := name + " for " + describeToken(runtime.AccessTokenFromContext(ctx))
			return mcp.NewGetPromptResult(name, []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))}), nil
		}, opts...)
	}
	prompt("public_prompt")
	prompt("admin_prompt", runtime.WithScopes("admin"), runtime.WithTags("admin"))
	return srv
}

func describeToken(t *runtime.AccessToken) string {
	if t == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s %v", t.ClientID, t.Scopes)
}

// rawCall sends one JSON-RPC request through the client's transport and
// returns the response as JSON without its id, so that two answers can be
// compared byte for byte.
func rawCall(t testing.TB, c *client.Client, ctx context.Context, method string, params any) string {
	t.Helper()
	resp, err := c.GetTransport().SendRequest(ctx, transport.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(int64(7)), Method: method, Params: params,
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.ID = mcp.RequestId{}
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func names[T any](items []T, name func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func listAll(t testing.TB, c *client.Client, ctx context.Context) (tools, resources, templates, prompts []string) {
	t.Helper()
	tl, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rl, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return names(tl.Tools, func(x mcp.Tool) string { return x.Name }),
		names(rl.Resources, func(x mcp.Resource) string { return x.URI }),
		names(tm.ResourceTemplates, func(x mcp.ResourceTemplate) string { return x.URITemplate.Raw() }),
		names(pl.Prompts, func(x mcp.Prompt) string { return x.Name })
}

func readResource(c *client.Client, ctx context.Context, uri string) (string, error) {
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := c.ReadResource(ctx, req)
	if err != nil {
		return "", err
	}
	if len(res.Contents) != 1 {
		return "", fmt.Errorf("%d contents", len(res.Contents))
	}
	return res.Contents[0].(mcp.TextResourceContents).Text, nil
}

func getPrompt(c *client.Client, ctx context.Context, name string) (string, error) {
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	res, err := c.GetPrompt(ctx, req)
	if err != nil {
		return "", err
	}
	return res.Messages[0].Content.(mcp.TextContent).Text, nil
}

// templateVar returns a template variable of a read: mcp-go gives each as
// the list of its values.
func templateVar(req mcp.ReadResourceRequest, name string) string {
	switch v := req.Params.Arguments[name].(type) {
	case []string:
		if len(v) == 1 {
			return v[0]
		}
	case string:
		return v
	}
	return fmt.Sprint(req.Params.Arguments[name])
}
