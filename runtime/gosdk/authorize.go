package gosdk

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The MCP methods the runtime acts on.
const (
	methodListTools             = "tools/list"
	methodCallTool              = "tools/call"
	methodListPrompts           = "prompts/list"
	methodGetPrompt             = "prompts/get"
	methodListResources         = "resources/list"
	methodListResourceTemplates = "resources/templates/list"
	methodReadResource          = "resources/read"
	methodComplete              = "completion/complete"
	methodSubscribe             = "resources/subscribe"
	methodUnsubscribe           = "resources/unsubscribe"
)

// authorize is the runtime's receiving middleware, the request entry of
// every transport. It puts the request's token in the context, answers the
// four list methods from the registry, and decides every request that
// targets one component before the SDK dispatches it.
func (s *Server) authorize(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if tok := tokenOf(req); tok != nil {
			ctx = authz.ContextWithAccessToken(ctx, tok)
		}
		if ss, ok := req.GetSession().(*mcp.ServerSession); ok && ss != nil {
			s.notifyViews.record(s, ss, AccessTokenFromContext(ctx))
		}
		if s.hooks != nil {
			ctx = withDecisions(ctx, req)
		}
		switch method {
		case methodListTools:
			return s.listTools(ctx, req.(*mcp.ListToolsRequest))
		case methodListPrompts:
			return s.listPrompts(ctx, req.(*mcp.ListPromptsRequest))
		case methodListResources:
			return s.listResources(ctx, req.(*mcp.ListResourcesRequest))
		case methodListResourceTemplates:
			return s.listResourceTemplates(ctx, req.(*mcp.ListResourceTemplatesRequest))
		case methodCallTool:
			if s.hooks != nil {
				var p *pending
				ctx, p = withPending(ctx, s)
				defer p.flush(ctx)
			}
			if res, err := s.enterToolCall(ctx, req.(*mcp.CallToolRequest).Params); res != nil || err != nil {
				return res, err
			}
		case methodGetPrompt:
			if err := s.enterPromptGet(ctx, req.(*mcp.GetPromptRequest).Params); err != nil {
				return nil, err
			}
		case methodReadResource:
			uri := req.(*mcp.ReadResourceRequest).Params.URI
			if err := s.refuseLongURI(ctx, method, uri); err != nil {
				return nil, err
			}
			rec, err := s.enterResourceRead(ctx, uri)
			if err != nil {
				return nil, err
			}
			ctx = context.WithValue(ctx, routeKey{}, rec)
		case methodComplete:
			if err := s.enterComplete(ctx, req.(*mcp.CompleteRequest).Params); err != nil {
				return nil, err
			}
		}
		return next(ctx, method, req)
	}
}

// tokenInfoKey is the key of mcp.RequestExtra's TokenInfo.Extra under which
// HTTPHandler hands the runtime the verified *AccessToken.
const tokenInfoKey = "mcpauthgen.access_token"

// tokenOf returns the token a transport attached to req, or nil.
func tokenOf(req mcp.Request) *AccessToken {
	extra := req.GetExtra()
	if extra == nil || extra.TokenInfo == nil {
		return nil
	}
	tok, _ := extra.TokenInfo.Extra[tokenInfoKey].(*AccessToken)
	return tok
}

// listed reports whether a list shows rec to the request of ctx: the
// component's own checks and the middleware pass.
func (s *Server) listed(ctx context.Context, tok *AccessToken, rec *record) bool {
	if s.skipChecks.Load() {
		return true
	}
	if rec.Component.Kind == KindTool && s.stepUp.Load() && rec.ScopeOnly() {
		return true // listed, so that the client can step up when it calls
	}
	return s.policy.Listed(ctx, tok, &rec.Component, rec.Guard)
}

// decide decides a tools/call or prompts/get of name (rec: its record,
// nil when there is none) with the request's arguments: "" and hidden
// false to let it through, hidden to answer as for a missing component
// (without middleware), else the message to refuse it with. The
// arguments are decoded only when a check may read them
// (AuthContext.Arguments).
func (s *Server) decide(ctx context.Context, kind Kind, name string, rec *record, args func() map[string]any) (refusal string, hidden bool) {
	if rec != nil && s.skipChecks.Load() {
		return "", false
	}
	comp := &Component{Kind: kind, Name: name}
	if rec != nil {
		comp = &rec.Component
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: comp}
	if rec.guard().NeedsArguments() || s.policy.HasMiddleware() {
		ac.Arguments = args()
	}
	if s.hooks != nil {
		return s.auditedDecide(ctx, ac, rec, name)
	}
	if !s.policy.HasMiddleware() {
		if rec == nil || !rec.Permits(ctx, ac) {
			return "", true
		}
	} else if msg := s.policy.RefusalFor(ctx, ac, rec.guard(), rec != nil, name); msg != "" {
		return msg, false
	}
	return rec.guard().CallRefusal(ctx, ac, name), false
}

// enterToolCall decides a tools/call. It returns a result or an error to
// answer with instead of the SDK, or neither to let the SDK call the tool.
func (s *Server) enterToolCall(ctx context.Context, p *mcp.CallToolParamsRaw) (mcp.Result, error) {
	msg, hidden := s.decide(ctx, KindTool, p.Name, s.reg.Load().tools.byKey[p.Name], func() map[string]any {
		return jsonArguments(p.Arguments)
	})
	switch {
	case hidden:
		return nil, unknownTool(p.Name)
	case msg != "":
		return deniedTool(msg), nil
	}
	return nil, nil
}

// jsonArguments decodes a tools/call's arguments as a JSON object; nil
// when there are none or they are not one (the SDK then answers the
// request itself).
func jsonArguments(raw json.RawMessage) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	var args map[string]any
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil
	}
	return args
}

// deniedTool is the answer to a tools/call middleware denies: a tool
// result flagged isError carrying the message, which an agent can read.
func deniedTool(msg string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: msg}}}
}

// enterPromptGet decides a prompts/get: nil lets the SDK get it.
func (s *Server) enterPromptGet(ctx context.Context, p *mcp.GetPromptParams) error {
	msg, hidden := s.decide(ctx, KindPrompt, p.Name, s.reg.Load().prompts.byKey[p.Name], func() map[string]any {
		if p.Arguments == nil {
			return nil
		}
		args := make(map[string]any, len(p.Arguments))
		for k, v := range p.Arguments {
			args[k] = v
		}
		return args
	})
	switch {
	case hidden:
		return unknownPrompt(p.Name)
	case msg != "":
		return middlewareDenial(msg)
	}
	return nil
}

// middlewareDenial is the JSON-RPC error of a prompts/get or
// resources/read that middleware denies: code -32600 (invalid request)
// and the message, as the mcp-go backend answers.
func middlewareDenial(msg string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: msg}
}

// matches returns the components that serve uri, in the order a read
// tries them: the resource with exactly that URI, then every template
// that matches it, in the order of their URI templates.
func (r *registry) matches(uri string) []*record {
	var out []*record
	if rec, ok := r.resources.byKey[uri]; ok {
		out = append(out, rec)
	}
	for _, rec := range r.templates.sorted {
		if rec.match.MatchString(uri) {
			out = append(out, rec)
		}
	}
	return out
}

// enterResourceRead decides a resources/read of uri. It returns the
// component the read goes to: the first match whose own checks permit the
// caller, so that a hidden template never shadows a visible one. The
// middleware then decides about that component, and its denial is
// explicit: a later match it would permit is not served instead, as on
// the mcp-go backend. With no such match it answers as for a URI no
// component serves (with middleware, the middleware's refusal of one).
// Checks of a template see its variables as the request's arguments.
func (s *Server) enterResourceRead(ctx context.Context, uri string) (*record, error) {
	tok := AccessTokenFromContext(ctx)
	matches := s.reg.Load().matches(uri)
	if s.hooks != nil && !s.skipChecks.Load() {
		return s.auditedRead(ctx, methodReadResource, tok, uri, matches)
	}
	for _, rec := range matches {
		if s.skipChecks.Load() {
			return rec, nil
		}
		ac := s.readContext(tok, rec, uri)
		if !rec.Permits(ctx, ac) {
			continue
		}
		// The messages name the URI that was asked for, not the template
		// it matched. The component's own checks already ran: no guard.
		if msg := s.policy.RefusalFor(ctx, ac, nil, true, uri); msg != "" {
			return nil, middlewareDenial(msg)
		}
		if rec.CallRefusal(ctx, ac, uri) != "" {
			// A read its call checks deny is answered as for a URI that
			// nothing serves.
			return nil, s.missingResource(ctx, tok, uri)
		}
		return rec, nil
	}
	return nil, s.missingResource(ctx, tok, uri)
}

// readContext is what the checks of rec see of a read of uri by tok: a
// template's variables are the request's arguments, when a check may
// read them.
func (s *Server) readContext(tok *AccessToken, rec *record, uri string) AuthContext {
	ac := AuthContext{Token: tok, Component: &rec.Component}
	if rec.match != nil && (rec.NeedsArguments() || s.policy.HasMiddleware()) {
		ac.Arguments = rec.arguments(uri)
	}
	return ac
}

// missingResource is the answer to a read of uri when no component serves
// it: the SDK's "resource not found" error, or with middleware, the
// middleware's refusal of a URI that does not exist.
func (s *Server) missingResource(ctx context.Context, tok *AccessToken, uri string) error {
	if !s.policy.HasMiddleware() {
		return mcp.ResourceNotFoundError(uri)
	}
	return middlewareDenial(s.policy.RefusalFor(ctx, AuthContext{Token: tok, Component: &Component{Kind: KindResource, Name: uri, URI: uri}}, nil, false, uri))
}

type routeKey struct{}

// readRouted is the handler the SDK holds for every resource and template
// of the Server. The SDK calls it for the first resource or template that
// matches the URI, which may be one the caller may not see; it runs the
// handler of the component the request entry chose (enterResourceRead),
// and fills the URI and MIME type of contents that lack them from that
// component, as the SDK fills them from the one it found.
func (s *Server) readRouted(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	rec, _ := ctx.Value(routeKey{}).(*record)
	if rec == nil {
		// Not through the request entry: nothing was decided, so nothing
		// is served.
		return nil, mcp.ResourceNotFoundError(req.Params.URI)
	}
	if rec.match != nil {
		ctx = context.WithValue(ctx, templateVarsKey{}, rec.vars(req.Params.URI))
	}
	res, err := s.guardRead(ctx, rec.read, req)
	if err != nil || res == nil {
		return res, err
	}
	mime := ""
	if rec.resource != nil {
		mime = rec.resource.MIMEType
	} else {
		mime = rec.template.MIMEType
	}
	for _, c := range res.Contents {
		if c == nil {
			continue
		}
		if c.URI == "" {
			c.URI = req.Params.URI
		}
		if c.MIMEType == "" {
			c.MIMEType = mime
		}
	}
	return res, nil
}

// enterComplete decides a completion/complete: a reference to a prompt or
// resource template the caller may not see is answered as one to a
// component that does not exist; with middleware, with the middleware's
// message, as prompts/get and resources/read are refused. The SDK hands any reference to the
// completion handler, so the runtime answers both itself, as prompts/get
// and resources/read answer them. Without a completion handler the SDK
// answers every reference alike.
func (s *Server) enterComplete(ctx context.Context, params *mcp.CompleteParams) error {
	if !s.hasCompletion || params == nil || params.Ref == nil {
		return nil
	}
	reg, tok := s.reg.Load(), AccessTokenFromContext(ctx)
	// decide decides the reference to target (rec: its component, nil
	// when none of the runtime's has it): whether the request may see
	// it, and with middleware, the message a denial is answered with, as
	// prompts/get and resources/read are refused ("": answered as for a
	// missing component).
	decide := func(kind Kind, rec *record, target string) (visible bool, msg string) {
		switch {
		case s.skipChecks.Load():
			return rec != nil, ""
		case s.hooks != nil && rec != nil:
			return s.auditedCompletion(ctx, tok, rec, target)
		case s.policy.HasMiddleware():
			comp := &Component{Kind: kind, Name: target}
			if rec != nil {
				comp = &rec.Component
			}
			msg := s.policy.RefusalFor(ctx, AuthContext{Token: tok, Component: comp}, rec.guard(), rec != nil, target)
			return msg == "", msg
		}
		return rec != nil && s.listed(ctx, tok, rec), ""
	}
	switch ref := params.Ref; ref.Type {
	case "ref/prompt":
		if ok, msg := decide(KindPrompt, reg.prompts.byKey[ref.Name], ref.Name); msg != "" {
			return middlewareDenial(msg)
		} else if !ok {
			return unknownPrompt(ref.Name)
		}
	case "ref/resource":
		rec := reg.templates.byKey[ref.URI]
		if rec == nil {
			rec = reg.resources.byKey[ref.URI]
		}
		if ok, msg := decide(KindResource, rec, ref.URI); msg != "" {
			return middlewareDenial(msg)
		} else if !ok {
			return mcp.ResourceNotFoundError(ref.URI)
		}
	}
	return nil
}

// subscribeGuard wraps the server's subscribe or unsubscribe handler: a
// URI the caller may not read is answered as resources/read answers it
// (enterResourceRead: as one no resource serves, or with middleware, with
// the middleware's message), before the handler runs. The SDK calls the subscribe handler for
// resources/subscribe and for each resource of a subscriptions/listen
// (protocol 2026-07-28), whose context carries the token of the listen
// request.
func subscribeGuard[R interface{ GetParams() mcp.Params }](s *Server, h func(context.Context, R) error) func(context.Context, R) error {
	return func(ctx context.Context, req R) error {
		var uri, method string
		switch p := req.GetParams().(type) {
		case *mcp.SubscribeParams:
			uri, method = p.URI, methodSubscribe
		case *mcp.UnsubscribeParams:
			uri, method = p.URI, methodUnsubscribe
		}
		if err := s.refuseLongURI(ctx, method, uri); err != nil {
			return err
		}
		var err error
		if s.hooks != nil && !s.skipChecks.Load() {
			_, err = s.auditedRead(ctx, method, AccessTokenFromContext(ctx), uri, s.reg.Load().matches(uri))
		} else {
			_, err = s.enterResourceRead(ctx, uri)
		}
		if err != nil {
			return err
		}
		return h(ctx, req)
	}
}
