package runtime

// This file holds everything the runtime relies on in how mcp-go behaves
// inside, beyond its documented API. Each assumption has a name, and
// seam_test.go has one test per assumption that fails with that name when
// an mcp-go upgrade breaks it:
//
//   - session-first: mcp-go looks up a request's session tools, resources
//     and resource templates (SessionWithTools, SessionWithResources,
//     SessionWithResourceTemplates) before its shared registry, and lists
//     them with the registry's. The runtime hides resources, and answers
//     denied tool calls, by handing a request a view of its session
//     (sessionView, withView, withDeniedTool).
//   - context-after-session: the Streamable HTTP server runs its context
//     function (server.WithHTTPContextFunc) after it has put the request's
//     client session in the context, so the request entry can wrap the
//     session (httpHandler.contextFunc).
//   - fresh-filter-slice: tool and prompt filters (server.WithToolFilter,
//     server.WithPromptFilter) receive a slice built for the request, which
//     they may filter in place (hidingOptions).
//   - hook-error-answer: an error returned by an OnRequestInitialization
//     hook refuses the request before dispatch, answered as a JSON-RPC
//     error with code -32600 (INVALID_REQUEST) and the error's text as
//     message (installRefusals, refuseDenied). The hook is handed the
//     request's JSON-RPC message as a json.RawMessage, from which stdio,
//     which has no request entry, reads an over-long URI
//     (stdioURIRefusal).
//   - session-interfaces: the optional session interfaces mcp-go defines
//     are the ones sessionView forwards (see sessionView for the one left
//     out), so a view changes nothing but what it hides.
//   - inprocess-options: mcp-go's in-process transport takes a sampling,
//     an elicitation and a roots handler, all of which
//     server.NewInProcessSessionWithHandlers takes too; package
//     runtimetest offers the same options.
//   - dispatch-checks: mcp-go applies the tool filter to the tool a
//     tools/call names and the prompt filter to the prompt a prompts/get
//     names, answering a filtered-out target as a missing one; and it
//     refuses the resources methods unless the resources capability is
//     declared, which it does once a resource is added, even none
//     (advertiseResources).
//
// The hardening of the HTTP handler relies on more of mcp-go's insides;
// the tests named with each fail when an upgrade breaks the assumption:
//
//   - session-manager-resolver: the Streamable HTTP server asks a
//     SessionIdManagerResolver for the manager of every request, with the
//     request whose context the runtime built, and calls Generate only for
//     initialize (and a GET without a session ID, which the runtime
//     refuses first); its idle sweeper calls Terminate (sessionTable;
//     TestSessionBoundToPrincipal, TestSessionIdleTimeout).
//   - handle-buffered-body: StreamableHTTPServer.Handle takes the body
//     already read and reads nothing more, so the body is read once
//     (TestBodyReadOnce).
//   - header-check-first: mcp-go checks header-bound tool parameters
//     (protocol 2026-07-28) against the tool it finds in the session or
//     registry before the tool filter runs (enterHeaderBoundCall;
//     TestNothingHiddenSideways).
//   - hooks-before-decoration: after-hooks of lists and reads run before
//     mcp-go stamps cache hints, which it leaves alone when the result set
//     them (markPrivate; TestListsNeverPublic).
//   - sse-one-write: mcp-go writes each SSE event with one Write of
//     "event: message\ndata: <JSON>\n\n" (streamWriter;
//     TestListChangedRespectsHiding).

import (
	"context"
	"errors"
	"maps"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// hidingOptions are the mcp-go options that hide tools and prompts. They
// come before the user's, so that the runtime's filters always receive the
// fresh slice mcp-go builds for the request (fresh-filter-slice) and may
// filter it in place; mcp-go applies them to the called tool or prompt too
// (dispatch-checks).
func (s *Server) hidingOptions() []server.ServerOption {
	return []server.ServerOption{
		server.WithToolFilter(s.filterTools),
		server.WithPromptFilter(s.filterPrompts),
	}
}

// installRefusals adds the hook through which the request entry refuses a
// prompts/get or resources/read that middleware denied (hook-error-answer).
func (s *Server) installRefusals() {
	hooks := s.mcp.GetHooks()
	if hooks == nil {
		hooks = &server.Hooks{}
		server.WithHooks(hooks)(s.mcp)
	}
	hooks.AddOnRequestInitialization(s.refuseDenied)
}

// refuseDenied is the OnRequestInitialization hook: it refuses a request
// whose target the request entry denied with a message (middleware denials of
// prompts/get and resources/read, over-long URIs). On stdio, which has no
// request entry, it refuses over-long URIs itself (stdioURIRefusal).
func (s *Server) refuseDenied(ctx context.Context, _ any, message any) error {
	d := verdictFrom(ctx)
	if d == nil && skipChecks(ctx) {
		d = s.stdioURIRefusal(message)
	}
	if d != nil && d.refusal != "" {
		if out, _ := ctx.Value(outcomeKey{}).(*Outcome); out != nil {
			out.Code, out.Message = mcp.INVALID_REQUEST, d.refusal
		}
		return errors.New(d.refusal)
	}
	return nil
}

// advertiseResources makes mcp-go declare the resources capability. The
// runtime keeps its resources out of mcp-go's shared registry (they are
// handed to each request that may see them), so mcp-go would not declare
// the capability by itself; adding no resource declares it without changing
// a capability the user configured.
func (s *Server) advertiseResources() { s.mcp.AddResources() }

// contextFunc runs inside mcp-go once the request's session is in ctx: the
// point where the runtime's request entry applies.
func (h *httpHandler) contextFunc(ctx context.Context, _ *http.Request) context.Context {
	if m, ok := ctx.Value(httpMessageKey{}).(httpMessage); ok {
		return h.srv.enter(ctx, m.method, func() target { return m.target })
	}
	return ctx
}

// withDeniedTool answers a tools/call of name with msg as an isError tool
// result: the call is routed to a stand-in tool of the same name, which
// mcp-go finds in the session before its registry (session-first).
func (s *Server) withDeniedTool(ctx context.Context, name, msg string) context.Context {
	denied := server.ServerTool{
		Tool: mcp.Tool{Name: name, InputSchema: mcp.ToolInputSchema{Type: "object"}},
		Handler: func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultError(msg), nil
		},
	}
	return s.withView(ctx, nil, nil, map[string]server.ServerTool{name: denied})
}

// restoreSession wraps a resource handler so that it runs with the client
// session the request came with, not the per-request view the runtime
// installed to hide resources.
func (s *Server) restoreSession(h server.ResourceHandlerFunc) server.ResourceHandlerFunc {
	return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		if v, ok := server.ClientSessionFromContext(ctx).(*sessionView); ok {
			ctx = s.mcp.WithContext(ctx, v.ClientSession)
		}
		return h(ctx, req)
	}
}

// sessionView is the client session as one request sees it. mcp-go looks
// up resources, resource templates and tools in the request's session
// before its shared registry (session-first), so a view listing only what
// the request may see makes mcp-go list, read and answer "not found"
// exactly as it does for components that do not exist: the answer is
// mcp-go's own, in the request's protocol version. The view is installed
// for resources/list, resources/templates/list, resources/read and denied
// tool calls only; resource handlers run with the original session (see
// restoreSession).
//
// The view forwards every optional session interface mcp-go defines
// (session-interfaces), so that mcp-go and the server's hooks see the
// session's abilities unchanged during those requests. Where the session
// lacks an ability, a forwarded method answers as mcp-go answers for such
// a session (ErrElicitationNotSupported, ErrRootsNotSupported, ...) or
// does nothing. One interface is left out: SessionWithResourceSubscriptionsErr,
// whose SubscribeToResourceErr mcp-go prefers to SubscribeToResource; a
// view claiming it for a session without it would change how
// resources/subscribe is answered, and the view is never installed for
// resources/subscribe anyway.
type sessionView struct {
	server.ClientSession // the request's own session; may be nil

	resources map[string]server.ServerResource
	templates map[string]server.ServerResourceTemplate
	tools     map[string]server.ServerTool
}

// withView installs a view of the request's session that adds resources,
// templates and tools to the session's own.
func (s *Server) withView(ctx context.Context, resources map[string]server.ServerResource, templates map[string]server.ServerResourceTemplate, tools map[string]server.ServerTool) context.Context {
	orig := server.ClientSessionFromContext(ctx)
	v := &sessionView{ClientSession: orig, resources: resources, templates: templates, tools: tools}
	if o, ok := orig.(server.SessionWithResources); ok {
		v.resources = merged(o.GetSessionResources(), resources)
	}
	if o, ok := orig.(server.SessionWithResourceTemplates); ok {
		v.templates = merged(o.GetSessionResourceTemplates(), templates)
	}
	if o, ok := orig.(server.SessionWithTools); ok {
		v.tools = merged(o.GetSessionTools(), tools)
	}
	return s.mcp.WithContext(ctx, v)
}

// merged returns the session's own components overlaid with the runtime's,
// without modifying either.
func merged[V any](own, add map[string]V) map[string]V {
	if len(own) == 0 {
		return add
	}
	out := maps.Clone(own)
	maps.Copy(out, add)
	return out
}

func (v *sessionView) SessionID() string {
	if v.ClientSession == nil {
		return ""
	}
	return v.ClientSession.SessionID()
}

func (v *sessionView) Initialized() bool {
	return v.ClientSession != nil && v.ClientSession.Initialized()
}

func (v *sessionView) Initialize() {
	if v.ClientSession != nil {
		v.ClientSession.Initialize()
	}
}

func (v *sessionView) NotificationChannel() chan<- mcp.JSONRPCNotification {
	if v.ClientSession == nil {
		return nil
	}
	return v.ClientSession.NotificationChannel()
}

func (v *sessionView) GetSessionResources() map[string]server.ServerResource { return v.resources }

func (v *sessionView) SetSessionResources(m map[string]server.ServerResource) {
	if o, ok := v.ClientSession.(server.SessionWithResources); ok {
		o.SetSessionResources(m)
	}
}

func (v *sessionView) GetSessionResourceTemplates() map[string]server.ServerResourceTemplate {
	return v.templates
}

func (v *sessionView) SetSessionResourceTemplates(m map[string]server.ServerResourceTemplate) {
	if o, ok := v.ClientSession.(server.SessionWithResourceTemplates); ok {
		o.SetSessionResourceTemplates(m)
	}
}

func (v *sessionView) GetSessionTools() map[string]server.ServerTool { return v.tools }

func (v *sessionView) SetSessionTools(m map[string]server.ServerTool) {
	if o, ok := v.ClientSession.(server.SessionWithTools); ok {
		o.SetSessionTools(m)
	}
}

// ProtocolVersion forwards the negotiated protocol version, which decides
// the error code of a missing resource; "" is what mcp-go assumes for a
// session that does not record one.
func (v *sessionView) ProtocolVersion() string {
	if o, ok := v.ClientSession.(server.SessionWithProtocolVersion); ok {
		return o.ProtocolVersion()
	}
	return ""
}

func (v *sessionView) GetClientInfo() mcp.Implementation {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		return o.GetClientInfo()
	}
	return mcp.Implementation{}
}

func (v *sessionView) SetClientInfo(info mcp.Implementation) {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		o.SetClientInfo(info)
	}
}

func (v *sessionView) GetClientCapabilities() mcp.ClientCapabilities {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		return o.GetClientCapabilities()
	}
	return mcp.ClientCapabilities{}
}

func (v *sessionView) SetClientCapabilities(c mcp.ClientCapabilities) {
	if o, ok := v.ClientSession.(server.SessionWithClientInfo); ok {
		o.SetClientCapabilities(c)
	}
}

func (v *sessionView) SetLogLevel(level mcp.LoggingLevel) {
	if o, ok := v.ClientSession.(server.SessionWithLogging); ok {
		o.SetLogLevel(level)
	}
}

// GetLogLevel forwards the session's level; for a session without logging
// it is the highest level, so that at most emergencies reach it.
func (v *sessionView) GetLogLevel() mcp.LoggingLevel {
	if o, ok := v.ClientSession.(server.SessionWithLogging); ok {
		return o.GetLogLevel()
	}
	return mcp.LoggingLevelEmergency
}

func (v *sessionView) SubscribeToResource(uri string) {
	if o, ok := v.ClientSession.(server.SessionWithResourceSubscriptions); ok {
		o.SubscribeToResource(uri)
	}
}

func (v *sessionView) UnsubscribeFromResource(uri string) {
	if o, ok := v.ClientSession.(server.SessionWithResourceSubscriptions); ok {
		o.UnsubscribeFromResource(uri)
	}
}

func (v *sessionView) SubscribedResources() []string {
	if o, ok := v.ClientSession.(server.SessionWithResourceSubscriptions); ok {
		return o.SubscribedResources()
	}
	return nil
}

func (v *sessionView) IsSubscribedToResource(uri string) bool {
	if o, ok := v.ClientSession.(server.SessionWithResourceSubscriptions); ok {
		return o.IsSubscribedToResource(uri)
	}
	return false
}

func (v *sessionView) RequestElicitation(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	if o, ok := v.ClientSession.(server.SessionWithElicitation); ok {
		return o.RequestElicitation(ctx, req)
	}
	return nil, server.ErrElicitationNotSupported
}

func (v *sessionView) ListRoots(ctx context.Context, req mcp.ListRootsRequest) (*mcp.ListRootsResult, error) {
	if o, ok := v.ClientSession.(server.SessionWithRoots); ok {
		return o.ListRoots(ctx, req)
	}
	return nil, server.ErrRootsNotSupported
}

// errSamplingNotSupported is mcp-go's answer for a session without
// sampling, which it does not export.
var errSamplingNotSupported = errors.New("session does not support sampling")

func (v *sessionView) RequestSampling(ctx context.Context, req mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	if o, ok := v.ClientSession.(server.SessionWithSampling); ok {
		return o.RequestSampling(ctx, req)
	}
	return nil, errSamplingNotSupported
}

func (v *sessionView) UpgradeToSSEWhenReceiveNotification() {
	if o, ok := v.ClientSession.(server.SessionWithStreamableHTTPConfig); ok {
		o.UpgradeToSSEWhenReceiveNotification()
	}
}

func (v *sessionView) SetSubscriptionFilter(filter mcp.SubscriptionFilter) {
	if o, ok := v.ClientSession.(server.SessionWithSubscriptionFilter); ok {
		o.SetSubscriptionFilter(filter)
	}
}

func (v *sessionView) SubscriptionFilter() (mcp.SubscriptionFilter, bool) {
	if o, ok := v.ClientSession.(server.SessionWithSubscriptionFilter); ok {
		return o.SubscriptionFilter()
	}
	return mcp.SubscriptionFilter{}, false
}
