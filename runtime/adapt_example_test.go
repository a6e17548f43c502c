package runtime_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// shout is a plain Go handler.
func shout(ctx context.Context, text string, times int) (string, error) {
	if times < 1 {
		return "", fmt.Errorf("times must be positive, not %d", times)
	}
	return strings.Repeat(strings.ToUpper(text), times), nil
}

// Registering a plain handler by hand, as generated code does: bind the
// arguments, call, adapt the result.
func Example_adaptingHandlers() {
	srv := runtime.NewServer("shouter", "1.0.0")
	srv.AddTool(mcp.NewTool("shout",
		mcp.WithString("text", mcp.Required()),
		mcp.WithNumber("times", mcp.Required()),
	), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var args struct {
			Text  string `json:"text"`
			Times int    `json:"times"`
		}
		if res := runtime.BindArguments(req, &args, "text", "times"); res != nil {
			return res, nil
		}
		return runtime.TextResult(shout(ctx, args.Text, args.Times))
	}, runtime.WithScopes("write"))

	c := runtimetest.NewClient(srv)
	defer c.Close()
	ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{Scopes: []string{"write"}})
	if err := c.Start(ctx); err != nil {
		panic(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := c.Initialize(ctx, init); err != nil {
		panic(err)
	}
	for _, args := range []map[string]any{
		{"text": "hey", "times": 2},
		{"text": "hey", "times": "two"},
		{"text": "hey"},
		{"text": "hey", "times": 0},
	} {
		req := mcp.CallToolRequest{}
		req.Params.Name = "shout"
		req.Params.Arguments = args
		res, err := c.CallTool(ctx, req)
		if err != nil {
			panic(err)
		}
		fmt.Printf("isError=%v %s\n", res.IsError, res.Content[0].(mcp.TextContent).Text)
	}
	// Output:
	// isError=false HEYHEY
	// isError=true invalid argument "times": want integer, got string
	// isError=true missing required argument "times"
	// isError=true times must be positive, not 0
}
