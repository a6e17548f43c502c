package parity_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestParityStatelessSessionID: a stateless server checks no
// Mcp-Session-Id header, and the mcp-go backend's request then carries
// the session ID the header says. A decision records it bounded, as
// authz.RecordedSessionID bounds a header nothing checked: a 64 KiB
// header, or one that is not visible ASCII, never reaches a decision
// hook. (The go-sdk backend's stateless requests are in no session.)
func TestParityStatelessSessionID(t *testing.T) {
	for _, b := range backends {
		rec := new(recorder)
		ts := httptest.NewServer(b.build(setup{stateless: true, hook: rec.hook}))
		defer ts.Close()
		for _, id := range []string{strings.Repeat("s", 64<<10), "mcp-session-é"} {
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
			if sid := got[0].SessionID; sid != "" && sid != authz.OtherSessionID {
				t.Errorf("%s: session ID %.40q (%d bytes), want %q or none", b.name, sid, len(sid), authz.OtherSessionID)
			}
		}
	}
}
