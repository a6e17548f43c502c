package parity_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The password of the URIs the redaction tests send: it must reach the
// handlers and the answers as sent, and nothing that is recorded.
const uriPassword = "hunter2"

// syncBuffer is a bytes.Buffer for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestParityRedactedURIs: a resource URI that carries a password is
// recorded with the password replaced by xxxxx, on both backends, in the
// decisions (allowed, hidden, subscriptions), in the log lines of
// LogDecisions and in the log of a failing handler; the handler and the
// client see the URI as sent, and a hidden URI is still answered byte for
// byte as a URI nothing serves.
func TestParityRedactedURIs(t *testing.T) {
	const (
		uri      = "files://alice:" + uriPassword + "@host/a"
		redacted = "files://alice:xxxxx@host/a"
		broken   = "broken://alice:" + uriPassword + "@host/a"
	)
	var handlerLog syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&handlerLog, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	rec, missingRec := new(recorder), new(recorder)
	var log, missingLog syncBuffer
	servers := boundServers(t, true, rec, &log)
	missing := boundServers(t, false, missingRec, &missingLog)
	uriParam := map[string]any{"uri": uri}
	for _, c := range []struct {
		name, token, method string
		params              map[string]any
		want                []string
	}{
		{"read allowed", "reader", "resources/read", uriParam, []string{`resources/read resource template "` + redacted + `" client=reader: allowed`}},
		{"read hidden", "nobody", "resources/read", uriParam, []string{`resources/read resource template "` + redacted + `" client=nobody: denied by component scopes(read)`}},
		{"subscribe", "reader", "resources/subscribe", uriParam, []string{`resources/subscribe resource template "` + redacted + `" client=reader: allowed`}},
		{"subscribe hidden", "nobody", "resources/subscribe", uriParam, []string{`resources/subscribe resource template "` + redacted + `" client=nobody: denied by component scopes(read)`}},
		{"failing handler", "reader", "resources/read", map[string]any{"uri": broken}, []string{`resources/read resource template "broken://alice:xxxxx@host/a" client=reader: allowed`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got [2][]authz.Decision
			for i, url := range servers {
				s := mcpwire.Connect(t, url, c.token)
				rec.take()
				answer := s.Call(c.method, c.params)
				got[i] = rec.take()
				switch {
				case c.name == "read allowed":
					if want := "read " + uri; !strings.Contains(string(answer), want) {
						t.Errorf("%s: answer %s, want the handler to see %q", backends[i].name, answer, uri)
					}
				case c.token == "nobody":
					m := mcpwire.Connect(t, missing[i], c.token)
					if want := m.Call(c.method, c.params); !bytes.Equal(answer, want) {
						t.Errorf("%s: hidden answered\n%s\nmissing answered\n%s", backends[i].name, answer, want)
					}
				}
			}
			if diff := cmp.Diff(got[0], got[1], cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%s", diff)
			}
			for i := range got {
				var strs []string
				for _, d := range got[i] {
					strs = append(strs, d.String())
					if s := fmt.Sprintf("%#v", d); strings.Contains(s, uriPassword) {
						t.Errorf("%s: the decision holds the password: %s", backends[i].name, s)
					}
				}
				if diff := cmp.Diff(c.want, strs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s: decisions (-want +got):\n%s", backends[i].name, diff)
				}
			}
		})
	}
	for name, out := range map[string]string{"LogDecisions": log.String(), "handler failure log": handlerLog.String()} {
		if strings.Contains(out, uriPassword) {
			t.Errorf("%s holds the password:\n%s", name, out)
		}
	}
	if !strings.Contains(log.String(), `"mcp.authz.target":"`+redacted+`"`) {
		t.Errorf("LogDecisions lacks the redacted target:\n%s", log.String())
	}
	if n := strings.Count(handlerLog.String(), "broken://alice:xxxxx@host/a"); n != 2 {
		t.Errorf("handler failure log names the redacted URI %d times, want once per backend:\n%s", n, handlerLog.String())
	}
}
