package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// captureLogs sends slog's default logger to a buffer for the test.
func captureLogs(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func TestRequireScopes(t *testing.T) {
	comp := &runtime.Component{Kind: runtime.KindTool, Name: "x"}
	for _, tc := range []struct {
		require []string
		tok     *runtime.AccessToken
		want    bool
	}{
		{[]string{"read"}, nil, false},
		{[]string{"read"}, &runtime.AccessToken{}, false},
		{[]string{"read"}, &runtime.AccessToken{Scopes: []string{"read"}}, true},
		{[]string{"read", "write"}, &runtime.AccessToken{Scopes: []string{"read"}}, false},
		{[]string{"read", "write"}, &runtime.AccessToken{Scopes: []string{"write", "admin", "read"}}, true},
		{[]string{"read"}, &runtime.AccessToken{Scopes: []string{"Read", "read:all"}}, false},
		{nil, &runtime.AccessToken{}, true},
		{nil, nil, false}, // no token never passes a scope check
	} {
		got, err := runtime.RequireScopes(tc.require...).Check(context.Background(), runtime.AuthContext{Token: tc.tok, Component: comp})
		if err != nil || got != tc.want {
			t.Errorf("RequireScopes(%v) with %v = %v, %v; want %v", tc.require, tc.tok, got, err, tc.want)
		}
	}
}

func TestRestrictTag(t *testing.T) {
	check := runtime.RestrictTag("admin", "admin")
	tagged := &runtime.Component{Kind: runtime.KindTool, Name: "t", Tags: []string{"ops", "admin"}}
	untagged := &runtime.Component{Kind: runtime.KindTool, Name: "u", Tags: []string{"ops"}}
	for _, tc := range []struct {
		comp *runtime.Component
		tok  *runtime.AccessToken
		want bool
	}{
		{untagged, nil, true},
		{untagged, tokRead, true},
		{tagged, nil, false},
		{tagged, tokRead, false},
		{tagged, tokAdmin, true},
	} {
		got, err := check.Check(context.Background(), runtime.AuthContext{Token: tc.tok, Component: tc.comp})
		if err != nil || got != tc.want {
			t.Errorf("RestrictTag on %v with %v = %v, %v; want %v", tc.comp.Tags, tc.tok, got, err, tc.want)
		}
	}
}

// TestCheckShapes checks the four accepted function shapes, sync and
// context-aware, mixed in one chain.
func TestCheckShapes(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "tenant-1")
	premium := func(ac runtime.AuthContext) bool { return ac.Token.Claims["plan"] == "premium" }
	level := func(min int) func(runtime.AuthContext) (bool, error) {
		return func(ac runtime.AuthContext) (bool, error) {
			l, ok := ac.Token.Claims["level"].(int)
			if !ok {
				return false, errors.New("no level claim")
			}
			return l >= min, nil
		}
	}
	tenant := func(ctx context.Context, ac runtime.AuthContext) bool {
		return ctx.Value(key{}) == ac.Token.Claims["tenant"]
	}
	notBanned := func(ctx context.Context, ac runtime.AuthContext) (bool, error) {
		return ac.Token.ClientID != "banned", ctx.Err()
	}
	chain := []runtime.Checker{runtime.Check(premium), runtime.Check(level(5)), runtime.Check(tenant), runtime.Check(notBanned)}
	claims := func(plan string, level int, tenant string) map[string]any {
		return map[string]any{"plan": plan, "level": level, "tenant": tenant}
	}
	for _, tc := range []struct {
		tok  *runtime.AccessToken
		want bool
	}{
		{&runtime.AccessToken{ClientID: "a", Claims: claims("premium", 5, "tenant-1")}, true},
		{&runtime.AccessToken{ClientID: "a", Claims: claims("free", 5, "tenant-1")}, false},
		{&runtime.AccessToken{ClientID: "a", Claims: claims("premium", 4, "tenant-1")}, false},
		{&runtime.AccessToken{ClientID: "a", Claims: claims("premium", 9, "tenant-2")}, false},
		{&runtime.AccessToken{ClientID: "banned", Claims: claims("premium", 9, "tenant-1")}, false},
	} {
		got, err := runtime.RunAuthChecks(ctx, runtime.AuthContext{Token: tc.tok}, chain...)
		if err != nil || got != tc.want {
			t.Errorf("chain with %v = %v, %v; want %v", tc.tok.Claims, got, err, tc.want)
		}
	}
}

func TestRunAuthChecks(t *testing.T) {
	comp := &runtime.Component{Kind: runtime.KindTool, Name: "delete_all"}
	var ran []string
	step := func(name string, ok bool, err error) runtime.AuthCheck {
		return func(context.Context, runtime.AuthContext) (bool, error) {
			ran = append(ran, name)
			return ok, err
		}
	}
	panics := runtime.AuthCheck(func(context.Context, runtime.AuthContext) (bool, error) {
		ran = append(ran, "panic")
		panic("database password is hunter2")
	})
	authErr := &runtime.AuthorizationError{Message: "upgrade your plan"}
	for _, tc := range []struct {
		name    string
		checks  []runtime.Checker
		want    bool
		wantErr error
		ran     string
		logged  string // a substring of what is logged, or "" for no log
	}{
		{"empty allows", nil, true, nil, "", ""},
		{"all pass", []runtime.Checker{step("a", true, nil), step("b", true, nil)}, true, nil, "a b", ""},
		{"stops at first false", []runtime.Checker{step("a", true, nil), step("b", false, nil), step("c", true, nil)}, false, nil, "a b", ""},
		{"authorization error stops and propagates", []runtime.Checker{step("a", false, authErr), step("b", true, nil)}, false, authErr, "a", ""},
		{"other error denies, logged, not returned", []runtime.Checker{step("a", true, errors.New("dial tcp 10.0.0.7:5432: refused")), step("b", true, nil)}, false, nil, "a", "dial tcp 10.0.0.7:5432: refused"},
		{"panic denies, logged", []runtime.Checker{step("a", true, nil), panics, step("c", true, nil)}, false, nil, "a panic", "hunter2"},
		{"nil check denies", []runtime.Checker{nil}, false, nil, "", "check=<nil>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := captureLogs(t)
			ran = nil
			got, err := runtime.RunAuthChecks(context.Background(), runtime.AuthContext{Token: tokAdmin, Component: comp}, tc.checks...)
			if got != tc.want || err != tc.wantErr {
				t.Errorf("RunAuthChecks = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
			if g := strings.Join(ran, " "); g != tc.ran {
				t.Errorf("ran %q, want %q", g, tc.ran)
			}
			if tc.logged == "" {
				if logs.Len() != 0 {
					t.Errorf("unexpected log: %s", logs)
				}
				return
			}
			for _, want := range []string{tc.logged, `component="tool delete_all"`, "check="} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log %q lacks %q", logs, want)
				}
			}
		})
	}
}

// TestFailingCheckNeverLeaks checks end to end that neither an error nor a
// panic in a check reaches the client, with or without middleware.
func TestFailingCheckNeverLeaks(t *testing.T) {
	captureLogs(t)
	failing := runtime.Check(func(runtime.AuthContext) (bool, error) { return false, errors.New("secret-db-dsn") })
	panicking := runtime.Check(func(runtime.AuthContext) bool { panic("secret-panic") })
	for _, mw := range []bool{false, true} {
		var opts []runtime.Option
		if mw {
			opts = append(opts, runtime.WithMiddleware(runtime.AuthMiddleware(failing)))
		}
		srv := runtime.NewServer("t", "1", opts...)
		tool, h := textTool("a")
		srv.AddTool(tool, h, runtime.WithAuth(failing))
		tool, h = textTool("b")
		srv.AddTool(tool, h, runtime.WithAuth(panicking))
		c := connect(t, srv)
		for _, name := range []string{"a", "b"} {
			answer := rawCall(t, c, as(tokAdmin), "tools/call", map[string]any{"name": name})
			if strings.Contains(answer, "secret") || !strings.Contains(answer, "not found") {
				t.Errorf("middleware=%v %s: answer %s", mw, name, answer)
			}
		}
		if got := toolNames(t, c, as(tokAdmin)); len(got) != 0 {
			t.Errorf("middleware=%v: listed %v", mw, got)
		}
	}
}

// TestDeclaredScopes checks that the scopes named by built-in checks, on
// components and in middleware, are what the server publishes, while
// custom checks are never called to find out.
func TestDeclaredScopes(t *testing.T) {
	called := false
	custom := runtime.Check(func(runtime.AuthContext) bool { called = true; return true })
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(
		runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin", "audit"), custom),
		runtime.AuthMiddleware(runtime.RequireScopes("api")),
	))
	tool, h := textTool("a")
	srv.AddTool(tool, h, runtime.WithScopes("write", "read"), runtime.WithAuth(custom, runtime.RequireScopes("extra")))
	got := runtime.DeclaredScopes(srv)
	if want := []string{"admin", "api", "audit", "extra", "read", "write"}; !slices.Equal(got, want) {
		t.Errorf("declared scopes %v, want %v", got, want)
	}
	if called {
		t.Error("a custom check was called to describe it")
	}
}
