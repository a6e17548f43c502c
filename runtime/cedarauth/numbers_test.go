package cedarauth_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
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

// TestPromptNullArgument: mcp-go hands a prompt's handler an argument
// given as null as the empty string, so the policies see it so too: a
// forbid on its presence is not dodged by sending null.
func TestPromptNullArgument(t *testing.T) {
	set, err := cedarauth.ParsePolicies("ask.cedar", []byte(`
permit (principal, action, resource);
forbid (principal, action == Action::"prompt:ask", resource) when { context has style };
`))
	if err != nil {
		t.Fatal(err)
	}
	s := runtime.NewServer("ask", "1", runtime.WithMiddleware(cedarauth.New(set).Middleware()))
	s.AddPrompt(mcp.NewPrompt("ask", mcp.WithArgument("style")), func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		_, ok := req.Params.Arguments["style"]
		return mcp.NewGetPromptResult("", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("style given: "+strconv.FormatBool(ok)))}), nil
	})
	for _, args := range []string{`{}`, `{"style":""}`, `{"style":null}`} {
		msg := `{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"ask","arguments":` + args + `}}`
		res, err := s.HandleMessage(mcptest.As(alice), nil, json.RawMessage(msg))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		denied := strings.Contains(string(b), "Authorization failed for prompt 'ask'")
		if want := args != `{}`; denied != want {
			t.Errorf("%s: denied %v, want %v: %s", args, denied, want, b)
		}
	}
}
