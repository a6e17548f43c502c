package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// recorder is a decision hook that keeps what it hears.
type recorder struct {
	mu        sync.Mutex
	decisions []runtime.Decision
}

func (r *recorder) hook(_ context.Context, d runtime.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.decisions = append(r.decisions, d)
}

// take returns the decisions heard since the last take.
func (r *recorder) take() []runtime.Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.decisions
	r.decisions = nil
	return out
}

// decisionServer is the server the decision tests probe: every kind of
// component, with scope checks, a named check, and (when mw) two
// middlewares.
func decisionServer(rec *recorder, mw bool) *runtime.Server {
	opts := []runtime.Option{runtime.WithDecisionHook(rec.hook)}
	if mw {
		frozen := func(ac runtime.AuthContext) (bool, error) {
			if ac.Component.HasTag("frozen") {
				return false, &runtime.AuthorizationError{Message: "frozen until Monday"}
			}
			return true, nil
		}
		opts = append(opts, runtime.WithMiddleware(
			runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")),
			runtime.AuthMiddleware(runtime.Check(frozen)),
		))
	}
	srv := fixture(opts...)
	isOwner := func(ac runtime.AuthContext) bool { return ac.Token != nil && ac.Token.Claims["owner"] == true }
	tool, h := textTool("owned_tool")
	srv.AddTool(tool, h, runtime.WithScopes("read"), runtime.WithRule("check(isOwner)", runtime.Check(isOwner)))
	tool, h = textTool("frozen_tool")
	srv.AddTool(tool, h, runtime.WithTags("frozen"))
	failing := func(runtime.AuthContext) (bool, error) { return false, errors.New("policy store down") }
	tool, h = textTool("failing_tool")
	srv.AddTool(tool, h, runtime.WithRule("check(store.Allows)", runtime.Check(failing)))
	isMine := func(ac runtime.AuthContext) bool { return ac.Arguments["owner"] == runtime.Subject(ac.Token) }
	tool, h = textTool("call_checked_tool")
	srv.AddTool(tool, h, runtime.WithScopes("read"), runtime.WithCallChecks(runtime.Check(isMine)), runtime.WithCallRules("check(isMine)"))
	return srv
}

var ignoreTiming = cmpopts.IgnoreFields(runtime.Decision{}, "Time", "Duration", "SessionID")

// TestDecisionPerRequest makes one request of every kind, denied on every
// path and allowed, and checks that each reports exactly one decision
// naming the rule that decided, the principal and the session, and never
// the token.
func TestDecisionPerRequest(t *testing.T) {
	reader := &runtime.AccessToken{Token: "secret-reader-token", ClientID: "reader-app", Scopes: []string{"read"}, Claims: map[string]any{"sub": "alice"}}
	writer := &runtime.AccessToken{Token: "secret-writer-token", ClientID: "writer-app", Scopes: []string{"read", "write"}}
	component := func(text string, check int) runtime.Rule {
		return runtime.Rule{Layer: runtime.LayerComponent, Text: text, Check: check}
	}
	type request struct {
		method, target string
	}
	for _, tc := range []struct {
		name string
		mw   bool
		tok  *runtime.AccessToken
		req  request
		want runtime.Decision
	}{
		{"component scopes", false, reader, request{"tools/call", "write_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "write_tool", Target: "write_tool", Rule: component("scopes(write)", 0)}},
		{"component check as written", false, reader, request{"tools/call", "owned_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "owned_tool", Target: "owned_tool", Rule: component("check(isOwner)", 1)}},
		{"component check fails", false, reader, request{"tools/call", "failing_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "failing_tool", Target: "failing_tool", Rule: runtime.Rule{Layer: runtime.LayerComponent, Text: "check(store.Allows)", Failed: true}}},
		{"component, no token", false, nil, request{"tools/call", "read_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "read_tool", Target: "read_tool", Rule: component("scopes(read)", 0)}},
		{"component prompt", false, writer, request{"prompts/get", "admin_prompt"},
			runtime.Decision{Method: "prompts/get", Kind: runtime.KindPrompt, Name: "admin_prompt", Target: "admin_prompt", Rule: component("scopes(admin)", 0)}},
		{"call check", false, reader, request{"tools/call", "call_checked_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "call_checked_tool", Target: "call_checked_tool", Rule: runtime.Rule{Layer: runtime.LayerCall, Text: "check(isMine)"}}},
		{"call check under middleware", true, writer, request{"tools/call", "call_checked_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "call_checked_tool", Target: "call_checked_tool", Rule: runtime.Rule{Layer: runtime.LayerCall, Text: "check(isMine)"}}},
		{"component resource", false, nil, request{"resources/read", "secret://data"},
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResource, Name: "secret://data", URI: "secret://data", Target: "secret://data", Rule: component("scopes(read)", 0)}},
		{"component template", false, nil, request{"resources/read", "users://7/profile"},
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResourceTemplate, Name: "user_profile", URI: "users://{id}/profile", Target: "users://7/profile", Rule: component("scopes(read)", 0)}},
		{"component under middleware", true, reader, request{"tools/call", "write_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "write_tool", Target: "write_tool", Rule: component("scopes(write)", 0)}},
		{"middleware restrict_tag", true, writer, request{"tools/call", "tagged_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "tagged_tool", Target: "tagged_tool", Rule: runtime.Rule{Layer: runtime.LayerMiddleware, Text: "restrict_tag(admin: admin)"}}},
		{"second middleware, AuthorizationError", true, writer, request{"tools/call", "frozen_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "frozen_tool", Target: "frozen_tool", Rule: runtime.Rule{Layer: runtime.LayerMiddleware, Text: "check #1", Middleware: 1}}},
		{"middleware prompt", true, writer, request{"prompts/get", "admin_prompt"},
			runtime.Decision{Method: "prompts/get", Kind: runtime.KindPrompt, Name: "admin_prompt", Target: "admin_prompt", Rule: component("scopes(admin)", 0)}},
		{"middleware resource", true, writer, request{"resources/read", "admin://config"},
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResource, Name: "admin://config", URI: "admin://config", Target: "admin://config", Rule: component("scopes(admin)", 0)}},
		{"allowed", false, reader, request{"tools/call", "read_tool"},
			runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "read_tool", Target: "read_tool", Allowed: true}},
		{"allowed under middleware", true, writer, request{"resources/read", "users://7/profile"},
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResourceTemplate, Name: "user_profile", URI: "users://{id}/profile", Target: "users://7/profile", Allowed: true}},
		{"completion of a hidden prompt", false, writer, request{"completion/complete", "admin_prompt"},
			runtime.Decision{Method: "completion/complete", Kind: runtime.KindPrompt, Name: "admin_prompt", Target: "admin_prompt", Rule: component("scopes(admin)", 0)}},
		{"completion under middleware", true, writer, request{"completion/complete", "admin_prompt"},
			runtime.Decision{Method: "completion/complete", Kind: runtime.KindPrompt, Name: "admin_prompt", Target: "admin_prompt", Rule: component("scopes(admin)", 0)}},
		{"subscription to a hidden resource", false, nil, request{"resources/subscribe", "secret://data"},
			runtime.Decision{Method: "resources/subscribe", Kind: runtime.KindResource, Name: "secret://data", URI: "secret://data", Target: "secret://data", Rule: component("scopes(read)", 0)}},
		{"subscription under middleware", true, writer, request{"resources/subscribe", "admin://config"},
			runtime.Decision{Method: "resources/subscribe", Kind: runtime.KindResource, Name: "admin://config", URI: "admin://config", Target: "admin://config", Rule: component("scopes(admin)", 0)}},
		{"tools/list", false, reader, request{"tools/list", ""},
			runtime.Decision{Method: "tools/list", Kind: runtime.KindTool, Allowed: true, Visible: 6, Hidden: 4}},
		{"tools/list under middleware", true, writer, request{"tools/list", ""},
			runtime.Decision{Method: "tools/list", Kind: runtime.KindTool, Allowed: true, Visible: 5, Hidden: 5}},
		{"prompts/list", false, reader, request{"prompts/list", ""},
			runtime.Decision{Method: "prompts/list", Kind: runtime.KindPrompt, Allowed: true, Visible: 1, Hidden: 1}},
		{"resources/list", false, nil, request{"resources/list", ""},
			runtime.Decision{Method: "resources/list", Kind: runtime.KindResource, Allowed: true, Visible: 1, Hidden: 2}},
		{"resources/templates/list", false, reader, request{"resources/templates/list", ""},
			runtime.Decision{Method: "resources/templates/list", Kind: runtime.KindResourceTemplate, Allowed: true, Visible: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			c := connect(t, decisionServer(rec, tc.mw))
			ctx := as(tc.tok)
			var err error
			switch tc.req.method {
			case "tools/call":
				_, err = callTool(c, ctx, tc.req.target)
			case "prompts/get":
				_, err = getPrompt(c, ctx, tc.req.target)
			case "resources/read":
				_, err = readResource(c, ctx, tc.req.target)
			case "tools/list":
				_, err = c.ListTools(ctx, mcp.ListToolsRequest{})
			case "prompts/list":
				_, err = c.ListPrompts(ctx, mcp.ListPromptsRequest{})
			case "resources/list":
				_, err = c.ListResources(ctx, mcp.ListResourcesRequest{})
			case "resources/templates/list":
				_, err = c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
			case "completion/complete":
				rawCall(t, c, ctx, "completion/complete", map[string]any{"ref": map[string]any{"type": "ref/prompt", "name": tc.req.target}, "argument": map[string]any{"name": "a", "value": ""}})
			case "resources/subscribe":
				rawCall(t, c, ctx, "resources/subscribe", map[string]any{"uri": tc.req.target})
			}
			if tc.want.Allowed && err != nil {
				t.Fatalf("%s %s: %v", tc.req.method, tc.req.target, err)
			}
			got := rec.take()
			if len(got) != 1 {
				t.Fatalf("%s %s: %d decisions, want 1: %+v", tc.req.method, tc.req.target, len(got), got)
			}
			want := tc.want
			if tc.tok != nil {
				want.Subject, want.ClientID = runtime.Subject(tc.tok), tc.tok.ClientID
			}
			if diff := cmp.Diff(want, got[0], ignoreTiming); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
			d := got[0]
			if d.Time.IsZero() || d.Duration < 0 || d.SessionID == "" {
				t.Errorf("time %v, duration %v, session %q: want a time, a duration and the session", d.Time, d.Duration, d.SessionID)
			}
			if tc.tok != nil && strings.Contains(fmt.Sprintf("%#v", d), tc.tok.Token) {
				t.Errorf("the decision holds the token: %#v", d)
			}
		})
	}
}

// TestDecisionMissingTarget checks that a request for a component the
// server does not have reports nothing (no rule decides it), and that
// nothing reports on requests that decide nothing (ping).
func TestDecisionMissingTarget(t *testing.T) {
	for _, mw := range []bool{false, true} {
		rec := &recorder{}
		c := connect(t, decisionServer(rec, mw))
		callTool(c, as(tokAdmin), "absent")
		readResource(c, as(tokAdmin), "absent://x")
		getPrompt(c, as(tokAdmin), "absent")
		rawCall(t, c, context.Background(), "ping", nil)
		if got := rec.take(); len(got) != 0 {
			t.Errorf("middleware %v: %d decisions for missing targets, want none: %+v", mw, len(got), got)
		}
	}
}

// TestDecisionHTTP checks the decisions of the HTTP layer: a request
// without a token, with a bad one, with one the verifier finds short of
// scopes or cannot judge, and a scope step-up, each one decision with its
// status; and a
// call that passes the HTTP layer, one decision from the request entry.
func TestDecisionHTTP(t *testing.T) {
	rec := &recorder{}
	srv := decisionServer(rec, false)
	verifier := scopeVerifier{runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"reader": {ClientID: "reader-app", Scopes: []string{"read"}, Claims: map[string]any{"sub": "alice"}},
		"nobody": {ClientID: "nobody"},
		"other":  {ClientID: "other-app", Scopes: []string{"read"}, Claims: map[string]any{"sub": "mallory"}},
	})}
	ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(verifier), runtime.WithStepUp()))
	defer ts.Close()
	s := newHTTPSession(t, ts.URL+"/mcp", "reader", false)
	rec.take()

	for _, tc := range []struct {
		name, token, tool string
		want              runtime.Decision
	}{
		{"no token", "", "read_tool", runtime.Decision{Status: 401, Rule: runtime.Rule{Layer: runtime.LayerHTTP, Text: runtime.RuleBearerMissing}}},
		{"bad token", "forged", "read_tool", runtime.Decision{Status: 401, Rule: runtime.Rule{Layer: runtime.LayerHTTP, Text: runtime.RuleBearerInvalid}}},
		{"verifier scopes", "nobody", "read_tool", runtime.Decision{Status: 403, Rule: runtime.Rule{Layer: runtime.LayerHTTP, Text: runtime.RuleBearerInsufficientScope}}},
		{"verifier unavailable", "down", "read_tool", runtime.Decision{Status: 503, Rule: runtime.Rule{Layer: runtime.LayerHTTP, Text: runtime.RuleBearerUnavailable}}},
		{"step-up", "reader", "write_tool", runtime.Decision{Status: 403, Method: "tools/call", Kind: runtime.KindTool, Name: "write_tool", Target: "write_tool",
			Subject: "alice", ClientID: "reader-app", Rule: runtime.Rule{Layer: runtime.LayerComponent, Text: "scopes(write)"}}},
		{"custom check, hidden", "reader", "owned_tool", runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "owned_tool", Target: "owned_tool",
			Subject: "alice", ClientID: "reader-app", Rule: runtime.Rule{Layer: runtime.LayerComponent, Text: "check(isOwner)", Check: 1}}},
		{"another principal's session", "other", "read_tool", runtime.Decision{Status: 404, Method: "tools/call",
			Subject: "mallory", ClientID: "other-app", Rule: runtime.Rule{Layer: runtime.LayerHTTP, Text: runtime.RuleSessionPrincipal}}},
		{"allowed", "reader", "read_tool", runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: "read_tool", Target: "read_tool",
			Subject: "alice", ClientID: "reader-app", Allowed: true}},
	} {
		s.token = tc.token
		answer := s.post("tools/call", map[string]any{"name": tc.tool})
		if tc.want.Status != 0 && answer.Status != tc.want.Status {
			t.Errorf("%s: status %d, want %d", tc.name, answer.Status, tc.want.Status)
		}
		got := rec.take()
		if len(got) != 1 {
			t.Errorf("%s: %d decisions, want 1: %+v", tc.name, len(got), got)
			continue
		}
		if diff := cmp.Diff(tc.want, got[0], ignoreTiming); diff != "" {
			t.Errorf("%s: decision (-want +got):\n%s", tc.name, diff)
		}
		if got[0].SessionID != s.session {
			t.Errorf("%s: session %q, want %q", tc.name, got[0].SessionID, s.session)
		}
	}
}

// scopeVerifier refuses tokens without scopes as a verifier that requires
// scopes of every token does, and cannot judge the token "down".
type scopeVerifier struct{ runtime.TokenVerifier }

func (v scopeVerifier) VerifyToken(ctx context.Context, raw string) (*runtime.AccessToken, error) {
	if raw == "down" {
		return nil, fmt.Errorf("%w: introspection endpoint timed out", runtime.ErrVerifierUnavailable)
	}
	tok, err := v.TokenVerifier.VerifyToken(ctx, raw)
	if err == nil && len(tok.Scopes) == 0 {
		return nil, &runtime.InsufficientScopeError{Required: []string{"read"}, Missing: []string{"read"}}
	}
	return tok, err
}

// TestDecisionHookPanics checks that a hook that panics changes nothing:
// the request is answered as without hooks, and the next hook hears the
// decision.
func TestDecisionHookPanics(t *testing.T) {
	rec := &recorder{}
	srv := fixture(runtime.WithDecisionHook(func(context.Context, runtime.Decision) { panic("hook bug") }, rec.hook))
	c := connect(t, srv)
	res, err := callTool(c, as(tokRead), "read_tool")
	if err != nil || resultText(res) != "read_tool ok" {
		t.Fatalf("call with a panicking hook: %q, %v", resultText(res), err)
	}
	if got := rec.take(); len(got) != 1 || !got[0].Allowed {
		t.Errorf("the next hook heard %+v, want one allowed decision", got)
	}
}
