package cedarauth_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
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
	if n := len(maps.Collect(set.All())); n != 20 {
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

// interleaved runs op on each of two servers in turn within every
// iteration, so that load elsewhere on the machine weighs on both alike,
// times each call, and reports each one's median time per call and the
// ratio of the medians (cedar/scopes); medians, because a pause of the
// machine that lands on a few calls says nothing about either.
func interleaved(b *testing.B, scopes, cedar *client.Client, op func(*client.Client) error) {
	b.ReportAllocs()
	var times [2][]time.Duration
	for b.Loop() {
		for i, c := range []*client.Client{scopes, cedar} {
			start := time.Now()
			if err := op(c); err != nil {
				b.Fatal(err)
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	base, policies := median(times[0]), median(times[1])
	b.ReportMetric(float64(base.Nanoseconds()), "scopes-ns/call")
	b.ReportMetric(float64(policies.Nanoseconds()), "cedar-ns/call")
	b.ReportMetric(float64(policies)/float64(base), "ratio")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkToolCall calls one of 18 tools in process, alternately under
// the 20-policy set (each tool's own permit on a scope, plus a forbid on a
// claim and one on an argument) and with the equivalent scopes(…) chain on
// each tool. The ratio cedar/scopes is the cost of deciding with Cedar.
func BenchmarkToolCall(b *testing.B) {
	req := mcp.CallToolRequest{}
	req.Params.Name = "tool_03"
	req.Params.Arguments = map[string]any{"text": "hello"}
	ctx := runtime.ContextWithAccessToken(context.Background(), allScopes())

	s := runtime.NewServer("bench", "1")
	for i := range 18 {
		s.AddTool(mcp.NewTool(fmt.Sprintf("tool_%02d", i)), echo, runtime.WithScopes(scopeOf(i)))
	}
	az := benchPolicies(b, func(i int) string {
		return fmt.Sprintf(`permit (principal, action == Action::"tool:tool_%02d", resource) when { principal.scopes.contains(%q) }`, i, scopeOf(i))
	})
	sc := runtime.NewServer("bench", "1", runtime.WithMiddleware(az.Middleware()))
	for i := range 18 {
		sc.AddTool(mcp.NewTool(fmt.Sprintf("tool_%02d", i)), echo)
	}
	interleaved(b, start(b, s), start(b, sc), func(c *client.Client) error {
		res, err := c.CallTool(ctx, req)
		if err == nil && res.IsError {
			err = fmt.Errorf("denied: %v", res.Content)
		}
		return err
	})
}

// BenchmarkToolsList1k lists 1,000 tools, each in one of 18 groups (a tag
// under Cedar, a scope under scopes(…)), for a token that sees them all,
// alternately under the 20-policy set (a permit per group on tag and
// scope, the two forbids) and with each tool's scopes(…) chain. The ratio
// cedar/scopes is the cost of listing by partial evaluation.
func BenchmarkToolsList1k(b *testing.B) {
	const n = 1000
	ctx := runtime.ContextWithAccessToken(context.Background(), allScopes())
	tool := func(i int) mcp.Tool {
		return mcp.NewTool(fmt.Sprintf("tool_%04d", i), mcp.WithDescription("a tool"), mcp.WithString("text"))
	}
	s := runtime.NewServer("bench", "1")
	for i := range n {
		s.AddTool(tool(i), echo, runtime.WithScopes(scopeOf(i)))
	}
	az := benchPolicies(b, func(i int) string {
		return fmt.Sprintf(`permit (principal, action in Action::"call_tool", resource) when { resource.tags.contains("group_%02d") && principal.scopes.contains(%q) }`, i, scopeOf(i))
	})
	sc := runtime.NewServer("bench", "1", runtime.WithMiddleware(az.Middleware()))
	for i := range n {
		sc.AddTool(tool(i), echo, runtime.WithTags(fmt.Sprintf("group_%02d", i%18)))
	}
	interleaved(b, start(b, s), start(b, sc), func(c *client.Client) error {
		res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err == nil && len(res.Tools) != n {
			err = fmt.Errorf("%d tools", len(res.Tools))
		}
		return err
	})
}

// BenchmarkListDecisions1k is the authorization part of
// BenchmarkToolsList1k without mcp-go: deciding whether a list shows each
// of 1,000 tools (authz.Policy.Listed, as the runtime's list filter asks),
// under the 20-policy set and with scopes(…) chains, alternately. It
// shows what listing by partial evaluation costs per tool, which the full
// list's serialization otherwise hides.
func BenchmarkListDecisions1k(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	tok := allScopes()
	scopes := authz.NewPolicy()
	az := benchPolicies(b, func(i int) string {
		return fmt.Sprintf(`permit (principal, action in Action::"call_tool", resource) when { resource.tags.contains("group_%02d") && principal.scopes.contains(%q) }`, i, scopeOf(i))
	})
	cedar := authz.NewPolicy(az.Middleware())
	var sg, cg []*authz.Guard
	for i := range n {
		name := fmt.Sprintf("tool_%04d", i)
		sg = append(sg, scopes.Guard(authz.Component{Kind: authz.KindTool, Name: name}, authz.WithScopes(scopeOf(i))))
		cg = append(cg, cedar.Guard(authz.Component{Kind: authz.KindTool, Name: name}, authz.WithTags(fmt.Sprintf("group_%02d", i%18))))
	}
	list := func(p *authz.Policy, guards []*authz.Guard) func() error {
		return func() error {
			for _, g := range guards {
				if !p.Listed(ctx, tok, &g.Component, g) {
					return fmt.Errorf("%s not listed", g.Component.Name)
				}
			}
			return nil
		}
	}
	b.ReportAllocs()
	var times [2][]time.Duration
	for b.Loop() {
		for i, op := range []func() error{list(scopes, sg), list(cedar, cg)} {
			start := time.Now()
			if err := op(); err != nil {
				b.Fatal(err)
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	base, policies := median(times[0]), median(times[1])
	b.ReportMetric(float64(base.Nanoseconds()), "scopes-ns/list")
	b.ReportMetric(float64(policies.Nanoseconds()), "cedar-ns/list")
	b.ReportMetric(float64(policies)/float64(base), "ratio")
}
