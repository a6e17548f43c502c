package runtime_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// BenchmarkDecisionHook measures what reporting decisions adds to an
// in-process tools/call of a tool with a scope-only chain: without a hook
// (the baseline, which must cost what BenchmarkToolCall/auth=scopes cost
// before decisions existed), with a hook that does nothing, and with
// LogDecisions on a handler that discards (slog.DiscardHandler: the record
// is not built) and on a JSON handler at Debug writing to io.Discard (the
// record is built and formatted).
func BenchmarkDecisionHook(b *testing.B) {
	req := mcp.CallToolRequest{}
	req.Params.Name = "echo"
	for _, bc := range []struct {
		name  string
		hooks []runtime.DecisionHook
	}{
		{"hook=none", nil},
		{"hook=noop", []runtime.DecisionHook{func(context.Context, runtime.Decision) {}}},
		{"hook=slog.DiscardHandler", []runtime.DecisionHook{runtime.LogDecisions(slog.New(slog.DiscardHandler))}},
		{"hook=slog.JSON-debug-io.Discard", []runtime.DecisionHook{runtime.LogDecisions(slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var opts []runtime.Option
			if bc.hooks != nil {
				opts = append(opts, runtime.WithDecisionHook(bc.hooks...))
			}
			srv := runtime.NewServer("auth", "1", opts...)
			srv.AddTool(mcp.NewTool("echo"), echo, runtime.WithScopes("read"))
			c := runtimetest.NewClient(srv)
			startClient(b, c)
			ctx := as(tokRead)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.CallTool(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
