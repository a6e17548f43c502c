package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// tokens used across the tests, by the scopes they grant.
var (
	tokRead  = &runtime.AccessToken{Token: "r", ClientID: "reader", Scopes: []string{"read"}}
	tokWrite = &runtime.AccessToken{Token: "w", ClientID: "writer", Scopes: []string{"read", "write"}}
	tokAdmin = &runtime.AccessToken{Token: "a", ClientID: "admin", Scopes: []string{"read", "write", "admin"}}
)

func as(tok *runtime.AccessToken) context.Context {
	return runtime.ContextWithAccessToken(context.Background(), tok)
}

// connect starts and initializes an in-process client of srv.
func connect(t testing.TB, srv *runtime.Server) *client.Client {
	t.Helper()
	c, _ := mcptest.Start(t, srv)
	return c
}

func textTool(name string) (mcp.Tool, func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error)) {
	return mcp.NewTool(name), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(name + " ok"), nil
	}
}

func toolNames(t testing.TB, c *client.Client, ctx context.Context) []string {
	t.Helper()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}

func callTool(c *client.Client, ctx context.Context, name string) (*mcp.CallToolResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	return c.CallTool(ctx, req)
}

func resultText(r *mcp.CallToolResult) string {
	if r == nil || len(r.Content) == 0 {
		return ""
	}
	if tc, ok := r.Content[0].(mcp.TextContent); ok {
		return tc.Text
	}
	b, _ := json.Marshal(r.Content[0])
	return string(b)
}

func sorted(s []string) []string { return append([]string{}, slices.Sorted(slices.Values(s))...) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func replaceAll(s, old, new string) string { return strings.ReplaceAll(s, old, new) }

func firstKey(m map[string]any) string {
	for k := range m {
		return k
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func serverWithPaginationLimit(n int) server.ServerOption { return server.WithPaginationLimit(n) }

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}
