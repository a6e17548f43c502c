package authz_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// noter decides as allow says and notes ids, as a policy engine does.
type noter struct {
	allow bool
	ids   []string
}

func (n noter) Check(ctx context.Context, _ authz.AuthContext) (bool, error) {
	authz.PolicyNotesFrom(ctx).Note(n.ids...)
	return n.allow, nil
}

// TestDenialNamesOnlyItsPolicies: a middleware denial by a built-in check
// names no policies, even those an earlier check noted while it
// permitted; a denial by a policy engine names the policies that forbade.
func TestDenialNamesOnlyItsPolicies(t *testing.T) {
	deny := authz.RequireScopes("admin")
	permit := noter{allow: true, ids: []string{"allow-rest"}}
	forbid := noter{allow: false, ids: []string{"no-delete"}}
	for _, tc := range []struct {
		name       string
		middleware []authz.Checker
		want       []string
	}{
		{"a policy permits, a later built-in check denies", []authz.Checker{permit, deny}, nil},
		{"a policy permits, a later roles check denies", []authz.Checker{permit, authz.RequireRoles("admin")}, nil},
		{"a policy permits, a later policy forbids", []authz.Checker{permit, forbid}, []string{"no-delete"}},
		{"a policy forbids", []authz.Checker{forbid}, []string{"no-delete"}},
		{"a policy permits, an any of a policy and a check denies", []authz.Checker{permit, authz.AnyOf(deny, forbid)}, []string{"no-delete"}},
		{"a policy permits, an any of built-ins denies", []authz.Checker{permit, authz.AnyOf(deny, authz.RequireRoles("admin"))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := authz.NewPolicy(authz.AuthMiddleware(tc.middleware...))
			g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"})
			ctx, notes := authz.WithPolicyNotes(context.Background())
			msg, rule := p.DecideFor(ctx, authz.AuthContext{Component: &g.Component}, g, true, "t")
			if msg == "" {
				t.Fatal("allowed")
			}
			if diff := cmp.Diff(tc.want, notes.TakeFor(false, rule)); diff != "" {
				t.Errorf("policies of %s (-want +got):\n%s", rule, diff)
			}
		})
	}
	// Allowed: the policies that permitted.
	p := authz.NewPolicy(authz.AuthMiddleware(permit))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"})
	ctx, notes := authz.WithPolicyNotes(context.Background())
	if msg, rule := p.DecideFor(ctx, authz.AuthContext{Component: &g.Component}, g, true, "t"); msg != "" || !cmp.Equal(notes.TakeFor(true, rule), []string{"allow-rest"}) {
		t.Errorf("an allowed request names %v", notes.TakeFor(true, rule))
	}
}
