package authz

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// The built-in checks are values of types of their own, which describe
// what they require: ScopeCheck (RequireScopes, RestrictTag), RoleCheck
// (RequireRoles) and AnyCheck (AnyOf). The runtime finds them with a type
// switch, as net/http tells an http.HandlerFunc from other handlers, to
// name the scopes a component needs (protected resource metadata,
// step-up challenges), to name the rule that decided, and to know which
// checks never read a request's arguments. It never calls a check to
// learn what it is: any other Checker, an AuthCheck included, is opaque.

// ScopeCheck is the check RequireScopes and RestrictTag return: it
// requires scopes of a token, on every component or only on those that
// carry a tag. Its zero value is RequireScopes(): any token passes, a
// request without one fails.
type ScopeCheck struct {
	// req is nil in the zero value. A pointer keeps the check one word
	// wide: stored in a Checker it is not boxed, and a type switch gets
	// it back without a copy.
	req *scopeRequirement
}

// scopeRequirement is what a ScopeCheck requires. It is never changed
// after RequireScopes or RestrictTag built it, nor shared with a caller.
type scopeRequirement struct {
	tag    string // "": every component
	scopes []string
}

// RequireScopes returns a check that passes when the token grants every one
// of scopes (exact match). A request without a token fails it. The scope list
// is copied once here; the check allocates nothing when it runs.
func RequireScopes(scopes ...string) ScopeCheck {
	return ScopeCheck{&scopeRequirement{scopes: slices.Clone(scopes)}}
}

// RestrictTag returns a check for server-wide rules: a component tagged tag
// requires every one of scopes; a component without the tag passes, even
// for a request without a token. It is FastMCP's restrict_tag. An empty
// tag restricts every component: RestrictTag("", scopes...) is
// RequireScopes(scopes...).
func RestrictTag(tag string, scopes ...string) ScopeCheck {
	return ScopeCheck{&scopeRequirement{tag: tag, scopes: slices.Clone(scopes)}}
}

// Check reports whether ac's token grants every scope c requires of
// ac's component.
func (c ScopeCheck) Check(_ context.Context, ac AuthContext) (bool, error) {
	return c.allows(ac.Token, ac.Component), nil
}

// allows reports whether tok grants every scope c requires of comp.
func (c ScopeCheck) allows(tok *AccessToken, comp *Component) bool {
	return !c.appliesTo(comp) || hasAllScopes(tok, c.required())
}

// Tag returns the tag c is restricted to: "" when c applies to every
// component (RequireScopes).
func (c ScopeCheck) Tag() string { return c.tagName() }

// Scopes returns the scopes c requires, in the order they were given.
func (c ScopeCheck) Scopes() []string { return slices.Clone(c.required()) }

// tagName is Tag without a copy: "" for the zero value.
func (c ScopeCheck) tagName() string {
	if c.req == nil {
		return ""
	}
	return c.req.tag
}

// required is Scopes without a copy, which the caller must not modify:
// none for the zero value.
func (c ScopeCheck) required() []string {
	if c.req == nil {
		return nil
	}
	return c.req.scopes
}

// String names c as decisions do: scopes(a,b), or restrict_tag(t: a,b).
func (c ScopeCheck) String() string {
	if c.tagName() == "" {
		return "scopes(" + strings.Join(c.required(), ",") + ")"
	}
	return "restrict_tag(" + c.tagName() + ": " + strings.Join(c.required(), ",") + ")"
}

// appliesTo reports whether c requires its scopes of comp.
func (c ScopeCheck) appliesTo(comp *Component) bool {
	return c.tagName() == "" || comp.HasTag(c.tagName())
}

func hasAllScopes(t *AccessToken, want []string) bool {
	if t == nil {
		return false
	}
	for _, s := range want {
		if !slices.Contains(t.Scopes, s) {
			return false
		}
	}
	return true
}

// RoleCheck is the check RequireRoles returns.
type RoleCheck struct {
	roles *[]string // owned: never shared with a caller; nil in the zero value
}

// RequireRoles returns a check that passes when the token grants every one
// of roles (exact match), read from its claims through the server's role
// claim mapping (DefaultRoleClaim unless the server names others). A
// request without a token fails it. The check allocates nothing when it
// runs.
func RequireRoles(roles ...string) RoleCheck {
	own := slices.Clone(roles)
	return RoleCheck{&own}
}

// Check reports whether ac's token grants every role c requires.
func (c RoleCheck) Check(_ context.Context, ac AuthContext) (bool, error) {
	if ac.Token == nil {
		return false, nil
	}
	for _, r := range c.required() {
		if !ac.HasRole(r) {
			return false, nil
		}
	}
	return true, nil
}

// Roles returns the roles c requires, in the order they were given.
func (c RoleCheck) Roles() []string { return slices.Clone(c.required()) }

// required is Roles without a copy, which the caller must not modify.
func (c RoleCheck) required() []string {
	if c.roles == nil {
		return nil
	}
	return *c.roles
}

// String names c as decisions do: roles(a,b).
func (c RoleCheck) String() string { return "roles(" + strings.Join(c.required(), ",") + ")" }

// AnyCheck is the check AnyOf returns.
type AnyCheck struct {
	checks []Checker // owned: never shared with a caller
}

// AnyOf returns a check that passes when one of checks passes (OR). The
// checks run in the order given and the first that passes ends the run,
// so a later one is not called. A check that fails with an error, or
// panics, denies its own branch only: the error is logged with log/slog,
// as RunAuthChecks logs it, and the next check runs. When no check
// passes, AnyOf denies, returning the first *AuthorizationError a check
// returned, if any, so that a middleware's message still reaches the
// client. AnyOf() without checks denies.
//
// AnyOf names no scopes of its own: a component whose chain holds one is
// not stepped up to scopes (see Guard.StepUpScopes), and the scopes of
// its branches are not among the scopes every caller needs
// (Guard.RequiredScopes).
func AnyOf(checks ...Checker) AnyCheck {
	return AnyCheck{checks: slices.Clone(checks)}
}

// Check runs c's checks in order until one passes.
func (c AnyCheck) Check(ctx context.Context, ac AuthContext) (bool, error) {
	var refusal *AuthorizationError
	for _, check := range c.checks {
		ok, err := runCheck(ctx, ac, check)
		if err != nil {
			var authErr *AuthorizationError
			if errors.As(err, &authErr) {
				if refusal == nil {
					refusal = authErr
				}
				continue
			}
			logCheckFailure(ctx, ac, check, "error", err)
			continue
		}
		if ok {
			return true, nil
		}
	}
	if refusal != nil {
		return false, refusal
	}
	return false, nil
}

// Checks returns c's checks, in the order they run.
func (c AnyCheck) Checks() []Checker { return slices.Clone(c.checks) }

// String names c as decisions do, its checks named by position or by
// what they require: any(roles(admin),check #2).
func (c AnyCheck) String() string {
	names := make([]string, len(c.checks))
	for i, check := range c.checks {
		names[i] = ruleText(check, i)
	}
	return "any(" + strings.Join(names, ",") + ")"
}

// builtIn reports whether check is made of built-in checks only: a
// ScopeCheck, a RoleCheck, or an AnyCheck of such checks. Such a check
// never reads a request's arguments (AuthContext.Arguments), so a
// component whose checks are all built in has none read for it, and never
// notes policies (PolicyNotes), so a middleware denial by one names none.
// Any other check may do either.
func builtIn(check Checker) bool {
	switch c := check.(type) {
	case ScopeCheck, RoleCheck:
		return true
	case AnyCheck:
		return !slices.ContainsFunc(c.checks, func(b Checker) bool { return !builtIn(b) })
	}
	return false
}

// namedScopes returns the scopes the ScopeChecks among checks name, in
// order, each once.
func namedScopes(checks []Checker) []string {
	var out []string
	for _, c := range checks {
		if sc, ok := c.(ScopeCheck); ok {
			for _, s := range sc.required() {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
