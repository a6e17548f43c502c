package oidctest_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/e2e/oidctest"
)

func start(t *testing.T, cfg oidctest.Config) *oidctest.Provider {
	t.Helper()
	p, err := oidctest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func introspect(t *testing.T, p *oidctest.Provider, id, secret, tok string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.URL(oidctest.IntrospectionPath), strings.NewReader(url.Values{"token": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("introspection answered %s, not JSON: %v", resp.Status, err)
	}
	return out
}

var clients = []oidctest.Client{
	{ID: "jwt-app", Secret: "jwt-secret", Scopes: []string{"read", "write"}},
	{ID: "opaque-app", Secret: "opaque-secret", Scopes: []string{"read"}, Opaque: true},
	{ID: "mcp-server", Secret: "server-secret"},
}

func TestDiscoveryAndJWT(t *testing.T) {
	p := start(t, oidctest.Config{Clients: clients})
	var disc map[string]any
	getJSON(t, p.URL(oidctest.DiscoveryPath), &disc)
	for field, want := range map[string]string{
		"issuer":                 p.Issuer(),
		"token_endpoint":         p.URL(oidctest.TokenPath),
		"introspection_endpoint": p.URL(oidctest.IntrospectionPath),
		"revocation_endpoint":    p.URL(oidctest.RevocationPath),
		"jwks_uri":               p.URL(oidctest.JWKSPath),
	} {
		if disc[field] != want {
			t.Errorf("discovery %s = %v, want %s", field, disc[field], want)
		}
	}
	if !strings.Contains(strings.Join(asStrings(disc["grant_types_supported"]), " "), "client_credentials") {
		t.Errorf("grant_types_supported = %v, want client_credentials among them", disc["grant_types_supported"])
	}

	ctx := context.Background()
	const resource = "http://127.0.0.1:1234/mcp"
	tok, err := p.ClientCredentials(ctx, "jwt-app", "jwt-secret", "read write", resource)
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn < 290 || tok.ExpiresIn > 300 {
		t.Errorf("token response %+v", tok)
	}
	var jwks jose.JSONWebKeySet
	getJSON(t, p.URL(oidctest.JWKSPath), &jwks)
	parsed, err := jwt.ParseSigned(tok.AccessToken, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := parsed.Claims(jwks.Keys[0].Key, &claims); err != nil {
		t.Fatalf("the token does not verify with the published key: %v", err)
	}
	for field, want := range map[string]any{"iss": p.Issuer(), "sub": "jwt-app", "client_id": "jwt-app", "scope": "read write"} {
		if claims[field] != want {
			t.Errorf("claim %s = %v, want %v", field, claims[field], want)
		}
	}
	if diff := cmp.Diff([]string{resource}, asStrings(claims["aud"])); diff != "" {
		t.Errorf("aud (-want +got):\n%s", diff)
	}

	// A scope the client may not have is refused; so is a resource that is
	// not an absolute URI; a wrong secret gets no token.
	if _, err := p.ClientCredentials(ctx, "jwt-app", "jwt-secret", "admin", resource); err == nil || !strings.Contains(err.Error(), "invalid_scope") {
		t.Errorf("scope admin: %v, want invalid_scope", err)
	}
	if _, err := p.ClientCredentials(ctx, "jwt-app", "jwt-secret", "read", "/mcp"); err == nil || !strings.Contains(err.Error(), "invalid_target") {
		t.Errorf("relative resource: %v, want invalid_target", err)
	}
	if _, err := p.ClientCredentials(ctx, "jwt-app", "wrong", "read", resource); err == nil {
		t.Error("a wrong secret got a token")
	}
}

func TestOpaqueIntrospectionRevocationExpiry(t *testing.T) {
	var offset atomic.Int64
	p := start(t, oidctest.Config{Clients: clients, Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	ctx := context.Background()
	tok, err := p.ClientCredentials(ctx, "opaque-app", "opaque-secret", "read", "https://a.example/mcp")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(tok.AccessToken, ".") == 2 {
		t.Fatalf("opaque client got a JWT: %s", tok.AccessToken)
	}
	got := introspect(t, p, "mcp-server", "server-secret", tok.AccessToken)
	for field, want := range map[string]any{
		"active": true, "scope": "read", "client_id": "opaque-app", "sub": "opaque-app", "iss": p.Issuer(),
	} {
		if got[field] != want {
			t.Errorf("introspection %s = %v, want %v (all: %v)", field, got[field], want, got)
		}
	}
	if diff := cmp.Diff([]string{"https://a.example/mcp"}, asStrings(got["aud"])); diff != "" {
		t.Errorf("aud (-want +got):\n%s", diff)
	}
	if n := p.Requests(oidctest.IntrospectionPath); n != 1 {
		t.Errorf("introspection requests = %d, want 1", n)
	}

	// Without client authentication the endpoint refuses to answer.
	resp, err := http.PostForm(p.URL(oidctest.IntrospectionPath), url.Values{"token": {tok.AccessToken}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unauthenticated introspection: %s, want 401", resp.Status)
	}

	if got := introspect(t, p, "mcp-server", "server-secret", "garbage"); got["active"] != false {
		t.Errorf("garbage token: %v", got)
	}

	offset.Store(int64(10 * time.Minute))
	if got := introspect(t, p, "mcp-server", "server-secret", tok.AccessToken); got["active"] != false {
		t.Errorf("expired token: %v", got)
	}
	offset.Store(0)

	if err := p.Revoke(ctx, "opaque-app", "opaque-secret", tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	if got := introspect(t, p, "mcp-server", "server-secret", tok.AccessToken); got["active"] != false {
		t.Errorf("revoked token: %v", got)
	}

	p.SetAvailable(false)
	resp, err = http.Get(p.URL(oidctest.DiscoveryPath))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("unavailable provider answered %s", resp.Status)
	}
	p.Close()
	if _, err := http.Get(p.URL(oidctest.DiscoveryPath)); err == nil {
		t.Error("a closed provider still answers")
	}
}

func asStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, len(v))
		for i, s := range v {
			out[i], _ = s.(string)
		}
		return out
	}
	return nil
}

// TestAuthorizationCodeFlow runs the code flow with PKCE as a headless
// client does: follow the redirects of /authorize to the redirect URI, then
// exchange the code with the verifier.
func TestAuthorizationCodeFlow(t *testing.T) {
	p := start(t, oidctest.Config{Clients: []oidctest.Client{
		{ID: "native-app", Scopes: []string{"read", "write"}, RedirectURIs: []string{"http://127.0.0.1/callback"}},
	}})
	const resource = "http://127.0.0.1:9/mcp"
	const verifier = "a-verifier-of-at-least-forty-three-characters-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	code := func(t *testing.T) string {
		t.Helper()
		next := p.URL(oidctest.AuthorizationPath) + "?" + url.Values{
			"response_type": {"code"}, "client_id": {"native-app"}, "redirect_uri": {"http://127.0.0.1:5555/callback"},
			"scope": {"read"}, "state": {"st"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
			"resource": {resource},
		}.Encode()
		for range 5 {
			resp, err := noRedirect.Get(next)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				t.Fatalf("%s answered %s without a redirect", next, resp.Status)
			}
			if strings.HasPrefix(loc.String(), "http://127.0.0.1:5555/callback") {
				if loc.Query().Get("state") != "st" {
					t.Errorf("state %q", loc.Query().Get("state"))
				}
				return loc.Query().Get("code")
			}
			next = loc.String()
		}
		t.Fatal("no redirect to the client")
		return ""
	}
	exchange := func(code, verifier string) (map[string]any, int) {
		resp, err := http.PostForm(p.URL(oidctest.TokenPath), url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:5555/callback"},
			"client_id": {"native-app"}, "code_verifier": {verifier}, "resource": {resource},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return out, resp.StatusCode
	}

	c := code(t)
	if out, status := exchange(c, "a-wrong-verifier-of-at-least-forty-three-characters-000"); status == http.StatusOK {
		t.Fatalf("a wrong PKCE verifier got a token: %v", out)
	}
	c = code(t)
	out, status := exchange(c, verifier)
	if status != http.StatusOK {
		t.Fatalf("code exchange: %d %v", status, out)
	}
	var jwks jose.JSONWebKeySet
	getJSON(t, p.URL(oidctest.JWKSPath), &jwks)
	parsed, err := jwt.ParseSigned(out["access_token"].(string), []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := parsed.Claims(jwks.Keys[0].Key, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["sub"] != "alice" || claims["client_id"] != "native-app" || claims["scope"] != "read" ||
		!cmp.Equal(asStrings(claims["aud"]), []string{resource, "native-app"}) {
		t.Errorf("claims %v", claims)
	}
	if _, status := exchange(c, verifier); status == http.StatusOK {
		t.Error("a code worked twice")
	}
	if _, err := p.ClientCredentials(context.Background(), "native-app", "", "read", resource); err == nil {
		t.Error("a public client got a client_credentials token without a secret")
	}
}
