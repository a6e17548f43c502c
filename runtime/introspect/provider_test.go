package introspect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/e2e/oidctest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/introspect"
)

// resource is the MCP server's resource URL, the audience its tokens need.
const resource = "http://127.0.0.1/mcp"

var providerClients = []oidctest.Client{
	{ID: "opaque-app", Secret: "opaque-secret", Scopes: []string{"read", "write"}, Opaque: true},
	{ID: "jwt-app", Secret: "jwt-secret", Scopes: []string{"read"}},
	{ID: "mcp-server", Secret: "s3rv3r:secret/+"}, // characters Basic auth must form-encode
}

// clock is the provider's clock, which tests move forward.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func startProvider(t testing.TB) (*oidctest.Provider, *clock) {
	t.Helper()
	c := &clock{}
	p, err := oidctest.New(oidctest.Config{Clients: providerClients, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p, c
}

func newVerifier(t testing.TB, p *oidctest.Provider, edit func(*introspect.Config)) *introspect.Verifier {
	t.Helper()
	cfg := introspect.Config{
		URL:          p.URL(oidctest.IntrospectionPath),
		ClientID:     "mcp-server",
		ClientSecret: "s3rv3r:secret/+",
		Issuer:       p.Issuer(),
		Audience:     []string{resource},
		Timeout:      2 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	v, err := introspect.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func issue(t testing.TB, p *oidctest.Provider, client, secret, scope, aud string) string {
	t.Helper()
	tok, err := p.ClientCredentials(context.Background(), client, secret, scope, aud)
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// captureLogs sends slog's default logger to a buffer for the test.
func captureLogs(t *testing.T) *syncBuffer {
	t.Helper()
	buf := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// mcpServer serves one tool, whoami, that reports the caller, behind v.
func mcpServer(t testing.TB, v runtime.TokenVerifier) http.Handler {
	t.Helper()
	srv := runtime.NewServer("introspected", "1")
	srv.AddTool(mcp.NewTool("whoami"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		tok := runtime.AccessTokenFromContext(ctx)
		return mcp.NewToolResultText(tok.ClientID + " " + strings.Join(tok.Scopes, ",")), nil
	}, runtime.WithScopes("read"))
	return srv.HTTPHandler(runtime.WithTokenVerifier(v), runtime.WithResourceURL(resource))
}

// initialize posts an MCP initialize request with token and returns the
// status, WWW-Authenticate and body.
func initialize(h http.Handler, token string) (int, string, string) {
	req := httptest.NewRequest(http.MethodPost, resource, strings.NewReader(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, rec.Header().Get("WWW-Authenticate"), string(body)
}

// TestAgainstProvider runs every outcome the verifier must tell apart
// against a real authorization server, directly and through the runtime's
// HTTP handler: the status each gets, that bad tokens are never accepted,
// and that no token text reaches the logs or the client.
func TestAgainstProvider(t *testing.T) {
	logs := captureLogs(t)
	p, clk := startProvider(t)
	ctx := context.Background()

	opaque := issue(t, p, "opaque-app", "opaque-secret", "read write", resource)
	jwtTok := issue(t, p, "jwt-app", "jwt-secret", "read", resource)
	otherAud := issue(t, p, "opaque-app", "opaque-secret", "read", "https://other.example/mcp")
	revoked := issue(t, p, "opaque-app", "opaque-secret", "read", resource)
	expiring := issue(t, p, "opaque-app", "opaque-secret", "read", resource)
	if err := p.Revoke(ctx, "opaque-app", "opaque-secret", revoked); err != nil {
		t.Fatal(err)
	}
	seen := []string{opaque, jwtTok, otherAud, revoked, expiring}

	v := newVerifier(t, p, func(c *introspect.Config) { c.CacheTTL = -1; c.NegativeCacheTTL = -1 })
	h := mcpServer(t, v)

	// Valid tokens, opaque and JWT alike, map every field.
	got, err := v.VerifyToken(ctx, opaque)
	if err != nil {
		t.Fatalf("valid opaque token refused: %v", err)
	}
	if got.Token != opaque || got.ClientID != "opaque-app" || got.Resource != resource ||
		!cmp.Equal(got.Scopes, []string{"read", "write"}) || got.Claims["sub"] != "opaque-app" || got.Claims["iss"] != p.Issuer() {
		t.Errorf("mapped token = %+v", got)
	}
	if d := time.Until(got.ExpiresAt); d < 4*time.Minute || d > 5*time.Minute {
		t.Errorf("ExpiresAt in %v, want the provider's 5 minutes", d)
	}
	if got, err := v.VerifyToken(ctx, jwtTok); err != nil || got.ClientID != "jwt-app" || !cmp.Equal(got.Scopes, []string{"read"}) {
		t.Errorf("valid JWT through introspection: %+v, %v", got, err)
	}
	if code, _, body := initialize(h, opaque); code != http.StatusOK || !strings.Contains(body, `"serverInfo"`) {
		t.Errorf("valid token over HTTP: %d %s", code, body)
	}

	// Bad tokens: 401 invalid_token, whatever made them bad.
	clk.advance(10 * time.Minute)
	if _, err := v.VerifyToken(ctx, expiring); !errors.Is(err, runtime.ErrInvalidToken) {
		t.Errorf("expired token: %v, want ErrInvalidToken", err)
	}
	clk.advance(-10 * time.Minute)
	for name, tok := range map[string]string{
		"revoked": revoked, "other audience": otherAud, "unknown": "not-a-token", "forged": opaque + "x",
	} {
		if got, err := v.VerifyToken(ctx, tok); got != nil || !errors.Is(err, runtime.ErrInvalidToken) {
			t.Errorf("%s token: %+v, %v; want ErrInvalidToken", name, got, err)
		}
		code, challenge, _ := initialize(h, tok)
		if code != http.StatusUnauthorized || !strings.Contains(challenge, `error="invalid_token"`) {
			t.Errorf("%s token over HTTP: %d %q, want 401 invalid_token", name, code, challenge)
		}
	}

	// A verifier with the wrong issuer or wrong credentials accepts nothing;
	// bad credentials are the server's problem (503), not the token's.
	wrongIss := newVerifier(t, p, func(c *introspect.Config) { c.Issuer = "https://elsewhere.example" })
	if _, err := wrongIss.VerifyToken(ctx, opaque); !errors.Is(err, runtime.ErrInvalidToken) {
		t.Errorf("wrong issuer: %v", err)
	}
	wrongCreds := newVerifier(t, p, func(c *introspect.Config) { c.ClientSecret = "wrong" })
	if _, err := wrongCreds.VerifyToken(ctx, opaque); !errors.Is(err, runtime.ErrVerifierUnavailable) {
		t.Errorf("wrong client secret: %v, want ErrVerifierUnavailable", err)
	}
	post := newVerifier(t, p, func(c *introspect.Config) { c.AuthMethod = introspect.ClientSecretPost })
	if _, err := post.VerifyToken(ctx, opaque); err == nil {
		// The op package authenticates introspection callers by Basic auth
		// or JWT only; a provider that ignored the credentials would pass.
		t.Error("client_secret_post: the provider answered a caller it cannot authenticate")
	}

	// Provider answering 503, then gone: 503 for every token, good or bad,
	// and nothing accepted.
	for _, outage := range []struct {
		name  string
		start func()
	}{
		{"unavailable", func() { p.SetAvailable(false) }},
		{"closed", p.Close},
	} {
		outage.start()
		for _, tok := range []string{opaque, revoked, "not-a-token"} {
			if got, err := v.VerifyToken(ctx, tok); got != nil || !errors.Is(err, runtime.ErrVerifierUnavailable) {
				t.Errorf("provider %s: %+v, %v; want ErrVerifierUnavailable", outage.name, got, err)
			}
			if code, challenge, _ := initialize(h, tok); code != http.StatusServiceUnavailable || challenge != "" {
				t.Errorf("provider %s over HTTP: %d %q, want 503 without a challenge", outage.name, code, challenge)
			}
		}
	}

	out := logs.String()
	if !strings.Contains(out, "token verifier unavailable") || !strings.Contains(out, "bearer token refused") {
		t.Errorf("the refusals were not logged:\n%s", out)
	}
	for _, tok := range seen {
		if strings.Contains(out, tok) {
			t.Fatalf("a token reached the logs:\n%s", out)
		}
	}
}

// TestOneRequestPerToken counts the provider's introspection requests:
// repeated and concurrent uses of a token cost one request, each new token
// one more, and a refused token is not asked about again while its negative
// entry lasts.
func TestOneRequestPerToken(t *testing.T) {
	p, _ := startProvider(t)
	v := newVerifier(t, p, nil)
	ctx := context.Background()
	tokens := make([]string, 5)
	for i := range tokens {
		tokens[i] = issue(t, p, "opaque-app", "opaque-secret", "read", resource)
	}
	before := p.Requests(oidctest.IntrospectionPath)
	var wg sync.WaitGroup
	for _, tok := range tokens {
		for range 20 {
			wg.Go(func() {
				if _, err := v.VerifyToken(ctx, tok); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	for range 3 {
		for _, tok := range tokens {
			if _, err := v.VerifyToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := p.Requests(oidctest.IntrospectionPath) - before; n != len(tokens) {
		t.Errorf("%d introspection requests for %d tokens used 23 times each, want %d", n, len(tokens), len(tokens))
	}

	before = p.Requests(oidctest.IntrospectionPath)
	for range 10 {
		if _, err := v.VerifyToken(ctx, "bad-token"); !errors.Is(err, runtime.ErrInvalidToken) {
			t.Fatal(err)
		}
	}
	if n := p.Requests(oidctest.IntrospectionPath) - before; n != 1 {
		t.Errorf("%d introspection requests for a bad token sent 10 times, want 1", n)
	}

	// An outage is not remembered: once the provider is back, the token is
	// asked about again and accepted.
	fresh := issue(t, p, "opaque-app", "opaque-secret", "read", resource)
	p.SetAvailable(false)
	if _, err := v.VerifyToken(ctx, fresh); !errors.Is(err, runtime.ErrVerifierUnavailable) {
		t.Fatalf("during the outage: %v", err)
	}
	p.SetAvailable(true)
	if _, err := v.VerifyToken(ctx, fresh); err != nil {
		t.Errorf("after the outage: %v", err)
	}
}

// The scopes the verifier requires of every token are published in the
// protected resource metadata, beside those the components declare.
func TestRequiredScopesPublished(t *testing.T) {
	p, _ := startProvider(t)
	h := mcpServer(t, newVerifier(t, p, func(c *introspect.Config) { c.RequiredScopes = []string{"mcp"} }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/.well-known/oauth-protected-resource/mcp", nil))
	var doc struct {
		ScopesSupported []string `json:"scopes_supported"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body.String(), err)
	}
	if !cmp.Equal(doc.ScopesSupported, []string{"mcp", "read"}) {
		t.Errorf("scopes_supported = %v, want [mcp read]", doc.ScopesSupported)
	}
}
