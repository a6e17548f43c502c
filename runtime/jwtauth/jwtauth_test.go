package jwtauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Keys are generated once per test binary: RSA generation is slow under
// the race detector.
var (
	jwtRSAKey   = sync.OnceValue(func() *rsa.PrivateKey { return jwtMust(rsa.GenerateKey(rand.Reader, 2048)) })
	jwtRSAKey2  = sync.OnceValue(func() *rsa.PrivateKey { return jwtMust(rsa.GenerateKey(rand.Reader, 2048)) })
	jwtECKey    = sync.OnceValue(func() *ecdsa.PrivateKey { return jwtMust(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)) })
	jwtEdKey    = sync.OnceValue(func() ed25519.PrivateKey { _, k := jwtMust2(ed25519.GenerateKey(rand.Reader)); return k })
	jwtHMACKey  = []byte("0123456789abcdef0123456789abcdef")
	jwtTestBase = time.Unix(1_800_000_000, 0)
)

func jwtMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func jwtMust2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// jwtClock is a settable clock for Config.Now.
type jwtClock struct {
	mu sync.Mutex
	t  time.Time
}

func newJWTClock() *jwtClock { return &jwtClock{t: jwtTestBase} }

func (c *jwtClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *jwtClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// signJWT signs claims with key (a private key or an HMAC secret) under
// alg, naming kid when it is not empty.
func signJWT(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	sk := jose.SigningKey{Algorithm: alg, Key: key}
	if kid != "" {
		sk.Key = jose.JSONWebKey{Key: key, KeyID: kid}
	}
	signer, err := jose.NewSigner(sk, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// jwtClaims are valid claims at jwtTestBase, with extra merged in (a nil
// value deletes a claim).
func jwtClaims(extra map[string]any) map[string]any {
	c := map[string]any{
		"iss":   "https://issuer.test",
		"aud":   jwtTestAudience,
		"sub":   "user-1",
		"iat":   jwtTestBase.Unix(),
		"exp":   jwtTestBase.Add(time.Hour).Unix(),
		"scope": "read write",
	}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// jwtUnsigned builds a token with alg "none" by hand.
func jwtUnsigned(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims)
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "."
}

// jwtTestAudience is the audience of the tests' tokens (jwtClaims).
const jwtTestAudience = "https://mcp.test/mcp"

// newJWTTestVerifier returns the verifier of cfg, which accepts the tests'
// audience when cfg names none.
func newJWTTestVerifier(t testing.TB, cfg Config) *Verifier {
	t.Helper()
	if cfg.Audience == nil {
		cfg.Audience = []string{jwtTestAudience}
	}
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jwtRSAPublicPEM(t testing.TB, k *rsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestJWTClaimMapping(t *testing.T) {
	clock := newJWTClock()
	v := newJWTTestVerifier(t, Config{
		PublicKey: &jwtRSAKey().PublicKey,
		Audience:  []string{"https://other.test", "https://mcp.test/mcp"},
		Now:       clock.Now,
	})
	tests := []struct {
		name   string
		extra  map[string]any
		want   authz.AccessToken // Token and Claims are checked apart
		claims []string          // claim names expected in Claims
	}{
		{
			name: "scope string, sub as client",
			want: authz.AccessToken{ClientID: "user-1", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "client_id first",
			extra: map[string]any{"client_id": "app", "azp": "azp-app"},
			want:  authz.AccessToken{ClientID: "app", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "azp before sub",
			extra: map[string]any{"azp": "azp-app"},
			want:  authz.AccessToken{ClientID: "azp-app", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "no client at all",
			extra: map[string]any{"sub": nil, "client_id": ""},
			want:  authz.AccessToken{Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "scp list",
			extra: map[string]any{"scope": nil, "scp": []string{"a", "b"}},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"a", "b"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "scp string",
			extra: map[string]any{"scope": nil, "scp": "a  b"},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"a", "b"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "scope list",
			extra: map[string]any{"scope": []string{"x", "y"}},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"x", "y"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "scope wins over scp",
			extra: map[string]any{"scope": "s", "scp": []string{"p"}},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"s"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "scope of another type falls back to scp",
			extra: map[string]any{"scope": 42, "scp": "p"},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"p"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "no scopes",
			extra: map[string]any{"scope": nil},
			want:  authz.AccessToken{ClientID: "user-1", ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "aud list: resource is the configured audience it contains",
			extra: map[string]any{"aud": []string{"https://x.test", "https://mcp.test/mcp"}},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
		},
		{
			name:  "aud list: first configured audience wins",
			extra: map[string]any{"aud": []string{"https://mcp.test/mcp", "https://other.test"}},
			want:  authz.AccessToken{ClientID: "user-1", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://other.test"},
		},
		{
			name:   "custom claims kept",
			extra:  map[string]any{"tenant": "acme", "roles": []string{"admin"}},
			want:   authz.AccessToken{ClientID: "user-1", Scopes: []string{"read", "write"}, ExpiresAt: jwtTestBase.Add(time.Hour), Resource: "https://mcp.test/mcp"},
			claims: []string{"tenant", "roles"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := jwtClaims(tt.extra)
			raw := signJWT(t, jose.RS256, jwtRSAKey(), "", claims)
			got, err := v.VerifyToken(context.Background(), raw)
			if err != nil {
				t.Fatal(err)
			}
			if got.Token != raw {
				t.Errorf("Token = %q, want the raw token", got.Token)
			}
			want := tt.want
			want.Token = raw
			want.Claims = got.Claims
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			for name := range claims {
				if _, ok := got.Claims[name]; !ok {
					t.Errorf("Claims lacks %q", name)
				}
			}
			for _, name := range tt.claims {
				if _, ok := got.Claims[name]; !ok {
					t.Errorf("Claims lacks %q", name)
				}
			}
			if exp, ok := got.Claims["exp"].(float64); !ok || int64(exp) != jwtTestBase.Add(time.Hour).Unix() {
				t.Errorf(`Claims["exp"] = %#v, want a float64`, got.Claims["exp"])
			}
		})
	}
}

// TestJWTNoExpiry: a token without "exp" would be valid forever; it is
// refused unless the configuration allows it, and then never cached.
func TestJWTNoExpiry(t *testing.T) {
	raw := signJWT(t, jose.RS256, jwtRSAKey(), "", jwtClaims(map[string]any{"exp": nil}))
	strict := newJWTTestVerifier(t, Config{PublicKey: &jwtRSAKey().PublicKey, Now: newJWTClock().Now})
	if tok, err := strict.VerifyToken(context.Background(), raw); tok != nil || !errors.Is(err, authz.ErrInvalidToken) || !strings.Contains(err.Error(), `no "exp"`) {
		t.Errorf("VerifyToken without exp = %v, %v; want ErrInvalidToken about the missing exp", tok, err)
	}
	v := newJWTTestVerifier(t, Config{PublicKey: &jwtRSAKey().PublicKey, AllowMissingExpiry: true, Now: newJWTClock().Now})
	got, err := v.VerifyToken(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ExpiresAt.IsZero() {
		t.Errorf("ExpiresAt = %v, want zero", got.ExpiresAt)
	}
	if n := len(v.cache.entries); n != 0 {
		t.Errorf("a token without exp was cached (%d entries)", n)
	}
}

func TestJWTAlgorithms(t *testing.T) {
	rsaKey, ecKey, edKey := jwtRSAKey(), jwtECKey(), jwtEdKey()
	claims := jwtClaims(nil)
	rs256 := signJWT(t, jose.RS256, rsaKey, "", claims)
	ps256 := signJWT(t, jose.PS256, rsaKey, "", claims)
	es256 := signJWT(t, jose.ES256, ecKey, "", claims)
	eddsa := signJWT(t, jose.EdDSA, edKey, "", claims)
	hs256 := signJWT(t, jose.HS256, jwtHMACKey, "", claims)
	hs512 := signJWT(t, jose.HS512, append(slices.Clone(jwtHMACKey), jwtHMACKey...), "", claims)
	// Algorithm confusion: HMAC "signed" with the RSA public key as secret.
	confused := signJWT(t, jose.HS256, jwtRSAPublicPEM(t, &rsaKey.PublicKey), "", claims)
	confusedDER := signJWT(t, jose.HS256, jwtMust(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)), "", claims)
	none := jwtUnsigned(claims)

	rsaV := Config{PublicKey: &rsaKey.PublicKey}
	tests := []struct {
		name   string
		cfg    Config
		accept []string
		refuse []string
	}{
		{"RSA default", rsaV, []string{rs256, ps256}, []string{es256, eddsa, hs256, confused, confusedDER, none}},
		{"RSA RS256 only", Config{PublicKey: &rsaKey.PublicKey, Algorithms: []string{"RS256"}}, []string{rs256}, []string{ps256, confused, none}},
		{"EC default", Config{PublicKey: &ecKey.PublicKey}, []string{es256}, []string{rs256, hs256, none}},
		{"Ed25519 default", Config{PublicKey: edKey.Public()}, []string{eddsa}, []string{rs256, es256, none}},
		{"HMAC default HS256", Config{HMACSecret: jwtHMACKey}, []string{hs256}, []string{hs512, rs256, confused, none}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Now = newJWTClock().Now
			v := newJWTTestVerifier(t, tt.cfg)
			for i, raw := range tt.accept {
				if _, err := v.VerifyToken(context.Background(), raw); err != nil {
					t.Errorf("accept[%d]: %v", i, err)
				}
			}
			for i, raw := range tt.refuse {
				_, err := v.VerifyToken(context.Background(), raw)
				if !errors.Is(err, authz.ErrInvalidToken) {
					t.Errorf("refuse[%d]: err = %v, want authz.ErrInvalidToken", i, err)
				}
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	rsaPub := &jwtRSAKey().PublicKey
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no key source", Config{}, "exactly one of"},
		{"two key sources", Config{PublicKey: rsaPub, HMACSecret: jwtHMACKey}, "exactly one of"},
		{"none", Config{PublicKey: rsaPub, Algorithms: []string{"RS256", "none"}}, `"none" is never accepted`},
		{"NONE", Config{PublicKey: rsaPub, Algorithms: []string{"NONE"}}, `"none" is never accepted`},
		{"unknown", Config{PublicKey: rsaPub, Algorithms: []string{"RS999"}}, `unknown algorithm "RS999"`},
		{"HS256 with public key", Config{PublicKey: rsaPub, Algorithms: []string{"HS256"}}, "cannot be used with a *rsa.PublicKey"},
		{"HS256 with JWKS", Config{JWKSURL: "https://issuer.test/jwks", Algorithms: []string{"RS256", "HS256"}}, "needs HMACSecret"},
		{"RS256 with HMAC", Config{HMACSecret: jwtHMACKey, Algorithms: []string{"RS256"}}, "cannot be used with HMACSecret"},
		{"ES384 with P-256", Config{PublicKey: &jwtECKey().PublicKey, Algorithms: []string{"ES384"}}, "cannot be used with a *ecdsa.PublicKey"},
		{"short HMAC secret", Config{HMACSecret: []byte("short")}, "at least 32 bytes"},
		{"short secret for HS512", Config{HMACSecret: jwtHMACKey, Algorithms: []string{"HS512"}}, "at least 64 bytes"},
		{"private key", Config{PublicKey: jwtRSAKey()}, "unsupported public key *rsa.PrivateKey"},
		{"bad JWKS URL", Config{JWKSURL: "/jwks.json"}, "not an absolute http(s) URL"},
		{"bad required scope", Config{PublicKey: rsaPub, RequiredScopes: []string{`a"b`}}, "not a valid scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestJWTTimeClaims(t *testing.T) {
	key := jwtRSAKey()
	tests := []struct {
		name   string
		leeway time.Duration
		extra  map[string]any
		ok     bool
		reason string
	}{
		{"valid", 0, nil, true, ""},
		{"expired within default leeway", 0, map[string]any{"exp": jwtTestBase.Add(-20 * time.Second).Unix()}, true, ""},
		{"expired beyond default leeway", 0, map[string]any{"exp": jwtTestBase.Add(-31 * time.Second).Unix()}, false, "expired"},
		{"expired, no leeway", -1, map[string]any{"exp": jwtTestBase.Add(-time.Second).Unix()}, false, "expired"},
		{"expired within custom leeway", 2 * time.Minute, map[string]any{"exp": jwtTestBase.Add(-time.Minute).Unix()}, true, ""},
		{"nbf within leeway", 0, map[string]any{"nbf": jwtTestBase.Add(20 * time.Second).Unix()}, true, ""},
		{"nbf beyond leeway", 0, map[string]any{"nbf": jwtTestBase.Add(31 * time.Second).Unix()}, false, "not valid before"},
		{"iat in the future", 0, map[string]any{"iat": jwtTestBase.Add(time.Minute).Unix()}, false, "issued in the future"},
		{"iat within leeway", 0, map[string]any{"iat": jwtTestBase.Add(10 * time.Second).Unix()}, true, ""},
		{"exp not a number", 0, map[string]any{"exp": "tomorrow"}, false, "registered claims"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Leeway: tt.leeway, Now: newJWTClock().Now})
			_, err := v.VerifyToken(context.Background(), signJWT(t, jose.RS256, key, "", jwtClaims(tt.extra)))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, authz.ErrInvalidToken) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %v, want authz.ErrInvalidToken about %q", err, tt.reason)
			}
		})
	}
}

func TestJWTIssuerAudience(t *testing.T) {
	key := jwtRSAKey()
	cfg := Config{
		PublicKey: &key.PublicKey,
		Issuer:    "https://issuer.test",
		Audience:  []string{"https://mcp.test/mcp", "mcp"},
	}
	tests := []struct {
		name   string
		extra  map[string]any
		ok     bool
		reason string
	}{
		{"aud string", nil, true, ""},
		{"aud second accepted value", map[string]any{"aud": "mcp"}, true, ""},
		{"aud list intersects", map[string]any{"aud": []string{"https://a.test", "mcp"}}, true, ""},
		{"aud list disjoint", map[string]any{"aud": []string{"https://a.test", "https://b.test"}}, false, "audience"},
		{"aud wrong", map[string]any{"aud": "https://mcp.test/other"}, false, "audience"},
		{"aud missing", map[string]any{"aud": nil}, false, "audience"},
		{"aud not a string", map[string]any{"aud": 7}, false, "registered claims"},
		{"iss wrong", map[string]any{"iss": "https://evil.test"}, false, "issuer"},
		{"iss missing", map[string]any{"iss": nil}, false, "issuer"},
		{"iss differs in case", map[string]any{"iss": "https://ISSUER.test"}, false, "issuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg.Now = newJWTClock().Now
			v := newJWTTestVerifier(t, cfg)
			_, err := v.VerifyToken(context.Background(), signJWT(t, jose.RS256, key, "", jwtClaims(tt.extra)))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, authz.ErrInvalidToken) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %v, want authz.ErrInvalidToken about %q", err, tt.reason)
			}
		})
	}
	t.Run("issuer unchecked when not configured", func(t *testing.T) {
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Audience: []string{"mcp"}, Now: newJWTClock().Now})
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"iss": "https://any.test", "aud": "mcp"}))
		if _, err := v.VerifyToken(context.Background(), raw); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAudienceRequired: MCP servers must check that a token was issued for
// them, so a verifier that would accept any audience cannot be built.
func TestAudienceRequired(t *testing.T) {
	for _, aud := range [][]string{nil, {}, {""}, {"mcp", ""}} {
		_, err := New(Config{PublicKey: &jwtRSAKey().PublicKey, Audience: aud})
		if err == nil || !strings.Contains(err.Error(), "jwtauth: Config.Audience is required") {
			t.Errorf("New with Audience %q: err = %v, want the audience to be required", aud, err)
		}
	}
}

func TestJWTRequiredScopes(t *testing.T) {
	key := jwtRSAKey()
	v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, RequiredScopes: []string{"read", "admin"}, Now: newJWTClock().Now})
	raw := signJWT(t, jose.RS256, key, "", jwtClaims(nil)) // read write
	tok, err := v.VerifyToken(context.Background(), raw)
	var se *authz.InsufficientScopeError
	if tok != nil || !errors.As(err, &se) {
		t.Fatalf("VerifyToken = %v, %v; want an *authz.InsufficientScopeError", tok, err)
	}
	if diff := cmp.Diff(&authz.InsufficientScopeError{Required: []string{"read", "admin"}, Missing: []string{"admin"}}, se); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if errors.Is(err, authz.ErrInvalidToken) {
		t.Error("an insufficient-scope error also claims the token is invalid")
	}
	if n := len(v.cache.entries); n != 0 {
		t.Errorf("a token lacking scopes was cached (%d entries)", n)
	}
	ok := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"scope": "admin read"}))
	if _, err := v.VerifyToken(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
}

func TestJWTMalformed(t *testing.T) {
	key := jwtRSAKey()
	v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Now: newJWTClock().Now})
	valid := signJWT(t, jose.RS256, key, "", jwtClaims(nil))
	parts := strings.Split(valid, ".")
	evil, _ := json.Marshal(jwtClaims(map[string]any{"scope": "read write admin"}))
	arrayPayload := signJWT(t, jose.RS256, key, "", nil)
	arrayPayload = strings.Replace(arrayPayload, strings.Split(arrayPayload, ".")[1], base64.RawURLEncoding.EncodeToString([]byte("[1]")), 1)
	for name, raw := range map[string]string{
		"empty":            "",
		"garbage":          "not-a-jwt",
		"two parts":        parts[0] + "." + parts[1],
		"tampered payload": parts[0] + "." + base64.RawURLEncoding.EncodeToString(evil) + "." + parts[2],
		"bad signature":    parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString([]byte("sig")),
		"json":             `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`,
		"array payload":    arrayPayload,
		"too large":        strings.Repeat("a", maxTokenSize+1),
	} {
		t.Run(name, func(t *testing.T) {
			tok, err := v.VerifyToken(context.Background(), raw)
			if tok != nil || !errors.Is(err, authz.ErrInvalidToken) {
				t.Errorf("VerifyToken = %v, %v; want authz.ErrInvalidToken", tok, err)
			}
		})
	}
}

// jwtJWKSServer serves a JWKS on 127.0.0.1 and counts the fetches.
type jwtJWKSServer struct {
	*httptest.Server
	fetches atomic.Int32
	keys    atomic.Pointer[jose.JSONWebKeySet]
	block   chan struct{} // when not nil, requests wait for it to close
	status  atomic.Int32  // when not zero, the status to answer
}

func newJWTJWKSServer(t testing.TB, keys ...jose.JSONWebKey) *jwtJWKSServer {
	s := &jwtJWKSServer{}
	s.setKeys(keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		if s.block != nil {
			select {
			case <-s.block:
			case <-r.Context().Done():
				return
			}
		}
		if st := s.status.Load(); st != 0 {
			w.WriteHeader(int(st))
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		json.NewEncoder(w).Encode(s.keys.Load())
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwtJWKSServer) setKeys(keys ...jose.JSONWebKey) {
	s.keys.Store(&jose.JSONWebKeySet{Keys: keys})
}

func jwtPublicJWK(key crypto.Signer, kid, alg string) jose.JSONWebKey {
	return jose.JSONWebKey{Key: key.Public(), KeyID: kid, Algorithm: alg, Use: "sig"}
}

func TestJWTJWKSRefresh(t *testing.T) {
	k1, k2 := jwtRSAKey(), jwtRSAKey2()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
	clock := newJWTClock()
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, CacheSize: -1, Now: clock.Now})
	ctx := context.Background()
	tok1 := signJWT(t, jose.RS256, k1, "k1", jwtClaims(nil))
	tok2 := signJWT(t, jose.RS256, k2, "k2", jwtClaims(nil))
	forged := signJWT(t, jose.RS256, k2, "forged", jwtClaims(nil))

	verify := func(raw string, wantOK bool, wantFetches int32) {
		t.Helper()
		_, err := v.VerifyToken(ctx, raw)
		if wantOK && err != nil {
			t.Errorf("VerifyToken: %v", err)
		}
		if !wantOK && !errors.Is(err, authz.ErrInvalidToken) {
			t.Errorf("VerifyToken: err = %v, want authz.ErrInvalidToken", err)
		}
		if got := srv.fetches.Load(); got != wantFetches {
			t.Errorf("fetches = %d, want %d", got, wantFetches)
		}
	}
	verify(tok1, true, 1)
	verify(tok1, true, 1) // cached set
	verify(tok1, true, 1)

	// The issuer rotates in k2: the first token with the new kid fetches.
	srv.setKeys(jwtPublicJWK(k1, "k1", "RS256"), jwtPublicJWK(k2, "k2", "RS256"))
	clock.Advance(2 * time.Minute)
	verify(tok2, true, 2)
	verify(tok2, true, 2)

	// Unknown kids fetch at most once per minimum interval.
	clock.Advance(2 * time.Minute)
	verify(forged, false, 3)
	for range 5 {
		verify(forged, false, 3)
	}
	clock.Advance(59 * time.Second)
	verify(forged, false, 3)
	clock.Advance(time.Second)
	verify(forged, false, 4)

	// Known kids keep working while refreshes are rate limited.
	verify(tok1, true, 4)
	verify(tok2, true, 4)
}

func TestJWTJWKSMaxAge(t *testing.T) {
	k1, k2 := jwtRSAKey(), jwtRSAKey2()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", ""), jwtPublicJWK(k2, "k2", ""))
	clock := newJWTClock()
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, CacheSize: -1, JWKSMaxAge: 10 * time.Minute, Now: clock.Now})
	ctx := context.Background()
	tok2 := signJWT(t, jose.RS256, k2, "k2", jwtClaims(map[string]any{"exp": jwtTestBase.Add(24 * time.Hour).Unix()}))
	if _, err := v.VerifyToken(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	// k2 is withdrawn; once the set is stale it is fetched again in the
	// background, the stale keys serving meanwhile.
	srv.setKeys(jwtPublicJWK(k1, "k1", ""))
	clock.Advance(10 * time.Minute)
	if _, err := v.VerifyToken(ctx, tok2); err != nil {
		t.Fatalf("stale keys not used while refreshing: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.fetches.Load() < 2 || v.jwks.set.Load().fetched.Equal(jwtTestBase) {
		if time.Now().After(deadline) {
			t.Fatal("no background refresh of a stale JWKS")
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := v.VerifyToken(ctx, tok2); !errors.Is(err, authz.ErrInvalidToken) {
		t.Errorf("withdrawn key still accepted: err = %v", err)
	}
}

func TestJWTJWKSCoalesced(t *testing.T) {
	k1 := jwtRSAKey()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
	srv.block = make(chan struct{})
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, CacheSize: -1, Now: newJWTClock().Now})
	tok := signJWT(t, jose.RS256, k1, "k1", jwtClaims(nil))
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := v.VerifyToken(context.Background(), tok)
			errs <- err
		})
	}
	// Let every goroutine reach the fetch, then release it.
	deadline := time.Now().Add(5 * time.Second)
	for srv.fetches.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(srv.block)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := srv.fetches.Load(); got != 1 {
		t.Errorf("fetches = %d, want 1", got)
	}
}

func TestJWTJWKSFetchTimeout(t *testing.T) {
	k1 := jwtRSAKey()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
	srv.block = make(chan struct{})
	defer close(srv.block)
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, JWKSFetchTimeout: 100 * time.Millisecond, Now: newJWTClock().Now})
	start := time.Now()
	_, err := v.VerifyToken(context.Background(), signJWT(t, jose.RS256, k1, "k1", jwtClaims(nil)))
	if !errors.Is(err, authz.ErrVerifierUnavailable) || !strings.Contains(err.Error(), "JWKS") {
		t.Errorf("err = %v, want authz.ErrVerifierUnavailable about the JWKS", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("verification took %v despite a 100ms fetch timeout", d)
	}
}

func TestJWTJWKSCallerContext(t *testing.T) {
	k1 := jwtRSAKey()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
	srv.block = make(chan struct{})
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, Now: newJWTClock().Now})
	tok := signJWT(t, jose.RS256, k1, "k1", jwtClaims(nil))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := v.VerifyToken(ctx, tok); !errors.Is(err, authz.ErrVerifierUnavailable) {
		t.Errorf("err = %v, want authz.ErrVerifierUnavailable", err)
	}
	// The fetch the cancelled caller started goes on for the others.
	close(srv.block)
	if _, err := v.VerifyToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if got := srv.fetches.Load(); got != 1 {
		t.Errorf("fetches = %d, want 1", got)
	}
}

func TestJWTJWKSFailures(t *testing.T) {
	k1 := jwtRSAKey()
	tok := signJWT(t, jose.RS256, k1, "k1", jwtClaims(map[string]any{"exp": jwtTestBase.Add(24 * time.Hour).Unix()}))
	t.Run("server error, then recovery after the interval", func(t *testing.T) {
		srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
		srv.status.Store(http.StatusInternalServerError)
		clock := newJWTClock()
		v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, Now: clock.Now})
		for range 3 {
			if _, err := v.VerifyToken(context.Background(), tok); !errors.Is(err, authz.ErrVerifierUnavailable) {
				t.Fatalf("err = %v, want authz.ErrVerifierUnavailable", err)
			}
		}
		if got := srv.fetches.Load(); got != 1 {
			t.Errorf("fetches = %d, want 1", got)
		}
		srv.status.Store(0)
		clock.Advance(time.Minute)
		if _, err := v.VerifyToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("failed refresh keeps the cached keys", func(t *testing.T) {
		srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
		clock := newJWTClock()
		v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, CacheSize: -1, Now: clock.Now})
		if _, err := v.VerifyToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		srv.status.Store(http.StatusBadGateway)
		clock.Advance(2 * time.Hour)
		// A key the cached set lacks may be a new one the failed fetch
		// would have brought: the token cannot be judged (nor accepted).
		forged := signJWT(t, jose.RS256, k1, "other", jwtClaims(map[string]any{"exp": jwtTestBase.Add(24 * time.Hour).Unix()}))
		if _, err := v.VerifyToken(context.Background(), forged); !errors.Is(err, authz.ErrVerifierUnavailable) {
			t.Fatalf("err = %v, want authz.ErrVerifierUnavailable", err)
		}
		if _, err := v.VerifyToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	})
}

func TestJWTJWKSKeySelection(t *testing.T) {
	rsaKey, ecKey := jwtRSAKey(), jwtECKey()
	encKey := jwtPublicJWK(jwtRSAKey2(), "enc", "")
	encKey.Use = "enc"
	srv := newJWTJWKSServer(t,
		jwtPublicJWK(rsaKey, "rs", "RS256"),
		jwtPublicJWK(ecKey, "ec", ""),
		encKey,
		jose.JSONWebKey{Key: jwtHMACKey, KeyID: "oct", Algorithm: "HS256"},
		jose.JSONWebKey{Key: jwtRSAKey2(), KeyID: "private"},
	)
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, Now: newJWTClock().Now})
	claims := jwtClaims(nil)
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"RS256 by kid", signJWT(t, jose.RS256, rsaKey, "rs", claims), true},
		{"ES256 by kid", signJWT(t, jose.ES256, ecKey, "ec", claims), true},
		{"no kid: tried against the keys of its type", signJWT(t, jose.ES256, ecKey, "", claims), true},
		{"PS256 with a key pinned to RS256", signJWT(t, jose.PS256, rsaKey, "rs", claims), false},
		{"kid of another key type", signJWT(t, jose.RS256, rsaKey, "ec", claims), false},
		{"HS256 with the oct key", signJWT(t, jose.HS256, jwtHMACKey, "oct", claims), false},
		{"encryption key", signJWT(t, jose.RS256, jwtRSAKey2(), "enc", claims), false},
		{"published private key", signJWT(t, jose.RS256, jwtRSAKey2(), "private", claims), false},
		{"none", jwtUnsigned(claims), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.VerifyToken(context.Background(), tt.raw)
			if tt.ok && err != nil {
				t.Fatal(err)
			}
			if !tt.ok && !errors.Is(err, authz.ErrInvalidToken) {
				t.Fatalf("err = %v, want authz.ErrInvalidToken", err)
			}
		})
	}
	set := v.jwks.set.Load()
	var kids []string
	for _, k := range set.keys {
		kids = append(kids, k.KeyID)
	}
	if diff := cmp.Diff([]string{"rs", "ec"}, kids); diff != "" {
		t.Errorf("usable keys (-want +got):\n%s", diff)
	}
}

func TestJWTCache(t *testing.T) {
	key := jwtRSAKey()
	ctx := context.Background()
	t.Run("hit is a copy", func(t *testing.T) {
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Now: newJWTClock().Now})
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(nil))
		first, err := v.VerifyToken(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		first.Scopes[0] = "admin"
		first.Claims["scope"] = "admin"
		second, err := v.VerifyToken(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(second.Scopes, []string{"read", "write"}) || second.Claims["scope"] != "read write" {
			t.Errorf("cached token changed by its user: %v %v", second.Scopes, second.Claims["scope"])
		}
		if n := len(v.cache.entries); n != 1 {
			t.Errorf("cache has %d entries, want 1", n)
		}
	})
	t.Run("hit is a deep copy", func(t *testing.T) {
		// A handler that changes a nested claim (a role list, say) must
		// not change what the next request with the same token is
		// granted.
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Now: newJWTClock().Now})
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{
			"realm_access": map[string]any{"roles": []any{"viewer"}},
			"groups":       []any{"staff", map[string]any{"name": "ops"}},
		}))
		want := map[string]any{
			"realm_access": map[string]any{"roles": []any{"viewer"}},
			"groups":       []any{"staff", map[string]any{"name": "ops"}},
		}
		for i := range 3 {
			tok, err := v.VerifyToken(ctx, raw)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{"realm_access": tok.Claims["realm_access"], "groups": tok.Claims["groups"]}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("verification %d: nested claims changed by an earlier request (-want +got):\n%s", i, diff)
			}
			realm := tok.Claims["realm_access"].(map[string]any)
			realm["roles"].([]any)[0] = "admin"
			realm["extra"] = true
			groups := tok.Claims["groups"].([]any)
			groups[0] = "admins"
			groups[1].(map[string]any)["name"] = "root"
		}
	})
	t.Run("expired cached token refused", func(t *testing.T) {
		clock := newJWTClock()
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Now: clock.Now})
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"exp": jwtTestBase.Add(10 * time.Second).Unix()}))
		if _, err := v.VerifyToken(ctx, raw); err != nil {
			t.Fatal(err)
		}
		clock.Advance(5 * time.Second)
		if _, err := v.VerifyToken(ctx, raw); err != nil {
			t.Fatal(err)
		}
		clock.Advance(36 * time.Second) // exp + leeway + 1s
		if tok, err := v.VerifyToken(ctx, raw); tok != nil || !errors.Is(err, authz.ErrInvalidToken) {
			t.Fatalf("VerifyToken = %v, %v; want authz.ErrInvalidToken", tok, err)
		}
		if n := len(v.cache.entries); n != 0 {
			t.Errorf("expired entry kept: %d entries", n)
		}
	})
	t.Run("entries end at exp, without leeway", func(t *testing.T) {
		clock := newJWTClock()
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, Leeway: -1, Now: clock.Now})
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"exp": jwtTestBase.Add(10 * time.Second).Unix()}))
		if _, err := v.VerifyToken(ctx, raw); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * time.Second)
		if _, err := v.VerifyToken(ctx, raw); !errors.Is(err, authz.ErrInvalidToken) {
			t.Fatalf("err = %v, want authz.ErrInvalidToken", err)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		clock := newJWTClock()
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, CacheSize: 16, Now: clock.Now})
		short := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"exp": jwtTestBase.Add(time.Minute).Unix(), "jti": "short"}))
		if _, err := v.VerifyToken(ctx, short); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Minute)
		for i := range 40 {
			raw := signJWT(t, jose.RS256, key, "", jwtClaims(map[string]any{"jti": fmt.Sprint(i)}))
			if _, err := v.VerifyToken(ctx, raw); err != nil {
				t.Fatal(err)
			}
			if n := len(v.cache.entries); n > 16 {
				t.Fatalf("cache grew to %d entries, bound 16", n)
			}
		}
		for _, tok := range v.cache.entries {
			if tok.Claims["jti"] == "short" {
				t.Error("an expired entry survived eviction")
			}
		}
	})
	t.Run("disabled", func(t *testing.T) {
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey, CacheSize: -1, Now: newJWTClock().Now})
		if v.cache != nil {
			t.Fatal("cache enabled with CacheSize -1")
		}
		raw := signJWT(t, jose.RS256, key, "", jwtClaims(nil))
		for range 2 {
			if _, err := v.VerifyToken(ctx, raw); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("default size", func(t *testing.T) {
		v := newJWTTestVerifier(t, Config{PublicKey: &key.PublicKey})
		if v.cache == nil || v.cache.max != defaultTokenCacheSize {
			t.Fatalf("cache = %+v, want the default size", v.cache)
		}
	})
}

func BenchmarkJWTVerify(b *testing.B) {
	key := jwtRSAKey()
	raw := signJWT(b, jose.RS256, key, "", jwtClaims(map[string]any{"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}))
	for _, size := range []int{0, -1} {
		name := "cache=on"
		if size < 0 {
			name = "cache=off"
		}
		b.Run(name, func(b *testing.B) {
			v := newJWTTestVerifier(b, Config{PublicKey: &key.PublicKey, CacheSize: size})
			ctx := context.Background()
			for b.Loop() {
				if _, err := v.VerifyToken(ctx, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestJWTJWKSOutageIsUnavailable: when the JWKS cannot be fetched, a token
// no cached key verifies cannot be judged: the error wraps
// authz.ErrVerifierUnavailable, answered 503 with Retry-After (the client
// keeps its token), not 401 invalid_token (the client throws it away), for
// as long as the last fetch failed; once a fetch succeeds, a token whose
// key is not in the set is invalid again.
func TestJWTJWKSOutageIsUnavailable(t *testing.T) {
	k1, k2 := jwtRSAKey(), jwtRSAKey2()
	srv := newJWTJWKSServer(t, jwtPublicJWK(k1, "k1", "RS256"))
	srv.status.Store(http.StatusInternalServerError)
	clock := newJWTClock()
	v := newJWTTestVerifier(t, Config{JWKSURL: srv.URL, CacheSize: -1, Now: clock.Now})
	tok1 := signJWT(t, jose.RS256, k1, "k1", jwtClaims(nil))
	tok2 := signJWT(t, jose.RS256, k2, "k2", jwtClaims(nil))
	ctx := context.Background()
	unavailable := func(what, tok string) {
		t.Helper()
		if _, err := v.VerifyToken(ctx, tok); !errors.Is(err, authz.ErrVerifierUnavailable) || errors.Is(err, authz.ErrInvalidToken) {
			t.Errorf("%s: err = %v, want authz.ErrVerifierUnavailable", what, err)
		}
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/mcp", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		if _, ok := authz.Authenticate(w, r, v, func() string { return "http://x/.well-known/oauth-protected-resource/mcp" }); ok || w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s: HTTP %d %v, want 503 with Retry-After", what, w.Code, w.Header())
		}
	}
	unavailable("JWKS never fetched", tok1)
	unavailable("JWKS never fetched, within the refresh interval", tok1)

	srv.status.Store(0)
	clock.Advance(defaultJWKSMinRefreshInterval)
	if _, err := v.VerifyToken(ctx, tok1); err != nil {
		t.Fatalf("JWKS back: %v", err)
	}
	if _, err := v.VerifyToken(ctx, tok2); !errors.Is(err, authz.ErrInvalidToken) {
		t.Errorf("a key the JWKS lacks: err = %v, want authz.ErrInvalidToken", err)
	}

	srv.status.Store(http.StatusBadGateway)
	clock.Advance(defaultJWKSMinRefreshInterval)
	unavailable("a new key while the JWKS is down", tok2)
	unavailable("a new key while the JWKS is down, within the refresh interval", tok2)
	if _, err := v.VerifyToken(ctx, tok1); err != nil {
		t.Errorf("a cached key while the JWKS is down: %v", err)
	}
}
