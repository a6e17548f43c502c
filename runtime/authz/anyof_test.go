package authz_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// captureLog sends the default slog logger's output to a buffer for the
// test's duration.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func TestAnyOf(t *testing.T) {
	ctx := context.Background()
	comp := &authz.Component{Kind: authz.KindTool, Name: "t"}
	var calls []string
	branch := func(name string, ok bool, err error) authz.AuthCheck {
		return func(context.Context, authz.AuthContext) (bool, error) {
			calls = append(calls, name)
			return ok, err
		}
	}
	panics := authz.AuthCheck(func(context.Context, authz.AuthContext) (bool, error) {
		calls = append(calls, "panic")
		panic("secret detail")
	})
	boom := errors.New("database down: secret detail")
	refused := &authz.AuthorizationError{Message: "ask an admin"}
	later := &authz.AuthorizationError{Message: "later"}

	for _, tc := range []struct {
		name      string
		checks    []authz.Checker
		wantOK    bool
		wantErr   error
		wantCalls []string
		wantLog   string
	}{
		{"first passes, the rest never run", []authz.Checker{branch("a", true, nil), branch("b", true, nil)}, true, nil, []string{"a"}, ""},
		{"second passes", []authz.Checker{branch("a", false, nil), branch("b", true, nil), branch("c", true, nil)}, true, nil, []string{"a", "b"}, ""},
		{"none passes", []authz.Checker{branch("a", false, nil), branch("b", false, nil)}, false, nil, []string{"a", "b"}, ""},
		{"an error denies its branch only", []authz.Checker{branch("a", true, boom), branch("b", true, nil)}, true, nil, []string{"a", "b"}, "database down"},
		{"a panic denies its branch only", []authz.Checker{panics, branch("b", true, nil)}, true, nil, []string{"panic", "b"}, "secret detail"},
		{"errors everywhere deny, text hidden", []authz.Checker{branch("a", true, boom), panics}, false, nil, []string{"a", "panic"}, "database down"},
		{"an authorization error waits for the others", []authz.Checker{branch("a", false, refused), branch("b", true, nil)}, true, nil, []string{"a", "b"}, ""},
		{"the first authorization error is returned", []authz.Checker{branch("a", false, nil), branch("b", false, refused), branch("c", false, later)}, false, refused, []string{"a", "b", "c"}, ""},
		{"no checks deny", nil, false, nil, nil, ""},
		{"a nil check denies its branch", []authz.Checker{authz.Check[authz.AuthCheck](nil), branch("b", true, nil)}, true, nil, []string{"b"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = nil
			logs := captureLog(t)
			ok, err := authz.AnyOf(tc.checks...).Check(ctx, authz.AuthContext{Component: comp})
			if ok != tc.wantOK || err != tc.wantErr {
				t.Errorf("AnyOf = %v, %v; want %v, %v", ok, err, tc.wantOK, tc.wantErr)
			}
			if diff := cmp.Diff(tc.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if tc.wantLog == "" && logs.Len() > 0 {
				t.Errorf("unexpected log: %s", logs)
			}
			if tc.wantLog != "" && (!strings.Contains(logs.String(), tc.wantLog) || !strings.Contains(logs.String(), "component=\"tool t\"")) {
				t.Errorf("log %q does not hold %q and the component", logs, tc.wantLog)
			}
		})
	}
}

// TestAnyOfInChains: AnyOf is one term of an AND chain; the chain's
// other checks still apply, and an AnyOf nested in another works alike.
func TestAnyOfInChains(t *testing.T) {
	ctx := context.Background()
	comp := &authz.Component{Kind: authz.KindTool, Name: "t"}
	isOwner := authz.Check(func(ac authz.AuthContext) bool { return ac.Token != nil && ac.Token.ClientID == "owner" })
	chain := []authz.Checker{
		authz.RequireScopes("notes"),
		authz.AnyOf(authz.RequireRoles("admin"), isOwner, authz.AnyOf(authz.RequireScopes("a"), authz.RequireScopes("b"))),
	}
	admin := claims(t, `{"roles": ["admin"]}`)
	for _, tc := range []struct {
		tok  *authz.AccessToken
		want bool
	}{
		{nil, false},
		{&authz.AccessToken{Scopes: []string{"notes"}}, false},
		{&authz.AccessToken{Scopes: []string{"notes"}, Claims: admin}, true},
		{&authz.AccessToken{Claims: admin}, false}, // the AND still needs notes
		{&authz.AccessToken{ClientID: "owner", Scopes: []string{"notes"}}, true},
		{&authz.AccessToken{Scopes: []string{"notes", "b"}}, true},
		{&authz.AccessToken{Scopes: []string{"a", "b"}}, false},
	} {
		ok, err := authz.RunAuthChecks(ctx, authz.AuthContext{Token: tc.tok, Component: comp}, chain...)
		if err != nil || ok != tc.want {
			t.Errorf("token %+v: %v, %v; want %v", tc.tok, ok, err, tc.want)
		}
	}
}

// TestAnyOfNamesNoScopes: the scopes inside any(...) are not required of
// every caller, so they are not declared, not required, and never asked
// for in a scope challenge: a caller denied might need either branch.
func TestAnyOfNamesNoScopes(t *testing.T) {
	p := authz.NewPolicy()
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"},
		authz.WithScopes("read"),
		authz.WithAuth(authz.AnyOf(authz.RequireScopes("a"), authz.RequireScopes("b"))))
	if diff := cmp.Diff([]string{"read"}, g.Component.Scopes); diff != "" {
		t.Errorf("Component.Scopes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"read"}, g.RequiredScopes()); diff != "" {
		t.Errorf("RequiredScopes (-want +got):\n%s", diff)
	}
	if g.ScopeOnly() {
		t.Error("ScopeOnly with an AnyOf")
	}
	if sc, ok := g.StepUpScopes(&authz.AccessToken{}); ok {
		t.Errorf("StepUpScopes = %q, true", sc)
	}
}

func BenchmarkAnyOf(b *testing.B) {
	ctx := context.Background()
	comp := &authz.Component{Kind: authz.KindTool, Name: "t"}
	tok := &authz.AccessToken{Scopes: []string{"b"}}
	for _, tc := range []struct {
		name  string
		check authz.Checker
	}{
		{"scopes(b)", authz.RequireScopes("b")},
		{"any(scopes(a),scopes(b))", authz.AnyOf(authz.RequireScopes("a"), authz.RequireScopes("b"))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ok, _ := authz.RunAuthChecks(ctx, authz.AuthContext{Token: tok, Component: comp}, tc.check); !ok {
					b.Fatal("denied")
				}
			}
		})
	}
}
