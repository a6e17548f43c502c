// Package oidctest runs an OpenID Provider on 127.0.0.1 for tests, as
// net/http/httptest runs HTTP servers: a real authorization server built on
// github.com/zitadel/oidc/v3/pkg/op (an OpenID Certified implementation), with
// in-memory clients and tokens.
//
// It serves what an MCP client and an MCP server need of an authorization
// server:
//
//   - discovery: /.well-known/openid-configuration (RFC 8414 fields
//     included: token, introspection and revocation endpoints, grant types);
//   - JWKS: /keys, one ES256 key made at start;
//   - the token endpoint, /oauth/token, with the client_credentials grant
//     (client_secret_basic or client_secret_post) and RFC 8707 resource
//     indicators: the token's audience is the requested resource;
//   - the authorization code flow with PKCE (S256) for public clients with
//     loopback redirect URIs: /authorize sends the browser to /login, which
//     signs Config.Subject in without asking anything and sends it back
//     with a code, so that a client can run the flow headless by following
//     redirects; the token's audience is the resources of the authorization
//     request, and the client (the ID token needs it);
//   - RFC 7662 introspection, /oauth/introspect (client_secret_basic);
//   - RFC 7009 revocation, /revoke.
//
// Each client gets either JWT access tokens (with the claims RFC 9068 lists:
// iss, sub, aud, exp, iat, nbf, jti, client_id, scope) or opaque ones that only
// introspection can read. The provider counts the requests each endpoint
// receives and can be made to fail (SetAvailable) or closed, so that tests
// can observe a verifier's traffic and its behaviour when the provider is
// down.
package oidctest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Paths of the provider's endpoints (the op package's defaults).
const (
	DiscoveryPath     = "/.well-known/openid-configuration"
	TokenPath         = "/oauth/token"
	AuthorizationPath = "/authorize"
	LoginPath         = "/login"
	IntrospectionPath = "/oauth/introspect"
	RevocationPath    = "/revoke"
	JWKSPath          = "/keys"
)

// Client is an OAuth client registered with the provider.
type Client struct {
	ID, Secret string
	// Scopes are the scopes the client may be granted. A token request for
	// any other scope is refused with invalid_scope; a request without a
	// scope gets a token without scopes.
	Scopes []string
	// Opaque makes the client's access tokens opaque (readable only through
	// introspection) instead of JWTs.
	Opaque bool
	// RedirectURIs, when set, make the client a public native client of the
	// authorization code flow (no secret, PKCE required; a loopback
	// redirect URI matches on any port, RFC 8252) instead of a confidential
	// client of the client_credentials grant.
	RedirectURIs []string
}

// Config configures New.
type Config struct {
	Clients []Client
	// TokenLifetime is how long access tokens are valid. Default 5 minutes.
	TokenLifetime time.Duration
	// Now is the provider's clock for token expiry; nil means time.Now.
	// Tests move it forward to make tokens expire.
	Now func() time.Time
	// Subject is the user the login page signs in, at once, in the
	// authorization code flow. Default "alice".
	Subject string
}

// Provider is a running OpenID Provider.
type Provider struct {
	issuer   string
	srv      *http.Server
	store    *storage
	down     atomic.Bool
	mu       sync.Mutex
	requests map[string]int
	closed   sync.Once
}

// New starts a provider on a free port of 127.0.0.1.
func New(cfg Config) (*Provider, error) {
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Subject == "" {
		cfg.Subject = "alice"
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	st := &storage{
		clients:  map[string]Client{},
		tokens:   map[string]*token{},
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
		subject:  cfg.Subject,
		lifetime: cfg.TokenLifetime,
		now:      cfg.Now,
		key:      key,
		keyID:    "oidctest-" + randomID()[:8],
	}
	for _, c := range cfg.Clients {
		if c.ID == "" || strings.ContainsAny(c.ID, ":") {
			return nil, fmt.Errorf("oidctest: client ID %q is empty or contains ':'", c.ID)
		}
		if _, dup := st.clients[c.ID]; dup {
			return nil, fmt.Errorf("oidctest: client %q registered twice", c.ID)
		}
		st.clients[c.ID] = c
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Provider{issuer: "http://" + ln.Addr().String(), store: st, requests: map[string]int{}}
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		ln.Close()
		return nil, err
	}
	opConfig := &op.Config{
		CryptoKey:      cryptoKey,
		AuthMethodPost: true,
		CodeMethodS256: true,
	}
	provider, err := op.NewProvider(opConfig, st, op.StaticIssuer(p.issuer), op.WithAllowInsecure())
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("oidctest: %w", err)
	}
	p.srv = &http.Server{Handler: p.wrap(provider), ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln)
	return p, nil
}

// wrap counts requests, answers 503 while the provider is unavailable,
// serves the login page, and reads the RFC 8707 resource parameters of
// token and authorization requests into the request's context, where the
// storage finds them.
func (p *Provider) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.requests[r.URL.Path]++
		p.mu.Unlock()
		if p.down.Load() {
			writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "the provider is unavailable")
			return
		}
		if r.URL.Path == LoginPath {
			p.login(w, r)
			return
		}
		if r.URL.Path == TokenPath && r.Method == http.MethodPost || r.URL.Path == AuthorizationPath {
			if err := r.ParseForm(); err != nil {
				writeError(w, http.StatusBadRequest, "invalid_request", "cannot parse the form")
				return
			}
			resources := r.Form["resource"]
			for _, res := range resources {
				// RFC 8707 section 2: an absolute URI without a fragment.
				u, err := url.Parse(res)
				if err != nil || !u.IsAbs() || u.Fragment != "" || strings.Contains(res, "#") {
					writeError(w, http.StatusBadRequest, "invalid_target", "resource must be an absolute URI without a fragment")
					return
				}
			}
			r = r.WithContext(context.WithValue(r.Context(), resourceKey{}, slices.Clone(resources)))
		}
		h.ServeHTTP(w, r)
	})
}

// login signs the configured subject in for an authorization request and
// sends the browser on to the op package's callback, which redirects it to
// the client with a code.
func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if !p.store.signIn(id) {
		writeError(w, http.StatusBadRequest, "invalid_request", "unknown authorization request")
		return
	}
	http.Redirect(w, r, p.issuer+AuthorizationPath+"/callback?id="+url.QueryEscape(id), http.StatusFound)
}

func writeError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}

type resourceKey struct{}

// Issuer is the provider's issuer URL (http://127.0.0.1:PORT), which is
// also the base of every endpoint.
func (p *Provider) Issuer() string { return p.issuer }

// URL returns the absolute URL of one of the provider's paths.
func (p *Provider) URL(path string) string { return p.issuer + path }

// Requests returns how many requests path has received, answered or not.
func (p *Provider) Requests(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[path]
}

// SetAvailable makes every endpoint answer 503 (false) or serve again
// (true), as a provider that is overloaded or being deployed.
func (p *Provider) SetAvailable(ok bool) { p.down.Store(!ok) }

// Close stops the provider; from then on connections to it are refused.
func (p *Provider) Close() {
	p.closed.Do(func() { p.srv.Close() })
}

// TokenResponse is a token endpoint's successful answer.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// ClientCredentials asks the token endpoint for a token, as client
// clientID (client_secret_basic), with the given scope (space-separated,
// may be empty) and resource indicators.
func (p *Provider) ClientCredentials(ctx context.Context, clientID, secret, scope string, resources ...string) (*TokenResponse, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	for _, r := range resources {
		form.Add("resource", r)
	}
	var tok TokenResponse
	if err := p.post(ctx, TokenPath, clientID, secret, form, &tok); err != nil {
		return nil, err
	}
	if tok.AccessToken == "" {
		return nil, errors.New("oidctest: token response without access_token")
	}
	return &tok, nil
}

// Revoke revokes a token at the revocation endpoint (RFC 7009), as the
// client it was issued to.
func (p *Provider) Revoke(ctx context.Context, clientID, secret, token string) error {
	return p.post(ctx, RevocationPath, clientID, secret, url.Values{"token": {token}, "token_type_hint": {"access_token"}}, nil)
}

func (p *Provider) post(ctx context.Context, path, clientID, secret string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL(path), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("oidctest: %s answered %s: %s", path, resp.Status, body)
	}
	if out != nil {
		return json.Unmarshal(body, out)
	}
	return nil
}

func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}

// The storage: clients and issued tokens, in memory.

type token struct {
	id, clientID string
	subject      string
	audience     []string
	scopes       []string
	issuedAt     time.Time
	expires      time.Time
}

type storage struct {
	mu       sync.Mutex
	clients  map[string]Client
	tokens   map[string]*token       // by token ID
	requests map[string]*authRequest // authorization requests by ID
	codes    map[string]string       // code -> authorization request ID
	subject  string
	lifetime time.Duration
	now      func() time.Time
	key      *ecdsa.PrivateKey
	keyID    string
}

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.ClientCredentialsStorage       = (*storage)(nil)
	_ op.CanGetPrivateClaimsFromRequest = (*storage)(nil)
)

// authRequest is an authorization request of the code flow.
type authRequest struct {
	id        string
	req       *oidc.AuthRequest
	resources []string // its RFC 8707 resource parameters
	subject   string   // set at login
	authTime  time.Time
}

func (a *authRequest) GetID() string                      { return a.id }
func (a *authRequest) GetACR() string                     { return "" }
func (a *authRequest) GetAMR() []string                   { return []string{"pwd"} }
func (a *authRequest) GetAuthTime() time.Time             { return a.authTime }
func (a *authRequest) GetClientID() string                { return a.req.ClientID }
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.subject }
func (a *authRequest) Done() bool                         { return a.subject != "" }

// GetAudience is the audience of the access token and of the ID token: the
// requested resources, and the client, which an ID token must name.
func (a *authRequest) GetAudience() []string {
	return append(slices.Clone(a.resources), a.req.ClientID)
}

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}

func (s *storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	resources, _ := ctx.Value(resourceKey{}).([]string)
	a := &authRequest{id: randomID(), req: req, resources: resources}
	s.mu.Lock()
	s.requests[a.id] = a
	s.mu.Unlock()
	return a, nil
}

// signIn completes the login of an authorization request.
func (s *storage) signIn(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[id]
	if ok {
		a.subject = s.subject
		a.authTime = s.now()
	}
	return ok
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.requests[id]; ok {
		return a, nil
	}
	return nil, errors.New("unknown authorization request")
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("unknown or used code")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest forgets a request once its code is exchanged, so that
// a code works once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// CreateAccessToken records a token for a client_credentials request or a
// completed authorization request.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	now := s.now()
	t := &token{id: randomID(), issuedAt: now, expires: now.Add(s.lifetime)}
	switch req := req.(type) {
	case *ccRequest:
		t.clientID, t.subject, t.audience, t.scopes = req.clientID, req.clientID, req.audience, req.scopes
	case *authRequest:
		t.clientID, t.subject, t.audience, t.scopes = req.GetClientID(), req.subject, req.GetAudience(), slices.Clone(req.GetScopes())
	default:
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	s.mu.Lock()
	s.tokens[t.id] = t
	s.mu.Unlock()
	return t.id, t.expires, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("no refresh tokens")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, oidc.ErrInvalidGrant()
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

// RevokeToken forgets an access token issued to clientID; RFC 7009 has the
// endpoint answer 200 for unknown tokens too.
func (s *storage) RevokeToken(_ context.Context, tokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tokenID]; ok && t.clientID == clientID {
		delete(s.tokens, tokenID)
	}
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

type signingKey struct {
	id  string
	key *ecdsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{s.keyID, s.key}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{signingKey{s.keyID, s.key}}}, nil
}

func (s *storage) client(id string) (Client, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	return c, ok
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.client(id)
	if !ok {
		return nil, fmt.Errorf("unknown client %q", id)
	}
	return opClient{c}, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if c, ok := s.client(id); ok && !c.public() && c.Secret == secret {
		return nil
	}
	return errors.New("wrong client ID or secret")
}

func (s *storage) ClientCredentials(ctx context.Context, id, secret string) (op.Client, error) {
	if err := s.AuthorizeClientIDSecret(ctx, id, secret); err != nil {
		return nil, err
	}
	return s.GetClientByClientID(ctx, id)
}

// ClientCredentialsTokenRequest grants the requested scopes when the
// client may have all of them, for the resources the token request named
// (its audience; the client's ID when it named none).
func (s *storage) ClientCredentialsTokenRequest(ctx context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	c, ok := s.client(clientID)
	if !ok {
		return nil, oidc.ErrInvalidClient()
	}
	for _, sc := range scopes {
		if !slices.Contains(c.Scopes, sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("client %s may not be granted scope %q", clientID, sc)
		}
	}
	audience, _ := ctx.Value(resourceKey{}).([]string)
	if len(audience) == 0 {
		audience = []string{clientID}
	}
	return &ccRequest{clientID: clientID, scopes: slices.Clone(scopes), audience: audience}, nil
}

type ccRequest struct {
	clientID string
	scopes   []string
	audience []string
}

func (r *ccRequest) GetSubject() string         { return r.clientID }
func (r *ccRequest) GetAudience() []string      { return r.audience }
func (r *ccRequest) GetScopes() []string        { return r.scopes }
func (s *storage) Health(context.Context) error { return nil }

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *storage) SetUserinfoFromToken(context.Context, *oidc.UserInfo, string, string, string) error {
	return errors.New("no userinfo: tokens are issued to clients, not users")
}

// SetIntrospectionFromToken describes a token that is known, not revoked
// and not expired (by the provider's clock); the op package then answers
// active. Any client may introspect any token.
func (s *storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, _, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok {
		return errors.New("unknown or revoked token")
	}
	if !s.now().Before(t.expires) {
		return errors.New("expired token")
	}
	resp.Scope = slices.Clone(t.scopes)
	resp.ClientID = t.clientID
	resp.Subject = t.subject
	resp.Audience = slices.Clone(t.audience)
	resp.Expiration = oidc.FromTime(t.expires)
	resp.IssuedAt = oidc.FromTime(t.issuedAt)
	resp.NotBefore = oidc.FromTime(t.issuedAt)
	resp.Issuer = op.IssuerFromContext(ctx)
	resp.JWTID = t.id
	resp.TokenType = oidc.BearerToken
	return nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetPrivateClaimsFromRequest puts the granted scopes in JWT access tokens.
func (s *storage) GetPrivateClaimsFromRequest(_ context.Context, req op.TokenRequest, _ []string) (map[string]any, error) {
	if len(req.GetScopes()) == 0 {
		return nil, nil
	}
	return map[string]any{"scope": strings.Join(req.GetScopes(), " ")}, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("no JWT profile clients")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("no JWT profile grant")
}

// public reports whether c is a public client of the code flow.
func (c Client) public() bool { return len(c.RedirectURIs) > 0 }

// opClient is a Client as the op package sees it: a confidential service
// client of the client_credentials grant, or a public native client of the
// authorization code flow.
type opClient struct{ c Client }

func (c opClient) GetID() string                    { return c.c.ID }
func (c opClient) RedirectURIs() []string           { return c.c.RedirectURIs }
func (c opClient) PostLogoutRedirectURIs() []string { return nil }
func (c opClient) LoginURL(id string) string        { return LoginPath + "?id=" + url.QueryEscape(id) }
func (c opClient) IDTokenLifetime() time.Duration   { return time.Hour }
func (c opClient) DevMode() bool                    { return false }
func (c opClient) ClockSkew() time.Duration         { return 0 }

func (c opClient) ApplicationType() op.ApplicationType {
	if c.c.public() {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}

func (c opClient) AuthMethod() oidc.AuthMethod {
	if c.c.public() {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}

func (c opClient) ResponseTypes() []oidc.ResponseType {
	if c.c.public() {
		return []oidc.ResponseType{oidc.ResponseTypeCode}
	}
	return nil
}

func (c opClient) GrantTypes() []oidc.GrantType {
	if c.c.public() {
		return []oidc.GrantType{oidc.GrantTypeCode}
	}
	return []oidc.GrantType{oidc.GrantTypeClientCredentials}
}

func (c opClient) AccessTokenType() op.AccessTokenType {
	if c.c.Opaque {
		return op.AccessTokenTypeBearer
	}
	return op.AccessTokenTypeJWT
}

func (c opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c opClient) IsScopeAllowed(scope string) bool     { return slices.Contains(c.c.Scopes, scope) }
func (c opClient) IDTokenUserinfoClaimsAssertion() bool { return false }
