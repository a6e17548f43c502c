package parity_test

import (
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestParityRefusedSessionMethod: a request naming another principal's
// session is refused before its method is checked, and its decision
// records the method the client sent only when MCP defines it; any other
// (here a method of 3 MiB, inside the 4 MiB body limit) is recorded as
// authz.OtherMethod, on both backends.
func TestParityRefusedSessionMethod(t *testing.T) {
	serve := hookedServers(t)
	hostile := "x/" + strings.Repeat("a", 3<<20)
	for _, c := range []struct{ method, want string }{
		{hostile, authz.OtherMethod},
		{"tools/made-up", authz.OtherMethod},
		{"resources/read", "resources/read"},
	} {
		for i, s := range serve(setup{}) {
			reader := mcpwire.Connect(t, s.url, "reader")
			s.rec.take()
			post(t, s.url, "Bearer writer", reader.ID, `{"jsonrpc":"2.0","id":1,"method":"`+c.method+`"}`, 404)
			got := s.rec.take()
			if len(got) != 1 || got[0].Method != c.want || got[0].Rule.Text != authz.RuleSessionPrincipal {
				var methods []string
				for _, d := range got {
					methods = append(methods, d.Method[:min(len(d.Method), 40)])
				}
				t.Errorf("%s: %s... (%d bytes): decisions recording the methods %q, want one recording %q",
					backends[i].name, c.method[:min(len(c.method), 20)], len(c.method), methods, c.want)
			}
		}
	}
}

// TestParityRefusedSessionHeader: a request the HTTP layer refuses
// records the session its Mcp-Session-Id header names, which no one has
// checked yet (a request without a token can send any): recorded as sent
// when it could be a session ID (visible ASCII, at most
// authz.MaxRecordedSessionID bytes), else as authz.OtherSessionID, on both
// backends. Here a header of 900 KiB, inside net/http's 1 MiB limit.
func TestParityRefusedSessionHeader(t *testing.T) {
	serve := hookedServers(t)
	plausible := strings.Repeat("s", authz.MaxRecordedSessionID)
	for _, c := range []struct{ header, want string }{
		{strings.Repeat("s", 900<<10), authz.OtherSessionID},
		{plausible + "s", authz.OtherSessionID},
		{"bad id", authz.OtherSessionID}, // a space is not visible ASCII
		{plausible, plausible},
	} {
		for i, s := range serve(setup{}) {
			s.rec.take()
			post(t, s.url, "", c.header, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, 401)
			got := s.rec.take()
			if len(got) != 1 || got[0].SessionID != c.want {
				var ids []string
				for _, d := range got {
					ids = append(ids, d.SessionID[:min(len(d.SessionID), 40)])
				}
				t.Errorf("%s: header %.20q... (%d bytes): decisions recording the session IDs %q, want one recording %.40q",
					backends[i].name, c.header, len(c.header), ids, c.want)
			}
		}
	}
}
