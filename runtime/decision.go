package runtime

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions: see authz.Decision. The runtime reports one decision per
// request that targets a registered component (tools/call, prompts/get,
// resources/read, and completion/complete and resources/subscribe or
// unsubscribe, which reach one sideways), decided by the component's
// checks, the middleware or a call check; one per list (tools/list,
// prompts/list, resources/list, resources/templates/list) with the counts
// of what it showed and hid; and one per HTTP request refused for its
// bearer token (401, 403, 503), answered with a scope challenge
// (WithStepUp) or naming another principal's session (404). Requests that
// no check decides report nothing: stdio (which runs no check), and
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
	LayerLimit      = authz.LayerLimit
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
func WithRule(rule string, check Checker) ComponentOption { return authz.WithRule(rule, check) }

// WithCallRules names the component's call checks (WithCallChecks), in
// order, in decisions: the terms as the annotation wrote them. Generated
// code names them so.
func WithCallRules(rules ...string) ComponentOption { return authz.WithCallRules(rules...) }

// WithDecisionHook delivers every authorization decision of the server to
// hooks, in the order given, on the request's goroutine. A hook that
// panics is logged and changes nothing else. Without a hook,
// deciding costs nothing more than it did before decisions existed: the
// runtime measures and reports nothing.
func WithDecisionHook(hooks ...DecisionHook) Option {
	return func(c *serverConfig) { c.hooks = append(c.hooks, hooks...) }
}

// report completes d with the principal and session of the request and
// hands it to the hooks, as records hold it
// (authz.Decision.Recorded: URIs redacted, names and URIs bounded).
func (s *Server) report(ctx context.Context, d *Decision) {
	if tok := AccessTokenFromContext(ctx); tok != nil {
		d.Subject, d.ClientID = authz.Subject(tok), tok.ClientID
	}
	if d.SessionID == "" {
		if sess := server.ClientSessionFromContext(ctx); sess != nil {
			d.SessionID = sess.SessionID()
		}
	}
	r := d.Recorded()
	for _, h := range s.hooks {
		callHook(ctx, h, r)
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
	rule.Policies = notedPolicies(ctx, allowed, rule)
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: method,
		Kind:   comp.Kind, Name: comp.Name, URI: comp.URI, Target: target,
		Allowed: allowed, Rule: rule,
	})
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
		ok, rule := rec.Guard.Evaluate(ctx, AuthContext{Token: tok, Component: &rec.Component, Arguments: rec.templateArguments(uri)})
		if !ok {
			// The policies that hid a match decide nothing about the
			// next one (a denial by a component's checks names none).
			authz.PolicyNotesFrom(ctx).Take()
			if audit.denied == nil {
				audit.denied, audit.rule = rec, rule
			}
		}
		return ok
	})
	return rec, exists, audit
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
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &Component{Kind: KindResource, Name: uri, URI: uri}}
	usable := rec != nil
	if rec != nil {
		ac.Component = &rec.Component
		ac.Arguments = rec.templateArguments(uri)
	} else if !exists {
		// Added on MCP() directly: only middleware applies.
		_, usable = s.mcp.ListResources()[uri]
	}
	msg, rule := s.policy.DecideFor(ctx, ac, nil, usable, uri)
	if usable {
		s.decided(ctx, a.start, ac.Component, uri, msg == "", rule)
	}
	return msg
}

// enterAuditedRead is enterResourceRead with the decision reported: the
// rule of the first matching component whose own checks denied, else the
// middleware's, else the call checks' of the component found.
func (s *Server) enterAuditedRead(ctx context.Context, a *resourceAudit, uri string, rec *record, exists bool) context.Context {
	mw := s.policy.HasMiddleware()
	var msg string
	switch {
	case rec == nil && a.denied != nil:
		// The components' own checks hid every match.
		s.decided(ctx, a.start, &a.denied.Component, uri, false, a.rule)
		if !mw {
			return ctx // nothing is installed: answered as an unknown URI
		}
		msg = s.resourceRefusal(ctx, uri, rec, exists) // runs no check: the not-found message
	case rec == nil:
		// No runtime component serves uri: one added on MCP() directly, or none.
		if !mw {
			return ctx
		}
		msg = s.auditedResourceRefusal(ctx, a, uri, rec, exists)
	default:
		ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &rec.Component, Arguments: rec.templateArguments(uri)}
		var rule Rule
		if mw {
			msg, rule = s.policy.DecideFor(ctx, ac, nil, true, uri)
		}
		if msg == "" {
			var denied string
			if denied, rule = rec.CallDecide(ctx, ac, uri); denied != "" {
				// A read its call checks deny is answered as for a URI that
				// nothing serves.
				if !mw {
					s.decided(ctx, a.start, &rec.Component, uri, false, rule)
					return ctx
				}
				msg = s.policy.Refusal(ctx, ac.Token, &Component{Kind: KindResource, Name: uri, URI: uri}, nil, false, uri)
			}
		}
		s.decided(ctx, a.start, &rec.Component, uri, msg == "", rule)
	}
	if msg != "" {
		return context.WithValue(ctx, verdictKey{}, &verdict{kind: KindResource, target: uri, refusal: msg})
	}
	if rec == nil {
		return ctx
	}
	return s.withRecordView(ctx, rec)
}

// auditedSubscription decides a resources/subscribe or unsubscribe of
// uri as enterSubscription does without hooks, the call checks included,
// and reports its one decision, as enterAuditedRead reports a read's. It
// returns the refusal, "" to let the request through.
func (s *Server) auditedSubscription(ctx context.Context, a *resourceAudit, uri string, rec *record, exists bool) string {
	mw := s.policy.HasMiddleware()
	if rec == nil {
		if !mw {
			if a.denied != nil {
				s.decided(ctx, a.start, &a.denied.Component, uri, false, a.rule)
			}
			if _, direct := s.mcp.ListResources()[uri]; !direct {
				return resourceNotFound(uri)
			}
			return ""
		}
		return s.auditedResourceRefusal(ctx, a, uri, rec, exists)
	}
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &rec.Component, Arguments: rec.templateArguments(uri)}
	var msg string
	var rule Rule
	if mw {
		msg, rule = s.policy.DecideFor(ctx, ac, nil, true, uri)
	}
	if msg == "" && !skipChecks(ctx) {
		var denied string
		if denied, rule = rec.CallDecide(ctx, ac, uri); denied != "" {
			// As resources/read: answered as for a URI nothing serves.
			msg = resourceNotFound(uri)
			if mw {
				msg = s.policy.Refusal(ctx, ac.Token, &Component{Kind: KindResource, Name: uri, URI: uri}, nil, false, uri)
			}
		}
	}
	s.decided(ctx, a.start, &rec.Component, uri, msg == "", rule)
	return msg
}

// auditedDecide is decide (the request entry of tools/call and
// prompts/get) with the decision reported. The allowed decision of a
// tools/call waits for the call to end (see pending), since call checks in
// its handler may still deny it.
func (s *Server) auditedDecide(ctx context.Context, ac AuthContext, rec *record, exists bool, label string) (refusal string, hidden bool) {
	start := time.Now()
	if !s.policy.HasMiddleware() {
		if rec == nil {
			return "", false // no check of the runtime applies: the filter lets it through
		}
		if ok, rule := rec.Guard.Evaluate(ctx, ac); !ok {
			s.decided(ctx, start, ac.Component, label, false, rule)
			return "", true
		}
	} else if msg, rule := s.policy.DecideFor(ctx, ac, rec.guard(), exists, label); msg != "" {
		if exists {
			s.decided(ctx, start, ac.Component, label, false, rule)
		}
		return msg, false
	}
	msg, rule := rec.guard().CallDecide(ctx, ac, label)
	if p := pendingFrom(ctx); p != nil && msg == "" {
		p.arm(ctx, start, ac.Component, label)
		return "", false
	}
	s.decided(ctx, start, ac.Component, label, msg == "", rule)
	return msg, false
}

// hookedServers counts the servers built with decision hooks: while there
// are none, ToolCallCheck does not look for a pending decision.
var hookedServers atomic.Int32

type pendingKey struct{}

// pending holds the allowed decision of a tools/call until the call ends:
// a call check its handler runs (ToolCallCheck) may still deny it, and
// then that denial is the request's one decision.
type pending struct {
	s     *Server
	d     Decision
	armed bool // an allowed decision waits
	done  bool // the request's decision was reported
	calls int  // call checks the handler ran
}

// withPending prepares ctx, the context of a tools/call, to hold its
// allowed decision.
func withPending(ctx context.Context, s *Server) context.Context {
	return context.WithValue(ctx, pendingKey{}, &pending{s: s})
}

func pendingFrom(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
}

// arm keeps the allowed decision about target, which comp serves.
func (p *pending) arm(ctx context.Context, start time.Time, comp *Component, target string) {
	p.d = Decision{
		Time: start, Duration: time.Since(start),
		Method: string(mcp.MethodToolsCall),
		Kind:   comp.Kind, Name: comp.Name, URI: comp.URI, Target: target,
		Allowed: true,
		Rule:    Rule{Policies: notedPolicies(ctx, true, Rule{})},
	}
	p.armed = true
}

// callChecked is told by ToolCallCheck the outcome of a call check named
// rule: a denial is reported as the request's decision.
func (p *pending) callChecked(ctx context.Context, rule string, ok bool) {
	at := p.calls
	p.calls++
	if ok || !p.armed || p.done {
		return
	}
	p.done = true
	d := p.d
	d.Allowed = false
	d.Duration = time.Since(d.Time)
	d.Rule = Rule{Layer: LayerCall, Text: rule, Check: at}
	p.s.report(ctx, &d)
}

// flush reports the allowed decision, if it still waits: the call ended
// without a call check denying it.
func (p *pending) flush(ctx context.Context) {
	if !p.armed || p.done {
		return
	}
	p.done = true
	p.s.report(ctx, &p.d)
}

// installPendingFlush adds the mcp-go hooks that report a tools/call's
// waiting allowed decision when the call ends, with a result or an error.
func (s *Server) installPendingFlush() {
	hooks := s.mcp.GetHooks()
	hooks.AddOnSuccess(func(ctx context.Context, _ any, _ mcp.MCPMethod, _ any, _ any) {
		if p := pendingFrom(ctx); p != nil {
			p.flush(ctx)
		}
	})
	hooks.AddOnError(func(ctx context.Context, _ any, _ mcp.MCPMethod, _ any, _ error) {
		if p := pendingFrom(ctx); p != nil {
			p.flush(ctx)
		}
	})
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
	ctx, _ = authz.WithPolicyNotes(ctx)
	return context.WithValue(ctx, methodKey{}, method)
}

// notedPolicies returns the policy ids checks noted for the decision just
// made, when they belong to its rule: a middleware's denial (a policy
// engine is middleware), or an allowed request.
func notedPolicies(ctx context.Context, allowed bool, rule Rule) []string {
	return authz.PolicyNotesFrom(ctx).TakeFor(allowed, rule)
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
	authz.PolicyNotesFrom(ctx).Take() // a list asks about every item: no one item's policies name it
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: string(method), Kind: kind,
		Allowed: true, Visible: visible, Hidden: hidden,
	})
}

// refusedSession reports a request refused (404, as an unknown session)
// for naming a session another principal initialized. Its method, which
// nothing checked, is recorded only if MCP defines it
// (authz.RecordedMethod).
func (s *Server) refusedSession(ctx context.Context, r *http.Request, method string) {
	s.report(ctx, &Decision{
		Time:      time.Now(),
		Method:    authz.RecordedMethod(method),
		SessionID: authz.RecordedSessionID(r.Header.Get(server.HeaderKeySessionID)),
		Rule:      Rule{Layer: LayerHTTP, Text: RuleSessionPrincipal},
		Status:    http.StatusNotFound,
	})
}

// refusedHTTP reports a request the HTTP layer refused with status. Like
// every refusal, it names the session its header names, bounded
// (authz.RecordedSessionID): nothing has checked it.
func (s *Server) refusedHTTP(r *http.Request, start time.Time, status int, rule string) {
	s.report(r.Context(), &Decision{
		Time: start, Duration: time.Since(start),
		SessionID: authz.RecordedSessionID(r.Header.Get(server.HeaderKeySessionID)),
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
		SessionID: authz.RecordedSessionID(r.Header.Get(server.HeaderKeySessionID)),
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
