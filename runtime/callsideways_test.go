package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestCallChecksGuardSubscriptions: a template read its call checks deny
// answers as a missing resource, so subscribing to (or unsubscribing from)
// that URI must answer so too, and never reach a subscription hook: else a
// caller learns of, and is notified about, what it may not read. With
// decision hooks, the answers are the same, and each request's one
// decision says what was answered.
func TestCallChecksGuardSubscriptions(t *testing.T) {
	for _, c := range []struct{ mw, hooks bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		mw := c.mw
		t.Run(fmt.Sprintf("middleware=%v,hooks=%v", mw, c.hooks), func(t *testing.T) {
			var opts []runtime.Option
			if mw {
				opts = append(opts, runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
			}
			var decisions []runtime.Decision
			if c.hooks {
				opts = append(opts, runtime.WithDecisionHook(func(_ context.Context, d runtime.Decision) {
					if d.URI == "owned://{id}" {
						decisions = append(decisions, d)
					}
				}))
			}
			decided := func(method string, allowed bool) {
				t.Helper()
				if !c.hooks {
					return
				}
				if len(decisions) != 1 || decisions[0].Allowed != allowed {
					t.Errorf("%s: decisions %+v, want one with allowed %v", method, decisions, allowed)
				}
				decisions = nil
			}
			srv := sidewaysServer(opts...)
			mine := runtime.AuthCheck(func(_ context.Context, ac runtime.AuthContext) (bool, error) {
				return ac.Arguments["id"] == "mine", nil
			})
			srv.AddResourceTemplate(mcp.NewResourceTemplate("owned://{id}", "owned"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "owned"}}, nil
			}, runtime.WithCallChecks(mine))
			ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens))))
			defer ts.Close()
			s := newHTTPSession(t, ts.URL+"/mcp", "bob", false)
			for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
				denied := s.post(method, map[string]any{"uri": "owned://theirs"})
				decided(method+" owned://theirs", false)
				missing := s.post(method, map[string]any{"uri": "absent://theirs"})
				missing.Body = strings.ReplaceAll(missing.Body, "absent://theirs", "owned://theirs")
				if diff := cmp.Diff(missing, denied); diff != "" {
					t.Errorf("%s of a URI the call checks deny answers unlike a missing one (-missing +denied):\n%s", method, diff)
				}
				if got := s.post(method, map[string]any{"uri": "owned://mine"}); got.Status != http.StatusOK || !strings.Contains(got.Body, `"result":{`) {
					t.Errorf("%s owned://mine: %+v", method, got)
				}
				decided(method+" owned://mine", true)
			}
			modern := newHTTPSession(t, ts.URL+"/mcp", "bob", true)
			denied := modern.post("resources/read", map[string]any{"uri": "owned://theirs"})
			missing := modern.post("resources/read", map[string]any{"uri": "absent://theirs"})
			missing.Body = strings.ReplaceAll(missing.Body, "absent://theirs", "owned://theirs")
			if diff := cmp.Diff(missing, denied); diff != "" {
				t.Errorf("protocol 2026-07-28: a read the call checks deny answers unlike a missing one (-missing +denied):\n%s", diff)
			}
			if _, ok := subscribed.Load("owned://theirs"); ok {
				t.Error("a subscription hook saw owned://theirs, which the call checks deny")
			}
		})
	}
}
