package authz_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// claims decodes a JWT payload as the verifiers do (encoding/json into
// map[string]any), so that the shapes are those real tokens arrive in.
func claims(t testing.TB, payload string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Payloads shaped as each identity provider issues them (trimmed to the
// claims that matter, plus neighbours that must not count).
const (
	keycloakPayload = `{
		"sub": "u1", "scope": "openid profile",
		"realm_access": {"roles": ["offline_access", "admin"]},
		"resource_access": {
			"mcp-server": {"roles": ["editor"]},
			"account": {"roles": ["manage-account"]}
		}
	}`
	entraPayload   = `{"sub": "u2", "roles": ["Tasks.Write"], "groups": ["5f4ad0c4-0a3b-4bbf-a1d3-0c7f6c2b5c11"], "scp": "User.Read"}`
	cognitoPayload = `{"sub": "u3", "cognito:groups": ["admins", "us-east"], "scope": "aws.cognito.signin.user.admin"}`
	oktaPayload    = `{"sub": "u4", "groups": ["Everyone", "mcp-admins"]}`
	auth0Payload   = `{"sub": "u5", "https://example.com/roles": ["admin"], "roles": ["decoy"], "permissions": ["read:notes"]}`
)

func TestRoleClaimPresets(t *testing.T) {
	for _, tc := range []struct {
		name    string
		paths   []string
		payload string
		want    []string
		not     []string
	}{
		{"default", nil, `{"roles": ["admin", "ops"]}`, []string{"admin", "ops"}, []string{"Admin", "adm"}},
		{"default, space-separated string", nil, `{"roles": "admin  ops"}`, []string{"admin", "ops"}, []string{"admin ops", ""}},
		{"keycloak realm only", authz.KeycloakRoleClaims(), keycloakPayload, []string{"offline_access", "admin"}, []string{"editor", "manage-account"}},
		{"keycloak realm and client", authz.KeycloakRoleClaims("mcp-server"), keycloakPayload, []string{"offline_access", "admin", "editor"}, []string{"manage-account", "openid"}},
		{"entra", authz.EntraRoleClaims(), entraPayload, []string{"Tasks.Write", "5f4ad0c4-0a3b-4bbf-a1d3-0c7f6c2b5c11"}, []string{"User.Read"}},
		{"cognito", authz.CognitoRoleClaims(), cognitoPayload, []string{"admins", "us-east"}, []string{"aws.cognito.signin.user.admin"}},
		{"okta", authz.OktaRoleClaims(), oktaPayload, []string{"Everyone", "mcp-admins"}, nil},
		{"auth0 namespaced claim with dots in its name", authz.Auth0RoleClaims("https://example.com/roles"), auth0Payload, []string{"admin"}, []string{"decoy", "read:notes"}},
		{"default ignores provider claims", nil, keycloakPayload, nil, []string{"admin", "editor"}},
		{"wrong shapes hold no roles", []string{"a", "b.c", "d"}, `{"a": {"admin": true}, "b": {"c": 7}, "d": [1, "x", null, ["admin"]]}`, []string{"x"}, []string{"admin", "7"}},
		{"a path through a non-object", []string{"a.b"}, `{"a": "b"}`, nil, []string{"b", "a"}},
		{"a client id with a dot", authz.KeycloakRoleClaims("mcp.server"), `{"resource_access": {"mcp.server": {"roles": ["editor"]}}}`, []string{"editor"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := authz.NewRoleClaims(tc.paths...)
			c := claims(t, tc.payload)
			if diff := cmp.Diff(tc.want, rc.Roles(c)); diff != "" {
				t.Errorf("Roles (-want +got):\n%s", diff)
			}
			for _, r := range tc.want {
				if !rc.Has(c, r) {
					t.Errorf("Has(%q) = false", r)
				}
			}
			for _, r := range tc.not {
				if rc.Has(c, r) {
					t.Errorf("Has(%q) = true", r)
				}
			}
		})
	}
}

func TestRoleClaimsPaths(t *testing.T) {
	if diff := cmp.Diff([]string{"roles"}, authz.NewRoleClaims().Paths()); diff != "" {
		t.Errorf("default (-want +got):\n%s", diff)
	}
	got := authz.NewRoleClaims(" groups ", "", "roles", "groups").Paths()
	if diff := cmp.Diff([]string{"groups", "roles"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRequireRoles(t *testing.T) {
	ctx := context.Background()
	tok := &authz.AccessToken{Scopes: []string{"admin"}, Claims: claims(t, `{"roles": ["admin", "ops"], "realm_access": {"roles": ["auditor"]}}`)}
	comp := &authz.Component{Kind: authz.KindTool, Name: "t"}
	for _, tc := range []struct {
		roles []string
		tok   *authz.AccessToken
		want  bool
	}{
		{[]string{"admin"}, tok, true},
		{[]string{"admin", "ops"}, tok, true},
		{[]string{"admin", "root"}, tok, false},
		{[]string{"ADMIN"}, tok, false},
		{[]string{"auditor"}, tok, false}, // not at the default path
		{[]string{"admin"}, nil, false},
		{[]string{"admin"}, &authz.AccessToken{Scopes: []string{"admin"}}, false}, // scopes are not roles
		{nil, tok, true},
		{nil, nil, false}, // no token: denied even with nothing to require
	} {
		ok, err := authz.RequireRoles(tc.roles...).Check(ctx, authz.AuthContext{Token: tc.tok, Component: comp})
		if err != nil || ok != tc.want {
			t.Errorf("RequireRoles(%q) with %v = %v, %v; want %v", tc.roles, tc.tok != nil, ok, err, tc.want)
		}
	}
}

// TestPolicyRoleClaims shows that the mapping a Policy is given reaches
// the component checks and the middleware checks of every request it
// decides, and that a Guard built without it reads the default claim.
func TestPolicyRoleClaims(t *testing.T) {
	ctx := context.Background()
	p := authz.NewPolicy(authz.AuthMiddleware(authz.AnyOf(authz.RequireRoles("staff"), authz.RequireScopes("root"))))
	p.SetRoleClaims(authz.NewRoleClaims(authz.KeycloakRoleClaims("mcp")...))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "admin"}, authz.WithAuth(authz.RequireRoles("admin")))

	kc := &authz.AccessToken{Claims: claims(t, `{"realm_access": {"roles": ["staff"]}, "resource_access": {"mcp": {"roles": ["admin"]}}}`)}
	flat := &authz.AccessToken{Claims: claims(t, `{"roles": ["staff", "admin"]}`)}
	if !p.Listed(ctx, kc, &g.Component, g) {
		t.Error("keycloak-shaped token: not listed")
	}
	if msg := p.Refusal(ctx, kc, &g.Component, g, true, "admin"); msg != "" {
		t.Errorf("keycloak-shaped token refused: %q", msg)
	}
	if p.Listed(ctx, flat, &g.Component, g) {
		t.Error("roles claim read although the policy reads Keycloak's claims")
	}
	if got, want := p.Refusal(ctx, flat, &g.Component, g, true, "admin"), "Authorization failed for tool 'admin': not found or not authorized"; got != want {
		t.Errorf("Refusal = %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string{"realm_access.roles", "resource_access.mcp.roles"}, p.RoleClaims().Paths()); diff != "" {
		t.Errorf("RoleClaims (-want +got):\n%s", diff)
	}

	// Roles and HasRole on a context a check is handed.
	var seen []string
	probe := authz.Check(func(ac authz.AuthContext) bool { seen = ac.Roles(); return ac.HasRole("admin") })
	g2 := p.Guard(authz.Component{Kind: authz.KindTool, Name: "probe"}, authz.WithAuth(probe))
	if !g2.Permits(ctx, authz.AuthContext{Token: kc, Component: &g2.Component}) {
		t.Error("probe: HasRole(admin) false through the guard")
	}
	if diff := cmp.Diff([]string{"staff", "admin"}, seen); diff != "" {
		t.Errorf("Roles (-want +got):\n%s", diff)
	}
	// A component no Policy built: the default claim.
	if ok, _ := authz.RunAuthChecks(ctx, authz.AuthContext{Token: flat, Component: &authz.Component{Kind: authz.KindTool, Name: "x"}}, authz.RequireRoles("admin")); !ok {
		t.Error("default mapping: roles claim not read")
	}
}

// TestRoleChecksDoNotStepUp: roles cannot be gained by asking for more
// scopes, so a chain with roles(...) is never answered with a scope
// challenge, and names no scopes.
func TestRoleChecksDoNotStepUp(t *testing.T) {
	p := authz.NewPolicy()
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithScopes("write"), authz.WithAuth(authz.RequireRoles("admin")))
	if g.ScopeOnly() {
		t.Error("ScopeOnly with a roles check")
	}
	if sc, ok := g.StepUpScopes(&authz.AccessToken{}); ok {
		t.Errorf("StepUpScopes = %q, true", sc)
	}
	if diff := cmp.Diff([]string{"write"}, g.RequiredScopes()); diff != "" {
		t.Errorf("RequiredScopes (-want +got):\n%s", diff)
	}
}

func BenchmarkRequireRoles(b *testing.B) {
	ctx := context.Background()
	comp := &authz.Component{Kind: authz.KindTool, Name: "t"}
	for _, tc := range []struct {
		name, payload string
		paths         []string
	}{
		{"default", `{"roles": ["user", "admin"]}`, nil},
		{"keycloak", keycloakPayload, authz.KeycloakRoleClaims("mcp-server")},
		{"auth0", auth0Payload, authz.Auth0RoleClaims("https://example.com/roles")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := authz.NewPolicy()
			p.SetRoleClaims(authz.NewRoleClaims(tc.paths...))
			g := p.Guard(*comp, authz.WithAuth(authz.RequireRoles("admin")))
			tok := &authz.AccessToken{Claims: claims(b, tc.payload)}
			b.ReportAllocs()
			for b.Loop() {
				if !g.Permits(ctx, authz.AuthContext{Token: tok, Component: comp}) {
					b.Fatal("denied")
				}
			}
		})
	}
}

// TestRoleLookupAllocatesNothing: reading roles, whatever the claim's
// shape, allocates nothing, so a roles check costs what a scopes check
// costs in allocations.
func TestRoleLookupAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		paths   []string
		payload string
	}{
		{nil, `{"roles": ["user", "admin"]}`},
		{nil, `{"roles": "user admin"}`},
		{authz.KeycloakRoleClaims("mcp-server"), keycloakPayload},
		{authz.Auth0RoleClaims("https://example.com/roles"), auth0Payload},
	} {
		rc, c := authz.NewRoleClaims(tc.paths...), claims(t, tc.payload)
		if n := testing.AllocsPerRun(100, func() { rc.Has(c, "admin") }); n != 0 {
			t.Errorf("%v: Has allocates %v times", tc.paths, n)
		}
	}
}

// TestComponentCarriesRoleClaims: a check run on a guard's component by a
// path that builds its own AuthContext (as a backend running a
// component's checks outside Permits does) still reads the server's
// mapping.
func TestComponentCarriesRoleClaims(t *testing.T) {
	p := authz.NewPolicy()
	p.SetRoleClaims(authz.NewRoleClaims(authz.CognitoRoleClaims()...))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"})
	tok := &authz.AccessToken{Claims: claims(t, `{"cognito:groups": ["admins"], "roles": ["decoy"]}`)}
	ac := authz.AuthContext{Token: tok, Component: &g.Component}
	if ok, _ := authz.RunAuthChecks(context.Background(), ac, authz.RequireRoles("admins")); !ok {
		t.Error("the component's mapping was not read")
	}
	if ok, _ := authz.RunAuthChecks(context.Background(), ac, authz.RequireRoles("decoy")); ok {
		t.Error("the default claim was read")
	}
	if ok, _ := authz.RunAuthChecks(context.Background(), authz.AuthContext{Token: tok, Component: &authz.Component{}}, authz.RequireRoles("decoy")); !ok {
		t.Error("a component of no server: the default claim was not read")
	}
}
