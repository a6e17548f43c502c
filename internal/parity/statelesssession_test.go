package parity_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
)

// TestParityStatelessSessionID: a stateless server issues no session, so
// an Mcp-Session-Id header a client sends names nothing: on both backends
// the request is served, and its decision records no session ID, whether
// the header is 64 KiB, not visible ASCII, or plausible.
func TestParityStatelessSessionID(t *testing.T) {
	for _, b := range backends {
		rec := new(recorder)
		ts := httptest.NewServer(b.build(setup{stateless: true, hook: rec.hook}))
		defer ts.Close()
		for _, id := range []string{strings.Repeat("s", 64<<10), "mcp-session-é", "a-plausible-session-id"} {
			s := mcpwire.Connect(t, ts.URL, "reader")
			rec.take()
			s.ID = id
			if _, text := mcpwire.ToolText(t, s.Call("tools/call", map[string]any{"name": "read_tool"})); text != "read_tool for reader [read]" {
				t.Errorf("%s: the call answered %q", b.name, text)
			}
			got := rec.take()
			if len(got) != 1 {
				t.Fatalf("%s: %d decisions, want 1", b.name, len(got))
			}
			if sid := got[0].SessionID; sid != "" {
				t.Errorf("%s: session ID %.40q (%d bytes) recorded, want none (a stateless server issues none)", b.name, sid, len(sid))
			}
		}
	}
}
