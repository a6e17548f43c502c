package authz_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestPolicy decides as a backend asks: what a list shows, what a targeted
// request is answered with middleware, and what a token must add to step
// up.
func TestPolicy(t *testing.T) {
	ctx := context.Background()
	owner := func(ac authz.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "owner" }
	frozen := func(ac authz.AuthContext) (bool, error) {
		if ac.Component.HasTag("frozen") {
			return false, &authz.AuthorizationError{Message: "frozen until Monday"}
		}
		return true, nil
	}
	p := authz.NewPolicy(
		authz.AuthMiddleware(authz.RestrictTag("admin", "admin")),
		authz.AuthMiddleware(authz.Check(frozen)),
	)
	read := p.Guard(authz.Component{Kind: authz.KindTool, Name: "read"}, authz.WithScopes("read"))
	admin := p.Guard(authz.Component{Kind: authz.KindTool, Name: "admin"}, authz.WithScopes("write"), authz.WithTags("admin"))
	mine := p.Guard(authz.Component{Kind: authz.KindPrompt, Name: "mine"}, authz.WithAuth(authz.Check(owner)))
	ice := p.Guard(authz.Component{Kind: authz.KindResource, Name: "ice", URI: "ice://x"}, authz.WithTags("frozen"))

	reader := &authz.AccessToken{ClientID: "r", Scopes: []string{"read"}}
	writer := &authz.AccessToken{ClientID: "w", Scopes: []string{"read", "write"}}
	root := &authz.AccessToken{ClientID: "owner", Scopes: []string{"read", "write", "admin"}}

	listed := func(tok *authz.AccessToken) []string {
		var out []string
		for _, g := range []*authz.Guard{read, admin, mine, ice} {
			if p.Listed(ctx, tok, &g.Component, g) {
				out = append(out, g.Component.Name)
			}
		}
		return out
	}
	if diff := cmp.Diff([]string{"read"}, listed(reader)); diff != "" {
		t.Errorf("reader's list (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"read", "admin", "mine"}, listed(root)); diff != "" {
		t.Errorf("owner's list (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		tok    *authz.AccessToken
		g      *authz.Guard
		exists bool
		label  string
		want   string
	}{
		{reader, read, true, "read", ""},
		{nil, read, true, "read", "Authorization failed for tool 'read': not found or not authorized"},
		{writer, admin, true, "admin", "Authorization failed for tool 'admin': insufficient permissions"},
		{root, ice, true, "ice://x", "frozen until Monday"},
		{writer, mine, true, "mine", "Authorization failed for prompt 'mine': not found or not authorized"},
		{root, nil, false, "gone", "Authorization failed for tool 'gone': not found or not authorized"},
	} {
		comp := &authz.Component{Kind: authz.KindTool, Name: tc.label}
		if tc.g != nil {
			comp = &tc.g.Component
		}
		if got := p.Refusal(ctx, tc.tok, comp, tc.g, tc.exists, tc.label); got != tc.want {
			t.Errorf("Refusal(%v, %s) = %q, want %q", tc.tok, tc.label, got, tc.want)
		}
	}

	// Step-up needs every check to be a scope check: frozen is not.
	if _, ok := admin.StepUpScopes(reader); ok {
		t.Error("admin.StepUpScopes: step-up offered under a middleware with a custom check")
	}
	scopesOnly := authz.NewPolicy(authz.AuthMiddleware(authz.RestrictTag("admin", "admin")))
	admin2 := scopesOnly.Guard(authz.Component{Kind: authz.KindTool, Name: "admin"}, authz.WithScopes("write"), authz.WithTags("admin"))
	if got, ok := admin2.StepUpScopes(reader); !ok || !cmp.Equal(got, []string{"write", "admin"}) {
		t.Errorf("StepUpScopes(reader) = %v, %v; want [write admin], true", got, ok)
	}
	if _, ok := admin2.StepUpScopes(root); ok {
		t.Error("StepUpScopes(root): step-up offered to a token that has every scope")
	}
	mine2 := scopesOnly.Guard(authz.Component{Kind: authz.KindPrompt, Name: "mine"}, authz.WithAuth(authz.Check(owner)))
	if _, ok := mine2.StepUpScopes(reader); ok {
		t.Error("StepUpScopes: step-up offered for a component with a custom check")
	}
	if diff := cmp.Diff([]string{"admin", "read", "write"}, p.ScopesSupported(read, admin, mine, ice)); diff != "" {
		t.Errorf("ScopesSupported (-want +got):\n%s", diff)
	}
}
