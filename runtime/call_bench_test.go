package runtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// noteInput is the input of the benchmark's tools.
type noteInput struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func allowNote(runtime.AuthContext, noteInput) bool { return true }

// callBenchServer registers two tools that differ only by a call check
// that returns true, each written as mcpauthgen generates it: "plain" as
// for auth=scopes(read), "checked" as for auth=scopes(read),check(allowNote).
func callBenchServer(tb testing.TB) *client.Client {
	return connect(tb, callBenchRegistered())
}

func callBenchRegistered() *runtime.Server {
	srv := runtime.NewServer("bench", "1")
	tool := func(name string) mcp.Tool {
		return mcp.NewTool(name, mcp.WithString("id", mcp.Required()), mcp.WithString("text", mcp.Required()))
	}
	srv.AddTool(tool("plain"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in noteInput
		if res := runtime.BindArguments(req, &in, "id", "text"); res != nil {
			return res, nil
		}
		return runtime.TextResult(in.Text, nil)
	}, runtime.WithScopes("read"))
	srv.AddToolCall(tool("checked"), func() runtime.ToolCallHandler {
		check := allowNote
		return func(ctx context.Context, ac runtime.AuthContext, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var in noteInput
			if res := runtime.BindArguments(req, &in, "id", "text"); res != nil {
				return res, nil
			}
			if res := runtime.ToolCallCheck(ctx, ac, "check(allowNote)", func(ctx context.Context, ac runtime.AuthContext) (bool, error) {
				return check(ac, in), nil
			}); res != nil {
				return res, nil
			}
			return runtime.TextResult(in.Text, nil)
		}
	}(), runtime.WithScopes("read"))
	return srv
}

func noteCall(name string) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = map[string]any{"id": "n1", "text": "buy milk"}
	return req
}

// BenchmarkToolCallCheck measures an in-process tools/call of a tool whose
// call check returns true against the same tool without it: each alone
// (for allocs/op), and alternated in one loop, reporting the ratio of
// their times as check/none. The target is check/none ≤ 1.05 and no
// allocation beyond the plain tool's.
func BenchmarkToolCallCheck(b *testing.B) {
	for _, name := range []string{"plain", "checked"} {
		b.Run("tool="+name, func(b *testing.B) {
			c, ctx, req := callBenchServer(b), as(tokRead), noteCall(name)
			b.ReportAllocs()
			for b.Loop() {
				if res, err := c.CallTool(ctx, req); err != nil || res.IsError {
					b.Fatal(err, resultText(res))
				}
			}
		})
	}
	b.Run("alternated", func(b *testing.B) {
		c, ctx := callBenchServer(b), as(tokRead)
		plain, checked := noteCall("plain"), noteCall("checked")
		var none, check time.Duration
		timed := func(req mcp.CallToolRequest) time.Duration {
			t0 := time.Now()
			if _, err := c.CallTool(ctx, req); err != nil {
				b.Fatal(err)
			}
			return time.Since(t0)
		}
		odd := false
		for b.Loop() {
			// Which goes first alternates too.
			if odd {
				check += timed(checked)
				none += timed(plain)
			} else {
				none += timed(plain)
				check += timed(checked)
			}
			odd = !odd
		}
		b.ReportMetric(float64(check)/float64(none), "check/none")
	})
}

// TestToolCallCheckAllocs: a call check that passes allocates nothing: a
// tools/call of the checked tool allocates no more than one of the plain
// tool (AllocsPerRun averages over runs, so scheduling noise stays below
// one allocation).
func TestToolCallCheckAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations over many calls")
	}
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates; the target is for a normal build")
	}
	srvClient := callBenchServer(t)
	ctx := as(tokRead)
	allocs := func(name string) float64 {
		req := noteCall(name)
		return testing.AllocsPerRun(200, func() {
			if res, err := srvClient.CallTool(ctx, req); err != nil || res.IsError {
				t.Fatal(err, resultText(res))
			}
		})
	}
	allocs("plain") // warm up both
	allocs("checked")
	plain, checked := allocs("plain"), allocs("checked")
	if checked > plain+0.5 {
		t.Errorf("a tools/call with a passing call check allocates %.1f times, the same tool without it %.1f", checked, plain)
	}
}

// BenchmarkToolCallCheckHandler calls the two tools' handlers as mcp-go
// does, without the transport, so that the comparison is not lost in the
// noise of the in-process client's goroutines: what a call check adds is
// the AuthContext, the check and the call to it.
func BenchmarkToolCallCheckHandler(b *testing.B) {
	srv := callBenchRegistered()
	ctx := as(tokRead)
	for _, name := range []string{"plain", "checked"} {
		b.Run("tool="+name, func(b *testing.B) {
			h := srv.MCP().GetTool(name).Handler
			req := noteCall(name)
			b.ReportAllocs()
			for b.Loop() {
				if res, err := h(ctx, req); err != nil || res.IsError {
					b.Fatal(err, resultText(res))
				}
			}
		})
	}
	// The two alternated in blocks, in alternating order, so that both see
	// the same machine: the ratio of their times is check/none.
	b.Run("alternated", func(b *testing.B) {
		plain, checked := srv.MCP().GetTool("plain").Handler, srv.MCP().GetTool("checked").Handler
		preq, creq := noteCall("plain"), noteCall("checked")
		const block = 32
		timed := func(h server.ToolHandlerFunc, req mcp.CallToolRequest) time.Duration {
			t0 := time.Now()
			for range block {
				if _, err := h(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			return time.Since(t0)
		}
		var none, check time.Duration
		odd := false
		for b.Loop() {
			if odd {
				check += timed(checked, creq)
				none += timed(plain, preq)
			} else {
				none += timed(plain, preq)
				check += timed(checked, creq)
			}
			odd = !odd
		}
		b.ReportMetric(float64(check)/float64(none), "check/none")
	})
}

// BenchmarkToolCallCheckAlone is what a passing call check adds to a
// handler, measured alone: stable enough on a loaded machine to set against
// the handler's own time (BenchmarkToolCallCheckHandler/tool=plain).
func BenchmarkToolCallCheckAlone(b *testing.B) {
	ctx := as(tokRead)
	ac := runtime.AuthContext{Token: tokRead, Component: &runtime.Component{Kind: runtime.KindTool, Name: "checked"}}
	in := noteInput{ID: "n1", Text: "buy milk"}
	check := allowNote
	b.ReportAllocs()
	for b.Loop() {
		if res := runtime.ToolCallCheck(ctx, ac, "check(allowNote)", func(ctx context.Context, ac runtime.AuthContext) (bool, error) {
			return check(ac, in), nil
		}); res != nil {
			b.Fatal(resultText(res))
		}
	}
}
