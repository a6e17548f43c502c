package cedarauth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// benchPolicies is a 20-policy set: a permit per scope group (groups
// policies of which name a tool, or a tag, as per), a forbid on a claim
// and a forbid on an argument.
func benchPolicies(b *testing.B, permit func(i int) string) *cedarauth.Authorizer {
	var src strings.Builder
	for i := range 18 {
		fmt.Fprintf(&src, "@id(\"p%02d\")\n%s;\n", i, permit(i))
	}
	src.WriteString(`@id("suspended")
forbid (principal, action, resource)
when { principal.hasTag("suspended") && principal.getTag("suspended") == "true" };
@id("long-text")
forbid (principal, action in Action::"call_tool", resource)
when { context has text && context.text like "*FORBIDDEN*" };
`)
	set, err := cedarauth.ParsePolicies("bench.cedar", []byte(src.String()))
	if err != nil {
		b.Fatal(err)
	}
	if n := len(set.Map()); n != 20 {
		b.Fatalf("%d policies, want 20", n)
	}
	return cedarauth.New(set)
}

func scopeOf(i int) string { return fmt.Sprintf("scope_%02d", i%18) }

func echo(_ context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	return mcp.NewToolResultText("ok"), nil
}

func start(b *testing.B, s *runtime.Server) *client.Client {
	c := runtimetest.NewClient(s)
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
	return c
}

// allScopes is a token with every scope of the benchmarks.
func allScopes() *runtime.AccessToken {
	tok := &runtime.AccessToken{ClientID: "bench", Claims: map[string]any{"sub": "u1", "suspended": false}}
	for i := range 18 {
		tok.Scopes = append(tok.Scopes, scopeOf(i))
	}
	return tok
}

// BenchmarkToolCall calls one of 18 tools in process: under the 20-policy
// set (each tool's own permit on a scope, plus a forbid on a claim and one
// on an argument), and with the equivalent scopes(…) chain on each tool.
// The ratio cedar/scopes is the cost of deciding with Cedar.
func BenchmarkToolCall(b *testing.B) {
	req := mcp.CallToolRequest{}
	req.Params.Name = "tool_03"
	req.Params.Arguments = map[string]any{"text": "hello"}
	ctx := runtime.ContextWithAccessToken(context.Background(), allScopes())
	run := func(b *testing.B, c *client.Client) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.CallTool(ctx, req)
			if err != nil || res.IsError {
				b.Fatalf("%v %v", res, err)
			}
		}
	}
	b.Run("scopes", func(b *testing.B) {
		s := runtime.NewServer("bench", "1")
		for i := range 18 {
			s.AddTool(mcp.NewTool(fmt.Sprintf("tool_%02d", i)), echo, runtime.WithScopes(scopeOf(i)))
		}
		run(b, start(b, s))
	})
	b.Run("cedar", func(b *testing.B) {
		az := benchPolicies(b, func(i int) string {
			return fmt.Sprintf(`permit (principal, action == Action::"tool:tool_%02d", resource) when { principal.scopes.contains(%q) }`, i, scopeOf(i))
		})
		s := runtime.NewServer("bench", "1", runtime.WithMiddleware(az.Middleware()))
		for i := range 18 {
			s.AddTool(mcp.NewTool(fmt.Sprintf("tool_%02d", i)), echo)
		}
		run(b, start(b, s))
	})
}

// BenchmarkToolsList1k lists 1,000 tools, each in one of 18 groups (a tag
// under Cedar, a scope under scopes(…)), for a token that sees them all:
// under the 20-policy set (a permit per group on tag and scope) and with
// each tool's scopes(…) chain. The ratio cedar/scopes is the cost of
// listing by partial evaluation.
func BenchmarkToolsList1k(b *testing.B) {
	const n = 1000
	ctx := runtime.ContextWithAccessToken(context.Background(), allScopes())
	run := func(b *testing.B, c *client.Client) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil || len(res.Tools) != n {
				b.Fatalf("%d tools, %v", len(res.Tools), err)
			}
		}
	}
	tool := func(i int) mcp.Tool {
		return mcp.NewTool(fmt.Sprintf("tool_%04d", i), mcp.WithDescription("a tool"), mcp.WithString("text"))
	}
	b.Run("scopes", func(b *testing.B) {
		s := runtime.NewServer("bench", "1")
		for i := range n {
			s.AddTool(tool(i), echo, runtime.WithScopes(scopeOf(i)))
		}
		run(b, start(b, s))
	})
	b.Run("cedar", func(b *testing.B) {
		az := benchPolicies(b, func(i int) string {
			return fmt.Sprintf(`permit (principal, action in Action::"call_tool", resource) when { resource.tags.contains("group_%02d") && principal.scopes.contains(%q) }`, i, scopeOf(i))
		})
		s := runtime.NewServer("bench", "1", runtime.WithMiddleware(az.Middleware()))
		for i := range n {
			s.AddTool(tool(i), echo, runtime.WithTags(fmt.Sprintf("group_%02d", i%18)))
		}
		run(b, start(b, s))
	})
}
