package gosdk

import (
	"context"
	"log/slog"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions on this backend: see authz.Decision. A hook set with
// WithDecisionHook hears what the mcp-go backend's hooks hear, for the
// same requests: one decision per tools/call, prompts/get,
// resources/read, completion/complete, resources/subscribe and
// unsubscribe of a registered component (a call check that denies it,
// WithCallChecks or ToolCallCheck in a tool's handler, is its rule); one
// per list, with the counts of the whole catalog; one per request
// HTTPHandler refuses (refusal.go). Each carries the request's session ID,
// names and URIs as authz.Decision.Recorded bounds them (resource URIs
// redacted, authz.RedactURI) and, as on mcp-go, the ids of
// the policies that decided (Rule.Policies) when a check noted them
// (runtime/cedarauth's middleware does).

type (
	// Decision is one authorization decision. See authz.Decision.
	Decision = authz.Decision
	// DecisionHook receives decisions. See authz.DecisionHook.
	DecisionHook = authz.DecisionHook
)

// WithDecisionHook delivers the server's authorization decisions to
// hooks, in the order given, on the request's goroutine. A hook that
// panics is logged and changes nothing else. Without a hook,
// deciding costs what it did before.
func WithDecisionHook(hooks ...DecisionHook) Option {
	return func(c *serverConfig) { c.hooks = append(c.hooks, hooks...) }
}

// WithRule appends check to the component's chain, as WithAuth does, and
// names it rule in decisions (see authz.WithRule).
func WithRule(rule string, check Checker) ComponentOption { return authz.WithRule(rule, check) }

// auditedDecide is decide with the decision reported. A name without a
// record reports nothing: no component of the runtime has it.
func (s *Server) auditedDecide(ctx context.Context, ac AuthContext, rec *record, name string) (refusal string, hidden bool) {
	start := time.Now()
	var allowed bool
	var rule authz.Rule
	if !s.policy.HasMiddleware() {
		if rec == nil {
			return "", true
		}
		allowed, rule = rec.Guard.Evaluate(ctx, ac)
		hidden = !allowed
	} else {
		refusal, rule = s.policy.DecideFor(ctx, ac, rec.guard(), rec != nil, name)
		allowed = refusal == ""
		if rec == nil {
			return refusal, false
		}
	}
	if allowed {
		// The call checks of a prompt (or of a tool registered with
		// WithCallChecks) run last; a denial is the request's decision.
		refusal, rule = rec.CallDecide(ctx, ac, name)
		allowed = refusal == ""
	}
	rule.Policies = notedPolicies(ctx, allowed, rule)
	method := "tools/call"
	if ac.Component.Kind == KindPrompt {
		method = "prompts/get"
	}
	d := Decision{
		Time: start, Duration: time.Since(start),
		Method: method,
		Kind:   ac.Component.Kind, Name: ac.Component.Name, Target: name,
		Allowed: allowed, Rule: rule,
	}
	if ac.Token != nil {
		d.Subject, d.ClientID = authz.Subject(ac.Token), ac.Token.ClientID
	}
	if p := pendingFrom(ctx); p != nil && allowed && ac.Component.Kind == KindTool {
		// Call checks in the tool's handler (ToolCallCheck) may still
		// deny the call.
		p.d, p.armed = d, true
		return refusal, hidden
	}
	s.report(ctx, d)
	return refusal, hidden
}

// report completes d with the principal and session of the request, when
// it lacks them, and hands it to the hooks, as records hold it
// (authz.Decision.Recorded: URIs redacted, names and URIs bounded).
func (s *Server) report(ctx context.Context, d Decision) {
	if d.Subject == "" && d.ClientID == "" {
		if tok := AccessTokenFromContext(ctx); tok != nil {
			d.Subject, d.ClientID = authz.Subject(tok), tok.ClientID
		}
	}
	if d.SessionID == "" {
		d.SessionID, _ = ctx.Value(sessionKey{}).(string)
	}
	d = d.Recorded()
	for _, h := range s.hooks {
		callHook(ctx, h, d)
	}
}

type sessionKey struct{}

// withDecisions prepares ctx, the context of a request, for the decision
// hooks (by the request entry, only when there are hooks): it records the
// ID of the request's MCP session and lets checks note the policies they
// decided by (authz.PolicyNotes).
func withDecisions(ctx context.Context, req mcp.Request) context.Context {
	ctx, _ = authz.WithPolicyNotes(ctx)
	ss, ok := req.GetSession().(*mcp.ServerSession)
	if !ok || ss == nil || ss.ID() == "" {
		return ctx
	}
	return context.WithValue(ctx, sessionKey{}, ss.ID())
}

// notedPolicies returns the ids of the policies checks noted for the
// decision just made, when they belong to its rule (see
// authz.PolicyNotes.TakeFor), as the mcp-go backend names them.
func notedPolicies(ctx context.Context, allowed bool, rule authz.Rule) []string {
	return authz.PolicyNotesFrom(ctx).TakeFor(allowed, rule)
}

// listDecided reports the decision of a list of kind, begun at start:
// visible and hidden count the whole catalog, before pagination.
func (s *Server) listDecided(ctx context.Context, start time.Time, method string, kind Kind, visible, hidden int) {
	s.report(ctx, Decision{
		Time: start, Duration: time.Since(start),
		Method: method, Kind: kind,
		Allowed: true, Visible: visible, Hidden: hidden,
	})
}

type pendingKey struct{}

// pending holds the allowed decision of a tools/call until the call ends:
// a call check its handler runs (ToolCallCheck) may still deny it, and
// then that denial is the request's one decision. The SDK calls the
// handler on the goroutine of the request entry.
type pending struct {
	s     *Server
	d     Decision
	armed bool // an allowed decision waits
	done  bool // the request's decision was reported
	calls int  // call checks the handler ran
}

// withPending prepares ctx, the context of a tools/call, to hold its
// allowed decision.
func withPending(ctx context.Context, s *Server) (context.Context, *pending) {
	p := &pending{s: s}
	return context.WithValue(ctx, pendingKey{}, p), p
}

func pendingFrom(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
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
	d.Rule = authz.Rule{Layer: authz.LayerCall, Text: rule, Check: at}
	p.s.report(ctx, d)
}

// flush reports the allowed decision, if it still waits: the call ended
// without a call check denying it.
func (p *pending) flush(ctx context.Context) {
	if !p.armed || p.done {
		return
	}
	p.done = true
	p.s.report(ctx, p.d)
}

// callHook calls one decision hook; a hook that panics is logged and does
// not disturb the request or the other hooks. The SDK serves requests on
// goroutines of its own, where a panic would end the process.
func callHook(ctx context.Context, h DecisionHook, d Decision) {
	defer func() {
		if r := recover(); r != nil {
			slog.Default().ErrorContext(ctx, "mcpauthgen: decision hook panicked", slog.Any("panic", r))
		}
	}()
	h(ctx, d)
}

// auditedRead is enterResourceRead with the decision reported, as the
// mcp-go backend reports it: about the component the read goes to (the
// first match whose own checks permit), allowed, or denied by the
// middleware or by a call check; with no such component, denied by the
// rule of the first match whose own checks denied; a URI nothing serves
// reports nothing. Each check runs once. method is the request's:
// resources/subscribe and resources/unsubscribe are decided as the read
// they guard.
func (s *Server) auditedRead(ctx context.Context, method string, tok *AccessToken, uri string, matches []*record) (*record, error) {
	start := time.Now()
	mw := s.policy.HasMiddleware()
	decided := func(rec *record, allowed bool, rule authz.Rule) {
		s.report(ctx, Decision{
			Time: start, Duration: time.Since(start),
			Method: method,
			Kind:   rec.Component.Kind, Name: rec.Component.Name, URI: rec.Component.URI, Target: uri,
			Allowed: allowed, Rule: rule,
		})
	}
	var denied *record // the first match whose own checks denied
	var deniedRule authz.Rule
	for _, rec := range matches {
		ac := s.readContext(tok, rec, uri)
		if ok, rule := rec.Guard.Evaluate(ctx, ac); !ok {
			// The policies that hid a match decide nothing about the
			// next one (a denial by a component's checks names none).
			authz.PolicyNotesFrom(ctx).Take()
			if denied == nil {
				denied, deniedRule = rec, rule
			}
			continue
		}
		if mw {
			// The component's own checks already ran: no guard.
			if msg, rule := s.policy.DecideFor(ctx, ac, nil, true, uri); msg != "" {
				rule.Policies = notedPolicies(ctx, false, rule)
				decided(rec, false, rule)
				return nil, middlewareDenial(msg)
			}
		}
		if refusal, rule := rec.CallDecide(ctx, ac, uri); refusal != "" {
			// A read its call checks deny is answered as for a URI that
			// nothing serves.
			rule.Policies = notedPolicies(ctx, false, rule)
			decided(rec, false, rule)
			return nil, s.missingResource(ctx, tok, uri)
		}
		decided(rec, true, authz.Rule{Policies: notedPolicies(ctx, true, authz.Rule{})})
		return rec, nil
	}
	if denied != nil {
		decided(denied, false, deniedRule)
	}
	return nil, s.missingResource(ctx, tok, uri)
}

// auditedCompletion reports the decision about rec, the component a
// completion/complete refers to, and returns whether the request may see
// it and, with middleware, the message a denial is answered with.
func (s *Server) auditedCompletion(ctx context.Context, tok *AccessToken, rec *record, target string) (allowed bool, msg string) {
	start := time.Now()
	ac := AuthContext{Token: tok, Component: &rec.Component}
	var rule authz.Rule
	if s.policy.HasMiddleware() {
		msg, rule = s.policy.DecideFor(ctx, ac, rec.Guard, true, target)
		allowed = msg == ""
	} else {
		allowed, rule = rec.Guard.Evaluate(ctx, ac)
	}
	rule.Policies = notedPolicies(ctx, allowed, rule)
	s.report(ctx, Decision{
		Time: start, Duration: time.Since(start),
		Method: methodComplete,
		Kind:   rec.Component.Kind, Name: rec.Component.Name, URI: rec.Component.URI, Target: target,
		Allowed: allowed, Rule: rule,
	})
	return allowed, msg
}
