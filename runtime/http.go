package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
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
// of the request.
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
// server.NewStreamableHTTPServer. The runtime sets stateful sessions and
// its own context function; do not pass server.WithHTTPContextFunc.
func WithStreamableHTTPOptions(opts ...server.StreamableHTTPOption) HTTPOption {
	return func(c *httpConfig) { c.streamableOptions = append(c.streamableOptions, opts...) }
}

// HTTPHandler returns an http.Handler that serves s over MCP Streamable
// HTTP at whatever path it is mounted on, with stateful sessions. A request
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
	streamOpts := append([]server.StreamableHTTPOption{server.WithStateful(true)}, h.cfg.streamableOptions...)
	streamOpts = append(streamOpts, server.WithHTTPContextFunc(h.contextFunc))
	h.mcp = server.NewStreamableHTTPServer(s.mcp, streamOpts...)
	return h
}

type httpHandler struct {
	srv *Server
	cfg httpConfig
	mcp *server.StreamableHTTPServer
}

type httpMessageKey struct{}

// httpMessage is what the request entry needs of a POST's JSON-RPC
// message, read before mcp-go reads it.
type httpMessage struct {
	method string
	target target
}

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, authz.MetadataPathPrefix); ok && (rest == "" || rest[0] == '/') {
		h.serveMetadata(w, r, rest)
		return
	}
	ctx := r.Context()
	var start time.Time
	if h.srv.hooks != nil {
		start = time.Now()
	}
	if h.cfg.verifier != nil && !isPreflight(r) {
		tok, status, rule := authz.VerifyBearer(w, r, h.cfg.verifier, func() string { return h.metadataURL(r) })
		if status != 0 {
			if h.srv.hooks != nil {
				h.srv.refusedHTTP(r, start, status, rule)
			}
			return
		}
		ctx = ContextWithAccessToken(ctx, tok)
	}
	if r.Method == http.MethodPost && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		if h.srv.requestHooks != nil {
			var finish func()
			if ctx, finish = h.srv.observe(ctx, body, r.Header); finish != nil {
				defer finish()
			}
		}
		var msg struct {
			Method string `json:"method"`
			Params target `json:"params"`
		}
		_ = json.Unmarshal(body, &msg) // mcp-go answers a bad message itself
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
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if h.cfg.stepUp {
		ctx = context.WithValue(ctx, stepUpKey{}, true)
	}
	h.mcp.ServeHTTP(w, r.WithContext(ctx))
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

// isPreflight reports whether r is a CORS preflight request, which browsers
// send without credentials; it goes to mcp-go, which answers it when CORS is
// configured (server.WithStreamableHTTPCORS) and with 404 otherwise, never
// with MCP handling.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
}

// resourceURL is the public URL of the MCP endpoint the request reached.
func (h *httpHandler) resourceURL(r *http.Request) *url.URL {
	if h.cfg.resourceURL != "" {
		if u, err := url.Parse(h.cfg.resourceURL); err == nil {
			return u
		}
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

// serveMetadata answers the RFC 9728 protected resource metadata of the
// MCP endpoint at path.
func (h *httpHandler) serveMetadata(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	resource := h.resourceURL(r)
	if h.cfg.resourceURL == "" {
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
