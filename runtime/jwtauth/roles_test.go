package jwtauth

import (
	"context"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestJWTKeepsRoleClaims: the claims each role claim preset reads survive
// verification, on the first verification and from the cache, nested
// objects and namespaced names included.
func TestJWTKeepsRoleClaims(t *testing.T) {
	key := jwtRSAKey()
	v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Now: newJWTClock().Now})
	raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{
		"realm_access":              map[string]any{"roles": []string{"admin"}},
		"resource_access":           map[string]any{"mcp": map[string]any{"roles": []string{"editor"}}},
		"roles":                     []string{"app.role"},
		"groups":                    []string{"g1"},
		"cognito:groups":            []string{"admins"},
		"https://example.com/roles": "auditor support",
	}))
	for _, tc := range []struct {
		paths []string
		want  []string
	}{
		{authz.KeycloakRoleClaims("mcp"), []string{"admin", "editor"}},
		{authz.EntraRoleClaims(), []string{"app.role", "g1"}},
		{authz.CognitoRoleClaims(), []string{"admins"}},
		{authz.OktaRoleClaims(), []string{"g1"}},
		{authz.Auth0RoleClaims("https://example.com/roles"), []string{"auditor", "support"}},
		{nil, []string{"app.role"}},
	} {
		for _, pass := range []string{"verified", "cached"} {
			tok, err := v.VerifyToken(context.Background(), raw)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, authz.NewRoleClaims(tc.paths...).Roles(tok.Claims)); diff != "" {
				t.Errorf("%v, %s (-want +got):\n%s", tc.paths, pass, diff)
			}
		}
	}
}
