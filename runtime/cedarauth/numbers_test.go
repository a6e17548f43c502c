package cedarauth_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
)

// TestInexactNumbers: AuthContext.Arguments holds numbers as float64, which
// carries integers exactly only up to 2^53, while a handler decodes the
// request's own JSON text. A number beyond that must not let a call through
// a forbid on its value (nor, left out of the context, on its presence).
func TestInexactNumbers(t *testing.T) {
	set, err := cedarauth.ParsePolicies("pay.cedar", []byte(`
permit (principal, action, resource);
forbid (principal, action == Action::"tool:pay", resource) when { context.account == 9007199254740993 };
forbid (principal, action == Action::"tool:count", resource) when { context has n };
`))
	if err != nil {
		t.Fatal(err)
	}
	s := runtime.NewServer("pay", "1", runtime.WithMiddleware(cedarauth.New(set).Middleware()))
	s.AddTool(mcp.NewTool("pay"), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in struct {
			Account int64 `json:"account"`
		}
		if res := runtime.BindArguments(req, &in); res != nil {
			return res, nil
		}
		return mcp.NewToolResultText("paid " + strconv.FormatInt(in.Account, 10)), nil
	})
	s.AddTool(mcp.NewTool("count"), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in struct {
			N uint64 `json:"n"`
		}
		if res := runtime.BindArguments(req, &in); res != nil {
			return res, nil
		}
		return mcp.NewToolResultText("counted " + strconv.FormatUint(in.N, 10)), nil
	})
	c, _ := mcptest.Start(t, s)
	for _, tc := range []struct{ tool, args, want string }{
		{"pay", `{"account":9007199254740991}`, "paid 9007199254740991"},
		{"pay", `{"account":9007199254740993}`, "Authorization failed for tool 'pay': insufficient permissions"},
		{"count", `{"n":18446744073709551615}`, "Authorization failed for tool 'count': insufficient permissions"},
	} {
		req := mcp.CallToolRequest{}
		req.Params.Name = tc.tool
		req.Params.Arguments = json.RawMessage(tc.args)
		res, err := c.CallTool(mcptest.As(alice), req)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Content[0].(mcp.TextContent).Text; got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.tool, tc.args, got, tc.want)
		}
	}
}
