package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

func echo(_ context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	return mcp.NewToolResultText("ok"), nil
}

func startBare(b *testing.B, s *server.MCPServer) *client.Client {
	c, err := client.NewInProcessClient(s)
	if err != nil {
		b.Fatal(err)
	}
	startClient(b, c)
	return c
}

func startClient(b *testing.B, c *client.Client) {
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(ctx, init); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkToolCall compares an in-process tools/call of a tool with a
// scope-only chain against the same tool on bare mcp-go (with mcp-go's own
// in-process client) and on the runtime without checks (auth=none), which
// isolates the cost of the chain from that of the transport.
func BenchmarkToolCall(b *testing.B) {
	req := mcp.CallToolRequest{}
	req.Params.Name = "echo"
	run := func(b *testing.B, c *client.Client, ctx context.Context) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.CallTool(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		s := server.NewMCPServer("bare", "1")
		s.AddTool(mcp.NewTool("echo"), echo)
		run(b, startBare(b, s), context.Background())
	})
	b.Run("auth=none", func(b *testing.B) {
		srv := runtime.NewServer("auth", "1")
		srv.AddTool(mcp.NewTool("echo"), echo)
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		run(b, c, as(tokRead))
	})
	b.Run("auth=scopes", func(b *testing.B) {
		srv := runtime.NewServer("auth", "1")
		srv.AddTool(mcp.NewTool("echo"), echo, runtime.WithScopes("read"))
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		run(b, c, as(tokRead))
	})
	b.Run("auth=scopes+middleware", func(b *testing.B) {
		srv := runtime.NewServer("auth", "1", runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
		srv.AddTool(mcp.NewTool("echo"), echo, runtime.WithScopes("read"))
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		run(b, c, as(tokRead))
	})
}

// BenchmarkToolsList10k lists 10,000 tools: on bare mcp-go, through the
// auth layer for a token that sees all of them, and for one that sees 1%.
// Every tool requires one scope, which the runtime publishes in its _meta;
// the bare server is given the same _meta, so that the comparison measures
// the auth layer and not the size of the answer.
func BenchmarkToolsList10k(b *testing.B) {
	const n = 10000
	scope := func(i int) string {
		if i%100 == 0 {
			return "rare"
		}
		return "common"
	}
	tool := func(i int) mcp.Tool {
		return mcp.NewTool(fmt.Sprintf("tool_%05d", i), mcp.WithDescription("a tool"))
	}
	run := func(b *testing.B, c *client.Client, ctx context.Context, want int) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil || len(res.Tools) != want {
				b.Fatalf("%d tools, %v", len(res.Tools), err)
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		s := server.NewMCPServer("bare", "1")
		for i := range n {
			t := tool(i)
			t.Meta = &mcp.Meta{AdditionalFields: map[string]any{
				runtime.AuthorizationMetaKey: json.RawMessage(`{"scopes":["` + scope(i) + `"]}`),
			}}
			s.AddTool(t, echo)
		}
		run(b, startBare(b, s), context.Background(), n)
	})
	auth := func(b *testing.B) *client.Client {
		srv := runtime.NewServer("auth", "1")
		for i := range n {
			srv.AddTool(tool(i), echo, runtime.WithScopes(scope(i)))
		}
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		return c
	}
	b.Run("auth/sees=all", func(b *testing.B) {
		run(b, auth(b), as(&runtime.AccessToken{Scopes: []string{"common", "rare"}}), n)
	})
	b.Run("auth/sees=1%", func(b *testing.B) {
		run(b, auth(b), as(&runtime.AccessToken{Scopes: []string{"rare"}}), n/100)
	})
}
