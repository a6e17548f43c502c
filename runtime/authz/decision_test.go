package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestEvaluateNamesTheRule checks which rule Evaluate and Decide name:
// the first that denies, in the order written, component checks before
// middleware, with its text (as given to WithRule, or derived) and
// indexes.
func TestEvaluateNamesTheRule(t *testing.T) {
	ctx := context.Background()
	owner := func(ac authz.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "owner" }
	broken := func(authz.AuthContext) (bool, error) { return false, errors.New("store down") }
	p := authz.NewPolicy(
		authz.AuthMiddleware(authz.RequireScopes("api")),
		authz.AuthMiddleware(authz.RestrictTag("admin", "admin"), authz.Check(broken)).Named("", "check(store.Allows)"),
	)
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t", Tags: []string{"admin"}},
		authz.WithScopes("read", "write"), authz.WithRule("check(isOwner)", authz.Check(owner)))
	for _, tc := range []struct {
		name string
		tok  *authz.AccessToken
		want authz.Rule
	}{
		{"no token", nil, authz.Rule{Layer: authz.LayerComponent, Text: "scopes(read,write)"}},
		{"not the owner", &authz.AccessToken{Scopes: []string{"read", "write"}}, authz.Rule{Layer: authz.LayerComponent, Text: "check(isOwner)", Check: 1}},
		{"no api", &authz.AccessToken{ClientID: "owner", Scopes: []string{"read", "write"}}, authz.Rule{Layer: authz.LayerMiddleware, Text: "scopes(api)"}},
		{"not admin", &authz.AccessToken{ClientID: "owner", Scopes: []string{"read", "write", "api"}},
			authz.Rule{Layer: authz.LayerMiddleware, Text: "restrict_tag(admin: admin)", Middleware: 1}},
		{"failing check", &authz.AccessToken{ClientID: "owner", Scopes: []string{"read", "write", "api", "admin"}},
			authz.Rule{Layer: authz.LayerMiddleware, Text: "check(store.Allows)", Middleware: 1, Check: 1, Failed: true}},
	} {
		ok, rule := p.Evaluate(ctx, tc.tok, &g.Component, g)
		if ok {
			t.Errorf("%s: allowed", tc.name)
		}
		if diff := cmp.Diff(tc.want, rule); diff != "" {
			t.Errorf("%s: Evaluate's rule (-want +got):\n%s", tc.name, diff)
		}
		if _, rule := p.Decide(ctx, tc.tok, &g.Component, g, true, "t"); !cmp.Equal(tc.want, rule) {
			t.Errorf("%s: Decide names %+v, Evaluate %+v", tc.name, rule, tc.want)
		}
	}
	if msg, rule := p.Decide(ctx, nil, &g.Component, g, false, "t"); msg == "" || rule.Layer != 0 {
		t.Errorf("missing target: %q %+v; want a refusal and no rule", msg, rule)
	}
}

// TestDecidingAllocatesNothing pins that deciding with the rule named
// allocates nothing, allowed or denied, for scope checks and middleware,
// and that listing without middleware allocates nothing.
func TestDecidingAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	p := authz.NewPolicy(authz.AuthMiddleware(authz.RestrictTag("admin", "admin")))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t", Tags: []string{"admin"}}, authz.WithScopes("read"))
	for _, tok := range []*authz.AccessToken{
		{Scopes: []string{"read", "admin"}}, // allowed
		{Scopes: []string{"read"}},          // denied by the middleware
		nil,                                 // denied by the component
	} {
		if n := testing.AllocsPerRun(100, func() { p.Evaluate(ctx, tok, &g.Component, g) }); n != 0 {
			t.Errorf("Evaluate(%v): %v allocations", tok, n)
		}
	}
	// Listed marks the context of middleware checks (Listing), which
	// takes one allocation; without middleware it allocates nothing.
	bare := authz.NewPolicy()
	g = bare.Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithScopes("read"))
	for _, tok := range []*authz.AccessToken{{Scopes: []string{"read"}}, nil} {
		if n := testing.AllocsPerRun(100, func() { bare.Listed(ctx, tok, &g.Component, g) }); n != 0 {
			t.Errorf("Listed(%v) without middleware: %v allocations", tok, n)
		}
	}
}

// TestPolicyNotesTakeFor: the noted ids belong to an allowed decision and
// to a denial by middleware or a policy engine, never to a denial by
// another rule; a Take forgets them either way, and a later check's note
// replaces an earlier one's.
func TestPolicyNotesTakeFor(t *testing.T) {
	cases := []struct {
		name    string
		allowed bool
		rule    authz.Rule
		want    []string
	}{
		{"allowed", true, authz.Rule{}, []string{"p1", "p2"}},
		{"denied by middleware", false, authz.Rule{Layer: authz.LayerMiddleware, Text: "cedar"}, []string{"p1", "p2"}},
		{"denied by a policy engine", false, authz.Rule{Layer: authz.LayerPolicy}, []string{"p1", "p2"}},
		{"denied by the component", false, authz.Rule{Layer: authz.LayerComponent, Text: "scopes(write)"}, nil},
		{"denied by a call check", false, authz.Rule{Layer: authz.LayerCall, Text: "check(isOwner)"}, nil},
		{"denied at the HTTP layer", false, authz.Rule{Layer: authz.LayerHTTP, Text: authz.RuleBearerMissing}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, notes := authz.WithPolicyNotes(context.Background())
			if authz.PolicyNotesFrom(ctx) != notes {
				t.Fatal("PolicyNotesFrom does not return the notes of WithPolicyNotes")
			}
			notes.Note("earlier")
			ids := []string{"p1", "p2"}
			notes.Note(ids...)
			ids[0] = "changed" // Note keeps a copy
			if diff := cmp.Diff(c.want, notes.TakeFor(c.allowed, c.rule)); diff != "" {
				t.Errorf("TakeFor (-want +got):\n%s", diff)
			}
			if got := notes.TakeFor(true, authz.Rule{}); got != nil {
				t.Errorf("second TakeFor = %q, want nothing: the first forgot them", got)
			}
		})
	}
	if got := authz.PolicyNotesFrom(context.Background()).TakeFor(true, authz.Rule{}); got != nil {
		t.Errorf("TakeFor without notes = %q, want nil", got)
	}
}
