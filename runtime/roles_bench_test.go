package runtime_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// BenchmarkRolesToolCall compares in-process tools/call of one tool
// guarded three ways, for a caller every guard admits: scopes(admin) (the
// baseline), roles(admin) read from a Keycloak-shaped token, and
// any(scopes(a),scopes(admin)) passing on its second branch. The servers
// are called in turn within one loop, so that each ratio is measured
// against a baseline of the same run: roles/scopes and any/scopes are
// medians of per-round time ratios (targets: at most 1.05), and
// extra-allocs/op the allocations each makes beyond the baseline's
// (target: 0).
func BenchmarkRolesToolCall(b *testing.B) {
	tok := &runtime.AccessToken{
		ClientID: "c", Scopes: []string{"admin"},
		Claims: map[string]any{
			"realm_access":    map[string]any{"roles": []any{"offline_access", "admin"}},
			"resource_access": map[string]any{"mcp": map[string]any{"roles": []any{"editor"}}},
		},
	}
	ctx := as(tok)
	req := mcp.CallToolRequest{}
	req.Params.Name = "echo"
	start := func(opt runtime.ComponentOption) *client.Client {
		srv := runtime.NewServer("bench", "1", runtime.WithRoleClaims(runtime.KeycloakRoleClaims("mcp")...))
		srv.AddTool(mcp.NewTool("echo"), echo, opt)
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		return c
	}
	clients := []*client.Client{
		start(runtime.WithScopes("admin")),
		start(runtime.WithAuth(runtime.RequireRoles("admin"))),
		start(runtime.WithAuth(runtime.AnyOf(runtime.RequireScopes("a"), runtime.RequireScopes("admin")))),
	}
	call := func(c *client.Client) {
		res, err := c.CallTool(ctx, req)
		if err != nil || res.IsError {
			b.Fatal(err, res)
		}
	}
	allocs := make([]float64, len(clients))
	for range 3 { // interleaved rounds, keeping each client's fewest
		for i, c := range clients {
			n := testing.AllocsPerRun(500, func() { call(c) })
			if allocs[i] == 0 || n < allocs[i] {
				allocs[i] = n
			}
		}
	}
	// Each round calls every server once, starting with a different one
	// each time; the ratios are medians of the per-round ratios, which a
	// busy machine disturbs far less than totals.
	var rolesRatio, anyRatio []float64
	var base time.Duration
	took := make([]time.Duration, len(clients))
	round := 0
	for b.Loop() {
		for k := range clients {
			i := (round + k) % len(clients)
			t0 := time.Now()
			call(clients[i])
			took[i] = time.Since(t0)
		}
		round++
		base += took[0]
		rolesRatio = append(rolesRatio, float64(took[1])/float64(took[0]))
		anyRatio = append(anyRatio, float64(took[2])/float64(took[0]))
	}
	b.ReportMetric(median(rolesRatio), "roles/scopes")
	b.ReportMetric(median(anyRatio), "any/scopes")
	b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "scopes-ns/call")
	b.ReportMetric(allocs[1]-allocs[0], "roles-extra-allocs/op")
	b.ReportMetric(allocs[2]-allocs[0], "any-extra-allocs/op")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// BenchmarkRolesToolsList lists 1,000 tools guarded by scopes(admin) and
// the same tools guarded by roles(admin) (Keycloak-shaped token), in turn
// within one loop: roles/scopes is the median of per-round time ratios.
// Roles are read from the claims by every check, without allocating, so
// this is where reading them per check rather than once per request
// would show.
func BenchmarkRolesToolsList(b *testing.B) {
	tok := &runtime.AccessToken{
		ClientID: "c", Scopes: []string{"admin"},
		Claims: map[string]any{
			"realm_access":    map[string]any{"roles": []any{"offline_access", "admin"}},
			"resource_access": map[string]any{"mcp": map[string]any{"roles": []any{"editor"}}},
		},
	}
	ctx := as(tok)
	start := func(opt runtime.ComponentOption) *client.Client {
		srv := runtime.NewServer("bench", "1", runtime.WithRoleClaims(runtime.KeycloakRoleClaims("mcp")...))
		for i := range 1000 {
			srv.AddTool(mcp.NewTool(fmt.Sprintf("tool_%04d", i)), echo, opt)
		}
		c := runtimetest.NewClient(srv)
		startClient(b, c)
		return c
	}
	// The roles server's tools also require the scope, so that both
	// publish the same _meta and the answers are the same bytes: the
	// lists differ only in the roles check that runs.
	clients := []*client.Client{
		start(runtime.WithScopes("admin")),
		start(runtime.WithAuth(runtime.RequireRoles("admin"), runtime.RequireScopes("admin"))),
	}
	list := func(c *client.Client) {
		res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil || len(res.Tools) != 1000 {
			b.Fatal(err)
		}
	}
	var ratios []float64
	took := make([]time.Duration, 2)
	round := 0
	b.ReportAllocs()
	for b.Loop() {
		for k := range clients {
			i := (round + k) % 2
			t0 := time.Now()
			list(clients[i])
			took[i] = time.Since(t0)
		}
		round++
		ratios = append(ratios, float64(took[1])/float64(took[0]))
	}
	b.ReportMetric(median(ratios), "roles+scopes/scopes")
}
