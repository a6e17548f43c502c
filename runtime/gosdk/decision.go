package gosdk

import (
	"context"
	"log/slog"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Decisions on this backend: see authz.Decision. A hook set with
// WithDecisionHook hears one decision per tools/call and prompts/get of a
// registered component. Lists, resource reads and HTTP refusals report
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
	for _, h := range s.hooks {
		callHook(ctx, h, d)
	}
	return refusal, hidden
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
