package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestCallChecks: call checks never decide a list, run in order on the
// request's arguments, and their denials carry the documented messages.
func TestCallChecks(t *testing.T) {
	ctx := context.Background()
	var order []string
	owns := func(ac authz.AuthContext) (bool, error) {
		order = append(order, "owns")
		return ac.Arguments["id"] == ac.Token.ClientID+"-note", nil
	}
	unlocked := func(ac authz.AuthContext) (bool, error) {
		order = append(order, "unlocked")
		if ac.Arguments["id"] == "locked" {
			return false, &authz.AuthorizationError{Message: "note locked"}
		}
		return true, nil
	}
	p := authz.NewPolicy()
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "delete_note"}, authz.WithScopes("notes"),
		authz.WithCallChecks(authz.Check(unlocked), authz.Check(owns)))
	tok := &authz.AccessToken{ClientID: "alice", Scopes: []string{"notes"}}

	if !p.Listed(ctx, tok, &g.Component, g) || len(order) != 0 {
		t.Errorf("listing: listed %v, call checks ran %v", p.Listed(ctx, tok, &g.Component, g), order)
	}
	if !g.HasCallChecks() || !g.NeedsArguments() || !g.ScopeOnly() {
		t.Errorf("HasCallChecks %v, NeedsArguments %v, ScopeOnly %v; want true, true, true (call checks never decide step-up)",
			g.HasCallChecks(), g.NeedsArguments(), g.ScopeOnly())
	}
	call := func(id string) string {
		order = nil
		ac := authz.AuthContext{Token: tok, Component: &g.Component, Arguments: map[string]any{"id": id}}
		return g.CallRefusal(ctx, ac, "delete_note")
	}
	if got := call("alice-note"); got != "" || len(order) != 2 || order[0] != "unlocked" {
		t.Errorf("own note: %q, ran %v", got, order)
	}
	if got := call("bob-note"); got != "Authorization failed for tool 'delete_note': insufficient permissions" {
		t.Errorf("another's note: %q", got)
	}
	if got := call("locked"); got != "note locked" || len(order) != 1 {
		t.Errorf("locked note: %q, ran %v (the chain stops at the AuthorizationError)", got, order)
	}
	if got := authz.CallDenial(authz.KindResourceTemplate, "notes://1", nil); got != "Authorization failed for resource 'notes://1': insufficient permissions" {
		t.Errorf("template denial: %q", got)
	}

	// RunCallCheck: errors and panics deny, only AuthorizationError speaks.
	ac := authz.AuthContext{Token: tok, Component: &g.Component}
	for name, check := range map[string]func(context.Context, authz.AuthContext) (bool, error){
		"error": func(context.Context, authz.AuthContext) (bool, error) { return true, errors.New("db down") },
		"panic": func(context.Context, authz.AuthContext) (bool, error) { panic("boom") },
		"false": func(context.Context, authz.AuthContext) (bool, error) { return false, nil },
	} {
		if ok, authErr := authz.RunCallCheck(ctx, ac, "check("+name+")", check); ok || authErr != nil {
			t.Errorf("%s: ok %v, %v", name, ok, authErr)
		}
	}
	ok, authErr := authz.RunCallCheck(ctx, ac, "check(msg)", func(context.Context, authz.AuthContext) (bool, error) {
		return false, &authz.AuthorizationError{Message: "no"}
	})
	if ok || authErr == nil || authErr.Message != "no" {
		t.Errorf("AuthorizationError: ok %v, %v", ok, authErr)
	}
}

// TestNeedsArguments: a request's arguments are read for a component only
// when a check may read them: call checks, or a check that is none of the
// built-ins that never do (scopes, tags, roles, and AnyOf of them, nested
// included), its own or the middleware's.
func TestNeedsArguments(t *testing.T) {
	own := authz.Check(func(ac authz.AuthContext) bool { return ac.Arguments != nil })
	builtins := authz.AnyOf(authz.RequireRoles("admin"), authz.AnyOf(authz.RequireScopes("a"), authz.RestrictTag("x", "b")))
	for _, tc := range []struct {
		name       string
		middleware []authz.Checker
		opts       []authz.ComponentOption
		want       bool
	}{
		{"no checks", nil, nil, false},
		{"scopes", nil, []authz.ComponentOption{authz.WithScopes("read")}, false},
		{"roles", nil, []authz.ComponentOption{authz.WithAuth(authz.RequireRoles("admin"))}, false},
		{"any of built-ins, nested", nil, []authz.ComponentOption{authz.WithScopes("read"), authz.WithAuth(builtins)}, false},
		{"tag middleware", []authz.Checker{authz.RestrictTag("x", "admin")}, []authz.ComponentOption{authz.WithAuth(authz.RequireRoles("admin"))}, false},
		{"roles middleware", []authz.Checker{authz.AnyOf(authz.RequireRoles("staff"), authz.RequireScopes("root"))}, nil, false},
		{"own check", nil, []authz.ComponentOption{authz.WithAuth(own)}, true},
		{"own check in any", nil, []authz.ComponentOption{authz.WithAuth(authz.AnyOf(authz.RequireRoles("admin"), own))}, true},
		{"own check nested in any", nil, []authz.ComponentOption{authz.WithAuth(authz.AnyOf(authz.RequireRoles("admin"), authz.AnyOf(authz.RequireScopes("a"), own)))}, true},
		{"middleware check", []authz.Checker{own}, []authz.ComponentOption{authz.WithScopes("read")}, true},
		{"call checks", nil, []authz.ComponentOption{authz.WithAuth(authz.RequireRoles("admin")), authz.WithCallChecks(authz.RequireScopes("read"))}, true},
	} {
		var mw []authz.Middleware
		if tc.middleware != nil {
			mw = append(mw, authz.AuthMiddleware(tc.middleware...))
		}
		g := authz.NewPolicy(mw...).Guard(authz.Component{Kind: authz.KindTool, Name: "t", Tags: []string{"x"}}, tc.opts...)
		if got := g.NeedsArguments(); got != tc.want {
			t.Errorf("%s: NeedsArguments %v, want %v", tc.name, got, tc.want)
		}
	}
	// Asking an AnyOf runs none of its checks.
	ran := false
	spy := authz.Check(func(authz.AuthContext) bool { ran = true; return true })
	authz.NewPolicy().Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(authz.AnyOf(spy, authz.RequireRoles("admin"))))
	if ran {
		t.Error("building the guard ran a check of the AnyOf")
	}
}
