// Package introspect verifies OAuth access tokens with the token
// introspection endpoint (RFC 7662) of the authorization server that issued
// them. It is for opaque tokens, which only their issuer can read, and for
// any token whose revocation must take effect before it expires.
//
//	v, err := introspect.New(introspect.Config{
//		URL:          "https://idp.example/oauth2/introspect",
//		ClientID:     "mcp-server",
//		ClientSecret: os.Getenv("INTROSPECTION_SECRET"),
//		Issuer:       "https://idp.example",
//		Audience:     []string{"https://mcp.example/mcp"},
//	})
//	handler := srv.HTTPHandler(runtime.WithTokenVerifier(v))
//
// A token is accepted when the endpoint answers "active": true, and the
// answer's "exp" and "nbf" hold, its "iss" is Config.Issuer (when set) and its
// "aud" names one of Config.Audience. Accepted tokens are remembered for a
// short while (Config.CacheTTL, never past their "exp") and refused ones for
// a shorter while (Config.NegativeCacheTTL), so a client that sends the same
// token on every request costs one introspection request per token and per
// CacheTTL; concurrent first requests with the same token share one
// introspection request. Each verification hands out its own deep copy of
// the token (AccessToken.Clone), so a handler that changes its token's
// claims, however deep, changes nothing for the next request.
//
// When the endpoint cannot answer (connection refused, timeout, a status
// other than 200, a body that is not an introspection response), the error
// wraps authz.ErrVerifierUnavailable (runtime.ErrVerifierUnavailable), which
// runtime.HTTPHandler answers with 503 rather than 401: the token may be
// good. Such failures are never cached. Errors never contain the token; they
// are meant for logs.
//
// The package depends on the standard library and runtime/authz only: it
// links no MCP SDK and no JOSE library. Its types are runtime's
// (runtime.AccessToken is authz.AccessToken).
package introspect

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// AuthMethod is how the verifier authenticates to the introspection
// endpoint (RFC 7662 section 2.1 requires some authentication), named as
// in OAuth's token_endpoint_auth_method.
type AuthMethod string

const (
	// ClientSecretBasic sends ClientID and ClientSecret in an HTTP Basic
	// Authorization header, each form-encoded first (RFC 6749 section
	// 2.3.1). The default.
	ClientSecretBasic AuthMethod = "client_secret_basic"
	// ClientSecretPost sends them as client_id and client_secret form
	// parameters.
	ClientSecretPost AuthMethod = "client_secret_post"
)

// Defaults of Config.
const (
	DefaultTimeout          = 5 * time.Second
	DefaultCacheTTL         = time.Minute
	DefaultNegativeCacheTTL = 5 * time.Second
	DefaultCacheSize        = 4096
	DefaultLeeway           = 30 * time.Second

	// maxTokenSize bounds the tokens sent to the endpoint at all.
	maxTokenSize = 64 << 10
	// maxResponseSize bounds an introspection response.
	maxResponseSize = 1 << 20
)

// Config configures New.
type Config struct {
	// URL is the introspection endpoint, as the authorization server's
	// metadata names it (introspection_endpoint). Use https outside tests.
	URL string

	// ClientID and ClientSecret are this server's credentials at the
	// authorization server (most providers register the resource server
	// as a client for introspection).
	ClientID, ClientSecret string

	// AuthMethod is how the credentials are sent; default ClientSecretBasic.
	AuthMethod AuthMethod

	// Issuer, when set, must equal the response's "iss"; a response
	// without "iss" is then refused.
	Issuer string

	// Audience lists the accepted audiences: the response's "aud" (a
	// string or a list) must contain one of them. Set it to this server's
	// resource URL, the "resource" of its protected resource metadata,
	// which MCP clients request tokens for (RFC 8707). It is required
	// unless AllowAnyAudience is set.
	Audience []string

	// AllowAnyAudience turns the audience check off, for authorization
	// servers whose introspection answers carry no "aud". Tokens issued to
	// other services are then accepted too: prefer a provider that binds
	// tokens to their resource.
	AllowAnyAudience bool

	// RequiredScopes are scopes every token must grant (all of them). A
	// token that lacks one is refused with an *authz.InsufficientScopeError
	// (HTTP 403 insufficient_scope). The runtime publishes them in
	// scopes_supported (authz.ScopeRequirer).
	RequiredScopes []string

	// HTTPClient sends the introspection requests. Default: a client of its
	// own that does not follow redirects (a redirected introspection
	// request would carry the token and the credentials elsewhere).
	HTTPClient *http.Client

	// Timeout bounds one introspection request, whatever HTTPClient's own
	// timeout and whether or not the request that needed it is still
	// waiting. Default DefaultTimeout.
	Timeout time.Duration

	// CacheTTL is the longest an accepted token is remembered without
	// asking the endpoint again; never past its "exp". It is how long a
	// revoked token may still be accepted. Zero means DefaultCacheTTL; a
	// negative value means accepted tokens are not cached.
	CacheTTL time.Duration

	// NegativeCacheTTL is how long a refused token is refused without
	// asking the endpoint again, so that a client repeating a bad token
	// does not load the authorization server. Zero means
	// DefaultNegativeCacheTTL; a negative value turns it off. Answers the
	// endpoint could not give (outages) are never cached.
	NegativeCacheTTL time.Duration

	// CacheSize bounds the number of tokens remembered, accepted and
	// refused together. When the cache is full, expired entries are
	// dropped first, then refused ones, then arbitrary ones. Zero means
	// DefaultCacheSize; a negative value turns both caches off.
	CacheSize int

	// Leeway is the clock skew allowed when checking "exp" and "nbf". Zero
	// means DefaultLeeway; a negative value means none.
	Leeway time.Duration

	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Verifier is a runtime.TokenVerifier (authz.TokenVerifier) that asks an
// introspection endpoint. It is safe for concurrent use.
type Verifier struct {
	cfg         Config
	endpoint    string
	client      *http.Client
	timeout     time.Duration
	positiveTTL time.Duration // <= 0: off
	negativeTTL time.Duration // <= 0: off
	leeway      time.Duration
	now         func() time.Time
	cache       *cache // nil: off

	mu       sync.Mutex
	inflight map[[sha256.Size]byte]*call
}

var _ authz.TokenVerifier = (*Verifier)(nil)

// New returns a Verifier for cfg, or an error naming the first setting that
// is missing or wrong. It sends no request.
func New(cfg Config) (*Verifier, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("introspect: Config.URL %q is not an http or https URL", cfg.URL)
	}
	if cfg.ClientID == "" {
		return nil, errors.New("introspect: Config.ClientID is required: introspection endpoints authenticate their callers (RFC 7662 section 2.1)")
	}
	switch cfg.AuthMethod {
	case "":
		cfg.AuthMethod = ClientSecretBasic
	case ClientSecretBasic, ClientSecretPost:
	default:
		return nil, fmt.Errorf("introspect: Config.AuthMethod %q is not %q or %q", cfg.AuthMethod, ClientSecretBasic, ClientSecretPost)
	}
	if len(cfg.Audience) == 0 && !cfg.AllowAnyAudience {
		return nil, errors.New("introspect: Config.Audience is required (this server's resource URL), or set AllowAnyAudience")
	}
	if slices.Contains(cfg.Audience, "") {
		return nil, errors.New("introspect: Config.Audience contains an empty audience")
	}
	for _, sc := range cfg.RequiredScopes {
		if sc == "" || strings.ContainsAny(sc, " \"\\") {
			return nil, fmt.Errorf("introspect: Config.RequiredScopes: %q is not a scope token", sc)
		}
	}
	cfg.Audience = slices.Clone(cfg.Audience)
	cfg.RequiredScopes = slices.Clone(cfg.RequiredScopes)
	v := &Verifier{
		cfg:         cfg,
		endpoint:    u.String(),
		client:      cfg.HTTPClient,
		timeout:     orDefault(cfg.Timeout, DefaultTimeout),
		positiveTTL: orDefault(cfg.CacheTTL, DefaultCacheTTL),
		negativeTTL: orDefault(cfg.NegativeCacheTTL, DefaultNegativeCacheTTL),
		leeway:      max(orDefault(cfg.Leeway, DefaultLeeway), 0),
		now:         cfg.Now,
		inflight:    map[[sha256.Size]byte]*call{},
	}
	if v.client == nil {
		v.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if v.now == nil {
		v.now = time.Now
	}
	if size := cfg.CacheSize; size >= 0 && (v.positiveTTL > 0 || v.negativeTTL > 0) {
		if size == 0 {
			size = DefaultCacheSize
		}
		v.cache = &cache{max: size, entries: map[[sha256.Size]byte]entry{}}
	}
	return v, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// RequiredScopes returns Config.RequiredScopes, which a server publishes
// in scopes_supported (authz.ScopeRequirer). The caller must not modify
// the slice.
func (v *Verifier) RequiredScopes() []string { return v.cfg.RequiredScopes }

var _ authz.ScopeRequirer = (*Verifier)(nil)

// errInactive is the error of a token the endpoint called inactive.
var errInactive = fmt.Errorf("%w: the introspection endpoint reports the token inactive (unknown, expired or revoked)", authz.ErrInvalidToken)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", authz.ErrInvalidToken, fmt.Sprintf(format, args...))
}

func unavailable(format string, args ...any) error {
	return fmt.Errorf("introspect: %w: %s", authz.ErrVerifierUnavailable, fmt.Sprintf(format, args...))
}

// VerifyToken implements authz.TokenVerifier.
func (v *Verifier) VerifyToken(ctx context.Context, raw string) (*authz.AccessToken, error) {
	if raw == "" {
		return nil, invalid("empty token")
	}
	if len(raw) > maxTokenSize {
		return nil, invalid("token of %d bytes is larger than %d", len(raw), maxTokenSize)
	}
	key := sha256.Sum256([]byte(raw))
	if v.cache != nil {
		if e, ok := v.cache.get(key, v.now()); ok {
			return v.result(e.token, e.err)
		}
	}
	tok, err := v.shared(ctx, key, raw)
	return v.result(tok, err)
}

// result hands out a copy of a verified token that grants the required
// scopes, or the error.
func (v *Verifier) result(tok *authz.AccessToken, err error) (*authz.AccessToken, error) {
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, sc := range v.cfg.RequiredScopes {
		if !tok.HasScope(sc) {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		return nil, &authz.InsufficientScopeError{Required: slices.Clone(v.cfg.RequiredScopes), Missing: missing}
	}
	return tok.Clone(), nil // deep: a handler may change its token, however deep
}

// call is one introspection request that concurrent verifications of the
// same token wait for.
type call struct {
	done chan struct{}
	tok  *authz.AccessToken
	err  error
}

// shared introspects raw once for all the verifications of it that are
// under way, and caches the outcome. A caller whose context ends stops
// waiting; the request goes on for the others, bounded by the timeout.
func (v *Verifier) shared(ctx context.Context, key [sha256.Size]byte, raw string) (*authz.AccessToken, error) {
	v.mu.Lock()
	c, ok := v.inflight[key]
	if !ok && v.cache != nil {
		// A request for the same token may have ended between the
		// caller's cache look-up and here: it stores its outcome before it
		// leaves inflight, so the cache has it now.
		if e, hit := v.cache.get(key, v.now()); hit {
			v.mu.Unlock()
			return e.token, e.err
		}
	}
	if !ok {
		c = &call{done: make(chan struct{})}
		v.inflight[key] = c
		go func() {
			defer func() {
				// A panic here (in a custom HTTPClient, say) would end the
				// process: it is an outage of this request instead.
				if p := recover(); p != nil {
					c.tok, c.err = nil, unavailable("panic during introspection: %v", p)
				}
				v.mu.Lock()
				delete(v.inflight, key)
				v.mu.Unlock()
				close(c.done)
			}()
			c.tok, c.err = v.introspect(context.WithoutCancel(ctx), raw)
			v.store(key, c.tok, c.err)
		}()
	}
	v.mu.Unlock()
	select {
	case <-c.done:
		return c.tok, c.err
	case <-ctx.Done():
		return nil, unavailable("gave up waiting for the introspection endpoint: %v", ctx.Err())
	}
}

// store caches an outcome: accepted tokens until the earlier of their
// expiry and CacheTTL, refused ones for NegativeCacheTTL, outages never.
func (v *Verifier) store(key [sha256.Size]byte, tok *authz.AccessToken, err error) {
	if v.cache == nil || errors.Is(err, authz.ErrVerifierUnavailable) {
		return
	}
	now := v.now()
	e := entry{token: tok, err: err}
	switch {
	case err != nil && v.negativeTTL > 0:
		e.until = now.Add(v.negativeTTL)
	case err == nil && v.positiveTTL > 0:
		e.until = now.Add(v.positiveTTL)
		if !tok.ExpiresAt.IsZero() && tok.ExpiresAt.Before(e.until) {
			e.until = tok.ExpiresAt
		}
	default:
		return
	}
	v.cache.put(key, e, now)
}

// introspect asks the endpoint about raw and judges the answer.
func (v *Verifier) introspect(ctx context.Context, raw string) (*authz.AccessToken, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	form := url.Values{"token": {raw}, "token_type_hint": {"access_token"}}
	if v.cfg.AuthMethod == ClientSecretPost {
		form.Set("client_id", v.cfg.ClientID)
		form.Set("client_secret", v.cfg.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, unavailable("building the request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if v.cfg.AuthMethod == ClientSecretBasic {
		req.SetBasicAuth(url.QueryEscape(v.cfg.ClientID), url.QueryEscape(v.cfg.ClientSecret))
	}
	resp, err := v.client.Do(req)
	if err != nil {
		// *url.Error names the endpoint, not the form: no token in it.
		return nil, unavailable("%v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize+1))
	if err != nil {
		return nil, unavailable("reading the response: %v", err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, unavailable("the endpoint answered %s: it does not accept this server's client credentials (ClientID %q, %s)",
			resp.Status, v.cfg.ClientID, v.cfg.AuthMethod)
	case resp.StatusCode != http.StatusOK:
		return nil, unavailable("the endpoint answered %s", resp.Status)
	case len(body) > maxResponseSize:
		return nil, unavailable("the response is larger than %d bytes", maxResponseSize)
	}
	var claims map[string]any
	if err := json.Unmarshal(body, &claims); err != nil || claims == nil {
		return nil, unavailable("the response is not a JSON object")
	}
	return v.judge(raw, claims)
}

// judge turns an introspection response into an AccessToken, or refuses
// the token.
func (v *Verifier) judge(raw string, claims map[string]any) (*authz.AccessToken, error) {
	active, ok := claims["active"].(bool)
	if _, present := claims["active"]; present && !ok {
		return nil, unavailable(`the response's "active" is not a boolean`)
	}
	if !active {
		return nil, errInactive
	}
	now := v.now()
	exp, err := timeClaim(claims, "exp")
	if err != nil {
		return nil, err
	}
	if !exp.IsZero() && !now.Before(exp.Add(v.leeway)) {
		return nil, invalid("token expired at %s", exp.UTC().Format(time.RFC3339))
	}
	nbf, err := timeClaim(claims, "nbf")
	if err != nil {
		return nil, err
	}
	if !nbf.IsZero() && now.Add(v.leeway).Before(nbf) {
		return nil, invalid("token not valid before %s", nbf.UTC().Format(time.RFC3339))
	}
	if v.cfg.Issuer != "" {
		if iss, _ := claims["iss"].(string); iss != v.cfg.Issuer {
			return nil, invalid("issuer %q is not %q", iss, v.cfg.Issuer)
		}
	}
	aud, ok := stringList(claims["aud"])
	if !ok {
		return nil, invalid(`"aud" is neither a string nor a list of strings`)
	}
	resource := ""
	if !v.cfg.AllowAnyAudience {
		for _, a := range v.cfg.Audience {
			if slices.Contains(aud, a) {
				resource = a
				break
			}
		}
		if resource == "" {
			return nil, invalid("audience %q does not include any of %q", aud, v.cfg.Audience)
		}
	}
	if len(aud) == 1 {
		resource = aud[0]
	}
	return &authz.AccessToken{
		Token:     raw,
		ClientID:  authz.ClientIDFromClaims(claims),
		Scopes:    authz.ScopesFromClaims(claims),
		ExpiresAt: exp,
		Resource:  resource,
		Claims:    claims,
	}, nil
}

// timeClaim reads a NumericDate (seconds since the epoch); absent is the
// zero time.
func timeClaim(claims map[string]any, name string) (time.Time, error) {
	c, present := claims[name]
	if !present || c == nil {
		return time.Time{}, nil
	}
	f, ok := c.(float64)
	if !ok {
		return time.Time{}, invalid("%q is not a number", name)
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)), nil
}

// stringList reads "aud": absent, a string, or a list of strings.
func stringList(c any) ([]string, bool) {
	switch c := c.(type) {
	case nil:
		return nil, true
	case string:
		return []string{c}, true
	case []any:
		out := make([]string, 0, len(c))
		for _, s := range c {
			s, ok := s.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// cache remembers outcomes by the SHA-256 of the token; it never holds the
// token text outside the AccessTokens it keeps for accepted tokens.
type cache struct {
	mu      sync.Mutex
	max     int
	entries map[[sha256.Size]byte]entry
}

type entry struct {
	until time.Time
	token *authz.AccessToken // accepted: never handed out, only copies
	err   error              // refused
}

func (c *cache) get(key [sha256.Size]byte, now time.Time) (entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return entry{}, false
	}
	if !now.Before(e.until) {
		delete(c.entries, key)
		return entry{}, false
	}
	return e, true
}

func (c *cache) put(key [sha256.Size]byte, e entry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[key] = e
}

// evict makes room: it drops expired entries, then refused ones, then
// arbitrary ones, until the cache is at seven eighths of its size, so that
// a full cache is swept once per max/8 insertions rather than on every one.
func (c *cache) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, k)
		}
	}
	low := c.max - max(c.max/8, 1)
	for _, drop := range []func(entry) bool{
		func(e entry) bool { return e.err != nil },
		func(entry) bool { return true },
	} {
		for k, e := range c.entries {
			if len(c.entries) <= low {
				return
			}
			if drop(e) {
				delete(c.entries, k)
			}
		}
	}
}
