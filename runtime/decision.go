package runtime

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions: see authz.Decision. The runtime reports one decision per
// request that targets a registered component (tools/call, prompts/get,
// resources/read), one per list (tools/list, prompts/list,
// resources/list, resources/templates/list) with the counts of what it
// showed and hid, and one per HTTP request refused for its bearer token
// (401, 403) or answered with a scope challenge (WithStepUp). Requests
// that no check decides report nothing: stdio (which runs no check), and
// targets the server does not have, unless middleware decides them.

type (
	// Decision is one authorization decision. See authz.Decision.
	Decision = authz.Decision
	// Rule names the rule that decided. See authz.Rule.
	Rule = authz.Rule
	// Layer says where a rule sits. See authz.Layer.
	Layer = authz.Layer
	// DecisionHook receives decisions. See authz.DecisionHook.
	DecisionHook = authz.DecisionHook
)

// The layers of rules.
const (
	LayerComponent  = authz.LayerComponent
	LayerMiddleware = authz.LayerMiddleware
	LayerCall       = authz.LayerCall
	LayerHTTP       = authz.LayerHTTP
	LayerPolicy     = authz.LayerPolicy
)

// The rules of the HTTP layer (Rule.Text of LayerHTTP).
const (
	RuleBearerMissing           = authz.RuleBearerMissing
	RuleBearerInvalid           = authz.RuleBearerInvalid
	RuleBearerInsufficientScope = authz.RuleBearerInsufficientScope
	RuleBearerUnavailable       = authz.RuleBearerUnavailable
	RuleSessionPrincipal        = authz.RuleSessionPrincipal
)

// WithRule appends check to the component's chain, as WithAuth does, and
// names it rule in decisions: the term as its annotation wrote it, such as
// "check(isOwner)". Generated code names every check so; checks added with
// WithAuth are named by what they are (see authz.Rule).
func WithRule(rule string, check AuthCheck) ComponentOption { return authz.WithRule(rule, check) }

// WithDecisionHook delivers every authorization decision of the server to
// hooks, in the order given, on the request's goroutine. A hook that
// panics is logged and changes nothing else. Without a hook,
// deciding costs nothing more than it did before decisions existed: the
// runtime measures and reports nothing.
func WithDecisionHook(hooks ...DecisionHook) Option {
	return func(c *serverConfig) { c.hooks = append(c.hooks, hooks...) }
}

// report completes d with the principal and session of the request and
// hands it to the hooks.
func (s *Server) report(ctx context.Context, d *Decision) {
	if tok := AccessTokenFromContext(ctx); tok != nil {
		d.Subject, d.ClientID = authz.Subject(tok), tok.ClientID
	}
	if d.SessionID == "" {
		if sess := server.ClientSessionFromContext(ctx); sess != nil {
			d.SessionID = sess.SessionID()
		}
	}
	for _, h := range s.hooks {
		callHook(ctx, h, *d)
	}
}

// callHook calls one decision hook; a hook that panics is logged and does
// not disturb the request or the other hooks.
func callHook(ctx context.Context, h DecisionHook, d Decision) {
	defer func() {
		if r := recover(); r != nil {
			slog.Default().ErrorContext(ctx, "mcpauthgen: decision hook panicked", slog.Any("panic", r))
		}
	}()
	h(ctx, d)
}

// targetMethod is the method of a request that targets a component of
// kind.
func targetMethod(kind Kind) string {
	switch kind {
	case KindTool:
		return string(mcp.MethodToolsCall)
	case KindPrompt:
		return string(mcp.MethodPromptsGet)
	}
	return string(mcp.MethodResourcesRead)
}

// decided reports the decision about a request for target, which comp
// serves, begun at start. The method is the request's (a completion or a
// subscription is decided as the read or get it could lead to).
func (s *Server) decided(ctx context.Context, start time.Time, comp *Component, target string, allowed bool, rule Rule) {
	method := methodFrom(ctx)
	if method == "" {
		method = targetMethod(comp.Kind)
	}
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: method,
		Kind:   comp.Kind, Name: comp.Name, URI: comp.URI, Target: target,
		Allowed: allowed, Rule: rule,
	})
}

// enterHidden decides, for the decision hooks, a tools/call or prompts/get
// that no middleware applies to, which the tool or prompt filter would
// otherwise decide: the verdict it installs tells the filter the outcome.
// A name without a record is left to the filter (no check decides it).
func (s *Server) enterHidden(ctx context.Context, kind Kind, name string) context.Context {
	reg := s.reg.Load()
	rec := reg.tools[name]
	if kind == KindPrompt {
		rec = reg.prompts[name]
	}
	if rec == nil || skipChecks(ctx) {
		return ctx
	}
	start := time.Now()
	ok, rule := s.policy.Evaluate(ctx, AccessTokenFromContext(ctx), &rec.Component, rec.Guard)
	s.decided(ctx, start, &rec.Component, name, ok, rule)
	return context.WithValue(ctx, verdictKey{}, &verdict{kind: kind, target: name, hidden: !ok})
}

// enterHiddenTool is enterHidden for a tools/call, which also answers a
// hidden tool with parameters bound to headers as a missing one (see
// enterHeaderBoundCall).
func (s *Server) enterHiddenTool(ctx context.Context, name string) context.Context {
	ctx = s.enterHidden(ctx, KindTool, name)
	if d := verdictFrom(ctx); d != nil && d.kind == KindTool && d.target == name && d.hidden {
		if rec := s.reg.Load().tools[name]; rec.headerBound && !(rec.ScopeOnly() && stepUpFrom(ctx)) {
			return s.withStandIn(ctx, name)
		}
	}
	return ctx
}

// resourceAudit is what the decision hooks need of finding the component
// that serves a resources/read: when it began, and the first component
// matching the URI whose own checks denied, with the rule.
type resourceAudit struct {
	start  time.Time
	denied *record
	rule   Rule
}

// findResource is resourceFor, audited when there are decision hooks
// (audit is nil otherwise, and on stdio).
func (s *Server) findResource(ctx context.Context, uri string) (rec *record, exists bool, audit *resourceAudit) {
	if s.hooks == nil || skipChecks(ctx) {
		rec, exists = s.resourceFor(ctx, uri)
		return rec, exists, nil
	}
	audit = &resourceAudit{start: time.Now()}
	tok := AccessTokenFromContext(ctx)
	rec, exists = s.reg.Load().matchUsable(uri, func(rec *record) bool {
		ok, rule := rec.Guard.Evaluate(ctx, AuthContext{Token: tok, Component: &rec.Component})
		if !ok && audit.denied == nil {
			audit.denied, audit.rule = rec, rule
		}
		return ok
	})
	return rec, exists, audit
}

// resourceDecided reports a resources/read that no middleware applies to:
// allowed when rec serves it, denied by the first matching component's
// rule when components match but none may be used, nothing when none
// matches.
func (s *Server) resourceDecided(ctx context.Context, a *resourceAudit, rec *record, uri string) {
	switch {
	case rec != nil:
		s.decided(ctx, a.start, &rec.Component, uri, true, Rule{})
	case a.denied != nil:
		s.decided(ctx, a.start, &a.denied.Component, uri, false, a.rule)
	}
}

// auditedResourceRefusal is resourceRefusal with the decision reported;
// each check runs once.
func (s *Server) auditedResourceRefusal(ctx context.Context, a *resourceAudit, uri string, rec *record, exists bool) string {
	if rec == nil && a.denied != nil {
		// The components' own checks decided; no check runs again.
		msg := s.resourceRefusal(ctx, uri, rec, exists)
		s.decided(ctx, a.start, &a.denied.Component, uri, false, a.rule)
		return msg
	}
	comp := &Component{Kind: KindResource, Name: uri, URI: uri}
	usable := rec != nil
	if rec != nil {
		comp = &rec.Component
	} else if !exists {
		// Added on MCP() directly: only middleware applies.
		_, usable = s.mcp.ListResources()[uri]
	}
	msg, rule := s.policy.Decide(ctx, AccessTokenFromContext(ctx), comp, nil, usable, uri)
	if usable {
		s.decided(ctx, a.start, comp, uri, msg == "", rule)
	}
	return msg
}

// guardPermits reports whether rec's own checks let the request use it
// (nil rec: yes), reporting the decision about target when there are
// hooks and rec has a guard.
func (s *Server) guardPermits(ctx context.Context, rec *record, target string) bool {
	if rec == nil {
		return true
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &rec.Component}
	if s.hooks == nil {
		return rec.Permits(ctx, ac)
	}
	start := time.Now()
	ok, rule := rec.Guard.Evaluate(ctx, ac)
	s.decided(ctx, start, &rec.Component, target, ok, rule)
	return ok
}

// auditedRefusal is refusal with a decision reported. A target that does
// not exist reports none.
func (s *Server) auditedRefusal(ctx context.Context, comp *Component, rec *record, exists bool, label string) string {
	start := time.Now()
	msg, rule := s.policy.Decide(ctx, AccessTokenFromContext(ctx), comp, rec.guard(), exists, label)
	if exists {
		s.decided(ctx, start, comp, label, msg == "", rule)
	}
	return msg
}

type methodKey struct{}

// withMethod records the request's method for the decision hooks (set by
// the request entry only when there are hooks).
func withMethod(ctx context.Context, method string) context.Context {
	return context.WithValue(ctx, methodKey{}, method)
}

func methodFrom(ctx context.Context) string {
	m, _ := ctx.Value(methodKey{}).(string)
	return m
}

// listing reports whether the request is the list of kind, which the
// decision hooks are to hear about (and not a call the filter is asked
// about).
func (s *Server) listing(ctx context.Context, kind Kind) bool {
	if s.hooks == nil {
		return false
	}
	switch mcp.MCPMethod(methodFrom(ctx)) {
	case mcp.MethodToolsList:
		return kind == KindTool
	case mcp.MethodPromptsList:
		return kind == KindPrompt
	}
	return false
}

// listDecided reports the decision of a list of kind, begun at start.
func (s *Server) listDecided(ctx context.Context, start time.Time, method mcp.MCPMethod, kind Kind, visible, hidden int) {
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: string(method), Kind: kind,
		Allowed: true, Visible: visible, Hidden: hidden,
	})
}

// refusedSession reports a request refused (404, as an unknown session)
// for naming a session another principal initialized.
func (s *Server) refusedSession(ctx context.Context, r *http.Request, method string) {
	s.report(ctx, &Decision{
		Time:      time.Now(),
		Method:    method,
		SessionID: r.Header.Get(server.HeaderKeySessionID),
		Rule:      Rule{Layer: LayerHTTP, Text: RuleSessionPrincipal},
		Status:    http.StatusNotFound,
	})
}

// refusedHTTP reports a request the HTTP layer refused with status.
func (s *Server) refusedHTTP(r *http.Request, start time.Time, status int, rule string) {
	s.report(r.Context(), &Decision{
		Time: start, Duration: time.Since(start),
		SessionID: r.Header.Get(server.HeaderKeySessionID),
		Rule:      Rule{Layer: LayerHTTP, Text: rule},
		Status:    status,
	})
}

// steppedUp reports a tools/call of name answered with a scope challenge:
// the rule is the scope check that denies.
func (s *Server) steppedUp(ctx context.Context, r *http.Request, start time.Time, name string) {
	rec := s.reg.Load().tools[name]
	_, rule := s.policy.Evaluate(ctx, AccessTokenFromContext(ctx), &rec.Component, rec.Guard)
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: string(mcp.MethodToolsCall),
		Kind:   KindTool, Name: name, Target: name,
		SessionID: r.Header.Get(server.HeaderKeySessionID),
		Rule:      rule,
		Status:    http.StatusForbidden,
	})
}

// Subject returns the "sub" claim of t, as decisions record it; "" when t
// is nil or has none.
func Subject(t *AccessToken) string { return authz.Subject(t) }

// LogDecisions returns a decision hook that writes each decision to l
// (nil: slog.Default()) as one record: allowed requests and lists at
// Debug, denials at Info, denials by a check that failed at Warn. The
// attribute keys are authz.Attr*; see authz.LogDecisions.
func LogDecisions(l *slog.Logger) DecisionHook { return authz.LogDecisions(l) }
