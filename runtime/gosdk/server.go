package gosdk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/yosida95/uritemplate/v3"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Server is an MCP server of the official Go SDK whose components carry
// authorization. It wraps an *mcp.Server: tools, prompts, resources and
// resource templates are added here with their checks and tags, and every
// request the SDK receives passes the runtime's receiving middleware, which
// answers the four list methods from the Server's own registry and decides
// every request that targets one component.
type Server struct {
	mcp      *mcp.Server
	policy   *authz.Policy
	pageSize int

	// From the SDK options, kept to be wrapped or consulted.
	setCacheable  func(context.Context, mcp.Request, *mcp.Cacheable)
	hasCompletion bool
	maskErrors    bool           // WithMaskErrorDetails
	uriLimit      authz.URILimit // WithMaxURIBytes
	hooks         []DecisionHook // WithDecisionHook; nil: decisions are not reported

	mu  sync.Mutex               // serialises registration
	reg atomic.Pointer[registry] // immutable snapshot, replaced on registration

	notifyViews views // what each session's caller last saw (notify.go)

	skipChecks  atomic.Bool // serving stdio: no token, no check (as FastMCP)
	stepUp      atomic.Bool // an HTTP handler with WithStepUp exists
	transportMu sync.Mutex
	served      served
}

// served is what a Server serves: nothing yet, stdio, or the authorized
// transports (HTTPHandler, Connect), which exclude each other.
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
	tools     catalog // by name
	prompts   catalog // by name
	resources catalog // by URI
	templates catalog // by URI template
}

// catalog holds the components of one kind, by key and sorted by key as the
// SDK sorts them for its lists.
type catalog struct {
	byKey  map[string]*record
	sorted []*record
}

func (c catalog) with(rec *record) catalog {
	byKey := maps.Clone(c.byKey)
	if byKey == nil {
		byKey = map[string]*record{}
	}
	byKey[rec.key] = rec
	sorted := slices.Clone(c.sorted)
	i, _ := slices.BinarySearchFunc(sorted, rec.key, compareKey)
	return catalog{byKey: byKey, sorted: slices.Insert(sorted, i, rec)}
}

func compareKey(rec *record, key string) int { return strings.Compare(rec.key, key) }

// record is one registered component: its guard (the component and its
// checks), what lists show of it, and for resources and templates the
// handler a read is routed to.
type record struct {
	*authz.Guard
	key string

	tool     *mcp.Tool
	prompt   *mcp.Prompt
	resource *mcp.Resource
	template *mcp.ResourceTemplate

	match *regexp.Regexp        // KindResourceTemplate
	tmpl  *uritemplate.Template // KindResourceTemplate
	read  mcp.ResourceHandler   // KindResource, KindResourceTemplate
}

// arguments returns the template's variables in uri as a check's
// AuthContext.Arguments.
func (rec *record) arguments(uri string) map[string]any {
	vars := rec.vars(uri)
	out := make(map[string]any, len(vars))
	for k, v := range vars {
		out[k] = v
	}
	return out
}

// vars returns the values of the template's variables in uri, a list's
// values joined with commas.
func (rec *record) vars(uri string) map[string]string {
	vals := rec.tmpl.Match(uri)
	out := make(map[string]string, len(vals))
	for _, name := range rec.tmpl.Varnames() {
		v := vals.Get(name)
		if v.T == uritemplate.ValueTypeList {
			out[name] = strings.Join(v.List(), ",")
		} else {
			out[name] = v.String()
		}
	}
	return out
}

// guard returns rec's guard; nil for a nil record.
func (rec *record) guard() *authz.Guard {
	if rec == nil {
		return nil
	}
	return rec.Guard
}

// Option configures a Server.
type Option func(*serverConfig)

type serverConfig struct {
	middleware []Middleware
	maskErrors bool
	maxURI     int      // WithMaxURIBytes
	roleClaims []string // WithRoleClaims
	hooks      []DecisionHook
}

// WithMiddleware adds server-wide authorization layers. Their checks apply
// to every component in addition to the component's own; several
// middlewares stack (all must pass), run in the order given.
func WithMiddleware(m ...Middleware) Option {
	return func(c *serverConfig) { c.middleware = append(c.middleware, m...) }
}

// NewServer returns a Server with no components, on an *mcp.Server made by
// mcp.NewServer(impl, opts). opts may be nil; its PageSize is the page size
// of the lists the runtime answers. The runtime wraps opts.SetCacheable (so
// that no list or read is publicly cacheable), and opts.SubscribeHandler and
// opts.UnsubscribeHandler (so that hidden resources cannot be subscribed
// to); the others reach the SDK unchanged.
func NewServer(impl *mcp.Implementation, opts *mcp.ServerOptions, options ...Option) *Server {
	var cfg serverConfig
	for _, opt := range options {
		opt(&cfg)
	}
	var o mcp.ServerOptions
	if opts != nil {
		o = *opts
	}
	if o.PageSize == 0 {
		o.PageSize = mcp.DefaultPageSize
	}
	s := &Server{
		policy:        authz.NewPolicy(cfg.middleware...),
		pageSize:      o.PageSize,
		setCacheable:  o.SetCacheable,
		hasCompletion: o.CompletionHandler != nil,
		maskErrors:    cfg.maskErrors,
		uriLimit:      authz.URILimit(cfg.maxURI),
		hooks:         cfg.hooks,
	}
	if len(cfg.roleClaims) > 0 {
		s.policy.SetRoleClaims(authz.NewRoleClaims(cfg.roleClaims...))
	}
	s.reg.Store(&registry{})
	o.SetCacheable = s.resolveCacheable
	if o.SubscribeHandler != nil {
		o.SubscribeHandler = subscribeGuard(s, o.SubscribeHandler)
	}
	if o.UnsubscribeHandler != nil {
		o.UnsubscribeHandler = subscribeGuard(s, o.UnsubscribeHandler)
	}
	s.mcp = mcp.NewServer(impl, &o)
	s.mcp.AddReceivingMiddleware(s.authorize)
	s.mcp.AddSendingMiddleware(s.filterNotifications)
	return s
}

// MCP returns the underlying SDK server, for features the runtime does not
// wrap (sending middleware, logging, sessions). Components must be added
// through the Server: one added to MCP() directly is neither listed nor
// reachable, since the runtime's registry decides what exists. Receiving
// middleware added to MCP() runs before the runtime's and sees the request
// before authorization.
func (s *Server) MCP() *mcp.Server { return s.mcp }

// AuthorizationMetaKey is the key of a tool's _meta under which the runtime
// publishes the scopes the tool requires, as MCP SEP-1880 proposes:
//
//	"_meta": {"authorization": {"scopes": ["read", "write"]}}
//
// as package runtime does for mcp-go.
const AuthorizationMetaKey = "authorization"

// withAuthorizationMeta returns a copy of t whose _meta names the scopes the
// tool requires, or t itself when it requires none.
func withAuthorizationMeta(t *mcp.Tool, scopes []string) *mcp.Tool {
	if len(scopes) == 0 {
		return t
	}
	tt := *t
	tt.Meta = maps.Clone(t.Meta)
	if tt.Meta == nil {
		tt.Meta = mcp.Meta{}
	}
	tt.Meta[AuthorizationMetaKey] = map[string]any{"scopes": slices.Clone(scopes)}
	return &tt
}

func (s *Server) newRecord(comp Component, opts []ComponentOption) *record {
	return &record{Guard: s.policy.Guard(comp, opts...)}
}

// AddTool registers a tool with a handler of the SDK's untyped form
// (mcp.Server.AddTool: t must have an input schema). Its checks decide who
// sees it in tools/list and who may call it; a caller who may not gets the
// same answer as for a tool that does not exist.
func (s *Server) AddTool(t *mcp.Tool, h mcp.ToolHandler, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindTool, Name: t.Name}, opts)
	rec.key = t.Name
	rec.tool = withAuthorizationMeta(t, rec.RequiredScopes())
	s.register(KindTool, rec, func() { s.mcp.AddTool(rec.tool, s.guardRawTool(t.Name, h)) })
}

// AddTool registers a tool with a typed handler, as mcp.AddTool does: the
// SDK validates the arguments against the input schema, decodes them into
// In, and encodes Out as structured content. A nil input or output schema
// is inferred from In or Out as the SDK infers it. Authorization is as for
// Server.AddTool.
func AddTool[In, Out any](s *Server, t *mcp.Tool, h mcp.ToolHandlerFor[In, Out], opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindTool, Name: t.Name}, opts)
	rec.key = t.Name
	listed := *t
	if err := inferSchemas[In, Out](&listed); err != nil {
		panic(fmt.Sprintf("AddTool: tool %q: %v", t.Name, err))
	}
	rec.tool = withAuthorizationMeta(&listed, rec.RequiredScopes())
	s.register(KindTool, rec, func() {
		mcp.AddTool(s.mcp, withAuthorizationMeta(t, rec.RequiredScopes()), guardTool(s, t.Name, exactNames(h)))
	})
}

// inferSchemas fills the nil schemas of t from In and Out, as mcp.AddTool
// fills its own copy (schema-inference), so that the tool the runtime lists
// is the tool the SDK would list.
func inferSchemas[In, Out any](t *mcp.Tool) error {
	if t.InputSchema == nil {
		if reflect.TypeFor[In]() == reflect.TypeFor[any]() {
			t.InputSchema = &jsonschema.Schema{Type: "object"}
		} else {
			sch, err := schemaFor(reflect.TypeFor[In]())
			if err != nil {
				return fmt.Errorf("input schema: %w", err)
			}
			t.InputSchema = sch
		}
	}
	if t.OutputSchema == nil && reflect.TypeFor[Out]() != reflect.TypeFor[any]() {
		sch, err := schemaFor(reflect.TypeFor[Out]())
		if err != nil {
			return fmt.Errorf("output schema: %w", err)
		}
		t.OutputSchema = sch
	}
	return nil
}

func schemaFor(rt reflect.Type) (*jsonschema.Schema, error) {
	if rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	sch, err := jsonschema.ForType(rt, &jsonschema.ForOptions{})
	if err != nil {
		return nil, err
	}
	if sch == nil {
		return nil, fmt.Errorf("schema is nil for type %v", rt)
	}
	return sch, nil
}

// AddPrompt registers a prompt with its handler, as AddTool does a tool.
func (s *Server) AddPrompt(p *mcp.Prompt, h mcp.PromptHandler, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindPrompt, Name: p.Name}, opts)
	rec.key, rec.prompt = p.Name, p
	s.register(KindPrompt, rec, func() { s.mcp.AddPrompt(p, s.guardPrompt(p.Name, h)) })
}

// AddResource registers a resource with its handler. A caller whose checks
// fail does not see it in resources/list, and reading it answers exactly as
// for a URI that no resource has (mcp.ResourceNotFoundError).
func (s *Server) AddResource(r *mcp.Resource, h mcp.ResourceHandler, opts ...ComponentOption) {
	rec := s.newRecord(Component{Kind: KindResource, Name: r.Name, URI: r.URI}, opts)
	rec.key, rec.resource, rec.read = r.URI, r, h
	s.register(KindResource, rec, func() { s.mcp.AddResource(r, s.readRouted) })
}

// AddResourceTemplate registers a resource template with its handler. Its
// checks apply to resources/templates/list and to every read of a URI that
// matches the template; a read goes to the first matching resource or
// template (resources first, then templates in the order of their URI
// templates) that the caller may see.
func (s *Server) AddResourceTemplate(t *mcp.ResourceTemplate, h mcp.ResourceHandler, opts ...ComponentOption) {
	tmpl, err := uritemplate.New(t.URITemplate)
	if err != nil {
		panic(fmt.Errorf("URI template %q is invalid: %w", t.URITemplate, err))
	}
	rec := s.newRecord(Component{Kind: KindResourceTemplate, Name: t.Name, URI: t.URITemplate}, opts)
	rec.key, rec.template, rec.read, rec.match, rec.tmpl = t.URITemplate, t, h, tmpl.Regexp(), tmpl
	s.register(KindResourceTemplate, rec, func() { s.mcp.AddResourceTemplate(t, s.readRouted) })
}

// register adds rec to the registry after add has given the SDK its part.
// A second component of a kind with the same name or URI panics, naming
// it, before anything is registered.
func (s *Server) register(kind Kind, rec *record, add func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := *s.reg.Load()
	c := r.catalog(kind)
	if _, dup := c.byKey[rec.key]; dup {
		what := "name"
		if kind == KindResource || kind == KindResourceTemplate {
			what = "URI"
		}
		panic(fmt.Sprintf("gosdk: a %s with %s %q is already registered", kind, what, rec.key))
	}
	add()
	*c = c.with(rec)
	s.reg.Store(&r)
}

func (r *registry) catalog(kind Kind) *catalog {
	switch kind {
	case KindTool:
		return &r.tools
	case KindPrompt:
		return &r.prompts
	case KindResource:
		return &r.resources
	}
	return &r.templates
}

// ServeStdio serves the server on standard input and output until ctx ends
// or the client disconnects. As in FastMCP, a stdio request carries no
// token and every check is skipped: everything registered is visible and
// callable. A Server serves either stdio or authorized transports
// (HTTPHandler, Connect), never both.
func (s *Server) ServeStdio(ctx context.Context) error {
	return s.serveUnauthorized(ctx, &mcp.StdioTransport{})
}

// serveUnauthorized serves t as stdio is served: without checks.
func (s *Server) serveUnauthorized(ctx context.Context, t mcp.Transport) error {
	if err := s.claimTransport(servedStdio); err != nil {
		return err
	}
	s.skipChecks.Store(true)
	return s.mcp.Run(ctx, t)
}

// Connect connects the server to a transport of one's own, as
// mcp.Server.Connect does, with authorization: a request carries the token
// its transport put in the SDK's mcp.RequestExtra (as HTTPHandler does), or
// else the token of ctx (ContextWithAccessToken), or none. It is how tests
// connect an in-memory client (mcp.NewInMemoryTransports).
func (s *Server) Connect(ctx context.Context, t mcp.Transport, opts *mcp.ServerSessionOptions) (*mcp.ServerSession, error) {
	if err := s.claimTransport(servedAuthorized); err != nil {
		return nil, err
	}
	return s.mcp.Connect(ctx, t, opts)
}

var errTransportTaken = errors.New("gosdk: a Server serves either stdio or authorized transports (HTTPHandler, Connect), not both")

func (s *Server) claimTransport(kind served) error {
	s.transportMu.Lock()
	defer s.transportMu.Unlock()
	if s.served != servedNothing && s.served != kind {
		return fmt.Errorf("%w: it already serves %s", errTransportTaken, s.served)
	}
	s.served = kind
	return nil
}
