package runtime

import (
	"context"
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
	// refusal, when set, is the message the request is refused with before
	// mcp-go dispatches it.
	refusal string
	// hidden is set when the target is to be answered as missing (decided
	// for the decision hooks where the filter would decide).
	hidden bool
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
		if !s.policy.HasMiddleware() {
			if s.hooks != nil {
				return s.enterHiddenTool(ctx, targetOf().Name)
			}
			// The tool filter decides, answering as for a missing tool.
			return s.enterHeaderBoundCall(ctx, targetOf().Name)
		}
		return s.enterToolCall(ctx, targetOf().Name)
	case mcp.MethodPromptsGet:
		if !s.policy.HasMiddleware() {
			if s.hooks != nil {
				return s.enterHidden(ctx, KindPrompt, targetOf().Name)
			}
			return ctx // the prompt filter decides
		}
		return s.enterPromptGet(ctx, targetOf().Name)
	case mcp.MethodResourcesRead:
		return s.enterResourceRead(ctx, targetOf().URI)
	case mcp.MethodResourcesList:
		return s.withView(ctx, s.listedResources(ctx), nil, nil)
	case mcp.MethodResourcesTemplatesList:
		return s.withView(ctx, nil, s.listedTemplates(ctx), nil)
	case mcp.MethodCompletionComplete:
		return s.enterCompletion(ctx, targetOf().Ref)
	case mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe:
		t := targetOf()
		if mcp.IsModernProtocol(t.Meta.ProtocolVersion) {
			return ctx // removed in 2026-07-28: mcp-go answers so for any URI
		}
		return s.enterSubscription(ctx, t.URI)
	}
	return ctx
}

// target is the name (tools/call, prompts/get), URI (resources/read,
// resources/subscribe) or reference (completion/complete) a request
// targets, as its params carry it, and the protocol version its _meta
// declares (2026-07-28 and later).
type target struct {
	Name string        `json:"name"`
	URI  string        `json:"uri"`
	Ref  completionRef `json:"ref"`
	Meta struct {
		ProtocolVersion string `json:"io.modelcontextprotocol/protocolVersion"`
	} `json:"_meta"`
}

func (s *Server) enterToolCall(ctx context.Context, name string) context.Context {
	rec := s.reg.Load().tools[name]
	comp := &Component{Kind: KindTool, Name: name}
	if rec != nil {
		comp = &rec.Component
	}
	exists := rec != nil || s.mcp.GetTool(name) != nil
	msg := s.refusal(ctx, comp, rec, exists, name)
	ctx = context.WithValue(ctx, verdictKey{}, &verdict{kind: KindTool, target: name})
	if msg == "" {
		return ctx
	}
	return s.withDeniedTool(ctx, name, msg)
}

func (s *Server) enterPromptGet(ctx context.Context, name string) context.Context {
	rec := s.reg.Load().prompts[name]
	comp := &Component{Kind: KindPrompt, Name: name}
	exists := rec != nil
	if rec != nil {
		comp = &rec.Component
	} else {
		_, exists = s.mcp.ListPrompts()[name]
	}
	msg := s.refusal(ctx, comp, rec, exists, name)
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindPrompt, target: name, refusal: msg})
}

func (s *Server) enterResourceRead(ctx context.Context, uri string) context.Context {
	rec, exists, audit := s.findResource(ctx, uri)
	if !s.policy.HasMiddleware() {
		if audit != nil {
			s.resourceDecided(ctx, audit, rec, uri)
		}
		if rec == nil {
			// Nothing is installed: mcp-go finds no such resource and
			// answers as it does for any unknown URI.
			return ctx
		}
		return s.withRecordView(ctx, rec)
	}
	// The messages name the URI that was asked for, not the template it
	// matched.
	var msg string
	if audit != nil {
		msg = s.auditedResourceRefusal(ctx, audit, uri, rec, exists)
	} else {
		msg = s.resourceRefusal(ctx, uri, rec, exists)
	}
	if msg != "" {
		return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindResource, target: uri, refusal: msg})
	}
	if rec == nil {
		return ctx
	}
	return s.withRecordView(ctx, rec)
}

// resourceRefusal is refusal for the component resourceFor found serving
// uri (rec; nil when there is none the caller may use, though one exists).
func (s *Server) resourceRefusal(ctx context.Context, uri string, rec *record, exists bool) string {
	if skipChecks(ctx) {
		return ""
	}
	comp := &Component{Kind: KindResource, Name: uri, URI: uri}
	usable := rec != nil
	if rec != nil {
		comp = &rec.Component
	} else if !exists {
		// Added on MCP() directly: only middleware applies.
		_, usable = s.mcp.ListResources()[uri]
	}
	// The component's own checks already ran (resourceFor): no guard.
	return s.policy.Refusal(ctx, AccessTokenFromContext(ctx), comp, nil, usable, uri)
}

// resourceFor finds the component that serves uri to the caller: the
// resource with exactly that URI, else the first template (in template
// order) that matches it, skipping those whose own checks fail, so that a
// component the caller may not see never shadows one it may. exists
// reports whether any runtime component matches uri at all.
func (s *Server) resourceFor(ctx context.Context, uri string) (rec *record, exists bool) {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	return reg.matchUsable(uri, func(rec *record) bool {
		return skip || rec.Permits(ctx, AuthContext{Token: tok, Component: &rec.Component})
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
