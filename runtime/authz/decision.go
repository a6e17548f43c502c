package authz

import (
	"context"
	"fmt"
	"reflect"
	goruntime "runtime"
	"slices"
	"strings"
	"time"
)

// Decision is one authorization decision, as a server reports it to its
// decision hooks: who asked to do what, whether it was allowed, and the
// rule that decided. A request that targets one component (tools/call,
// prompts/get, resources/read) gives one decision; a list gives one
// decision with the counts of what it showed and hid; a request refused at
// the HTTP layer (401, 403) gives one decision with its Status.
//
// A Decision never holds the token, nor anything of its claims but the
// subject, nor the password of a resource URI (see RedactURI), nor more
// than a few KiB of what a client sent (see Recorded).
type Decision struct {
	// Time is when the decision began; Duration is how long deciding took
	// (every check that ran, or for a list, every item's checks).
	Time     time.Time
	Duration time.Duration

	// Method is the MCP method ("tools/call", "tools/list", ...); "" for
	// a request refused at the HTTP layer before its message was read.
	// A request refused before its method was checked (another
	// principal's session) records a method MCP does not define as
	// OtherMethod ("_OTHER"), so that what a client makes up stays out of
	// the record (RecordedMethod).
	Method string

	// Kind, Name and URI describe the component decided about (for a
	// list, Kind is the kind listed and Name and URI are empty). URI is
	// the resource URI or template as declared; Target is what the
	// request asked for (a tool or prompt name, a resource URI), which
	// for a resource template differs from URI. The runtimes record
	// them as Decision.Recorded says: the password of a resource URI's
	// userinfo replaced by xxxxx, a name cut to MaxRecordedName bytes, a
	// resource URI to MaxRecordedURI, with a marker of the cut
	// (Truncate).
	Kind   Kind
	Name   string
	URI    string
	Target string

	// Subject (the token's "sub" claim) and ClientID identify the
	// principal; both are empty for a request without a token.
	Subject  string
	ClientID string
	// SessionID is the MCP session of the request, if any. A request
	// refused at the HTTP layer names the session of its Mcp-Session-Id
	// header, which nothing checked, and so does a request to a stateless
	// mcp-go server: recorded as RecordedSessionID bounds it.
	SessionID string

	// Allowed reports the outcome. A list is allowed; its Visible and
	// Hidden count the items shown and left out.
	Allowed bool
	Visible int
	Hidden  int

	// Rule is the rule that denied; the zero Rule when the request was
	// allowed.
	Rule Rule

	// Status is the HTTP status of a request refused at the HTTP layer
	// (401, 403, the 403 of a scope step-up, the 503 of a verifier that
	// could not judge the token, the 404 of another principal's session);
	// 0 otherwise.
	Status int
}

// Layer says where a rule sits.
type Layer int

const (
	// LayerComponent: one of the component's own checks (auth= of its
	// annotation, WithAuth, WithScopes).
	LayerComponent Layer = iota + 1
	// LayerMiddleware: a check of a server-wide AuthMiddleware.
	LayerMiddleware
	// LayerCall: a call check, run on the arguments of a request.
	LayerCall
	// LayerHTTP: the bearer token of an HTTP request (missing, refused by
	// the verifier).
	LayerHTTP
	// LayerPolicy: a policy engine's decision (Rule.Policies).
	LayerPolicy
	// LayerLimit: a limit on the request itself, checked before any
	// component is looked up (URILimit).
	LayerLimit
)

func (l Layer) String() string {
	switch l {
	case LayerComponent:
		return "component"
	case LayerMiddleware:
		return "middleware"
	case LayerCall:
		return "call"
	case LayerHTTP:
		return "http"
	case LayerPolicy:
		return "policy"
	case LayerLimit:
		return "limit"
	}
	return ""
}

// Rule names the rule that decided.
type Rule struct {
	Layer Layer
	// Text is the rule as written: "scopes(write)", "check(isOwner)" as
	// in the annotation (WithRule), RestrictTag's "restrict_tag(admin:
	// admin)"; for LayerHTTP one of "bearer(missing)", "bearer(invalid)",
	// "bearer(insufficient_scope)", "bearer(unavailable)",
	// "session(principal)"; for LayerLimit "max_uri_bytes(8192)"
	// (URILimit.Rule).
	Text string
	// Middleware is the index of the middleware (in WithMiddleware order,
	// from 0) for LayerMiddleware.
	Middleware int
	// Check is the index of the check in its chain, from 0: the
	// component's own checks, or the middleware's.
	Check int
	// Policies are the ids of the policies that decided, when the rule is
	// a policy engine's (package cedarauth notes them, PolicyNotes): the
	// forbid policies that denied; for an allowed request, whose Rule is
	// otherwise zero, the policies that permitted it.
	Policies []string
	// Failed is set when the check returned an error (other than an
	// *AuthorizationError) or panicked: it denied, and the failure was
	// logged.
	Failed bool
}

// String writes the rule for people: "component scopes(write)",
// "middleware[1] check(frozen)".
func (r Rule) String() string {
	if r.Layer == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.Layer.String())
	if r.Layer == LayerMiddleware {
		fmt.Fprintf(&b, "[%d]", r.Middleware)
	}
	if r.Text != "" {
		b.WriteString(" ")
		b.WriteString(r.Text)
	}
	if len(r.Policies) > 0 {
		b.WriteString(" policies=")
		b.WriteString(strings.Join(r.Policies, ","))
	}
	if r.Failed {
		b.WriteString(" (failed)")
	}
	return b.String()
}

// DecisionHook receives decisions. It runs on the request's goroutine, in
// the request's context (which carries the token; the Decision does not),
// and must not keep the request waiting.
type DecisionHook func(ctx context.Context, d Decision)

// Subject returns the "sub" claim of t, "" when t is nil or has none.
func Subject(t *AccessToken) string {
	if t == nil {
		return ""
	}
	s, _ := t.Claims["sub"].(string)
	return s
}

// Rules of the HTTP layer.
const (
	RuleBearerMissing           = "bearer(missing)"
	RuleBearerInvalid           = "bearer(invalid)"
	RuleBearerInsufficientScope = "bearer(insufficient_scope)"
	RuleBearerUnavailable       = "bearer(unavailable)" // the verifier could not judge the token (503)
	// RuleSessionPrincipal: the request names a session another principal
	// initialized (answered 404, as an unknown session).
	RuleSessionPrincipal = "session(principal)"
)

// ruleText names a check that was given no text: an AuthCheck by its
// function's name as the Go runtime knows it, a fmt.Stringer (the
// built-in checks, which name what they require) by its String (its
// type, when String panics), and any other by its position in the chain,
// as is a check whose name says nothing (a closure made by Check, an
// empty String).
func ruleText(check Checker, i int) string {
	switch c := check.(type) {
	case AuthCheck:
		if c != nil {
			if f := goruntime.FuncForPC(reflect.ValueOf(c).Pointer()); f != nil && !strings.HasPrefix(f.Name(), authzPkg+".") {
				return "check(" + f.Name() + ")"
			}
		}
	case fmt.Stringer:
		if text := stringOf(c); text != "" {
			return text
		}
	}
	return fmt.Sprintf("check #%d", i+1)
}

// authzPkg is this package's import path, as function names carry it.
var authzPkg = reflect.TypeFor[Rule]().PkgPath()

// runChain runs checks as RunAuthChecks does and reports, on denial, the
// index of the check that denied, whether it failed (error or panic), and
// the *AuthorizationError it returned, if any.
func runChain(ctx context.Context, ac AuthContext, checks []Checker) (ok bool, at int, failed bool, authErr *AuthorizationError) {
	for i, check := range checks {
		ok, panicked, err := runCheckRecover(ctx, ac, check)
		if panicked {
			return false, i, true, nil
		}
		if err != nil {
			if ae, isAuth := asAuthorizationError(err); isAuth {
				return false, i, false, ae
			}
			logCheckFailure(ctx, ac, check, "error", err)
			return false, i, true, nil
		}
		if !ok {
			return false, i, false, nil
		}
	}
	return true, -1, false, nil
}

// WithRule appends check to the component's chain, as WithAuth does, and
// names it rule in decisions: the term as its annotation wrote it, such as
// "check(isOwner)". Generated code names every check so.
func WithRule(rule string, check Checker) ComponentOption {
	return func(g *Guard) {
		WithAuth(check)(g)
		g.rules[len(g.rules)-1] = rule
	}
}

// Evaluate runs the component's own checks, as Permits does, and names
// the rule that denied (the zero Rule when they pass).
func (g *Guard) Evaluate(ctx context.Context, ac AuthContext) (bool, Rule) {
	if g == nil || len(g.checks) == 0 {
		return true, Rule{}
	}
	if ac.roles == nil {
		ac.roles = g.roles
	}
	ok, at, failed, _ := runChain(ctx, ac, g.checks)
	if ok {
		return true, Rule{}
	}
	return false, Rule{Layer: LayerComponent, Text: g.rules[at], Check: at, Failed: failed}
}

// decideMiddleware runs the middleware checks and names the rule that
// denied, with the *AuthorizationError it returned, if any, and the check
// (nil when they pass).
func (p *Policy) decideMiddleware(ctx context.Context, ac AuthContext) (bool, Rule, *AuthorizationError, Checker) {
	if len(p.middleware) == 0 {
		return true, Rule{}, nil, nil
	}
	ac.roles = p.roles
	ok, at, failed, authErr := runChain(ctx, ac, p.middleware)
	if ok {
		return true, Rule{}, nil, nil
	}
	return false, Rule{Layer: LayerMiddleware, Text: p.mwRules[at], Middleware: p.mwIndex[at], Check: p.mwCheck[at], Failed: failed}, authErr, p.middleware[at]
}

// Evaluate decides whether a request carrying tok may use comp: the
// component's own checks (g's; nil for a component without any), then the
// middleware, in order. It returns the rule that denied (the zero Rule
// when allowed). Listed is Evaluate's first result.
func (p *Policy) Evaluate(ctx context.Context, tok *AccessToken, comp *Component, g *Guard) (bool, Rule) {
	ac := AuthContext{Token: tok, Component: comp}
	if ok, rule := g.Evaluate(ctx, ac); !ok {
		return false, rule
	}
	ok, rule, _, _ := p.decideMiddleware(ctx, ac)
	return ok, rule
}

// Decide is Refusal that also names the rule that denied (the zero Rule
// when the request is allowed, or when the target does not exist).
func (p *Policy) Decide(ctx context.Context, tok *AccessToken, comp *Component, g *Guard, exists bool, label string) (string, Rule) {
	return p.DecideFor(ctx, AuthContext{Token: tok, Component: comp}, g, exists, label)
}

// DecideFor is RefusalFor that also names the rule that denied (the zero
// Rule when the request is allowed, or when the target does not exist).
func (p *Policy) DecideFor(ctx context.Context, ac AuthContext, g *Guard, exists bool, label string) (string, Rule) {
	comp := ac.Component
	if !exists {
		return denialMessage(comp.Kind, label, reasonNotFound), Rule{}
	}
	if ok, rule := g.Evaluate(ctx, ac); !ok {
		return denialMessage(comp.Kind, label, reasonNotFound), rule
	}
	if ok, rule, authErr, check := p.decideMiddleware(ctx, ac); !ok {
		if builtIn(check) {
			// A built-in check denied: ids an earlier check noted while
			// it permitted did not decide this denial.
			PolicyNotesFrom(ctx).Take()
		}
		if authErr != nil {
			return authErr.Message, rule
		}
		return denialMessage(comp.Kind, label, reasonInsufficient), rule
	}
	return "", Rule{}
}

// Named returns m with its checks named rules, in order, in decisions (a
// check without a name is named as ruleText says: the built-in checks by
// what they require, others by their function or position):
//
//	AuthMiddleware(Check(requireVerifiedEmail)).Named("check(requireVerifiedEmail)")
func (m Middleware) Named(rules ...string) Middleware {
	m.rules = slices.Clone(rules)
	return m
}

// String writes d on one line for people, without its time:
//
//	tools/call tool "delete_all" sub=alice client=app: denied by component scopes(admin)
//	tools/list sub=alice client=app: allowed, 3 visible, 2 hidden
//	HTTP 401: denied by http bearer(missing)
func (d Decision) String() string {
	var b strings.Builder
	if d.Method != "" {
		b.WriteString(d.Method)
	} else {
		fmt.Fprintf(&b, "HTTP %d", d.Status)
	}
	if d.Target != "" {
		fmt.Fprintf(&b, " %s %q", d.Kind, d.Target)
	}
	if d.Subject != "" {
		b.WriteString(" sub=" + d.Subject)
	}
	if d.ClientID != "" {
		b.WriteString(" client=" + d.ClientID)
	}
	if d.Allowed {
		b.WriteString(": allowed")
		if len(d.Rule.Policies) > 0 {
			b.WriteString(" by policies=" + strings.Join(d.Rule.Policies, ","))
		}
	} else {
		b.WriteString(": denied by " + d.Rule.String())
	}
	if isList(d.Method) {
		fmt.Fprintf(&b, ", %d visible, %d hidden", d.Visible, d.Hidden)
	}
	if d.Method != "" && d.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", d.Status)
	}
	return b.String()
}

// WithCallRules names the component's call checks (WithCallChecks), in
// order, in decisions: the terms as the annotation wrote them, such as
// "check(ownsID)". Generated code names them so; an unnamed call check is
// named as other checks are.
func WithCallRules(rules ...string) ComponentOption {
	return func(g *Guard) { g.callRules = append(g.callRules, rules...) }
}

// CallDecide is CallRefusal that also names the call check that denied,
// in LayerCall (the zero Rule when every call check passes).
func (g *Guard) CallDecide(ctx context.Context, ac AuthContext, label string) (string, Rule) {
	if g == nil || len(g.calls) == 0 {
		return "", Rule{}
	}
	ok, at, failed, authErr := runChain(ctx, ac, g.calls)
	if ok {
		return "", Rule{}
	}
	text := ""
	if at < len(g.callRules) {
		text = g.callRules[at]
	}
	if text == "" {
		text = ruleText(g.calls[at], at)
	}
	return CallDenial(ac.Component.Kind, label, authErr), Rule{Layer: LayerCall, Text: text, Check: at, Failed: failed}
}

// PolicyNotes collects, for the decision being made, the ids of the
// policies a check decided by (package cedarauth notes them), so that the
// decision names them (Rule.Policies). A middleware denial by a built-in check
// (RequireScopes, RestrictTag, RequireRoles, or an AnyOf of them), which
// never notes, names none of the ids an earlier check noted while it
// permitted; a denial by any other check names the ids noted last, as
// that check may have noted them. A server collects them only when
// it reports decisions; otherwise PolicyNotesFrom returns nil and a check
// need not build the ids.
type PolicyNotes struct {
	ids []string
}

type policyNotesKey struct{}

// WithPolicyNotes returns a copy of ctx in which checks can note policy
// ids, and the notes.
func WithPolicyNotes(ctx context.Context) (context.Context, *PolicyNotes) {
	n := &PolicyNotes{}
	return context.WithValue(ctx, policyNotesKey{}, n), n
}

// PolicyNotesFrom returns the notes of ctx; nil when nobody collects them.
func PolicyNotesFrom(ctx context.Context) *PolicyNotes {
	n, _ := ctx.Value(policyNotesKey{}).(*PolicyNotes)
	return n
}

// Note records the ids of the policies that decided a check, replacing
// what an earlier check noted: the decision names the last check's.
func (n *PolicyNotes) Note(ids ...string) {
	if n != nil {
		n.ids = slices.Clone(ids)
	}
}

// Take returns the ids noted since the last Take, and forgets them.
func (n *PolicyNotes) Take() []string {
	if n == nil {
		return nil
	}
	ids := n.ids
	n.ids = nil
	return ids
}

// TakeFor is Take for the decision just made, allowed or denied by rule:
// the ids belong to it when it was allowed (the policies that permitted
// it) or denied by middleware or a policy engine (the policies that
// forbade it); a denial by any other rule names none. Both backends name
// a decision's policies so.
func (n *PolicyNotes) TakeFor(allowed bool, rule Rule) []string {
	ids := n.Take()
	if allowed || rule.Layer == LayerMiddleware || rule.Layer == LayerPolicy {
		return ids
	}
	return nil
}
