// Package jwtauth verifies JWT access tokens (RFC 7519, RFC 9068) for
// runtime.HTTPHandler: New returns a Verifier, a runtime.TokenVerifier
// whose keys come from a JWKS URL, a public key or a shared secret. It is a
// package of its own so that servers without JWT do not link a JOSE
// library.
//
//	v, err := jwtauth.New(jwtauth.Config{
//		JWKSURL:  "https://issuer.example/.well-known/jwks.json",
//		Issuer:   "https://issuer.example",
//		Audience: []string{"https://mcp.example/mcp"},
//	})
//	...
//	http.Handle("/mcp", srv.HTTPHandler(runtime.WithTokenVerifier(v)))
package jwtauth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Defaults of Config.
const (
	defaultJWTLeeway              = 30 * time.Second
	defaultJWKSFetchTimeout       = 10 * time.Second
	defaultJWKSMinRefreshInterval = time.Minute
	defaultJWKSMaxAge             = time.Hour
	defaultTokenCacheSize         = 4096

	// maxTokenSize bounds the raw tokens the verifier parses at all.
	maxTokenSize = 64 << 10
	// maxJWKSSize bounds a JWKS document.
	maxJWKSSize = 1 << 20
)

// Config configures New. Exactly one of JWKSURL, PublicKey and HMACSecret
// names where the verification keys come from, and Audience is required.
type Config struct {
	// JWKSURL is the URL of the issuer's JSON Web Key Set (RFC 7517), for
	// example https://issuer.example/.well-known/jwks.json. The set is
	// fetched on the first verification, not by New, and cached.
	// It is fetched again in the background once it is older than
	// JWKSMaxAge, and at once when a token names a key ("kid") the cached
	// set lacks: that is how key rotation is picked up. Fetches are
	// coalesced (concurrent verifications share one) and rate limited (at
	// most one per JWKSMinRefreshInterval), so tokens with made-up key IDs
	// cannot make the verifier hammer the issuer. When a fetch fails the
	// keys already cached stay in use, and a token none of them verifies
	// cannot be judged until a fetch succeeds: its error wraps
	// runtime.ErrVerifierUnavailable (HTTP 503 with Retry-After, so that
	// the client keeps its token), not ErrInvalidToken. Only signature keys
	// (no "use", or "use":"sig") with a public key of type RSA, EC or OKP
	// (Ed25519) are used; symmetric ("oct") keys, private keys and keys
	// that do not parse are skipped.
	// A token without "kid" is tried against every key that fits its
	// algorithm. Use https outside tests.
	JWKSURL string

	// PublicKey is a static verification key: *rsa.PublicKey,
	// *ecdsa.PublicKey or ed25519.PublicKey. The token's "kid" is ignored.
	PublicKey crypto.PublicKey

	// HMACSecret is a shared secret for HS256, HS384 or HS512 tokens. The
	// HS* algorithms are accepted only when it is set: a verifier with
	// JWKSURL or PublicKey never accepts them, so a token "signed" with a
	// public key used as HMAC secret (algorithm confusion) is refused. The
	// secret must be at least as long as the hash of every allowed algorithm
	// (32 bytes for HS256, RFC 7518 section 3.2).
	HMACSecret []byte

	// Algorithms is the allow-list of JWS "alg" values. A token with any
	// other algorithm is refused before its signature is looked at; "none"
	// is never accepted and is an error here. Names are RS256, RS384,
	// RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384,
	// HS512. Every algorithm must fit the key source: HS* only with
	// HMACSecret, the others only with a public key of their type.
	//
	// Default, by key source: with PublicKey, every algorithm of the key's
	// type (RSA: RS256 to PS512; EC: the ES* of the key's curve; Ed25519:
	// EdDSA); with HMACSecret, HS256; with JWKSURL, every asymmetric
	// algorithm, each key of the set accepting only the algorithms of its
	// own type and, when the key names one ("alg" of the JWK), only that.
	Algorithms []string

	// Issuer, when set, must equal the token's "iss" exactly.
	Issuer string

	// Audience lists the accepted audiences: the token's "aud" (a string
	// or a list) must contain at least one of them. It is required (New
	// refuses a Config without one): MCP servers must check that a token
	// was issued for them, so that tokens issued for other services are
	// refused (RFC 8707). Set it to this server's resource URL, or the
	// audience your issuer uses for it.
	Audience []string

	// AllowMissingExpiry accepts tokens without an "exp" claim, which
	// never expire. By default such tokens are refused: a bearer token
	// should not be valid forever. Tokens without "exp" are never cached.
	AllowMissingExpiry bool

	// Leeway is the clock skew allowed when checking "exp", "nbf" and
	// "iat". Zero means the default, 30 seconds; a negative value means no
	// leeway at all.
	Leeway time.Duration

	// RequiredScopes are scopes every token must grant (all of them). A
	// token that verifies but lacks one is refused with an
	// *InsufficientScopeError, which HTTPHandler answers with 403 and an
	// insufficient_scope challenge naming these scopes.
	RequiredScopes []string

	// HTTPClient fetches the JWKS. Default: a client of its own, without
	// proxy or transport settings beyond http.DefaultTransport's.
	HTTPClient *http.Client

	// JWKSFetchTimeout bounds one JWKS fetch, whatever HTTPClient's own
	// timeout. Default 10 seconds.
	JWKSFetchTimeout time.Duration

	// JWKSMinRefreshInterval is the least time between two JWKS fetches,
	// successful or not. Default 1 minute: a key the issuer starts using is
	// picked up within a minute even when a forged "kid" triggered a fetch
	// just before, and no client can cause more than one fetch a minute.
	JWKSMinRefreshInterval time.Duration

	// JWKSMaxAge is how long a fetched JWKS is used before it is fetched
	// again (in the background; verification goes on with the cached keys
	// meanwhile). It bounds how long a key the issuer withdrew is still
	// accepted. Default 1 hour.
	JWKSMaxAge time.Duration

	// CacheSize bounds the cache of verified tokens. A token that verified
	// is remembered, keyed by the SHA-256 of the raw token, until its "exp"
	// (with no leeway), so the signature is not checked again on every
	// request; tokens without "exp" are not cached. When the cache is full,
	// expired entries are dropped and, if that is not enough, arbitrary
	// ones. Zero means the default, 4096 entries; a negative value disables
	// the cache. A cached token stays accepted until its expiry even if
	// its key is withdrawn from the JWKS meanwhile. Each verification
	// hands out its own deep copy of a cached token (AccessToken.Clone),
	// so a handler that changes its token's claims, however deep, changes
	// nothing for the next request.
	CacheSize int

	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// New returns a Verifier of JWT access tokens (RFC 7519, RFC 9068) signed
// with the keys cfg names. A token is accepted when its signature verifies
// with an allowed algorithm, it has "exp" (unless cfg.AllowMissingExpiry),
// its "exp", "nbf" and "iat" hold (with cfg.Leeway), its "aud" contains one
// of cfg.Audience, its "iss" is cfg.Issuer when that is set, and it grants
// cfg.RequiredScopes.
//
// The AccessToken it returns has:
//
//   - Token: the raw token;
//   - ClientID: the "client_id" claim, else "azp", else "sub", else "";
//   - Scopes: the "scope" claim (a space-separated string, or a list), else
//     "scp" (a list, or a space-separated string);
//   - ExpiresAt: "exp", or the zero time when the token has none;
//   - Resource: "aud" when it names a single audience; when it names
//     several, the first of cfg.Audience it contains; else "";
//   - Claims: every claim of the token, as encoding/json decodes them
//     (numbers are float64).
//
// Errors for refused tokens wrap runtime.ErrInvalidToken, or are a
// *runtime.InsufficientScopeError; a token that cannot be judged because
// the JWKS cannot be fetched gets an error wrapping
// runtime.ErrVerifierUnavailable. Their text is meant for logs and may
// name claims and keys, so it must not reach clients (runtime.HTTPHandler
// answers invalid_token, insufficient_scope or 503, never this text).
func New(cfg Config) (*Verifier, error) {
	v := &Verifier{
		issuer:        cfg.Issuer,
		audience:      slices.Clone(cfg.Audience),
		required:      slices.Clone(cfg.RequiredScopes),
		leeway:        cfg.Leeway,
		allowNoExpiry: cfg.AllowMissingExpiry,
		now:           cfg.Now,
	}
	if v.now == nil {
		v.now = time.Now
	}
	switch {
	case v.leeway == 0:
		v.leeway = defaultJWTLeeway
	case v.leeway < 0:
		v.leeway = 0
	}
	for _, sc := range v.required {
		if !authz.ValidScope(sc) {
			return nil, fmt.Errorf("jwtauth: Config.RequiredScopes: %q is not a valid scope (RFC 6749 section 3.3)", sc)
		}
	}
	sources := 0
	for _, set := range []bool{cfg.JWKSURL != "", cfg.PublicKey != nil, cfg.HMACSecret != nil} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return nil, errors.New("jwtauth: Config needs exactly one of JWKSURL, PublicKey and HMACSecret")
	}
	algs, err := parseAlgorithms(cfg.Algorithms)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.HMACSecret != nil:
		if algs == nil {
			algs = []jose.SignatureAlgorithm{jose.HS256}
		}
		for _, alg := range algs {
			size, ok := hmacSizes[alg]
			if !ok {
				return nil, fmt.Errorf("jwtauth: Config: algorithm %s cannot be used with HMACSecret", alg)
			}
			if len(cfg.HMACSecret) < size {
				return nil, fmt.Errorf("jwtauth: Config: HMACSecret must be at least %d bytes for %s", size, alg)
			}
		}
		secret := slices.Clone(cfg.HMACSecret)
		v.keys = func(context.Context, jose.Header) ([]any, error) { return []any{secret}, nil }
	case cfg.PublicKey != nil:
		fits, err := algorithmsOf(cfg.PublicKey)
		if err != nil {
			return nil, err
		}
		if algs == nil {
			algs = fits
		}
		for _, alg := range algs {
			if !slices.Contains(fits, alg) {
				return nil, fmt.Errorf("jwtauth: Config: algorithm %s cannot be used with a %T", alg, cfg.PublicKey)
			}
		}
		key := cfg.PublicKey
		v.keys = func(context.Context, jose.Header) ([]any, error) { return []any{key}, nil }
	default:
		if algs == nil {
			algs = slices.Clone(asymmetricAlgorithms)
		}
		for _, alg := range algs {
			if _, ok := hmacSizes[alg]; ok {
				return nil, fmt.Errorf("jwtauth: Config: algorithm %s needs HMACSecret; it is never accepted with JWKSURL", alg)
			}
		}
		src, err := newJWKSSource(cfg, v.now)
		if err != nil {
			return nil, err
		}
		v.jwks = src
		v.keys = src.keysFor
	}
	if len(v.audience) == 0 || slices.Contains(v.audience, "") {
		return nil, errors.New("jwtauth: Config.Audience is required: list the audiences of this server's tokens (its resource URL, say), so that tokens issued for other services are refused")
	}
	v.algs = algs
	size := cfg.CacheSize
	if size == 0 {
		size = defaultTokenCacheSize
	}
	if size > 0 {
		v.cache = &tokenCache{max: size, entries: map[[sha256.Size]byte]*authz.AccessToken{}}
	}
	return v, nil
}

var (
	asymmetricAlgorithms = []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
	}
	rsaAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512}
	// hmacSizes are the HS* algorithms with the least secret size, in bytes.
	hmacSizes = map[jose.SignatureAlgorithm]int{jose.HS256: 32, jose.HS384: 48, jose.HS512: 64}
)

// parseAlgorithms validates an Algorithms list; nil means "default".
func parseAlgorithms(names []string) ([]jose.SignatureAlgorithm, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var algs []jose.SignatureAlgorithm
	for _, n := range names {
		alg := jose.SignatureAlgorithm(n)
		if _, hmac := hmacSizes[alg]; !hmac && !slices.Contains(asymmetricAlgorithms, alg) {
			if strings.EqualFold(n, "none") {
				return nil, errors.New(`jwtauth: Config: algorithm "none" is never accepted`)
			}
			return nil, fmt.Errorf("jwtauth: Config: unknown algorithm %q", n)
		}
		if !slices.Contains(algs, alg) {
			algs = append(algs, alg)
		}
	}
	return algs, nil
}

// algorithmsOf lists the algorithms a public key can verify.
func algorithmsOf(key crypto.PublicKey) ([]jose.SignatureAlgorithm, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k == nil {
			break
		}
		return slices.Clone(rsaAlgorithms), nil
	case *ecdsa.PublicKey:
		if k == nil {
			break
		}
		switch k.Curve {
		case elliptic.P256():
			return []jose.SignatureAlgorithm{jose.ES256}, nil
		case elliptic.P384():
			return []jose.SignatureAlgorithm{jose.ES384}, nil
		case elliptic.P521():
			return []jose.SignatureAlgorithm{jose.ES512}, nil
		}
		return nil, fmt.Errorf("jwtauth: Config: unsupported EC curve %s", k.Curve.Params().Name)
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			break
		}
		return []jose.SignatureAlgorithm{jose.EdDSA}, nil
	}
	return nil, fmt.Errorf("jwtauth: Config: unsupported public key %T (want *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey)", key)
}

// Verifier verifies JWT access tokens; see New. It is safe for concurrent
// use.
type Verifier struct {
	algs          []jose.SignatureAlgorithm
	issuer        string
	audience      []string
	required      []string
	leeway        time.Duration
	allowNoExpiry bool
	now           func() time.Time

	// keys returns the candidate verification keys for a token's header.
	keys  func(ctx context.Context, h jose.Header) ([]any, error)
	jwks  *jwksSource // nil unless JWKSURL
	cache *tokenCache // nil when disabled
}

// RequiredScopes returns the scopes every token must grant
// (Config.RequiredScopes). runtime.HTTPHandler publishes them in
// scopes_supported (authz.ScopeRequirer). The caller must not modify the
// result.
func (v *Verifier) RequiredScopes() []string { return v.required }

// invalid wraps ErrInvalidToken with a reason for the logs.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", authz.ErrInvalidToken, fmt.Sprintf(format, args...))
}

// VerifyToken verifies raw and returns the AccessToken it grants (see New),
// or an error saying why it is refused.
func (v *Verifier) VerifyToken(ctx context.Context, raw string) (*authz.AccessToken, error) {
	if raw == "" {
		return nil, invalid("empty token")
	}
	if len(raw) > maxTokenSize {
		return nil, invalid("token of %d bytes is larger than %d", len(raw), maxTokenSize)
	}
	now := v.now()
	var sum [sha256.Size]byte
	if v.cache != nil {
		sum = sha256.Sum256([]byte(raw))
		if t := v.cache.get(sum, now); t != nil {
			return t, nil
		}
	}
	jws, err := jose.ParseSignedCompact(raw, v.algs)
	if err != nil {
		return nil, invalid("malformed JWT or disallowed algorithm: %v", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, invalid("JWT has %d signatures", len(jws.Signatures))
	}
	header := jws.Signatures[0].Header
	keys, err := v.keys(ctx, header)
	if err != nil {
		return nil, err
	}
	var payload []byte
	for _, key := range keys {
		if payload, err = jws.Verify(key); err == nil {
			break
		}
	}
	if err != nil {
		return nil, invalid("signature (alg %s, kid %q) does not verify: %v", header.Algorithm, header.KeyID, err)
	}
	var (
		std    jwt.Claims
		claims map[string]any
	)
	if err := json.Unmarshal(payload, &claims); err != nil || claims == nil {
		return nil, invalid("JWT payload is not a JSON object")
	}
	if err := json.Unmarshal(payload, &std); err != nil {
		return nil, invalid("registered claims: %v", err)
	}
	expected := jwt.Expected{Issuer: v.issuer, AnyAudience: v.audience, Time: now}
	if err := std.ValidateWithLeeway(expected, v.leeway); err != nil {
		return nil, v.claimError(err, std)
	}
	if std.Expiry == nil && !v.allowNoExpiry {
		return nil, invalid(`token has no "exp" claim (Config.AllowMissingExpiry is not set)`)
	}
	// RFC 7519 section 4.1.4: the token is refused from "exp" on; go-jose
	// still accepts it at that very second.
	if std.Expiry != nil && !now.Before(std.Expiry.Time().Add(v.leeway)) {
		return nil, v.claimError(jwt.ErrExpired, std)
	}
	at := &authz.AccessToken{
		Token:    raw,
		ClientID: authz.ClientIDFromClaims(claims),
		Scopes:   authz.ScopesFromClaims(claims),
		Resource: v.resourceOf(std.Audience),
		Claims:   claims,
	}
	if std.Expiry != nil {
		at.ExpiresAt = std.Expiry.Time()
	}
	if missing := missingScopes(at, v.required); len(missing) > 0 {
		return nil, &authz.InsufficientScopeError{Required: slices.Clone(v.required), Missing: missing}
	}
	if v.cache != nil && !at.ExpiresAt.IsZero() {
		v.cache.put(sum, at, now)
		return at.Clone(), nil // the cache keeps at
	}
	return at, nil
}

// claimError describes a failed claim validation for the logs.
func (v *Verifier) claimError(err error, c jwt.Claims) error {
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return invalid("token expired at %s", c.Expiry.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrNotValidYet):
		return invalid("token not valid before %s", c.NotBefore.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return invalid("token issued in the future (%s)", c.IssuedAt.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return invalid("issuer %q is not %q", c.Issuer, v.issuer)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalid("audience %q does not include any of %q", []string(c.Audience), v.audience)
	}
	return invalid("claims: %v", err)
}

func (v *Verifier) resourceOf(aud jwt.Audience) string {
	if len(aud) == 1 {
		return aud[0]
	}
	for _, a := range v.audience {
		if aud.Contains(a) {
			return a
		}
	}
	return ""
}

func missingScopes(t *authz.AccessToken, required []string) []string {
	var missing []string
	for _, sc := range required {
		if !t.HasScope(sc) {
			missing = append(missing, sc)
		}
	}
	return missing
}

// tokenCache remembers verified tokens until they expire.
// Its tokens are never handed out: get returns clones.
type tokenCache struct {
	mu      sync.RWMutex
	max     int
	entries map[[sha256.Size]byte]*authz.AccessToken
}

func (c *tokenCache) get(key [sha256.Size]byte, now time.Time) *authz.AccessToken {
	c.mu.RLock()
	t, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok {
		return nil
	}
	if t.Expired(now) {
		c.mu.Lock()
		if c.entries[key] == t {
			delete(c.entries, key)
		}
		c.mu.Unlock()
		return nil
	}
	return t.Clone() // deep: a handler may change its token, however deep
}

func (c *tokenCache) put(key [sha256.Size]byte, t *authz.AccessToken, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[key] = t
}

// evict makes room: it drops expired entries and then, while the cache is
// above seven eighths of its size, arbitrary ones, so that a full cache is
// swept once per max/8 insertions rather than on every one.
func (c *tokenCache) evict(now time.Time) {
	for k, t := range c.entries {
		if t.Expired(now) {
			delete(c.entries, k)
		}
	}
	low := c.max - max(c.max/8, 1)
	for k := range c.entries {
		if len(c.entries) <= low {
			break
		}
		delete(c.entries, k)
	}
}

// jwksSource fetches, caches and refreshes a JSON Web Key Set.
type jwksSource struct {
	url         string
	client      *http.Client
	timeout     time.Duration
	minInterval time.Duration
	maxAge      time.Duration
	now         func() time.Time

	set     atomic.Pointer[keySet] // nil until the first successful fetch
	failing atomic.Bool            // the last fetch that ended failed

	mu          sync.Mutex
	lastAttempt time.Time  // of the last fetch started
	inflight    *jwksFetch // the fetch under way, if any
}

// keySet is one fetched JWKS, immutable.
type keySet struct {
	fetched time.Time
	keys    []jose.JSONWebKey // public signature keys only
}

type jwksFetch struct {
	done chan struct{}
	err  error
}

// errRefreshLimited says a fetch was wanted but the rate limit forbids it.
var errRefreshLimited = errors.New("JWKS fetched less than the minimum refresh interval ago")

func newJWKSSource(cfg Config, now func() time.Time) (*jwksSource, error) {
	u, err := url.Parse(cfg.JWKSURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("jwtauth: Config.JWKSURL %q is not an absolute http(s) URL", cfg.JWKSURL)
	}
	s := &jwksSource{
		url:         cfg.JWKSURL,
		client:      cfg.HTTPClient,
		timeout:     cfg.JWKSFetchTimeout,
		minInterval: cfg.JWKSMinRefreshInterval,
		maxAge:      cfg.JWKSMaxAge,
		now:         now,
	}
	if s.client == nil {
		s.client = &http.Client{}
	}
	if s.timeout <= 0 {
		s.timeout = defaultJWKSFetchTimeout
	}
	if s.minInterval <= 0 {
		s.minInterval = defaultJWKSMinRefreshInterval
	}
	if s.maxAge <= 0 {
		s.maxAge = defaultJWKSMaxAge
	}
	return s, nil
}

// keysFor returns the keys that may have signed a token with header h:
// those with its "kid" (every key when it has none) that fit its algorithm.
// A miss fetches the set again, within the rate limit.
func (s *jwksSource) keysFor(ctx context.Context, h jose.Header) ([]any, error) {
	alg := jose.SignatureAlgorithm(h.Algorithm)
	set := s.set.Load()
	if set != nil && s.now().Sub(set.fetched) >= s.maxAge {
		s.start() // stale: refresh in the background, use what we have
	}
	if keys := set.find(h.KeyID, alg); len(keys) > 0 {
		return keys, nil
	}
	err := s.refresh(ctx)
	if keys := s.set.Load().find(h.KeyID, alg); len(keys) > 0 {
		return keys, nil
	}
	// Without a fresh look at the set (the fetch failed, now or last time
	// within the rate limit, or the caller gave up waiting), the token's
	// key may well be in it: the token cannot be judged.
	if err != nil && !errors.Is(err, errRefreshLimited) || errors.Is(err, errRefreshLimited) && s.failing.Load() {
		if !errors.Is(err, errRefreshLimited) {
			return nil, unavailable("no key with kid %q for alg %s, and the JWKS at %s could not be fetched: %v", h.KeyID, alg, s.url, err)
		}
		return nil, unavailable("no key with kid %q for alg %s, and the last fetch of the JWKS at %s failed", h.KeyID, alg, s.url)
	}
	if h.KeyID == "" {
		return nil, invalid("no key for alg %s in the JWKS, and the token names no kid", alg)
	}
	return nil, invalid("no key with kid %q for alg %s in the JWKS", h.KeyID, alg)
}

// unavailable wraps authz.ErrVerifierUnavailable with a reason for the logs.
func unavailable(format string, args ...any) error {
	return fmt.Errorf("jwtauth: %w: %s", authz.ErrVerifierUnavailable, fmt.Sprintf(format, args...))
}

func (set *keySet) find(kid string, alg jose.SignatureAlgorithm) []any {
	if set == nil {
		return nil
	}
	var keys []any
	for _, k := range set.keys {
		if (kid == "" || k.KeyID == kid) && (k.Algorithm == "" || k.Algorithm == string(alg)) {
			if fits, _ := algorithmsOf(k.Key); slices.Contains(fits, alg) {
				keys = append(keys, k.Key)
			}
		}
	}
	return keys
}

// refresh fetches the set again unless the rate limit forbids it, or joins
// the fetch under way, and waits for it.
func (s *jwksSource) refresh(ctx context.Context) error {
	f := s.start()
	if f == nil {
		return errRefreshLimited
	}
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// start returns the fetch under way, or starts one if the rate limit
// allows; nil when it does not.
func (s *jwksSource) start() *jwksFetch {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight != nil {
		return s.inflight
	}
	now := s.now()
	if !s.lastAttempt.IsZero() && now.Sub(s.lastAttempt) < s.minInterval {
		return nil
	}
	s.lastAttempt = now
	f := &jwksFetch{done: make(chan struct{})}
	s.inflight = f
	go func() {
		set, err := s.fetch()
		if err != nil {
			slog.Default().Warn("mcpauthgen: JWKS fetch failed", slog.String("url", s.url), slog.Any("error", err))
		} else {
			s.set.Store(set)
		}
		s.failing.Store(err != nil)
		s.mu.Lock()
		s.inflight = nil
		s.mu.Unlock()
		f.err = err
		close(f.done)
	}()
	return f
}

// fetch downloads and parses the set. It runs on its own context, with the
// fetch timeout, so that the request that triggered it going away does not
// cancel it for the others waiting.
func (s *jwksSource) fetch() (*keySet, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", s.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSSize+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", s.url, err)
	}
	if len(body) > maxJWKSSize {
		return nil, fmt.Errorf("GET %s: JWKS larger than %d bytes", s.url, maxJWKSSize)
	}
	keys, err := parseJWKS(body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", s.url, err)
	}
	return &keySet{fetched: s.now(), keys: keys}, nil
}

// parseJWKS keeps the usable signature keys of a JWKS document. A key that
// does not parse (an unknown type, say) is skipped, not fatal: one exotic
// key must not disable the others.
func parseJWKS(body []byte) ([]jose.JSONWebKey, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("JWKS is not valid JSON: %w", err)
	}
	var keys []jose.JSONWebKey
	for i, raw := range doc.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			slog.Default().Debug("mcpauthgen: JWKS key skipped", slog.Int("index", i), slog.Any("error", err))
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		if !k.IsPublic() {
			// A symmetric key, or a private key published by mistake: a
			// key anyone can sign with verifies nothing.
			slog.Default().Warn("mcpauthgen: JWKS key skipped: not a public key", slog.String("kid", k.KeyID))
			continue
		}
		if _, err := algorithmsOf(k.Key); err != nil || !k.Valid() {
			continue // unsupported type or curve
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("JWKS has no usable signature key")
	}
	return keys, nil
}
