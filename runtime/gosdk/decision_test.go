package gosdk_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestDecisions: each tools/call and prompts/get of a registered component
// is one decision naming the rule that decided, with the request's
// session, on the go-sdk backend too.
func TestDecisions(t *testing.T) {
	var mu sync.Mutex
	var got []gosdk.Decision
	hook := func(_ context.Context, d gosdk.Decision) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	}
	take := func() []gosdk.Decision {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	component := func(text string) authz.Rule { return authz.Rule{Layer: authz.LayerComponent, Text: text} }
	for _, mw := range []bool{false, true} {
		options := []gosdk.Option{gosdk.WithDecisionHook(hook)}
		if mw {
			options = append(options, gosdk.WithMiddleware(gosdk.AuthMiddleware(gosdk.RestrictTag("admin", "admin"))))
		}
		url := serve(t, authorized(fixture(nil, options...)))
		for _, tc := range []struct {
			name, token, method, target string
			want                        gosdk.Decision
		}{
			{"component", "reader-token", "tools/call", "write_tool",
				gosdk.Decision{Method: "tools/call", Kind: gosdk.KindTool, Name: "write_tool", Target: "write_tool", ClientID: "reader", Rule: component("scopes(write)")}},
			{"prompt", "writer-token", "prompts/get", "admin_prompt",
				gosdk.Decision{Method: "prompts/get", Kind: gosdk.KindPrompt, Name: "admin_prompt", Target: "admin_prompt", ClientID: "writer", Rule: component("scopes(admin)")}},
			{"allowed", "reader-token", "tools/call", "read_tool",
				gosdk.Decision{Method: "tools/call", Kind: gosdk.KindTool, Name: "read_tool", Target: "read_tool", ClientID: "reader", Allowed: true}},
		} {
			c := mcpwire.Connect(t, url, tc.token)
			take()
			c.Call(tc.method, map[string]any{"name": tc.target})
			d := take()
			if len(d) != 1 {
				t.Errorf("middleware %v, %s: %d decisions, want 1: %+v", mw, tc.name, len(d), d)
				continue
			}
			if diff := cmp.Diff(tc.want, d[0], cmpopts.IgnoreFields(gosdk.Decision{}, "Time", "Duration", "SessionID")); diff != "" {
				t.Errorf("middleware %v, %s (-want +got):\n%s", mw, tc.name, diff)
			}
			if d[0].SessionID == "" {
				t.Errorf("middleware %v, %s: decision without the session ID", mw, tc.name)
			}
		}
		if mw {
			c := mcpwire.Connect(t, url, "writer-token")
			take()
			c.Call("tools/call", map[string]any{"name": "tagged_tool"})
			want := gosdk.Decision{Method: "tools/call", Kind: gosdk.KindTool, Name: "tagged_tool", Target: "tagged_tool", ClientID: "writer",
				Rule: authz.Rule{Layer: authz.LayerMiddleware, Text: "restrict_tag(admin: admin)"}}
			if d := take(); len(d) != 1 || !cmp.Equal(want, d[0], cmpopts.IgnoreFields(gosdk.Decision{}, "Time", "Duration", "SessionID")) {
				t.Errorf("middleware denial: %+v, want %+v", d, want)
			}
		}
	}
}
