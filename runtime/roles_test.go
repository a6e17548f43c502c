package runtime_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// rolesServer has a scope-only tool under a middleware that asks for a
// role, or for the ops scope, with a message for the client otherwise.
func rolesServer() *runtime.Server {
	staff := runtime.AnyOf(
		runtime.RequireRoles("staff"),
		runtime.RequireScopes("ops"),
		runtime.Check(func(runtime.AuthContext) (bool, error) {
			return false, &runtime.AuthorizationError{Message: "staff only"}
		}),
	)
	srv := runtime.NewServer("t", "1",
		runtime.WithMiddleware(runtime.AuthMiddleware(staff)),
		runtime.WithRoleClaims(runtime.CognitoRoleClaims()...))
	add := func(name string, opts ...runtime.ComponentOption) {
		tool, h := textTool(name)
		srv.AddTool(tool, h, opts...)
	}
	add("write_tool", runtime.WithScopes("write"))
	add("admin_tool", runtime.WithAuth(runtime.RequireRoles("admin")))
	return srv
}

// TestRolesOverHTTP probes a server whose middleware is an any(…) with a
// role, through the static verifier: the mapping the server names is the
// one read (Cognito's groups, not "roles"); a caller the middleware
// denies gets the middleware's message verbatim; step-up never answers
// for a tool whose chain holds a role or an any(…), even when the tool's
// own checks are scopes only; and a tool its own roles check hides
// answers as a missing one does, byte for byte.
func TestRolesOverHTTP(t *testing.T) {
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"staff-writer": {ClientID: "a", Scopes: []string{"write"}, Claims: map[string]any{"cognito:groups": []any{"staff"}}},
		"staff":        {ClientID: "b", Claims: map[string]any{"cognito:groups": []any{"staff"}}},
		"decoy":        {ClientID: "c", Scopes: []string{"write"}, Claims: map[string]any{"roles": []any{"staff", "admin"}}},
		"ops-admin":    {ClientID: "d", Scopes: []string{"ops"}, Claims: map[string]any{"cognito:groups": "admin other"}},
	})
	ts := httptest.NewServer(rolesServer().HTTPHandler(runtime.WithTokenVerifier(verifier), runtime.WithStepUp()))
	defer ts.Close()

	call := func(s *httpSession, tool string) httpAnswer {
		return s.post("tools/call", map[string]any{"name": tool})
	}
	for _, tc := range []struct {
		token string
		list  []string
		calls map[string]string // tool → the text of the answer
	}{
		{"staff-writer", []string{"write_tool"}, map[string]string{
			"write_tool": "write_tool ok",
			"admin_tool": "Authorization failed for tool 'admin_tool': not found or not authorized",
		}},
		{"staff", []string{}, map[string]string{
			// Lacks only the write scope, but the middleware holds a
			// role: no challenge, the tool is hidden.
			"write_tool": "Authorization failed for tool 'write_tool': not found or not authorized",
		}},
		{"decoy", []string{}, map[string]string{
			// "roles" is not where this server reads roles: the
			// middleware denies with its message; admin_tool's own
			// check hides it first.
			"write_tool": "staff only",
			"admin_tool": "Authorization failed for tool 'admin_tool': not found or not authorized",
		}},
		{"ops-admin", []string{"admin_tool"}, map[string]string{
			"admin_tool": "admin_tool ok",
		}},
	} {
		s := newHTTPSession(t, ts.URL, tc.token, false)
		list := s.post("tools/list", nil)
		names := []string{}
		for _, name := range []string{"write_tool", "admin_tool"} {
			if strings.Contains(list.Body, `"name":"`+name+`"`) {
				names = append(names, name)
			}
		}
		if diff := cmp.Diff(tc.list, names); diff != "" {
			t.Errorf("%s lists (-want +got):\n%s", tc.token, diff)
		}
		for tool, want := range tc.calls {
			got := call(s, tool)
			if got.Status != http.StatusOK { // never a 403 scope challenge
				t.Errorf("%s calls %s: status %d (%s)", tc.token, tool, got.Status, got.Body)
				continue
			}
			if !strings.Contains(got.Body, `"text":"`+want+`"`) {
				t.Errorf("%s calls %s: %s, want text %q", tc.token, tool, got.Body, want)
			}
		}
		if tc.token == "staff-writer" {
			hidden, missing := call(s, "admin_tool"), call(s, "no_such")
			if strings.ReplaceAll(missing.Body, "no_such", "admin_tool") != hidden.Body || hidden.Status != missing.Status || hidden.ContentType != missing.ContentType {
				t.Errorf("hidden %+v, missing %+v", hidden, missing)
			}
		}
	}
}
