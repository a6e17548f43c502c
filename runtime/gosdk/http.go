package gosdk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// HTTPOption configures HTTPHandler.
type HTTPOption func(*httpConfig)

type httpConfig struct {
	verifier             TokenVerifier
	resourceURL          string
	authorizationServers []string
	scopesSupported      []string
	streamable           *mcp.StreamableHTTPOptions
	stepUp               bool
	cors                 authz.CORS
	hosts                authz.Hosts
	maxBodyBytes         int64
	idleTimeout          time.Duration
	stateless            bool
}

// DefaultMaxBodyBytes is the largest request body HTTPHandler accepts
// unless WithMaxBodyBytes says otherwise: 4 MiB, as package runtime.
const DefaultMaxBodyBytes = 4 << 20

// DefaultSessionIdleTimeout is how long a stateful session may go without
// a request before it ends, unless WithSessionIdleTimeout says otherwise,
// as package runtime.
const DefaultSessionIdleTimeout = 30 * time.Minute

// WithCORS lets web pages from the given origins use the server from a
// browser, as package runtime's option of the same name (see authz.CORS).
func WithCORS(origins ...string) HTTPOption {
	return func(c *httpConfig) { c.cors.Origins = append(c.cors.Origins, origins...) }
}

// WithAllowedHosts names the hosts the server answers for besides loopback
// hosts, as package runtime's option of the same name (see authz.Hosts):
// without WithResourceURL, any other Host is refused with 421, so that no
// metadata URL or challenge echoes an arbitrary Host. These rules replace
// the SDK's own localhost protection, which HTTPHandler turns off.
func WithAllowedHosts(hosts ...string) HTTPOption {
	return func(c *httpConfig) { c.hosts.Allowed = append(c.hosts.Allowed, hosts...) }
}

// WithMaxBodyBytes limits the size of a request body to n bytes (n <= 0
// restores DefaultMaxBodyBytes): a larger one is answered 413 before any
// of it is parsed (see authz.ReadBody).
func WithMaxBodyBytes(n int64) HTTPOption {
	return func(c *httpConfig) { c.maxBodyBytes = n }
}

// WithSessionIdleTimeout ends a stateful session once no request has used
// it for d (d <= 0 restores DefaultSessionIdleTimeout), through the SDK's
// mcp.StreamableHTTPOptions.SessionTimeout; a request on an ended session
// is answered as for any unknown session.
func WithSessionIdleTimeout(d time.Duration) HTTPOption {
	return func(c *httpConfig) { c.idleTimeout = d }
}

// WithStateless serves without sessions (the SDK's stateless mode), so
// that any replica behind a plain load balancer answers any request with
// the same authorization results: every request is authorized on its own
// token.
func WithStateless() HTTPOption {
	return func(c *httpConfig) { c.stateless = true }
}

// WithTokenVerifier makes the handler require a valid bearer token on every
// MCP request, answered as package runtime's option of the same name
// answers: 401 with WWW-Authenticate: Bearer resource_metadata="…" without
// a token (or with another scheme), error="invalid_token" added for a token
// the verifier refuses, 403 with error="insufficient_scope" for an
// *authz.InsufficientScopeError, 503 with Retry-After when the verifier is
// unavailable. The verified token is in the context of every check and
// handler of the request (AccessTokenFromContext), and the SDK's
// auth.TokenInfo of the request is filled from it (scopes, expiry, and as
// UserID the principal: issuer and subject, or client), so that the SDK
// binds each session to the principal that created it.
func WithTokenVerifier(v TokenVerifier) HTTPOption {
	return func(c *httpConfig) { c.verifier = v }
}

// WithResourceURL sets the public URL of the MCP endpoint, as clients
// reach it. By default it is derived from each request.
func WithResourceURL(u string) HTTPOption {
	return func(c *httpConfig) { c.resourceURL = u }
}

// WithAuthorizationServers lists the OAuth authorization servers that issue
// tokens for this resource, published in the protected resource metadata.
func WithAuthorizationServers(urls ...string) HTTPOption {
	return func(c *httpConfig) { c.authorizationServers = append(c.authorizationServers, urls...) }
}

// WithScopesSupported sets scopes_supported of the protected resource
// metadata. By default it is the sorted union of the scopes the registered
// components declare, those the middleware's built-in checks name, and
// those the token verifier requires of every token (authz.ScopeRequirer).
func WithScopesSupported(scopes ...string) HTTPOption {
	return func(c *httpConfig) { c.scopesSupported = append(c.scopesSupported, scopes...) }
}

// WithStepUp turns on scope step-up (the scope challenge of MCP
// 2025-11-25), as package runtime's option of the same name: a tools/call
// denied only because the token lacks scopes is answered 403 with
// WWW-Authenticate: Bearer error="insufficient_scope", scope="…", and such
// tools are listed to every caller.
func WithStepUp() HTTPOption {
	return func(c *httpConfig) { c.stepUp = true }
}

// WithStreamableHTTPOptions passes options to mcp.NewStreamableHTTPHandler
// (stateless mode, JSON responses, session timeout, ...).
func WithStreamableHTTPOptions(opts *mcp.StreamableHTTPOptions) HTTPOption {
	return func(c *httpConfig) { c.streamable = opts }
}

// HTTPHandler returns an http.Handler that serves s over MCP Streamable
// HTTP (the SDK's mcp.StreamableHTTPHandler) at whatever path it is mounted
// on. A request for /.well-known/oauth-protected-resource<path> routed to
// it gets the RFC 9728 metadata for that path. It panics if s already
// serves stdio.
func (s *Server) HTTPHandler(opts ...HTTPOption) http.Handler {
	if err := s.claimTransport(servedAuthorized); err != nil {
		panic(err)
	}
	h := &httpHandler{srv: s}
	for _, opt := range opts {
		opt(&h.cfg)
	}
	if h.cfg.stepUp {
		s.stepUp.Store(true)
	}
	if h.cfg.maxBodyBytes <= 0 {
		h.cfg.maxBodyBytes = DefaultMaxBodyBytes
	}
	if h.cfg.idleTimeout <= 0 {
		h.cfg.idleTimeout = DefaultSessionIdleTimeout
	}
	h.resource = parseResourceURL(h.cfg.resourceURL)
	if h.resource != nil {
		h.cfg.hosts.Fixed = h.resource.Host
	}
	var sdkOpts mcp.StreamableHTTPOptions
	if h.cfg.streamable != nil {
		sdkOpts = *h.cfg.streamable
	}
	sdkOpts.DisableLocalhostProtection = true // authz.Hosts applies instead
	sdkOpts.Stateless = sdkOpts.Stateless || h.cfg.stateless
	h.stateless = sdkOpts.Stateless
	if sdkOpts.SessionTimeout == 0 {
		sdkOpts.SessionTimeout = h.cfg.idleTimeout
	}
	h.sdk = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.mcp }, &sdkOpts)
	// The SDK takes a request's TokenInfo from a context key only
	// auth.RequireBearerToken sets (token-info); its verifier here hands
	// over what the runtime's verifier decided. Expiry was judged already:
	// the skew keeps the SDK from judging it again a moment later.
	h.authed = auth.RequireBearerToken(verifiedTokenInfo, &auth.RequireBearerTokenOptions{
		AllowMissingExpiration: true,
		ClockSkew:              time.Hour,
	})(h.sdk)
	return h
}

type httpHandler struct {
	srv       *Server
	cfg       httpConfig
	sdk       http.Handler // the SDK's Streamable HTTP handler
	authed    http.Handler // sdk behind the hand-over of the TokenInfo
	owners    owners       // the principal of each session
	resource  *url.URL     // WithResourceURL, parsed; nil: derived per request
	stateless bool
}

// parseResourceURL parses WithResourceURL's URL; "" is none. A URL that
// is not absolute is a configuration mistake, reported at HTTPHandler.
func parseResourceURL(raw string) *url.URL {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("gosdk: WithResourceURL(%q): %v", raw, err))
	}
	if u.Scheme == "" || u.Host == "" {
		panic(fmt.Sprintf("gosdk: WithResourceURL(%q): not an absolute URL", raw))
	}
	return u
}

type verifiedKey struct{}

// verifiedTokenInfo is the auth.TokenVerifier through which the SDK learns
// the token the runtime verified for the request.
func verifiedTokenInfo(_ context.Context, _ string, r *http.Request) (*auth.TokenInfo, error) {
	tok, _ := r.Context().Value(verifiedKey{}).(*AccessToken)
	if tok == nil {
		return nil, auth.ErrInvalidToken // unreachable: the runtime verified first
	}
	return &auth.TokenInfo{
		Scopes:     slices.Clone(tok.Scopes),
		Expiration: tok.ExpiresAt,
		UserID:     principal(tok),
		Extra:      map[string]any{tokenInfoKey: tok},
	}, nil
}

// principal names who a token speaks for: its issuer and subject claims,
// or else its client, or else (as on the mcp-go backend) the token itself,
// by its SHA-256 digest so that the SDK's session state never holds the
// token's text. Tokens of one principal may replace each other in a
// session; another principal's may not.
func principal(tok *AccessToken) string {
	iss, _ := tok.Claims["iss"].(string)
	if sub, _ := tok.Claims["sub"].(string); sub != "" {
		return "sub:" + iss + " " + sub
	}
	if tok.ClientID != "" {
		return "client:" + iss + " " + tok.ClientID
	}
	if tok.Token != "" {
		sum := sha256.Sum256([]byte(tok.Token))
		return "token:" + hex.EncodeToString(sum[:])
	}
	return ""
}

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.cfg.hosts.Permits(r) {
		h.cfg.hosts.Refuse(w)
		return
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, authz.MetadataPathPrefix); ok && (rest == "" || rest[0] == '/') {
		h.serveMetadata(w, r, rest)
		return
	}
	if h.cfg.cors.Preflight(w, r, "GET, POST, DELETE") {
		return
	}
	h.cfg.cors.Decorate(w, r)
	var body []byte
	if r.Method == http.MethodPost {
		var ok bool
		if body, ok = authz.ReadBody(w, r, h.cfg.maxBodyBytes); !ok {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if h.cfg.verifier == nil || authz.IsPreflight(r) {
		h.sdk.ServeHTTP(w, r)
		return
	}
	var start time.Time
	if h.srv.hooks != nil {
		start = time.Now()
	}
	tok, status, rule := authz.VerifyBearer(w, r, h.cfg.verifier, func() string { return h.metadataURL(r) })
	if status != 0 {
		if h.srv.hooks != nil {
			h.srv.refusedHTTP(r, start, status, rule)
		}
		return
	}
	p := principal(tok)
	if id := r.Header.Get(sessionIDHeader); id != "" && !h.stateless {
		if owner, known := h.owners.get(id); known && owner != p {
			// Another principal's session: answered as an unknown one,
			// and nothing changes.
			unknownSession(w)
			if h.srv.hooks != nil {
				h.srv.refusedSession(r, tok, body)
			}
			return
		}
		if r.Method == http.MethodDelete {
			defer h.owners.forget(id)
		}
	} else if !h.stateless {
		w = &sessionRecorder{ResponseWriter: w, record: func(id string) { h.owners.set(id, p, h.srv) }}
	}
	if h.cfg.stepUp && body != nil {
		var msg struct {
			Method string `json:"method"`
			Params struct {
				Name string `json:"name"`
			} `json:"params"`
		}
		_ = json.Unmarshal(body, &msg) // the SDK answers a bad message itself
		if msg.Method == methodCallTool {
			if scopes, ok := h.srv.reg.Load().tools.byKey[msg.Params.Name].guard().StepUpScopes(tok); ok {
				authz.Challenge(w, http.StatusForbidden, h.metadataURL(r), `error="insufficient_scope"`, `scope="`+authz.ScopeParam(scopes)+`"`)
				if h.srv.hooks != nil {
					h.srv.steppedUp(r, tok, start, msg.Params.Name)
				}
				return
			}
		}
	}
	h.authed.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), verifiedKey{}, tok)))
}

// sessionIDHeader carries the Streamable HTTP session.
const sessionIDHeader = "Mcp-Session-Id"

// owners records the principal that created each session, so that a
// request of another principal can be answered as for an unknown session
// (SPEC section 6). The SDK binds sessions to TokenInfo.UserID too, but
// answers a mismatch with 403, which tells the caller the session exists.
type owners struct {
	mu    sync.Mutex
	owner map[string]string
}

func (o *owners) get(id string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.owner[id]
	return p, ok
}

// set records the principal of a new session. When the records outgrow the
// sessions the SDK still holds, those of ended sessions are dropped.
func (o *owners) set(id, principal string, s *Server) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.owner == nil {
		o.owner = map[string]string{}
	}
	o.owner[id] = principal
	if len(o.owner) < 64 {
		return
	}
	live := map[string]bool{}
	for ss := range s.mcp.Sessions() {
		live[ss.ID()] = true
	}
	if len(o.owner) > 2*len(live) {
		for k := range o.owner {
			if !live[k] && k != id {
				delete(o.owner, k)
			}
		}
	}
}

func (o *owners) forget(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.owner, id)
}

// unknownSession answers as the SDK's Streamable HTTP handler answers a
// request for a session it does not have (session-unknown).
func unknownSession(w http.ResponseWriter) {
	http.Error(w, "session not found", http.StatusNotFound)
}

// sessionRecorder passes a response through and reports the session id
// the SDK assigns in it.
type sessionRecorder struct {
	http.ResponseWriter
	record func(id string)
	done   bool
}

func (w *sessionRecorder) WriteHeader(code int) {
	if !w.done {
		w.done = true
		if id := w.Header().Get(sessionIDHeader); id != "" && code < 300 {
			w.record(id)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *sessionRecorder) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *sessionRecorder) Flush() {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *sessionRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// resourceURL is the public URL of the MCP endpoint the request reached:
// WithResourceURL's, or one built from the request, whose Host the handler
// has already checked.
func (h *httpHandler) resourceURL(r *http.Request) *url.URL {
	if h.resource != nil {
		u := *h.resource
		return &u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path}
}

func (h *httpHandler) metadataURL(r *http.Request) string {
	u := h.resourceURL(r)
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: authz.MetadataPathPrefix + u.Path}).String()
}

// protectedResourceMetadata is the RFC 9728 document, with the members
// package runtime publishes, in the same order.
type protectedResourceMetadata struct {
	Resource               string   `json:"resource"`
	AuthorizationServers   []string `json:"authorization_servers,omitempty"`
	ScopesSupported        []string `json:"scopes_supported,omitempty"`
	BearerMethodsSupported []string `json:"bearer_methods_supported,omitempty"`
}

// serveMetadata answers the RFC 9728 protected resource metadata of the
// MCP endpoint at path.
func (h *httpHandler) serveMetadata(w http.ResponseWriter, r *http.Request, path string) {
	if h.cfg.cors.Preflight(w, r, "GET, HEAD") {
		return
	}
	h.cfg.cors.Decorate(w, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	resource := h.resourceURL(r)
	if h.resource == nil {
		resource.Path = path
	}
	scopes := h.cfg.scopesSupported
	if scopes == nil {
		scopes = h.srv.declaredScopes()
		if v, ok := h.cfg.verifier.(authz.ScopeRequirer); ok {
			for _, sc := range v.RequiredScopes() {
				if !slices.Contains(scopes, sc) {
					scopes = append(scopes, sc)
				}
			}
			slices.Sort(scopes)
		}
	}
	doc := protectedResourceMetadata{
		Resource:               resource.String(),
		AuthorizationServers:   h.cfg.authorizationServers,
		ScopesSupported:        scopes,
		BearerMethodsSupported: []string{"header"},
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=3600")
	_ = json.NewEncoder(w).Encode(doc)
}

// declaredScopes is the sorted union of the scopes the registered
// components declare and the scopes the middleware's built-in checks name.
func (s *Server) declaredScopes() []string {
	reg := s.reg.Load()
	var guards []*authz.Guard
	for _, c := range []catalog{reg.tools, reg.prompts, reg.resources, reg.templates} {
		for _, rec := range c.sorted {
			guards = append(guards, rec.Guard)
		}
	}
	return s.policy.ScopesSupported(guards...)
}
