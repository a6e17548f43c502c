package introspect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/introspect"
)

// endpoint is a scripted introspection endpoint: answer writes the
// response for a token; it records the requests it got.
type endpoint struct {
	answer func(w http.ResponseWriter, token string)
	hang   bool // answer nothing until the client gives up
	mu     sync.Mutex
	forms  []url.Values
	auths  []string
	count  atomic.Int64
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.count.Add(1)
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.forms = append(e.forms, r.PostForm)
	e.auths = append(e.auths, r.Header.Get("Authorization"))
	e.mu.Unlock()
	if e.hang {
		<-r.Context().Done()
		return
	}
	e.answer(w, r.PostForm.Get("token"))
}

func serveJSON(body string) func(http.ResponseWriter, string) {
	return func(w http.ResponseWriter, _ string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

// fakeNow is a settable clock.
type fakeNow struct{ t atomic.Int64 }

func newFakeNow() *fakeNow {
	f := &fakeNow{}
	f.t.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return f
}
func (f *fakeNow) now() time.Time          { return time.Unix(0, f.t.Load()) }
func (f *fakeNow) advance(d time.Duration) { f.t.Add(int64(d)) }

func fake(t *testing.T, e *endpoint, clk *fakeNow, edit func(*introspect.Config)) *introspect.Verifier {
	t.Helper()
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	cfg := introspect.Config{
		URL: ts.URL + "/introspect", ClientID: "rs", ClientSecret: "secret",
		Issuer: "https://idp.test", Audience: []string{"https://mcp.test/mcp"},
		Now: clk.now, Timeout: time.Second,
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

// response builds an introspection response for the fake clock.
func response(clk *fakeNow, extra map[string]any) string {
	m := map[string]any{
		"active": true, "iss": "https://idp.test", "aud": "https://mcp.test/mcp",
		"client_id": "app", "sub": "user-1", "scope": "read write",
		"exp": clk.now().Add(10 * time.Minute).Unix(),
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	var b strings.Builder
	b.WriteString("{")
	first := true
	for k, v := range m {
		if !first {
			b.WriteString(",")
		}
		first = false
		switch v := v.(type) {
		case string:
			fmt.Fprintf(&b, "%q:%q", k, v)
		case []string:
			fmt.Fprintf(&b, "%q:[", k)
			for i, s := range v {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%q", s)
			}
			b.WriteString("]")
		default:
			fmt.Fprintf(&b, "%q:%v", k, v)
		}
	}
	b.WriteString("}")
	return b.String()
}

func TestClaims(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		extra map[string]any
		edit  func(*introspect.Config)
		want  error // nil: accepted
	}{
		{name: "valid"},
		{name: "inactive", extra: map[string]any{"active": false}, want: runtime.ErrInvalidToken},
		{name: "active missing", extra: map[string]any{"active": nil}, want: runtime.ErrInvalidToken},
		{name: "active not a boolean", extra: map[string]any{"active": `"true"`}, want: runtime.ErrVerifierUnavailable},
		{name: "active but expired", extra: map[string]any{"exp": newFakeNow().now().Add(-time.Minute).Unix()}, want: runtime.ErrInvalidToken},
		{name: "expired within leeway", extra: map[string]any{"exp": newFakeNow().now().Add(-10 * time.Second).Unix()}},
		{name: "expired, no leeway", extra: map[string]any{"exp": newFakeNow().now().Add(-10 * time.Second).Unix()},
			edit: func(c *introspect.Config) { c.Leeway = -1 }, want: runtime.ErrInvalidToken},
		{name: "exp not a number", extra: map[string]any{"exp": `"soon"`}, want: runtime.ErrInvalidToken},
		{name: "no exp", extra: map[string]any{"exp": nil}},
		{name: "not yet valid", extra: map[string]any{"nbf": newFakeNow().now().Add(time.Hour).Unix()}, want: runtime.ErrInvalidToken},
		{name: "other issuer", extra: map[string]any{"iss": "https://evil.test"}, want: runtime.ErrInvalidToken},
		{name: "no issuer", extra: map[string]any{"iss": nil}, want: runtime.ErrInvalidToken},
		{name: "no issuer, none configured", extra: map[string]any{"iss": nil}, edit: func(c *introspect.Config) { c.Issuer = "" }},
		{name: "other audience", extra: map[string]any{"aud": "https://other.test/mcp"}, want: runtime.ErrInvalidToken},
		{name: "audience prefix", extra: map[string]any{"aud": "https://mcp.test/mcp/x"}, want: runtime.ErrInvalidToken},
		{name: "no audience", extra: map[string]any{"aud": nil}, want: runtime.ErrInvalidToken},
		{name: "audience list", extra: map[string]any{"aud": []string{"https://other.test", "https://mcp.test/mcp"}}},
		{name: "audience not strings", extra: map[string]any{"aud": "[1,2]"}, want: runtime.ErrInvalidToken},
		{name: "any audience", extra: map[string]any{"aud": nil}, edit: func(c *introspect.Config) { c.Audience = nil; c.AllowAnyAudience = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeNow()
			v := fake(t, &endpoint{answer: serveJSON(response(clk, tc.extra))}, clk, tc.edit)
			got, err := v.VerifyToken(ctx, "tok-"+tc.name)
			if tc.want == nil {
				if err != nil || got == nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got != nil || !errors.Is(err, tc.want) {
				t.Fatalf("got %+v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestMapping(t *testing.T) {
	clk := newFakeNow()
	exp := clk.now().Add(time.Hour).Unix()
	v := fake(t, &endpoint{answer: serveJSON(fmt.Sprintf(
		`{"active":true,"iss":"https://idp.test","aud":["https://mcp.test/mcp","x"],"client_id":"app","sub":"u","scope":"a  b c","exp":%d,"tier":"gold"}`, exp))}, clk, nil)
	got, err := v.VerifyToken(context.Background(), "opaque")
	if err != nil {
		t.Fatal(err)
	}
	want := &runtime.AccessToken{
		Token: "opaque", ClientID: "app", Scopes: []string{"a", "b", "c"}, ExpiresAt: time.Unix(exp, 0),
		Resource: "https://mcp.test/mcp",
		Claims: map[string]any{"active": true, "iss": "https://idp.test", "aud": []any{"https://mcp.test/mcp", "x"},
			"client_id": "app", "sub": "u", "scope": "a  b c", "exp": float64(exp), "tier": "gold"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Handed-out tokens are copies: changing one changes no later answer.
	got.Scopes[0] = "admin"
	got.Claims["tier"] = "platinum"
	again, _ := v.VerifyToken(context.Background(), "opaque")
	if again.Scopes[0] != "a" || again.Claims["tier"] != "gold" {
		t.Errorf("a caller's change reached the cache: %+v", again)
	}

	// client_id falls back to sub; scopes may be a list in "scp".
	v = fake(t, &endpoint{answer: serveJSON(response(clk, map[string]any{"client_id": nil, "scope": nil, "scp": []string{"x", "y"}}))}, clk, nil)
	got, err = v.VerifyToken(context.Background(), "other")
	if err != nil || got.ClientID != "user-1" || !cmp.Equal(got.Scopes, []string{"x", "y"}) {
		t.Errorf("fallbacks: %+v, %v", got, err)
	}
}

func TestClientAuthentication(t *testing.T) {
	clk := newFakeNow()
	e := &endpoint{answer: serveJSON(response(clk, nil))}
	basic := fake(t, e, clk, func(c *introspect.Config) { c.ClientID = "rs:1"; c.ClientSecret = "p@ss word" })
	if _, err := basic.VerifyToken(context.Background(), "t1"); err != nil {
		t.Fatal(err)
	}
	post := fake(t, e, clk, func(c *introspect.Config) { c.AuthMethod = introspect.ClientSecretPost })
	if _, err := post.VerifyToken(context.Background(), "t2"); err != nil {
		t.Fatal(err)
	}
	// RFC 6749 section 2.3.1: Basic credentials are form-encoded first.
	req := &http.Request{Header: http.Header{"Authorization": {e.auths[0]}}}
	id, secret, ok := req.BasicAuth()
	if !ok || id != "rs%3A1" || secret != "p%40ss+word" {
		t.Errorf("Basic credentials %q %q", id, secret)
	}
	if e.forms[0].Has("client_secret") {
		t.Error("client_secret_basic also sent the secret in the form")
	}
	want := url.Values{"token": {"t2"}, "token_type_hint": {"access_token"}, "client_id": {"rs"}, "client_secret": {"secret"}}
	if diff := cmp.Diff(want, e.forms[1]); diff != "" || e.auths[1] != "" {
		t.Errorf("client_secret_post form (-want +got):\n%s\nAuthorization %q", diff, e.auths[1])
	}
}

// Anything but a readable 200 answer is an outage (503), never a verdict on
// the token, and is not cached.
func TestOutages(t *testing.T) {
	clk := newFakeNow()
	for _, tc := range []struct {
		name   string
		answer func(http.ResponseWriter, string)
	}{
		{"500", func(w http.ResponseWriter, _ string) { http.Error(w, "boom", http.StatusInternalServerError) }},
		{"401 (our credentials)", func(w http.ResponseWriter, _ string) { http.Error(w, "no", http.StatusUnauthorized) }},
		{"redirect", func(w http.ResponseWriter, _ string) {
			w.Header().Set("Location", "https://elsewhere.test/introspect")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}},
		{"not JSON", serveJSON(`<html>maintenance</html>`)},
		{"JSON array", serveJSON(`[{"active":true}]`)},
		{"JSON null", serveJSON(`null`)},
		{"too large", serveJSON(`{"active":true,"pad":"` + strings.Repeat("x", 1<<20) + `"}`)},
		{"timeout", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &endpoint{answer: tc.answer, hang: tc.answer == nil}
			v := fake(t, e, clk, func(c *introspect.Config) { c.Timeout = 200 * time.Millisecond })
			for range 2 {
				start := time.Now()
				got, err := v.VerifyToken(context.Background(), "tok")
				if got != nil || !errors.Is(err, runtime.ErrVerifierUnavailable) || errors.Is(err, runtime.ErrInvalidToken) {
					t.Fatalf("got %+v, %v; want ErrVerifierUnavailable only", got, err)
				}
				if el := time.Since(start); el > 2*time.Second {
					t.Fatalf("took %v with a 200ms timeout", el)
				}
				if strings.Contains(err.Error(), "tok") && !strings.Contains(err.Error(), "token") {
					t.Errorf("error names the token: %v", err)
				}
			}
			if n := e.count.Load(); n != 2 {
				t.Errorf("%d requests for two verifications during an outage, want 2 (outages are not cached)", n)
			}
		})
	}

	// A caller that gives up stops waiting before the verifier's own
	// request times out.
	v := fake(t, &endpoint{hang: true}, clk, func(c *introspect.Config) { c.Timeout = 300 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := v.VerifyToken(ctx, "tok"); !errors.Is(err, runtime.ErrVerifierUnavailable) || time.Since(start) > 250*time.Millisecond {
		t.Errorf("cancelled caller: %v after %v", err, time.Since(start))
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	clk := newFakeNow()
	var active atomic.Bool
	active.Store(true)
	shortExp := clk.now().Add(time.Minute + 20*time.Second) // 20s after the "short" token is first used
	e := &endpoint{answer: func(w http.ResponseWriter, tok string) {
		exp := clk.now().Add(10 * time.Minute)
		if tok == "short" {
			exp = shortExp
		}
		serveJSON(response(clk, map[string]any{"active": active.Load(), "exp": exp.Unix()}))(w, tok)
	}}
	v := fake(t, e, clk, func(c *introspect.Config) {
		c.CacheTTL = time.Minute
		c.NegativeCacheTTL = 5 * time.Second
		c.Leeway = -1
	})
	verify := func(tok string) error { _, err := v.VerifyToken(ctx, tok); return err }
	requests := func() int64 { return e.count.Load() }

	// Positive entries last CacheTTL: revocation shows after at most that.
	if err := verify("long"); err != nil {
		t.Fatal(err)
	}
	active.Store(false)
	clk.advance(59 * time.Second)
	if err := verify("long"); err != nil || requests() != 1 {
		t.Fatalf("within CacheTTL: %v, %d requests", err, requests())
	}
	clk.advance(time.Second)
	if err := verify("long"); !errors.Is(err, runtime.ErrInvalidToken) || requests() != 2 {
		t.Fatalf("after CacheTTL the revocation must show: %v, %d requests", err, requests())
	}

	// ...and never past the token's exp.
	active.Store(true)
	if err := verify("short"); err != nil {
		t.Fatal(err)
	}
	clk.advance(19 * time.Second)
	if err := verify("short"); err != nil || requests() != 3 {
		t.Fatalf("before exp: %v, %d requests", err, requests())
	}
	clk.advance(time.Second)
	if err := verify("short"); !errors.Is(err, runtime.ErrInvalidToken) || requests() != 4 {
		t.Fatalf("at exp: %v, %d requests (want a new request and a refusal)", err, requests())
	}

	// Negative entries last NegativeCacheTTL.
	active.Store(false)
	if err := verify("bad"); !errors.Is(err, runtime.ErrInvalidToken) || requests() != 5 {
		t.Fatal(err)
	}
	clk.advance(4 * time.Second)
	if err := verify("bad"); !errors.Is(err, runtime.ErrInvalidToken) || requests() != 5 {
		t.Fatalf("within NegativeCacheTTL: %v, %d requests", err, requests())
	}
	active.Store(true)
	clk.advance(time.Second)
	if err := verify("bad"); err != nil || requests() != 6 {
		t.Fatalf("after NegativeCacheTTL: %v, %d requests", err, requests())
	}
}

// The cache never holds more than CacheSize outcomes, however many distinct
// tokens arrive, and a flood of bad tokens evicts them before good ones.
func TestCacheBounded(t *testing.T) {
	clk := newFakeNow()
	e := &endpoint{answer: func(w http.ResponseWriter, tok string) {
		serveJSON(response(clk, map[string]any{"active": strings.HasPrefix(tok, "good")}))(w, tok)
	}}
	v := fake(t, e, clk, func(c *introspect.Config) { c.CacheSize = 64 })
	ctx := context.Background()
	for i := range 8 {
		if _, err := v.VerifyToken(ctx, fmt.Sprint("good-", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		v.VerifyToken(ctx, fmt.Sprint("bad-", i))
		if n := introspect.CacheLen(v); n > 64 {
			t.Fatalf("cache holds %d outcomes, bound 64", n)
		}
	}
	before := e.count.Load()
	for i := range 8 {
		if _, err := v.VerifyToken(ctx, fmt.Sprint("good-", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count.Load() - before; n != 0 {
		t.Errorf("the flood of bad tokens evicted %d good ones", n)
	}
}

func TestRequiredScopes(t *testing.T) {
	clk := newFakeNow()
	e := &endpoint{answer: serveJSON(response(clk, map[string]any{"scope": "read"}))}
	v := fake(t, e, clk, func(c *introspect.Config) { c.RequiredScopes = []string{"read", "mcp"} })
	for i := range 2 { // the cached answer too
		_, err := v.VerifyToken(context.Background(), "tok")
		var se *runtime.InsufficientScopeError
		if !errors.As(err, &se) || !cmp.Equal(se.Missing, []string{"mcp"}) || !cmp.Equal(se.Required, []string{"read", "mcp"}) {
			t.Errorf("try %d: %v, want an InsufficientScopeError missing mcp", i, err)
		}
	}
	if e.count.Load() != 1 {
		t.Errorf("%d requests", e.count.Load())
	}
}

func TestRefusedWithoutAsking(t *testing.T) {
	e := &endpoint{answer: serveJSON(`{"active":true}`)}
	v := fake(t, e, newFakeNow(), nil)
	for _, tok := range []string{"", strings.Repeat("x", 64<<10+1)} {
		if _, err := v.VerifyToken(context.Background(), tok); !errors.Is(err, runtime.ErrInvalidToken) {
			t.Errorf("token of %d bytes: %v", len(tok), err)
		}
	}
	if e.count.Load() != 0 {
		t.Errorf("%d requests for tokens refused on sight", e.count.Load())
	}
}

func TestConfigErrors(t *testing.T) {
	ok := introspect.Config{URL: "https://idp.test/introspect", ClientID: "rs", Audience: []string{"https://mcp.test"}}
	for _, tc := range []struct {
		edit func(*introspect.Config)
		want string
	}{
		{func(c *introspect.Config) { c.URL = "" }, `introspect: Config.URL "" is not an http or https URL`},
		{func(c *introspect.Config) { c.URL = "ftp://idp.test/x" }, `introspect: Config.URL "ftp://idp.test/x" is not an http or https URL`},
		{func(c *introspect.Config) { c.ClientID = "" }, "introspect: Config.ClientID is required: introspection endpoints authenticate their callers (RFC 7662 section 2.1)"},
		{func(c *introspect.Config) { c.AuthMethod = "private_key_jwt" }, `introspect: Config.AuthMethod "private_key_jwt" is not "client_secret_basic" or "client_secret_post"`},
		{func(c *introspect.Config) { c.Audience = nil }, "introspect: Config.Audience is required (this server's resource URL), or set AllowAnyAudience"},
		{func(c *introspect.Config) { c.Audience = []string{""} }, "introspect: Config.Audience contains an empty audience"},
		{func(c *introspect.Config) { c.RequiredScopes = []string{"a b"} }, `introspect: Config.RequiredScopes: "a b" is not a scope token`},
	} {
		cfg := ok
		tc.edit(&cfg)
		if _, err := introspect.New(cfg); err == nil || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
	if _, err := introspect.New(ok); err != nil {
		t.Errorf("valid config: %v", err)
	}
}

type panickingTransport struct{}

func (panickingTransport) RoundTrip(*http.Request) (*http.Response, error) { panic("transport bug") }

// A panic while introspecting is an outage of that request, not the end of
// the process, and later requests are asked about again.
func TestPanicIsAnOutage(t *testing.T) {
	clk := newFakeNow()
	v := fake(t, &endpoint{answer: serveJSON(`{"active":true}`)}, clk, func(c *introspect.Config) {
		c.HTTPClient = &http.Client{Transport: panickingTransport{}}
	})
	for range 2 {
		if got, err := v.VerifyToken(context.Background(), "tok"); got != nil || !errors.Is(err, runtime.ErrVerifierUnavailable) {
			t.Fatalf("got %+v, %v; want ErrVerifierUnavailable", got, err)
		}
	}
}

// TestCacheHandsOutDeepCopies: a handler that changes a nested claim of
// its token (a role list, say) does not change what the next request
// with the same token is granted, whether that one is answered from the
// cache or shares the introspection.
func TestCacheHandsOutDeepCopies(t *testing.T) {
	clk := newFakeNow()
	nested := map[string]any{
		"realm_access": map[string]any{"roles": []any{"viewer"}},
		"groups":       []any{"staff", map[string]any{"name": "ops"}},
	}
	body, err := json.Marshal(map[string]any{
		"active": true, "iss": "https://idp.test", "aud": "https://mcp.test/mcp", "client_id": "app",
		"exp":          clk.now().Add(10 * time.Minute).Unix(),
		"realm_access": nested["realm_access"], "groups": nested["groups"],
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &endpoint{answer: serveJSON(string(body))}
	v := fake(t, e, clk, func(c *introspect.Config) { c.CacheTTL = time.Minute })
	for i := range 3 {
		tok, err := v.VerifyToken(context.Background(), "tok")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{"realm_access": tok.Claims["realm_access"], "groups": tok.Claims["groups"]}
		if diff := cmp.Diff(nested, got); diff != "" {
			t.Fatalf("verification %d: nested claims changed by an earlier request (-want +got):\n%s", i, diff)
		}
		realm := tok.Claims["realm_access"].(map[string]any)
		realm["roles"].([]any)[0] = "admin"
		realm["extra"] = true
		groups := tok.Claims["groups"].([]any)
		groups[0] = "admins"
		groups[1].(map[string]any)["name"] = "root"
	}
	if n := e.count.Load(); n != 1 {
		t.Errorf("%d introspection requests, want 1 (the others from the cache)", n)
	}
}
