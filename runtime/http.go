package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// HTTPOption configures HTTPHandler.
type HTTPOption func(*httpConfig)

type httpConfig struct {
	verifier             TokenVerifier
	resourceURL          string
	authorizationServers []string
	scopesSupported      []string
	streamableOptions    []server.StreamableHTTPOption
	stepUp               bool

	maxBodyBytes int64         // WithMaxBodyBytes; 0: DefaultMaxBodyBytes
	idleTimeout  time.Duration // WithSessionIdleTimeout; 0: DefaultSessionIdleTimeout
	stateless    bool          // WithStateless
	cors         authz.CORS    // WithCORS
	hosts        authz.Hosts   // WithAllowedHosts; Fixed from WithResourceURL
}

// WithTokenVerifier makes the handler require a valid bearer token
// (Authorization: Bearer, the scheme in any case) on every MCP request,
// whatever its method: a request without one, or with another scheme, is
// answered 401 with WWW-Authenticate: Bearer resource_metadata="…"; a token
// the verifier refuses gets 401 with error="invalid_token" added, or 403
// with error="insufficient_scope" and scope="…" when the verifier returns an
// *InsufficientScopeError. The verifier's error text is logged, never sent.
// The protected resource metadata and CORS preflight requests need no
// token. The verified token is in the context of every check and handler
// of the request, with the raw bearer token in its Token when the verifier
// left that empty.
func WithTokenVerifier(v TokenVerifier) HTTPOption {
	return func(c *httpConfig) { c.verifier = v }
}

// WithResourceURL sets the public URL of the MCP endpoint, as clients
// reach it (behind a proxy, say). By default it is derived from each
// request: scheme (https when the connection is TLS), host and path.
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
// components declare, those the middleware's RequireScopes and RestrictTag
// checks name, and those the token verifier requires of every token
// (authz.ScopeRequirer, as jwtauth.Config.RequiredScopes). Scopes that
// custom checks look for are not known to the runtime: list them here.
func WithScopesSupported(scopes ...string) HTTPOption {
	return func(c *httpConfig) { c.scopesSupported = append(c.scopesSupported, scopes...) }
}

// WithStepUp turns on scope step-up (the scope challenge of MCP
// 2025-11-25): a tools/call that is denied only because the token lacks
// scopes (the tool's checks and the middleware are all RequireScopes or
// RestrictTag) is answered at the HTTP layer with 403 and
//
//	WWW-Authenticate: Bearer error="insufficient_scope", scope="<required scopes>", resource_metadata="…"
//
// so that the client can ask the authorization server for a token with
// more scopes, instead of the tool looking like it does not exist. In this
// mode such tools are listed to every caller, with their required scopes in
// _meta (AuthorizationMetaKey); tools with custom checks keep hiding. Off
// by default, as in FastMCP.
func WithStepUp() HTTPOption {
	return func(c *httpConfig) { c.stepUp = true }
}

// WithStreamableHTTPOptions passes options through to mcp-go's
// server.NewStreamableHTTPServer. The runtime sets the session mode
// (stateful, or WithStateless), the session ID manager, the idle timeout and
// its own context function; do not pass server.WithHTTPContextFunc,
// server.WithStateLess, server.WithStateful or the session ID manager
// options. CORS and DNS rebinding protection are the runtime's own (WithCORS,
// WithAllowedHosts); mcp-go's server.WithStreamableHTTPCORS and
// server.WithProtectedResourceMetadata do not apply.
func WithStreamableHTTPOptions(opts ...server.StreamableHTTPOption) HTTPOption {
	return func(c *httpConfig) { c.streamableOptions = append(c.streamableOptions, opts...) }
}

// HTTPHandler returns an http.Handler that serves s over MCP Streamable
// HTTP at whatever path it is mounted on, with stateful sessions bound to
// the principal that initialized them (or none, WithStateless). A request
// for /.well-known/oauth-protected-resource<path> routed to it gets the RFC
// 9728 metadata for that path. It panics if s already serves stdio.
func (s *Server) HTTPHandler(opts ...HTTPOption) http.Handler {
	if err := s.claimTransport(servedAuthorized); err != nil {
		panic(err)
	}
	h := &httpHandler{srv: s}
	for _, opt := range opts {
		opt(&h.cfg)
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
	streamOpts := slices.Clone(h.cfg.streamableOptions)
	if h.cfg.stateless {
		streamOpts = append(streamOpts, server.WithStateLess(true))
	} else {
		h.sessions = newSessionTable()
		streamOpts = append(streamOpts,
			server.WithSessionIdManagerResolver(h.sessions),
			server.WithSessionIdleTTL(h.cfg.idleTimeout))
	}
	streamOpts = append(streamOpts, server.WithHTTPContextFunc(h.contextFunc))
	h.mcp = server.NewStreamableHTTPServer(s.mcp, streamOpts...)
	return h
}

type httpHandler struct {
	srv      *Server
	cfg      httpConfig
	mcp      *server.StreamableHTTPServer
	sessions *sessionTable // nil when stateless
	resource *url.URL      // WithResourceURL, parsed; nil: derived per request
}

type httpMessageKey struct{}

// httpMessage is what the request entry needs of a POST's JSON-RPC
// message, read before mcp-go reads it.
type httpMessage struct {
	method string
	target target
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
	if h.cfg.stateless && r.Header.Get(server.HeaderKeySessionID) != "" {
		// A stateless server issues no session: an id a client sends
		// names nothing, and is neither used nor recorded (as on go-sdk).
		r2 := *r
		r2.Header = r.Header.Clone()
		r2.Header.Del(server.HeaderKeySessionID)
		r = &r2
	}
	ctx := r.Context()
	var start time.Time
	if h.srv.hooks != nil {
		start = time.Now()
	}
	if h.cfg.verifier != nil && !authz.IsPreflight(r) {
		tok, status, rule := authz.VerifyBearer(w, r, h.cfg.verifier, func() string { return h.metadataURL(r) })
		if status != 0 {
			if h.srv.hooks != nil {
				h.srv.refusedHTTP(r, start, status, rule)
			}
			return
		}
		ctx = ContextWithAccessToken(ctx, tok)
	}
	var body []byte
	var msg wireMessage
	if r.Method == http.MethodPost {
		var ok bool
		if body, ok = authz.ReadBody(w, r, h.cfg.maxBodyBytes); !ok {
			return
		}
		if h.srv.requestHooks != nil {
			var finish func()
			if ctx, finish = h.srv.observe(ctx, body, r.Header); finish != nil {
				defer finish()
			}
		}
		_ = json.Unmarshal(body, &msg) // mcp-go answers a bad message itself
		msg.Params.protocol = protocolIn(body)
		if h.cfg.stepUp && msg.Method == string(mcp.MethodToolsCall) {
			if scopes, ok := h.srv.stepUpScopes(AccessTokenFromContext(ctx), msg.Params.Name); ok {
				authz.Challenge(w, http.StatusForbidden, h.metadataURL(r), `error="insufficient_scope"`, `scope="`+authz.ScopeParam(scopes)+`"`)
				if h.srv.hooks != nil {
					h.srv.steppedUp(ctx, r, start, msg.Params.Name)
				}
				return
			}
		}
		ctx = context.WithValue(ctx, httpMessageKey{}, httpMessage{method: msg.Method, target: msg.Params})
	}
	if !h.admitSession(w, r, ctx, &msg) {
		return
	}
	if h.cfg.stepUp {
		ctx = context.WithValue(ctx, stepUpKey{}, true)
	}
	h.mcp.Handle(h.newStreamWriter(w, ctx), &server.HTTPRequest{
		Method:  r.Method,
		URL:     r.URL,
		Header:  r.Header,
		Body:    body,
		Context: ctx,
	})
}

// wireMessage is what the request entry reads of a POST's JSON-RPC message.
type wireMessage struct {
	Method string `json:"method"`
	Params target `json:"params"`
}

type stepUpKey struct{}

func stepUpFrom(ctx context.Context) bool {
	on, _ := ctx.Value(stepUpKey{}).(bool)
	return on
}

// stepUpScopes reports whether tok is denied the tool name only for lacking
// scopes, and which scopes the tool requires.
func (s *Server) stepUpScopes(tok *AccessToken, name string) ([]string, bool) {
	return s.reg.Load().tools[name].guard().StepUpScopes(tok)
}

// resourceURL is the public URL of the MCP endpoint the request reached:
// WithResourceURL's, or one built from the request, whose Host the handler
// has already checked (hostAllowed).
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

// parseResourceURL parses WithResourceURL's URL; "" is none. A URL that
// is not absolute is a configuration mistake, reported at HTTPHandler.
func parseResourceURL(raw string) *url.URL {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("runtime: WithResourceURL(%q): %v", raw, err))
	}
	if u.Scheme == "" || u.Host == "" {
		panic(fmt.Sprintf("runtime: WithResourceURL(%q): not an absolute URL", raw))
	}
	return u
}

func (h *httpHandler) metadataURL(r *http.Request) string {
	u := h.resourceURL(r)
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: authz.MetadataPathPrefix + u.Path}).String()
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
			scopes = slices.Sorted(slices.Values(union(scopes, v.RequiredScopes())))
		}
	}
	doc := server.ProtectedResourceMetadataConfig{
		Resource:               resource.String(),
		AuthorizationServers:   h.cfg.authorizationServers,
		ScopesSupported:        scopes,
		BearerMethodsSupported: []string{"header"},
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=3600")
	_ = json.NewEncoder(w).Encode(doc)
}

// union returns the strings of a and b, each once, in no particular order.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// declaredScopes is the sorted union of the scopes the registered
// components declare and the scopes the middleware's RequireScopes and
// RestrictTag checks name.
func (s *Server) declaredScopes() []string {
	reg := s.reg.Load()
	guards := make([]*authz.Guard, 0, len(reg.tools)+len(reg.prompts)+len(reg.resources)+len(reg.templates))
	for _, m := range []map[string]*record{reg.tools, reg.prompts, reg.resources} {
		for _, rec := range m {
			guards = append(guards, rec.Guard)
		}
	}
	for _, rec := range reg.templates {
		guards = append(guards, rec.Guard)
	}
	return s.policy.ScopesSupported(guards...)
}
