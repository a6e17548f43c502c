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
)

// WithRule appends check to the component's chain, as WithAuth does, and
// names it rule in decisions: the term as its annotation wrote it, such as
// "check(isOwner)". Generated code names every check so; checks added with
// WithAuth are named by what they are (see authz.Rule).
func WithRule(rule string, check AuthCheck) ComponentOption { return authz.WithRule(rule, check) }

// WithDecisionHook delivers every authorization decision of the server to
// hooks, in the order given, on the request's goroutine. Without a hook,
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
		h(ctx, *d)
	}
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
// serves, begun at start.
func (s *Server) decided(ctx context.Context, start time.Time, comp *Component, target string, allowed bool, rule Rule) {
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: targetMethod(comp.Kind),
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

// permits reports whether rec's own checks let the request read uri (no
// middleware applies), reporting the decision when there are hooks.
func (s *Server) permits(ctx context.Context, rec *record, uri string) bool {
	ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: &rec.Component}
	if s.hooks == nil {
		return rec.Permits(ctx, ac)
	}
	start := time.Now()
	ok, rule := s.policy.Evaluate(ctx, ac.Token, ac.Component, rec.Guard)
	s.decided(ctx, start, &rec.Component, uri, ok, rule)
	return ok
}

type listKey struct{}

// withList marks a tools/list or prompts/list request for the decision
// hooks, so that the filter reports the list (and not a call it is asked
// about).
func withList(ctx context.Context, kind Kind) context.Context {
	return context.WithValue(ctx, listKey{}, kind)
}

// listing reports whether the request is a list of kind that the hooks
// are to hear about.
func (s *Server) listing(ctx context.Context, kind Kind) bool {
	if s.hooks == nil {
		return false
	}
	k, _ := ctx.Value(listKey{}).(Kind)
	return k == kind
}

// listed reports the decision of a list of kind, begun at start.
func (s *Server) listed(ctx context.Context, start time.Time, method mcp.MCPMethod, kind Kind, visible, hidden int) {
	s.report(ctx, &Decision{
		Time: start, Duration: time.Since(start),
		Method: string(method), Kind: kind,
		Allowed: true, Visible: visible, Hidden: hidden,
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

// listKinds are the kinds of the lists the tool and prompt filters report.
var listKinds = map[mcp.MCPMethod]Kind{
	mcp.MethodToolsList:   KindTool,
	mcp.MethodPromptsList: KindPrompt,
}

// Subject returns the "sub" claim of t, as decisions record it; "" when t
// is nil or has none.
func Subject(t *AccessToken) string { return authz.Subject(t) }

// LogDecisions returns a decision hook that writes each decision to l
// (nil: slog.Default()) as one record: allowed requests and lists at
// Debug, denials at Info, denials by a check that failed at Warn. The
// attribute keys are authz.Attr*; see authz.LogDecisions.
func LogDecisions(l *slog.Logger) DecisionHook { return authz.LogDecisions(l) }
