package runtime_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Named check types, as a policy package declares them.
type (
	Rule         func(runtime.AuthContext) bool
	RuleErr      func(runtime.AuthContext) (bool, error)
	CtxRule      func(context.Context, runtime.AuthContext) bool
	CtxRuleErr   func(context.Context, runtime.AuthContext) (bool, error)
	MyAuthCheck  runtime.AuthCheck
	RuleOfRule   Rule
	AliasOfRule  = Rule
	unexportRule func(runtime.AuthContext) bool
)

// TestCheckNamedTypes passes functions of named types of every accepted
// shape to Check, which takes them as it takes the unnamed shapes.
func TestCheckNamedTypes(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "tenant-1")
	owner := func(ac runtime.AuthContext) bool { return ac.Token != nil && ac.Token.Claims["owner"] == true }
	tenant := func(ctx context.Context) bool { return ctx.Value(key{}) == "tenant-1" }
	failed := errors.New("policy store down")

	for _, tc := range []struct {
		name    string
		check   runtime.AuthCheck
		tok     *runtime.AccessToken
		want    bool
		wantErr error
	}{
		{"Rule, owner", runtime.Check(Rule(owner)), &runtime.AccessToken{Claims: map[string]any{"owner": true}}, true, nil},
		{"Rule, not owner", runtime.Check(Rule(owner)), &runtime.AccessToken{}, false, nil},
		{"Rule, no token", runtime.Check(Rule(owner)), nil, false, nil},
		{"RuleErr", runtime.Check(RuleErr(func(runtime.AuthContext) (bool, error) { return false, failed })), nil, false, failed},
		{"CtxRule sees the context", runtime.Check(CtxRule(func(ctx context.Context, _ runtime.AuthContext) bool { return tenant(ctx) })), nil, true, nil},
		{"CtxRuleErr", runtime.Check(CtxRuleErr(func(ctx context.Context, _ runtime.AuthContext) (bool, error) { return tenant(ctx), nil })), nil, true, nil},
		{"named AuthCheck", runtime.Check(MyAuthCheck(func(context.Context, runtime.AuthContext) (bool, error) { return true, nil })), nil, true, nil},
		{"named of named", runtime.Check(RuleOfRule(owner)), &runtime.AccessToken{Claims: map[string]any{"owner": true}}, true, nil},
		{"alias", runtime.Check(AliasOfRule(owner)), &runtime.AccessToken{Claims: map[string]any{"owner": true}}, true, nil},
		{"unexported type", runtime.Check(unexportRule(owner)), &runtime.AccessToken{Claims: map[string]any{"owner": true}}, true, nil},
		{"nil Rule denies", runtime.Check(Rule(nil)), &runtime.AccessToken{Claims: map[string]any{"owner": true}}, false, nil},
		{"nil CtxRuleErr denies", runtime.Check(CtxRuleErr(nil)), nil, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.check(ctx, runtime.AuthContext{Token: tc.tok, Component: &runtime.Component{Kind: runtime.KindTool, Name: "x"}})
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Errorf("got %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestCheckNamedTypeInChain runs a check of a named type after a built-in
// one.
func TestCheckNamedTypeInChain(t *testing.T) {
	var isAdmin Rule = func(ac runtime.AuthContext) bool { return ac.Token.HasScope("admin") }
	ac := runtime.AuthContext{Token: tokAdmin, Component: &runtime.Component{Kind: runtime.KindTool, Name: "x"}}
	ok, err := runtime.RunAuthChecks(context.Background(), ac, runtime.RequireScopes("read"), runtime.Check(isAdmin))
	if !ok || err != nil {
		t.Errorf("admin: %v, %v; want allowed", ok, err)
	}
	ac.Token = tokRead
	if ok, err := runtime.RunAuthChecks(context.Background(), ac, runtime.Check(isAdmin)); ok || err != nil {
		t.Errorf("reader: %v, %v; want denied", ok, err)
	}
}
