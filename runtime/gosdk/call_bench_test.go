package gosdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// BenchmarkToolCallCheck compares, on the go-sdk backend in process,
// tools/call of a tool whose handler runs one call check (AddToolCall,
// ToolCallCheck, as generated code does) with the same tool without it
// (AddTool), alternating the two: metric "check/none" is the ratio of
// their median times per call. The difference is the call check and the
// decoding of the call's arguments for its AuthContext.
func BenchmarkToolCallCheck(b *testing.B) {
	type in struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	result := &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}
	srv := gosdk.NewServer(&mcp.Implementation{Name: "bench", Version: "1"}, nil)
	gosdk.AddTool(srv, &mcp.Tool{Name: "none"}, func(_ context.Context, _ *mcp.CallToolRequest, _ in) (*mcp.CallToolResult, any, error) {
		return result, nil, nil
	}, gosdk.WithScopes("read"))
	owns := func(ac gosdk.AuthContext, id string) bool { return ac.Token != nil && id != "" }
	gosdk.AddToolCall(srv, &mcp.Tool{Name: "check"}, func(ctx context.Context, ac gosdk.AuthContext, _ *mcp.CallToolRequest, v in) (*mcp.CallToolResult, any, error) {
		if res := gosdk.ToolCallCheck(ctx, ac, "check(owns)", func(_ context.Context, ac gosdk.AuthContext) (bool, error) {
			return owns(ac, v.ID), nil
		}); res != nil {
			return res, nil, nil
		}
		return result, nil, nil
	}, gosdk.WithScopes("read"))
	cs := memClient(b, gosdk.ContextWithAccessToken(context.Background(), &benchReader), srv.Connect)
	args := map[string]any{"id": "n1", "text": "buy milk"}
	call := func(name string) func() {
		params := &mcp.CallToolParams{Name: name, Arguments: args}
		return func() {
			if res, err := cs.CallTool(context.Background(), params); err != nil || res.IsError {
				b.Fatal(res, err)
			}
		}
	}
	none, check := call("none"), call("check")
	none()
	check()
	var tn, tc []time.Duration
	timed := func(f func(), into *[]time.Duration) {
		start := time.Now()
		f()
		*into = append(*into, time.Since(start))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(none, &tn)
			timed(check, &tc)
		} else {
			timed(check, &tc)
			timed(none, &tn)
		}
	}
	mn, mc := median(tn), median(tc)
	b.ReportMetric(float64(mn.Nanoseconds()), "none-ns/call")
	b.ReportMetric(float64(mc.Nanoseconds()), "check-ns/call")
	b.ReportMetric(float64(mc)/float64(mn), "check/none")
}
