package gosdk

import (
	"context"
	"log/slog"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions on this backend: see authz.Decision. A hook set with
// WithDecisionHook hears one decision per tools/call and prompts/get of a
// registered component; a call check that denies a call (WithCallChecks,
// or ToolCallCheck in a tool's handler) is that decision's rule. Lists, resource reads and HTTP refusals report
// nothing here yet (the mcp-go backend, package runtime, reports them),
// and a decision carries no session ID.

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
func WithRule(rule string, check AuthCheck) ComponentOption { return authz.WithRule(rule, check) }

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

func (s *Server) report(ctx context.Context, d Decision) {
	for _, h := range s.hooks {
		callHook(ctx, h, d)
	}
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
