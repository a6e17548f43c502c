package authz_test

import (
	"context"
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// spy is a check of a program's own type that records every call: the
// runtime must learn nothing about it by calling it.
type spy struct{ calls *int }

func (s spy) Check(context.Context, authz.AuthContext) (bool, error) { *s.calls++; return true, nil }

// named is a check of a program's own type that names itself.
type named struct{}

func (named) Check(context.Context, authz.AuthContext) (bool, error) { return false, nil }
func (named) String() string                                         { return "quota(3)" }

// TestBuiltinsDescribeThemselves: what a guard learns from each kind of
// check, by its type alone (no check is called to learn it), and how a
// decision names the check that denied.
func TestBuiltinsDescribeThemselves(t *testing.T) {
	calls := 0
	closure := authz.Check(func(authz.AuthContext) bool { calls++; return false })
	for _, tc := range []struct {
		name       string
		check      authz.Checker
		tags       []string
		scopes     []string // Component.Scopes: every scope WithAuth's built-ins name
		required   []string // RequiredScopes
		scopeOnly  bool
		readsArgs  bool
		deniedRule string // the rule a token without scopes or roles is denied by
	}{
		{"scopes", authz.RequireScopes("read", "write"), nil, []string{"read", "write"}, []string{"read", "write"}, true, false, "scopes(read,write)"},
		{"restrict_tag on a tagged component", authz.RestrictTag("admin", "root"), []string{"admin"}, []string{"root"}, []string{"root"}, true, false, "restrict_tag(admin: root)"},
		{"restrict_tag elsewhere", authz.RestrictTag("admin", "root"), nil, []string{"root"}, nil, true, false, ""},
		{"roles", authz.RequireRoles("editor"), nil, nil, nil, false, false, "roles(editor)"},
		{"any of built-ins", authz.AnyOf(authz.RequireRoles("admin"), authz.RequireScopes("a")), nil, nil, nil, false, false, "any(roles(admin),scopes(a))"},
		{"any with a closure", authz.AnyOf(authz.RequireRoles("admin"), closure), nil, nil, nil, false, true, "any(roles(admin),check #2)"},
		{"closure", closure, nil, nil, nil, false, true, "check #1"},
		{"own type, named", named{}, nil, nil, nil, false, true, "quota(3)"},
		{"scopes behind a closure are opaque", authz.AuthCheck(authz.RequireScopes("x").Check), nil, nil, nil, false, true, "check #1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			g := authz.NewPolicy().Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(tc.check), authz.WithTags(tc.tags...))
			if calls != 0 {
				t.Fatalf("building the guard called a check %d times", calls)
			}
			if diff := cmp.Diff(tc.scopes, g.Component.Scopes); diff != "" {
				t.Errorf("Component.Scopes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.required, g.RequiredScopes()); diff != "" {
				t.Errorf("RequiredScopes (-want +got):\n%s", diff)
			}
			if g.ScopeOnly() != tc.scopeOnly {
				t.Errorf("ScopeOnly = %v, want %v", g.ScopeOnly(), tc.scopeOnly)
			}
			if g.NeedsArguments() != tc.readsArgs {
				t.Errorf("NeedsArguments = %v, want %v", g.NeedsArguments(), tc.readsArgs)
			}
			ok, rule := g.Evaluate(context.Background(), authz.AuthContext{Token: &authz.AccessToken{}, Component: &g.Component})
			if got := map[bool]string{true: ""}[ok] + rule.Text; got != tc.deniedRule {
				t.Errorf("denied by %q, want %q", got, tc.deniedRule)
			}
		})
	}
}

// TestOwnCheckerNeverProbed: a program's own Checker, in middleware and on
// a component, is only ever called to decide a request.
func TestOwnCheckerNeverProbed(t *testing.T) {
	calls := 0
	p := authz.NewPolicy(authz.AuthMiddleware(spy{&calls}, authz.RestrictTag("admin", "root")))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t", Tags: []string{"admin"}}, authz.WithAuth(spy{&calls}), authz.WithScopes("read"))
	if calls != 0 {
		t.Fatalf("registration called the checks %d times", calls)
	}
	if diff := cmp.Diff([]string{"read", "root"}, g.RequiredScopes()); diff != "" {
		t.Errorf("RequiredScopes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"read", "root"}, p.ScopesSupported(g)); diff != "" {
		t.Errorf("ScopesSupported (-want +got):\n%s", diff)
	}
	tok := &authz.AccessToken{Scopes: []string{"read", "root"}}
	if !p.Listed(context.Background(), tok, &g.Component, g) || calls != 2 {
		t.Errorf("listing ran the checks %d times, want 2 (component, middleware)", calls)
	}
}

// TestBuiltinsOwnTheirScopes: a built-in check keeps its own copy of what
// it requires; neither the caller's slice nor what its accessors return
// can change it.
func TestBuiltinsOwnTheirScopes(t *testing.T) {
	in := []string{"read"}
	sc := authz.RequireScopes(in...)
	in[0] = "none"
	sc.Scopes()[0] = "none"
	roles := []string{"editor"}
	rc := authz.RequireRoles(roles...)
	roles[0] = "none"
	rc.Roles()[0] = "none"
	branches := []authz.Checker{sc}
	any := authz.AnyOf(branches...)
	branches[0] = rc
	any.Checks()[0] = rc

	if got := sc.String(); got != "scopes(read)" {
		t.Errorf("RequireScopes = %s after its inputs changed", got)
	}
	if got := rc.String(); got != "roles(editor)" {
		t.Errorf("RequireRoles = %s after its inputs changed", got)
	}
	if got := any.String(); got != "any(scopes(read))" {
		t.Errorf("AnyOf = %s after its inputs changed", got)
	}
	if ok, _ := sc.Check(context.Background(), authz.AuthContext{Token: &authz.AccessToken{Scopes: []string{"read"}}, Component: &authz.Component{}}); !ok {
		t.Error("RequireScopes(read) denies a read token after its inputs changed")
	}
}

// panicky names itself by panicking: decisions fall back to its type.
type panicky struct{}

func (panicky) Check(context.Context, authz.AuthContext) (bool, error) { return false, nil }
func (panicky) String() string                                         { panic("no name") }

func TestCheckerStringPanics(t *testing.T) {
	g := authz.NewPolicy().Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(panicky{}))
	if _, rule := g.Evaluate(context.Background(), authz.AuthContext{Component: &g.Component}); rule.Text != "authz_test.panicky" {
		t.Errorf("rule %q, want the type's name", rule.Text)
	}
}

// TestNoCompilerTricks: nothing under runtime/ depends on what the
// compiler inlines.
func TestNoCompilerTricks(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//go:noinline") {
					t.Errorf("%s: %s", fset.Position(c.Pos()), c.Text)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// blank names itself with nothing: decisions name it by its position, as
// a check that says nothing about itself, and logs by its type, never
// with an empty name.
type blank struct{ err error }

func (b blank) Check(context.Context, authz.AuthContext) (bool, error) { return false, b.err }
func (blank) String() string                                           { return "" }

func TestCheckerStringEmpty(t *testing.T) {
	p := authz.NewPolicy(authz.AuthMiddleware(authz.RequireScopes(), blank{}))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(authz.RequireScopes(), blank{}))
	tok := &authz.AccessToken{}
	if _, rule := g.Evaluate(context.Background(), authz.AuthContext{Token: tok, Component: &g.Component}); rule.Text != "check #2" {
		t.Errorf("component rule %q, want %q", rule.Text, "check #2")
	}
	if _, rule := p.Evaluate(context.Background(), tok, &g.Component, nil); rule.Text != "check #2" {
		t.Errorf("middleware rule %q, want %q", rule.Text, "check #2")
	}
	if got, want := authz.AnyOf(blank{}, authz.RequireRoles("r")).String(), "any(check #1,roles(r))"; got != want {
		t.Errorf("AnyOf names %q, want %q", got, want)
	}
	logs := captureLog(t)
	authz.RunAuthChecks(context.Background(), authz.AuthContext{Component: &g.Component}, blank{errors.New("down")})
	if !strings.Contains(logs.String(), "check=authz_test.blank ") {
		t.Errorf("the failure is logged as %q, want the check named by its type", logs.String())
	}
}

// TestRestrictTagEmpty: RestrictTag with no tag restricts every component,
// as RequireScopes does, and says so: what it requires (step-up,
// RequiredScopes) is what it enforces.
func TestRestrictTagEmpty(t *testing.T) {
	check := authz.RestrictTag("", "x")
	g := authz.NewPolicy().Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(check))
	ac := authz.AuthContext{Token: &authz.AccessToken{}, Component: &g.Component}
	if ok, _ := check.Check(context.Background(), ac); ok {
		t.Error("RestrictTag(\"\", x) lets a token without x use an untagged component")
	}
	if scopes, ok := g.StepUpScopes(ac.Token); !ok || !slices.Equal(scopes, []string{"x"}) {
		t.Errorf("StepUpScopes = %v, %v; want [x], true", scopes, ok)
	}
	if got := check.String(); got != "scopes(x)" {
		t.Errorf("String = %q, want scopes(x)", got)
	}
}

// inverted is a function type that is also a Checker whose method
// decides otherwise than the function: passed as it is, the method
// decides; through Check, the function.
type inverted func(authz.AuthContext) bool

func (f inverted) Check(_ context.Context, ac authz.AuthContext) (bool, error) { return !f(ac), nil }

func TestFuncTypeChecker(t *testing.T) {
	yes := inverted(func(authz.AuthContext) bool { return true })
	ac := authz.AuthContext{Component: &authz.Component{}}
	if ok, _ := authz.RunAuthChecks(context.Background(), ac, yes); ok {
		t.Error("passed as a Checker, the function decided instead of the Check method")
	}
	if ok, _ := authz.RunAuthChecks(context.Background(), ac, authz.Check(yes)); !ok {
		t.Error("through Check, the Check method decided instead of the function")
	}
}
