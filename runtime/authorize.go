package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Messages of middleware denials, as FastMCP words them.
const (
	reasonInsufficient = "insufficient permissions"
	reasonNotFound     = "not found or not authorized"
)

func denialMessage(kind Kind, label, reason string) string {
	k := kind.String()
	if kind == KindResourceTemplate {
		k = KindResource.String()
	}
	return fmt.Sprintf("Authorization failed for %s '%s': %s", k, label, reason)
}

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

// decision is what the request entry decided about the one component a
// request targets (tools/call, prompts/get, resources/read), so that the
// filters and hooks mcp-go runs later agree with it and no check runs twice.
type decision struct {
	kind   Kind
	target string
	// refusal, when set, is the message the request is refused with before
	// mcp-go dispatches it.
	refusal string
}

type decisionKey struct{}

func decisionFrom(ctx context.Context) *decision {
	d, _ := ctx.Value(decisionKey{}).(*decision)
	return d
}

// refuseDenied is the OnRequestInitialization hook: it refuses a request
// whose target the entry denied with a message (middleware denials of
// prompts/get and resources/read).
func refuseDenied(ctx context.Context, _ any, _ any) error {
	if d := decisionFrom(ctx); d != nil && d.refusal != "" {
		return errors.New(d.refusal)
	}
	return nil
}

// allowedByComponent runs a component's own checks. Their errors only deny:
// a component check never speaks to the client.
func allowedByComponent(ctx context.Context, ac AuthContext, e *entry) bool {
	if e == nil || len(e.checks) == 0 {
		return true
	}
	ok, _ := RunAuthChecks(ctx, ac, e.checks...)
	return ok
}

// allowedByMiddleware runs the middleware checks. On denial it returns the
// *AuthorizationError a check gave, if any, whose message is for the
// client; it builds no message itself, since lists discard it.
func (s *Server) allowedByMiddleware(ctx context.Context, ac AuthContext) (bool, *AuthorizationError) {
	if len(s.middleware) == 0 {
		return true, nil
	}
	ok, err := RunAuthChecks(ctx, ac, s.middleware...)
	var authErr *AuthorizationError
	errors.As(err, &authErr)
	return ok, authErr
}

// visible reports whether the request may see a component in a list: its
// own checks and every middleware pass.
func (s *Server) visible(ctx context.Context, tok *AccessToken, comp *Component, e *entry) bool {
	ac := AuthContext{Token: tok, Component: comp}
	if !allowedByComponent(ctx, ac, e) {
		return false
	}
	ok, _ := s.allowedByMiddleware(ctx, ac)
	return ok
}

// filterTools is the mcp-go tool filter. It hides the tools the request may
// not see; mcp-go applies it before pagination and, on tools/call, to the
// called tool, answering as for a missing tool when it is filtered out.
// mcp-go hands it a slice built for this request, so it filters in place.
func (s *Server) filterTools(ctx context.Context, tools []mcp.Tool) []mcp.Tool {
	if skipChecks(ctx) {
		return tools
	}
	reg, d, tok := s.reg.Load(), decisionFrom(ctx), AccessTokenFromContext(ctx)
	out := tools[:0]
	for _, t := range tools {
		if s.passes(ctx, tok, d, KindTool, t.Name, reg.tools[t.Name]) {
			out = append(out, t)
		}
	}
	return out
}

// filterPrompts is the mcp-go prompt filter, as filterTools.
func (s *Server) filterPrompts(ctx context.Context, prompts []mcp.Prompt) []mcp.Prompt {
	if skipChecks(ctx) {
		return prompts
	}
	reg, d, tok := s.reg.Load(), decisionFrom(ctx), AccessTokenFromContext(ctx)
	out := prompts[:0]
	for _, p := range prompts {
		if s.passes(ctx, tok, d, KindPrompt, p.Name, reg.prompts[p.Name]) {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) passes(ctx context.Context, tok *AccessToken, d *decision, kind Kind, name string, e *entry) bool {
	if d != nil && d.kind == kind && d.target == name {
		// The entry already decided and, for a denial, arranged the answer.
		return true
	}
	if e != nil {
		if e.scopeOnly && kind == KindTool && stepUpFrom(ctx) {
			return true // listed, so the client can step up when it calls
		}
		return s.visible(ctx, tok, &e.comp, e)
	}
	if len(s.middleware) == 0 {
		return true
	}
	// Added on MCP() directly: only middleware applies.
	return s.visible(ctx, tok, &Component{Kind: kind, Name: name}, nil)
}

// prepare is the runtime's request entry, run by every authorized
// transport after the client session is in ctx and before mcp-go handles
// the message. It decides about the request's target and installs what
// makes mcp-go answer accordingly. targetOf reads the name or URI the
// request targets; it is called only for methods that need it.
func (s *Server) prepare(ctx context.Context, method string, targetOf func() target) context.Context {
	switch mcp.MCPMethod(method) {
	case mcp.MethodToolsCall:
		if len(s.middleware) == 0 {
			// The tool filter decides, answering as for a missing tool.
			return s.prepareHeaderBoundCall(ctx, targetOf().Name)
		}
		return s.prepareToolCall(ctx, targetOf().Name)
	case mcp.MethodPromptsGet:
		if len(s.middleware) == 0 {
			return ctx // the prompt filter decides
		}
		return s.preparePromptGet(ctx, targetOf().Name)
	case mcp.MethodResourcesRead:
		return s.prepareResourceRead(ctx, targetOf().URI)
	case mcp.MethodResourcesList:
		return s.withView(ctx, s.visibleResources(ctx), nil, nil)
	case mcp.MethodResourcesTemplatesList:
		return s.withView(ctx, nil, s.visibleTemplates(ctx), nil)
	case mcp.MethodCompletionComplete:
		return s.prepareCompletion(ctx, targetOf().Ref)
	case mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe:
		t := targetOf()
		if mcp.IsModernProtocol(t.Meta.ProtocolVersion) {
			return ctx // removed in 2026-07-28: mcp-go answers so for any URI
		}
		return s.prepareSubscription(ctx, t.URI)
	}
	return ctx
}

type target struct {
	Name string        `json:"name"`
	URI  string        `json:"uri"`
	Ref  completionRef `json:"ref"` // completion/complete
	Meta struct {
		ProtocolVersion string `json:"io.modelcontextprotocol/protocolVersion"`
	} `json:"_meta"` // set from protocol 2026-07-28 on
}

// targetIn reads the name or URI a JSON-RPC message targets. A message
// that does not parse yields nothing, and mcp-go reports the parse error
// itself.
func targetIn(raw []byte) target {
	var msg struct {
		Params target `json:"params"`
	}
	_ = json.Unmarshal(raw, &msg)
	return msg.Params
}

func (s *Server) prepareToolCall(ctx context.Context, name string) context.Context {
	e := s.reg.Load().tools[name]
	comp := &Component{Kind: KindTool, Name: name}
	if e != nil {
		comp = &e.comp
	}
	exists := e != nil || s.mcp.GetTool(name) != nil
	msg := s.middlewareVerdict(ctx, comp, e, exists, name)
	ctx = context.WithValue(ctx, decisionKey{}, &decision{kind: KindTool, target: name})
	if msg == "" {
		return ctx
	}
	// The denial is a tool result with isError set: the call is routed to a
	// stand-in tool of the same name that answers with the message.
	denied := server.ServerTool{
		Tool: mcp.Tool{Name: name, InputSchema: mcp.ToolInputSchema{Type: "object"}},
		Handler: func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultError(msg), nil
		},
	}
	return s.withView(ctx, nil, nil, map[string]server.ServerTool{name: denied})
}

func (s *Server) preparePromptGet(ctx context.Context, name string) context.Context {
	e := s.reg.Load().prompts[name]
	comp := &Component{Kind: KindPrompt, Name: name}
	exists := e != nil
	if e != nil {
		comp = &e.comp
	} else {
		_, exists = s.mcp.ListPrompts()[name]
	}
	msg := s.middlewareVerdict(ctx, comp, e, exists, name)
	return context.WithValue(ctx, decisionKey{}, &decision{kind: KindPrompt, target: name, refusal: msg})
}

func (s *Server) prepareResourceRead(ctx context.Context, uri string) context.Context {
	e, exists := s.resourceFor(ctx, uri)
	if len(s.middleware) == 0 {
		if e == nil {
			// Nothing is installed: mcp-go finds no such resource and
			// answers as it does for any unknown URI.
			return ctx
		}
		return s.withEntryView(ctx, e)
	}
	// The messages name the URI that was asked for, not the template it
	// matched.
	msg := s.resourceVerdict(ctx, uri, e, exists)
	if msg != "" {
		return context.WithValue(ctx, decisionKey{}, &decision{kind: KindResource, target: uri, refusal: msg})
	}
	if e == nil {
		return ctx
	}
	return s.withEntryView(ctx, e)
}

// resourceVerdict is middlewareVerdict for the component resourceFor found
// serving uri (e, nil when none the caller may use).
func (s *Server) resourceVerdict(ctx context.Context, uri string, e *entry, exists bool) string {
	comp := &Component{Kind: KindResource, Name: uri, URI: uri}
	allowed := e != nil
	if e != nil {
		comp = &e.comp
	} else if !exists {
		// Added on MCP() directly: only middleware applies.
		_, allowed = s.mcp.ListResources()[uri]
	}
	return s.verdict(ctx, comp, allowed, uri)
}

// middlewareVerdict decides a targeted request when middleware is present:
// "" to allow, else the message to answer with, naming the target as label.
func (s *Server) middlewareVerdict(ctx context.Context, comp *Component, e *entry, exists bool, label string) string {
	if skipChecks(ctx) {
		return ""
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: comp}
	return s.verdict(ctx, comp, exists && allowedByComponent(ctx, ac, e), label)
}

// verdict is middlewareVerdict once the component's own checks are known
// to pass (allowed) or not, or the component not to exist.
func (s *Server) verdict(ctx context.Context, comp *Component, allowed bool, label string) string {
	if skipChecks(ctx) {
		return ""
	}
	if !allowed {
		return denialMessage(comp.Kind, label, reasonNotFound)
	}
	if ok, authErr := s.allowedByMiddleware(ctx, AuthContext{Token: AccessTokenFromContext(ctx), Component: comp}); !ok {
		if authErr != nil {
			return authErr.Message
		}
		return denialMessage(comp.Kind, label, reasonInsufficient)
	}
	return ""
}

// resourceFor finds the component that serves uri to the caller: the
// resource with exactly that URI, else the first template (in template
// order) that matches it, skipping those whose own checks fail, so that a
// component the caller may not see never shadows one it may. exists
// reports whether any runtime component matches uri at all.
func (s *Server) resourceFor(ctx context.Context, uri string) (e *entry, exists bool) {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	usable := func(e *entry) bool {
		return skip || allowedByComponent(ctx, AuthContext{Token: tok, Component: &e.comp}, e)
	}
	if e, ok := reg.resources[uri]; ok {
		exists = true
		if usable(e) {
			return e, true
		}
	}
	for _, e := range reg.templates {
		if e.template.Template.URITemplate.Regexp().MatchString(uri) {
			exists = true
			if usable(e) {
				return e, true
			}
		}
	}
	return nil, exists
}

func (s *Server) visibleResources(ctx context.Context) map[string]server.ServerResource {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	out := make(map[string]server.ServerResource, len(reg.resources))
	for uri, e := range reg.resources {
		if skip || s.visible(ctx, tok, &e.comp, e) {
			out[uri] = e.resource
		}
	}
	return out
}

func (s *Server) visibleTemplates(ctx context.Context) map[string]server.ServerResourceTemplate {
	reg, tok, skip := s.reg.Load(), AccessTokenFromContext(ctx), skipChecks(ctx)
	out := make(map[string]server.ServerResourceTemplate, len(reg.templates))
	for _, e := range reg.templates {
		if skip || s.visible(ctx, tok, &e.comp, e) {
			out[e.comp.URI] = e.template
		}
	}
	return out
}

func (s *Server) withEntryView(ctx context.Context, e *entry) context.Context {
	if e.comp.Kind == KindResource {
		return s.withView(ctx, map[string]server.ServerResource{e.comp.URI: e.resource}, nil, nil)
	}
	return s.withView(ctx, nil, map[string]server.ServerResourceTemplate{e.comp.URI: e.template}, nil)
}
