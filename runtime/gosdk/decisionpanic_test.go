package gosdk_test

import (
	"context"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestDecisionHookPanics: a hook that panics changes nothing, as on the
// mcp-go backend: the request is answered as without hooks, and the next
// hook hears the decision.
func TestDecisionHookPanics(t *testing.T) {
	heard := make(chan gosdk.Decision, 4)
	srv := fixture(nil, gosdk.WithDecisionHook(
		func(context.Context, gosdk.Decision) { panic("hook bug") },
		func(_ context.Context, d gosdk.Decision) { heard <- d },
	))
	c := mcpwire.Connect(t, serve(t, authorized(srv)), "reader-token")
	isErr, text := mcpwire.ToolText(t, c.Call("tools/call", map[string]any{"name": "read_tool"}))
	if isErr || text == "" {
		t.Fatalf("call with a panicking hook: isError %v, %q", isErr, text)
	}
	select {
	case d := <-heard:
		if !d.Allowed {
			t.Errorf("the next hook heard %+v, want an allowed decision", d)
		}
	default:
		t.Error("the next hook heard nothing")
	}
}
