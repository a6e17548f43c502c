package runtime_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func stepUpServer() *runtime.Server {
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	add := func(name string, opts ...runtime.ComponentOption) {
		tool, h := textTool(name)
		srv.AddTool(tool, h, opts...)
	}
	add("open")
	add("write_tool", runtime.WithScopes("write"))
	add("admin_write", runtime.WithScopes("write"), runtime.WithTags("admin"))
	add("premium", runtime.WithScopes("write"), runtime.WithAuth(runtime.Check(func(ac runtime.AuthContext) bool {
		return ac.Token != nil && ac.Token.Claims["tier"] == "premium"
	})))
	return srv
}

// TestAuthorizationMeta checks that each tool publishes, in _meta, the
// scopes it requires: its own and those the middleware requires of it.
func TestAuthorizationMeta(t *testing.T) {
	c := connect(t, stepUpServer())
	res, err := c.ListTools(as(&runtime.AccessToken{Scopes: []string{"write", "admin"}, Claims: map[string]any{"tier": "premium"}}), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tool := range res.Tools {
		b, _ := json.Marshal(tool.Meta)
		got[tool.Name] = string(b)
	}
	want := map[string]string{
		"open":        "null",
		"write_tool":  `{"authorization":{"scopes":["write"]}}`,
		"admin_write": `{"authorization":{"scopes":["write","admin"]}}`,
		"premium":     `{"authorization":{"scopes":["write"]}}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tool _meta (-want +got):\n%s", diff)
	}
}

// TestStepUp checks the scope challenge: a call denied only for missing
// scopes gets 403 insufficient_scope naming the scopes; tools with custom
// checks keep hiding; without WithStepUp nothing changes.
func TestStepUp(t *testing.T) {
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"reader":  {ClientID: "reader", Scopes: []string{"read"}},
		"writer":  {ClientID: "writer", Scopes: []string{"write"}},
		"premium": {ClientID: "premium", Scopes: []string{"read"}, Claims: map[string]any{"tier": "premium"}},
	})
	for _, stepUp := range []bool{true, false} {
		opts := []runtime.HTTPOption{runtime.WithTokenVerifier(verifier)}
		if stepUp {
			opts = append(opts, runtime.WithStepUp())
		}
		ts := httptest.NewServer(stepUpServer().HTTPHandler(opts...))
		metadata := `resource_metadata="` + ts.URL + `/.well-known/oauth-protected-resource/mcp"`
		for _, tc := range []struct {
			token, tool string
			stepUp      string // WWW-Authenticate with step-up, "" when the call goes through to MCP
		}{
			{"reader", "write_tool", `Bearer error="insufficient_scope", scope="write", ` + metadata},
			{"reader", "admin_write", `Bearer error="insufficient_scope", scope="write admin", ` + metadata},
			{"writer", "admin_write", `Bearer error="insufficient_scope", scope="write admin", ` + metadata},
			{"writer", "write_tool", ""},
			{"reader", "open", ""},
			{"premium", "premium", ""}, // a custom check: hidden, never challenged
			{"reader", "absent", ""},
		} {
			s := newHTTPSession(t, ts.URL+"/mcp", tc.token, false)
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp", jsonBody(map[string]any{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": map[string]any{"name": tc.tool}}))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Authorization", "Bearer "+tc.token)
			req.Header.Set("Mcp-Session-Id", s.session)
			req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			wantStatus, wantHeader := http.StatusOK, ""
			if stepUp && tc.stepUp != "" {
				wantStatus, wantHeader = http.StatusForbidden, tc.stepUp
			}
			if resp.StatusCode != wantStatus || resp.Header.Get("WWW-Authenticate") != wantHeader {
				t.Errorf("stepUp=%v %s calls %s: %d %q, want %d %q", stepUp, tc.token, tc.tool, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), wantStatus, wantHeader)
			}
		}
		// With step-up, scope-only tools are listed to everyone.
		s := newHTTPSession(t, ts.URL+"/mcp", "reader", false)
		list := s.post("tools/list", nil)
		var decoded struct {
			Result struct{ Tools []mcp.Tool } `json:"result"`
		}
		json.Unmarshal([]byte(list.Body), &decoded)
		var names []string
		for _, tool := range decoded.Result.Tools {
			names = append(names, tool.Name)
		}
		want := []string{"open"}
		if stepUp {
			want = []string{"admin_write", "open", "write_tool"}
		}
		if diff := cmp.Diff(want, sorted(names)); diff != "" {
			t.Errorf("stepUp=%v reader lists (-want +got):\n%s", stepUp, diff)
		}
		ts.Close()
	}
}
