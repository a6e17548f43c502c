package runtime

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

type skipKey struct{}

// withSkipChecks marks a request that is served without authorization
// (stdio).
func withSkipChecks(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipKey{}, true)
}

func skipChecks(ctx context.Context) bool {
	skip, _ := ctx.Value(skipKey{}).(bool)
	return skip
}

// verdict is what the request entry decided about the one component a
// request targets (tools/call, prompts/get, resources/read), so that the
// filters and hooks mcp-go runs later agree with it and no check runs twice.
type verdict struct {
	kind   Kind
	target string
	// hidden is set when the target's own checks deny it: the filters
	// leave it out, and mcp-go answers as for a missing component.
	hidden bool
	// refusal, when set, is the message the request is refused with before
	// mcp-go dispatches it.
	refusal string
}

type verdictKey struct{}

func verdictFrom(ctx context.Context) *verdict {
	d, _ := ctx.Value(verdictKey{}).(*verdict)
	return d
}

// filterTools is the mcp-go tool filter. It hides the tools the request may
// not see; mcp-go applies it before pagination and, on tools/call, to the
// called tool, answering as for a missing tool when it is filtered out.
// mcp-go hands it a slice built for this request, so it filters in place.
func (s *Server) filterTools(ctx context.Context, tools []mcp.Tool) []mcp.Tool {
	if skipChecks(ctx) {
		return tools
	}
	ctx = s.policy.ListingContext(ctx)
	reg, d, tok := s.reg.Load(), verdictFrom(ctx), AccessTokenFromContext(ctx)
	var start time.Time
	if s.listing(ctx, KindTool) {
		start = time.Now()
	}
	out := tools[:0]
	for _, t := range tools {
		if s.keeps(ctx, tok, d, KindTool, t.Name, reg.tools[t.Name]) {
			out = append(out, t)
		}
	}
	if !start.IsZero() {
		s.listDecided(ctx, start, mcp.MethodToolsList, KindTool, len(out), len(tools)-len(out))
	}
	return out
}

// filterPrompts is the mcp-go prompt filter, as filterTools.
func (s *Server) filterPrompts(ctx context.Context, prompts []mcp.Prompt) []mcp.Prompt {
	if skipChecks(ctx) {
		return prompts
	}
	ctx = s.policy.ListingContext(ctx)
	reg, d, tok := s.reg.Load(), verdictFrom(ctx), AccessTokenFromContext(ctx)
	var start time.Time
	if s.listing(ctx, KindPrompt) {
		start = time.Now()
	}
	out := prompts[:0]
	for _, p := range prompts {
		if s.keeps(ctx, tok, d, KindPrompt, p.Name, reg.prompts[p.Name]) {
			out = append(out, p)
		}
	}
	if !start.IsZero() {
		s.listDecided(ctx, start, mcp.MethodPromptsList, KindPrompt, len(out), len(prompts)-len(out))
	}
	return out
}

// keeps reports whether a filter keeps the tool or prompt name (rec: its
// record; nil when it was added on MCP() directly).
func (s *Server) keeps(ctx context.Context, tok *AccessToken, d *verdict, kind Kind, name string, rec *record) bool {
	if d != nil && d.kind == kind && d.target == name {
		// The request entry already decided and, for a denial, arranged
		// the answer.
		return !d.hidden
	}
	if rec != nil {
		if rec.ScopeOnly() && kind == KindTool && stepUpFrom(ctx) {
			return true // listed, so the client can step up when it calls
		}
		return s.policy.Listed(ctx, tok, &rec.Component, rec.Guard)
	}
	if !s.policy.HasMiddleware() {
		return true
	}
	// Added on MCP() directly: only middleware applies.
	return s.policy.Listed(ctx, tok, &Component{Kind: kind, Name: name}, nil)
}

// enter is the runtime's request entry, run by every authorized transport
// after the client session is in ctx and before mcp-go handles the
// message. It decides about the request's target and installs what makes
// mcp-go answer accordingly. targetOf reads the name or URI the request
// targets; it is called only for methods that need it.
func (s *Server) enter(ctx context.Context, method string, targetOf func() target) context.Context {
	if s.hooks != nil && method != "" {
		ctx = withMethod(ctx, method)
	}
	switch mcp.MCPMethod(method) {
	case mcp.MethodToolsCall:
		if s.hooks != nil {
			// Decided here, where decisions are reported, not by the filter.
			return s.enterToolCall(withPending(ctx, s), targetOf())
		}
		if !s.policy.HasMiddleware() && !s.argsAtEntry.Load() {
			// The tool filter decides, answering as for a missing tool.
			return s.enterHeaderBoundCall(ctx, targetOf().Name)
		}
		return s.enterToolCall(ctx, targetOf())
	case mcp.MethodPromptsGet:
		if !s.policy.HasMiddleware() && !s.argsAtEntry.Load() && s.hooks == nil {
			return ctx // the prompt filter decides
		}
		return s.enterPromptGet(ctx, targetOf())
	case mcp.MethodResourcesRead:
		uri := targetOf().URI
		if refused, ok := s.refuseLongURI(ctx, method, uri); ok {
			return refused
		}
		return s.enterResourceRead(ctx, uri)
	case mcp.MethodResourcesList:
		return s.withView(ctx, s.listedResources(ctx), nil, nil)
	case mcp.MethodResourcesTemplatesList:
		return s.withView(ctx, nil, s.listedTemplates(ctx), nil)
	case mcp.MethodCompletionComplete:
		return s.enterCompletion(ctx, targetOf().Ref)
	case mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe:
		t := targetOf()
		if mcp.IsModernProtocol(t.protocol) {
			return ctx // removed in 2026-07-28: mcp-go answers so for any URI
		}
		if refused, ok := s.refuseLongURI(ctx, method, t.URI); ok {
			return refused
		}
		return s.enterSubscription(ctx, t.URI)
	}
	return ctx
}

// target is the name (tools/call, prompts/get), URI (resources/read,
// resources/subscribe) or reference (completion/complete) a request
// targets, as its params carry it, its arguments (tools/call,
// prompts/get), and the protocol version its _meta declares (protocolIn).
type target struct {
	Name string        `json:"name"`
	URI  string        `json:"uri"`
	Ref  completionRef `json:"ref"`
	// Arguments are kept undecoded until a check needs them.
	Arguments json.RawMessage `json:"arguments"`
	protocol  string
}

// protocolIn returns the protocol version the _meta of the JSON-RPC
// message raw declares, read exactly as mcp-go reads it to decide a
// request's protocol era: the whole message decoded into the same wrapper,
// _meta as an mcp.Meta (a map, whose keys match exactly, where a struct
// field would match a key in any case), and "" when that decoding fails.
// The runtime must never take for modern a request mcp-go serves as a
// legacy one, or the reverse.
func protocolIn(raw []byte) string {
	var wrapper struct {
		Params struct {
			Meta *mcp.Meta `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(raw, &wrapper) != nil {
		return ""
	}
	return wrapper.Params.Meta.ProtocolVersion()
}

// arguments decodes the target's arguments as mcp-go does: nil when there
// are none or they are not a JSON object (mcp-go then answers the request
// itself).
func (t target) arguments() map[string]any {
	if len(t.Arguments) == 0 {
		return nil
	}
	var args map[string]any
	if err := json.Unmarshal(t.Arguments, &args); err != nil {
		return nil
	}
	return args
}

// decide is what the request entry does for a tools/call or prompts/get
// of a component (rec: its record, nil when it has none; exists: whether
// any component has that name): "" and hidden false to let it through,
// hidden to answer it as for a missing component (without middleware),
// else the message to refuse it with.
func (s *Server) decide(ctx context.Context, kind Kind, t target, rec *record, exists bool) (refusal string, hidden bool) {
	if skipChecks(ctx) {
		return "", false
	}
	comp := &Component{Kind: kind, Name: t.Name}
	if rec != nil {
		comp = &rec.Component
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: comp}
	if rec.guard().NeedsArguments() || s.policy.HasMiddleware() {
		ac.Arguments = t.arguments()
	}
	if s.hooks != nil {
		return s.auditedDecide(ctx, ac, rec, exists, t.Name)
	}
	if !s.policy.HasMiddleware() {
		if rec == nil {
			return "", false // the filter decides
		}
		if !rec.Permits(ctx, ac) {
			return "", true
		}
	} else if msg := s.policy.RefusalFor(ctx, ac, rec.guard(), exists, t.Name); msg != "" {
		return msg, false
	}
	return rec.guard().CallRefusal(ctx, ac, t.Name), false
}

func (s *Server) enterToolCall(ctx context.Context, t target) context.Context {
	rec := s.reg.Load().tools[t.Name]
	exists := rec != nil || s.mcp.GetTool(t.Name) != nil
	msg, hidden := s.decide(ctx, KindTool, t, rec, exists)
	ctx = context.WithValue(ctx, verdictKey{}, &verdict{kind: KindTool, target: t.Name, hidden: hidden})
	if hidden && rec.headerBound {
		// mcp-go checks header bindings before the tool filter runs: the
		// stand-in answers as a missing tool (see enterHeaderBoundCall).
		return s.withMissingTool(ctx, t.Name)
	}
	if msg == "" {
		return ctx
	}
	return s.withDeniedTool(ctx, t.Name, msg)
}

func (s *Server) enterPromptGet(ctx context.Context, t target) context.Context {
	rec := s.reg.Load().prompts[t.Name]
	exists := rec != nil
	if rec == nil {
		_, exists = s.mcp.ListPrompts()[t.Name]
	}
	msg, hidden := s.decide(ctx, KindPrompt, t, rec, exists)
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindPrompt, target: t.Name, hidden: hidden, refusal: msg})
}

func (s *Server) enterResourceRead(ctx context.Context, uri string) context.Context {
	rec, exists, audit := s.findResource(ctx, uri)
	if audit != nil {
		return s.enterAuditedRead(ctx, audit, uri, rec, exists)
	}
	if !s.policy.HasMiddleware() {
		if rec == nil || s.callDenied(ctx, rec, uri) {
			// Nothing is installed: mcp-go finds no such resource and
			// answers as it does for any unknown URI.
			return ctx
		}
		return s.withRecordView(ctx, rec)
	}
	// The messages name the URI that was asked for, not the template it
	// matched.
	msg := s.resourceRefusal(ctx, uri, rec, exists)
	if msg == "" && rec != nil && s.callDenied(ctx, rec, uri) {
		// A read its call checks deny is answered as for a URI that
		// nothing serves.
		msg = s.policy.Refusal(ctx, AccessTokenFromContext(ctx), &Component{Kind: KindResource, Name: uri, URI: uri}, nil, false, uri)
	}
	if msg != "" {
		return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindResource, target: uri, refusal: msg})
	}
	if rec == nil {
		return ctx
	}
	return s.withRecordView(ctx, rec)
}

// callDenied reports whether the call checks of rec, the component serving
// uri, deny the read.
func (s *Server) callDenied(ctx context.Context, rec *record, uri string) bool {
	if skipChecks(ctx) || !rec.HasCallChecks() {
		return false
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &rec.Component, Arguments: rec.templateArguments(uri)}
	return rec.CallRefusal(ctx, ac, uri) != ""
}

// templateArguments returns the template variables uri binds when rec is a
// resource template whose decision may depend on them (see
// AuthContext.Arguments), else nil.
func (rec *record) templateArguments(uri string) map[string]any {
	if rec.Component.Kind != KindResourceTemplate || !rec.NeedsArguments() {
		return nil
	}
	values := rec.template.Template.URITemplate.Match(uri)
	if values == nil {
		return nil
	}
	args := make(map[string]any, len(values))
	for name, v := range values {
		args[name] = strings.Join(v.V, ",")
	}
	return args
}

// resourceRefusal is refusal for the component resourceFor found serving
// uri (rec; nil when there is none the caller may use, though one exists).
func (s *Server) resourceRefusal(ctx context.Context, uri string, rec *record, exists bool) string {
	if skipChecks(ctx) {
		return ""
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &Component{Kind: KindResource, Name: uri, URI: uri}}
	usable := rec != nil
	if rec != nil {
		ac.Component = &rec.Component
		ac.Arguments = rec.templateArguments(uri)
	} else if !exists {
		// Added on MCP() directly: only middleware applies.
		_, usable = s.mcp.ListResources()[uri]
	}
	// The component's own checks already ran (resourceFor): no guard.
	return s.policy.RefusalFor(ctx, ac, nil, usable, uri)
}

// resourceFor finds the component that serves uri to the caller: the
// resource with exactly that URI, else the first template (in template
// order) that matches it, skipping those whose own checks fail, so that a
// component the caller may not see never shadows one it may. exists
// reports whether any runtime component matches uri at all. Call checks
// do not take part: they decide the read once the component is found.
func (s *Server) resourceFor(ctx context.Context, uri string) (rec *record, exists bool) {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	return reg.matchUsable(uri, func(rec *record) bool {
		return skip || rec.Permits(ctx, AuthContext{Token: tok, Component: &rec.Component, Arguments: rec.templateArguments(uri)})
	})
}

// matchUsable finds the resource with exactly the URI uri, else the first
// template (in template order) that matches it, skipping those usable
// refuses; exists reports whether any matches uri at all.
func (r *registry) matchUsable(uri string, usable func(*record) bool) (rec *record, exists bool) {
	if rec, ok := r.resources[uri]; ok {
		exists = true
		if usable(rec) {
			return rec, true
		}
	}
	for _, rec := range r.templates {
		if rec.template.Template.URITemplate.Regexp().MatchString(uri) {
			exists = true
			if usable(rec) {
				return rec, true
			}
		}
	}
	return nil, exists
}

// refusal decides a targeted request when middleware is present: "" to
// allow, else the message to answer with, naming the target as label (see
// authz.Policy.Refusal). rec is nil for a component without a record.
func (s *Server) refusal(ctx context.Context, comp *Component, rec *record, exists bool, label string) string {
	if skipChecks(ctx) {
		return ""
	}
	if s.hooks != nil {
		return s.auditedRefusal(ctx, comp, rec, exists, label)
	}
	return s.policy.Refusal(ctx, AccessTokenFromContext(ctx), comp, rec.guard(), exists, label)
}

// guard returns rec's guard; nil for a nil record.
func (rec *record) guard() *authz.Guard {
	if rec == nil {
		return nil
	}
	return rec.Guard
}

func (s *Server) listedResources(ctx context.Context) map[string]server.ServerResource {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	var start time.Time
	if s.hooks != nil && !skip {
		start = time.Now()
	}
	out := make(map[string]server.ServerResource, len(reg.resources))
	ctx = s.policy.ListingContext(ctx)
	for uri, rec := range reg.resources {
		if skip || s.policy.Listed(ctx, tok, &rec.Component, rec.Guard) {
			out[uri] = rec.resource
		}
	}
	if !start.IsZero() {
		s.listDecided(ctx, start, mcp.MethodResourcesList, KindResource, len(out), len(reg.resources)-len(out))
	}
	return out
}

func (s *Server) listedTemplates(ctx context.Context) map[string]server.ServerResourceTemplate {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	var start time.Time
	if s.hooks != nil && !skip {
		start = time.Now()
	}
	out := make(map[string]server.ServerResourceTemplate, len(reg.templates))
	ctx = s.policy.ListingContext(ctx)
	for _, rec := range reg.templates {
		if skip || s.policy.Listed(ctx, tok, &rec.Component, rec.Guard) {
			out[rec.Component.URI] = rec.template
		}
	}
	if !start.IsZero() {
		s.listDecided(ctx, start, mcp.MethodResourcesTemplatesList, KindResourceTemplate, len(out), len(reg.templates)-len(out))
	}
	return out
}

func (s *Server) withRecordView(ctx context.Context, rec *record) context.Context {
	if rec.Component.Kind == KindResource {
		return s.withView(ctx, map[string]server.ServerResource{rec.Component.URI: rec.resource}, nil, nil)
	}
	return s.withView(ctx, nil, map[string]server.ServerResourceTemplate{rec.Component.URI: rec.template}, nil)
}
