package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Server is an MCP server whose components carry authorization. It wraps
// an mcp-go *server.MCPServer: tools, resources, resource templates and
// prompts are added here with their checks and tags, and every transport the
// Server offers applies them. Each name (URI, for resources and templates)
// is registered once: a second registration panics.
type Server struct {
	mcp    *server.MCPServer
	policy *authz.Policy  // the middleware
	tags   tagSwitch      // which components exist (WithIncludeTags, WithExcludeTags)
	hooks  []DecisionHook // nil: decisions are not reported

	requestHooks []RequestHook // nil: requests are not observed

	mu  sync.Mutex               // serialises registration
	reg atomic.Pointer[registry] // immutable snapshot, replaced on registration

	// argsAtEntry is set once a registered component's decision may depend
	// on a request's arguments (authz.Guard.NeedsArguments): from then on
	// the request entry reads the arguments of targeted requests.
	argsAtEntry atomic.Bool

	maskErrors bool // WithMaskErrorDetails

	uriLimit authz.URILimit // WithMaxURIBytes

	transportMu sync.Mutex
	served      served // the transports are exclusive
	publishOnce sync.Once
}

// served is what a Server serves: nothing yet, stdio, or the authorized
// transports (HTTPHandler, HandleMessage), which exclude each other.
type served int

const (
	servedNothing served = iota
	servedStdio
	servedAuthorized
)

func (s served) String() string {
	switch s {
	case servedStdio:
		return "stdio"
	case servedAuthorized:
		return "authorized transports"
	}
	return "nothing"
}

// registry is an immutable view of the registered components. Requests read
// it without locking; registration copies it.
type registry struct {
	tools     map[string]*record
	prompts   map[string]*record
	resources map[string]*record // by URI
	templates []*record          // sorted by template
}

// record is one registered component: its guard (the component and its
// checks) and, for resources and templates, what mcp-go serves it with.
type record struct {
	*authz.Guard

	resource server.ServerResource         // KindResource
	template server.ServerResourceTemplate // KindResourceTemplate

	headerBound bool // a tool with parameters bound to headers (x-mcp-header)

	site string // file:line of the registration
}

// Option configures a Server.
type Option func(*serverConfig)

type serverConfig struct {
	middleware   []Middleware
	mcpOptions   []server.ServerOption
	maskErrors   bool
	maxURIBytes  int      // WithMaxURIBytes
	roleClaims   []string // WithRoleClaims
	hooks        []DecisionHook
	requestHooks []RequestHook

	includeTags, excludeTags []string
}

// WithMiddleware adds server-wide authorization layers. Their checks apply
// to every component in addition to the component's own; several
// middlewares stack (all must pass), run in the order given.
func WithMiddleware(m ...Middleware) Option {
	return func(c *serverConfig) { c.middleware = append(c.middleware, m...) }
}

// WithServerOptions passes options through to mcp-go's server.NewMCPServer,
// for example server.WithPaginationLimit or server.WithInstructions.
func WithServerOptions(opts ...server.ServerOption) Option {
	return func(c *serverConfig) { c.mcpOptions = append(c.mcpOptions, opts...) }
}

// NewServer returns a Server named name at version, with no components.
func NewServer(name, version string, opts ...Option) *Server {
	var cfg serverConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{policy: authz.NewPolicy(cfg.middleware...), maskErrors: cfg.maskErrors, tags: tagSwitch{include: cfg.includeTags, exclude: cfg.excludeTags},
		hooks: cfg.hooks, requestHooks: cfg.requestHooks, uriLimit: authz.URILimit(cfg.maxURIBytes)}
	if len(cfg.roleClaims) > 0 {
		s.policy.SetRoleClaims(authz.NewRoleClaims(cfg.roleClaims...))
	}
	s.reg.Store(&registry{
		tools:     map[string]*record{},
		prompts:   map[string]*record{},
		resources: map[string]*record{},
	})
	s.mcp = server.NewMCPServer(name, version, append(s.hidingOptions(), cfg.mcpOptions...)...)
	s.installRefusals()
	addCacheHooks(s.mcp.GetHooks())
	if s.requestHooks != nil {
		s.installOutcomes()
	}
	if s.hooks != nil {
		s.installPendingFlush()
		hookedServers.Add(1)
	}
	return s
}

// MCP returns the underlying mcp-go server, for options and features the
// runtime does not wrap. Components added to it directly are subject to
// middleware when they are tools or prompts, but have no checks of their
// own; clients built directly on it bypass the runtime's request entry and
// see none of the runtime's resources (see the package documentation).
func (s *Server) MCP() *server.MCPServer { return s.mcp }

func (s *Server) newRecord(comp Component, opts []ComponentOption, site string) *record {
	rec := &record{Guard: s.policy.Guard(comp, opts...), site: site}
	if rec.NeedsArguments() {
		s.argsAtEntry.Store(true)
	}
	return rec
}

// AuthorizationMetaKey is the key of a tool's _meta under which the runtime
// publishes the scopes the tool requires, as MCP SEP-1880 proposes:
//
//	"_meta": {"authorization": {"scopes": ["read", "write"]}}
//
// The scopes are those of the tool's own RequireScopes checks and those the
// middleware's RequireScopes and RestrictTag checks require of it.
const AuthorizationMetaKey = "authorization"

func withAuthorizationMeta(meta *mcp.Meta, scopes []string) *mcp.Meta {
	out := &mcp.Meta{AdditionalFields: map[string]any{}}
	if meta != nil {
		out.ProgressToken = meta.ProgressToken
		maps.Copy(out.AdditionalFields, meta.AdditionalFields)
	}
	out.AdditionalFields[AuthorizationMetaKey] = authorizationMeta(scopes)
	return out
}

// authorizationMeta is the value published under AuthorizationMetaKey,
// encoded once at registration: mcp-go marshals a tool's _meta on every
// tools/list.
func authorizationMeta(scopes []string) json.RawMessage {
	b, err := json.Marshal(struct {
		Scopes []string `json:"scopes"`
	}{scopes})
	if err != nil {
		panic(err) // a []string always encodes
	}
	return b
}

// AddTool registers a tool with its handler. Its checks decide who sees it
// in tools/list and who may call it; a caller who may not gets the same
// answer as for a tool that does not exist. Registering a second tool of
// the same name panics, naming both registrations.
func (s *Server) AddTool(tool mcp.Tool, handler server.ToolHandlerFunc, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindTool, Name: tool.Name}, opts, registrationSite())
	if !s.tags.exists(rec.Component.Tags) {
		return
	}
	if required := rec.RequiredScopes(); len(required) > 0 {
		tool.Meta = withAuthorizationMeta(tool.Meta, required)
	}
	rec.headerBound = len(mcp.ExtractParamHeaderBindings(&tool)) > 0
	s.update(func(r *registry) {
		duplicate(KindTool, tool.Name, r.tools[tool.Name], rec.site)
		r.tools = withRecord(r.tools, tool.Name, rec)
	})
	s.mcp.AddTool(tool, s.guardTool(tool.Name, handler))
}

// AddPrompt registers a prompt with its handler, as AddTool does a tool.
func (s *Server) AddPrompt(prompt mcp.Prompt, handler server.PromptHandlerFunc, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindPrompt, Name: prompt.Name}, opts, registrationSite())
	if !s.tags.exists(rec.Component.Tags) {
		return
	}
	s.update(func(r *registry) {
		duplicate(KindPrompt, prompt.Name, r.prompts[prompt.Name], rec.site)
		r.prompts = withRecord(r.prompts, prompt.Name, rec)
	})
	s.mcp.AddPrompt(prompt, s.guardPrompt(prompt.Name, handler))
}

// AddResource registers a resource with its handler. A caller whose checks
// fail does not see it in resources/list, and reading it answers exactly as
// for a URI that no resource has.
func (s *Server) AddResource(resource mcp.Resource, handler server.ResourceHandlerFunc, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindResource, Name: resource.Name, URI: resource.URI}, opts, registrationSite())
	if !s.tags.exists(rec.Component.Tags) {
		return
	}
	rec.resource = server.ServerResource{Resource: resource, Handler: s.restoreSession(s.guardResource(handler))}
	s.update(func(r *registry) {
		duplicate(KindResource, resource.URI, r.resources[resource.URI], rec.site)
		r.resources = withRecord(r.resources, resource.URI, rec)
	})
	s.advertiseResources()
}

// AddResourceTemplate registers a resource template with its handler. Its
// checks apply to resources/templates/list and to every read of a URI that
// matches the template.
func (s *Server) AddResourceTemplate(tmpl mcp.ResourceTemplate, handler server.ResourceTemplateHandlerFunc, opts ...ComponentOption) {
	if tmpl.URITemplate == nil {
		panic("runtime: AddResourceTemplate: template " + tmpl.Name + " has no URI template")
	}
	raw := tmpl.URITemplate.Raw()
	rec := s.newRecord(Component{Kind: KindResourceTemplate, Name: tmpl.Name, URI: raw}, opts, registrationSite())
	if !s.tags.exists(rec.Component.Tags) {
		return
	}
	rec.template = server.ServerResourceTemplate{Template: tmpl, Handler: server.ResourceTemplateHandlerFunc(s.restoreSession(s.guardResource(server.ResourceHandlerFunc(handler))))}
	s.update(func(r *registry) {
		for _, o := range r.templates {
			if o.Component.URI == raw {
				duplicate(KindResourceTemplate, raw, o, rec.site)
			}
		}
		r.templates = append(slices.Clone(r.templates), rec)
		slices.SortFunc(r.templates, func(a, b *record) int { return strings.Compare(a.Component.URI, b.Component.URI) })
	})
	s.advertiseResources()
}

func (s *Server) update(f func(*registry)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := *s.reg.Load()
	f(&r)
	s.reg.Store(&r)
}

func withRecord(m map[string]*record, key string, rec *record) map[string]*record {
	m = maps.Clone(m)
	m[key] = rec
	return m
}

// ServeStdio serves the server on standard input and output until ctx ends
// or the input closes. As in FastMCP, a stdio request carries no token and
// every check is skipped: everything registered is visible and callable.
// A Server serves either stdio or authorized transports (HTTPHandler,
// HandleMessage), never both, since stdio publishes every resource.
func (s *Server) ServeStdio(ctx context.Context) error {
	return s.serveStdio(ctx, os.Stdin, os.Stdout)
}

func (s *Server) serveStdio(ctx context.Context, in io.Reader, out io.Writer) error {
	if err := s.claimTransport(servedStdio); err != nil {
		return err
	}
	s.publishOnce.Do(s.publishAll)
	stdio := server.NewStdioServer(s.mcp)
	stdio.SetContextFunc(func(ctx context.Context) context.Context { return withSkipChecks(ctx) })
	return stdio.Listen(ctx, in, out)
}

// publishAll adds every runtime resource and template to mcp-go's shared
// registry, for stdio where nothing is hidden.
func (s *Server) publishAll() {
	r := s.reg.Load()
	for _, uri := range slices.Sorted(maps.Keys(r.resources)) {
		s.mcp.AddResources(r.resources[uri].resource)
	}
	for _, rec := range r.templates {
		s.mcp.AddResourceTemplates(rec.template)
	}
}

var errTransportTaken = errors.New("runtime: a Server serves either stdio or authorized transports (HTTPHandler, HandleMessage), not both")

func (s *Server) claimTransport(kind served) error {
	s.transportMu.Lock()
	defer s.transportMu.Unlock()
	if s.served != servedNothing && s.served != kind {
		return fmt.Errorf("%w: it already serves %s", errTransportTaken, s.served)
	}
	s.served = kind
	return nil
}
