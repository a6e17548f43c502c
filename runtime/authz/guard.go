package authz

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// Guard is the authorization of one registered component: the component as
// checks see it, its own checks, and what the Policy it was built by
// requires of it. A backend builds one per component with Policy.Guard and
// never changes it afterwards.
type Guard struct {
	// Component is what the component's checks and the middleware are
	// shown.
	Component Component

	checks []Checker // the component's own, in order
	rules  []string  // the text of each check, as decisions name it
	calls  []Checker // its call checks (WithCallChecks), in order
	// callRules name the call checks in decisions (WithCallRules); may be
	// shorter than calls.
	callRules []string

	// required is every scope the component's checks and the middleware
	// require of a token for this component; scopeOnly is true when they
	// require nothing else (every check is RequireScopes or RestrictTag).
	required  []string
	scopeOnly bool
	// readsArgs is set when one of those checks may read a request's
	// arguments: it is none of the built-ins that never do (see
	// builtIn).
	readsArgs bool

	roles *RoleClaims // the Policy's role claim mapping
}

// ComponentOption configures one component at registration.
type ComponentOption func(*Guard)

// WithAuth appends checks to the component's chain. All must pass (AND),
// in the order they were given. The scopes named by RequireScopes checks
// among them become the component's declared scopes (Component.Scopes).
func WithAuth(checks ...Checker) ComponentOption {
	return func(g *Guard) {
		g.checks = append(g.checks, checks...)
		g.rules = append(g.rules, make([]string, len(checks))...)
		for _, sc := range namedScopes(checks) {
			if !slices.Contains(g.Component.Scopes, sc) {
				g.Component.Scopes = append(g.Component.Scopes, sc)
			}
		}
	}
}

// WithScopes is WithAuth(RequireScopes(scopes...)): the token must grant
// every one of scopes, which the component declares (Component.Scopes) to
// clients and reports.
func WithScopes(scopes ...string) ComponentOption {
	return WithAuth(RequireScopes(scopes...))
}

// WithTags sets the component's tags, which checks such as RestrictTag read.
func WithTags(tags ...string) ComponentOption {
	return func(g *Guard) { g.Component.Tags = append(g.Component.Tags, tags...) }
}

// Permits reports whether the component's own checks let the request
// described by ac use it. A nil Guard, or one without checks, permits.
// The checks' errors only deny: a component check never speaks to the
// client (its component stays hidden).
func (g *Guard) Permits(ctx context.Context, ac AuthContext) bool {
	if g == nil || len(g.checks) == 0 {
		return true
	}
	if ac.roles == nil {
		ac.roles = g.roles
	}
	ok, _ := RunAuthChecks(ctx, ac, g.checks...)
	return ok
}

// RequiredScopes returns every scope the component's checks and the
// middleware require of a token for it, in the order they name them.
// The caller must not modify the result.
func (g *Guard) RequiredScopes() []string { return g.required }

// ScopeOnly reports whether the component's checks and the middleware
// require nothing of a token but scopes (every one is RequireScopes or
// RestrictTag), so that a token with more scopes is all a denied caller
// needs.
func (g *Guard) ScopeOnly() bool { return g.scopeOnly }

// StepUpScopes reports whether tok is denied the component only for
// lacking scopes (every check is a scope check, and tok lacks one), and
// which scopes the component requires: the scope challenge of MCP
// 2025-11-25.
func (g *Guard) StepUpScopes(tok *AccessToken) ([]string, bool) {
	if g == nil || !g.scopeOnly || len(g.required) == 0 || hasAllScopes(tok, g.required) {
		return nil, false
	}
	return g.required, true
}

// Policy is a server's authorization: the checks of its middleware, which
// apply to every component on top of the component's own.
type Policy struct {
	middleware []Checker // every middleware's checks, in order
	// For each check of middleware: the index of its middleware, its
	// index there, and its text.
	mwIndex, mwCheck []int
	mwRules          []string
	roles            *RoleClaims // where checks read roles; nil: the default
}

// SetRoleClaims makes the checks of p, and of the guards it builds
// afterwards, read roles through rc (RequireRoles, AuthContext.HasRole).
// It is meant for configuration, before p serves requests.
func (p *Policy) SetRoleClaims(rc RoleClaims) { p.roles = &rc }

// RoleClaims returns where p's checks read roles.
func (p *Policy) RoleClaims() RoleClaims {
	if p.roles == nil {
		return RoleClaims{}
	}
	return *p.roles
}

// NewPolicy returns the policy of a server with the given middleware,
// which run in the order given (all must pass).
func NewPolicy(middleware ...Middleware) *Policy {
	p := &Policy{}
	for i, m := range middleware {
		for j, c := range m.checks {
			p.middleware = append(p.middleware, c)
			p.mwIndex = append(p.mwIndex, i)
			p.mwCheck = append(p.mwCheck, j)
			rule := ruleText(c, j)
			if j < len(m.rules) && m.rules[j] != "" {
				rule = m.rules[j]
			}
			p.mwRules = append(p.mwRules, rule)
		}
	}
	return p
}

// HasMiddleware reports whether p has any middleware check. Without one,
// a component that may not be used is answered as missing; with one, with
// Refusal's message.
func (p *Policy) HasMiddleware() bool { return len(p.middleware) > 0 }

// Guard builds the guard of comp, configured by opts.
func (p *Policy) Guard(comp Component, opts ...ComponentOption) *Guard {
	comp.roles = p.roles
	g := &Guard{Component: comp, scopeOnly: true, roles: p.roles}
	for _, opt := range opts {
		opt(g)
	}
	for i, text := range g.rules {
		if text == "" {
			g.rules[i] = ruleText(g.checks[i], i)
		}
	}
	for _, c := range slices.Concat(g.checks, p.middleware) {
		if !builtIn(c) {
			g.readsArgs = true
		}
		sc, ok := c.(ScopeCheck)
		if !ok {
			g.scopeOnly = false
			continue
		}
		if sc.appliesTo(&g.Component) {
			for _, sc := range sc.required() {
				if !slices.Contains(g.required, sc) {
					g.required = append(g.required, sc)
				}
			}
		}
	}
	return g
}

// Listed reports whether a list shows comp to a request carrying tok: the
// component's own checks (g's; nil for a component registered without
// any) and every middleware check pass. The middleware checks see a
// context for which Listing reports true; a caller deciding a whole list
// marks ctx once with ListingContext, so that no item pays for it.
func (p *Policy) Listed(ctx context.Context, tok *AccessToken, comp *Component, g *Guard) bool {
	ac := AuthContext{Token: tok, Component: comp}
	if !g.Permits(ctx, ac) {
		return false
	}
	if len(p.middleware) == 0 {
		return true
	}
	ok, _, _, _ := p.decideMiddleware(p.ListingContext(ctx), ac)
	return ok
}

// ListingContext returns ctx marked for listing (see Listing) when p has
// middleware to see the mark, and ctx itself otherwise or when it is
// marked already.
func (p *Policy) ListingContext(ctx context.Context) context.Context {
	if len(p.middleware) == 0 || Listing(ctx) {
		return ctx
	}
	return context.WithValue(ctx, listingKey{}, true)
}

// Messages of middleware denials, as FastMCP words them.
const (
	reasonInsufficient = "insufficient permissions"
	reasonNotFound     = "not found or not authorized"
)

// Refusal decides a request that targets one component (tools/call,
// prompts/get, resources/read) when p has middleware: "" to let it
// through, else the message to answer it with, which names the target as
// label. exists is false when no component has that name or URI; such a
// target, and one whose own checks (g's) deny, get
//
//	Authorization failed for tool 'X': not found or not authorized
//
// so the two cannot be told apart. A target the middleware denies gets
// "insufficient permissions" instead, or the message of the
// *AuthorizationError a middleware check returned.
func (p *Policy) Refusal(ctx context.Context, tok *AccessToken, comp *Component, g *Guard, exists bool, label string) string {
	return p.RefusalFor(ctx, AuthContext{Token: tok, Component: comp}, g, exists, label)
}

// RefusalFor is Refusal for the request ac describes, which may carry the
// request's arguments (ac.Component is the target). It does not run g's
// call checks: see Guard.CallRefusal.
func (p *Policy) RefusalFor(ctx context.Context, ac AuthContext, g *Guard, exists bool, label string) string {
	msg, _ := p.DecideFor(ctx, ac, g, exists, label)
	return msg
}

func denialMessage(kind Kind, label, reason string) string {
	k := kind.String()
	if kind == KindResourceTemplate {
		k = KindResource.String()
	}
	return fmt.Sprintf("Authorization failed for %s '%s': %s", k, label, reason)
}

// ScopesSupported returns the sorted union of the scopes the guarded
// components declare and the scopes the middleware's RequireScopes and
// RestrictTag checks name: what a server publishes as scopes_supported.
func (p *Policy) ScopesSupported(guards ...*Guard) []string {
	set := map[string]bool{}
	for _, sc := range namedScopes(p.middleware) {
		set[sc] = true
	}
	for _, g := range guards {
		for _, sc := range g.Component.Scopes {
			set[sc] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}
