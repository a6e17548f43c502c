package authz

import (
	"context"
	"errors"
	"log/slog"
)

// Call checks decide one request on its arguments ("only the note's owner
// may delete it"). Unlike a component's own checks they never decide
// visibility: a component whose call checks would deny is still listed, and
// they run only for a request that targets the component (tools/call,
// prompts/get, resources/read), after its component checks and the
// middleware have let it through.

// WithCallChecks appends call checks to the component: checks that run, in
// the order given, only for a request that targets the component, and see
// its arguments (AuthContext.Arguments). They never hide the component from
// a list. A denied call is answered as CallRefusal says.
func WithCallChecks(checks ...Checker) ComponentOption {
	return func(g *Guard) { g.calls = append(g.calls, checks...) }
}

// HasCallChecks reports whether the component has call checks.
func (g *Guard) HasCallChecks() bool { return g != nil && len(g.calls) > 0 }

// NeedsArguments reports whether deciding a request that targets the
// component may depend on its arguments: the component has call checks, or
// a check (its own or the middleware's) that may read them. The built-in
// checks RequireScopes, RestrictTag and RequireRoles never do, nor an
// AnyOf of only such checks; every other check may.
func (g *Guard) NeedsArguments() bool {
	return g != nil && (len(g.calls) > 0 || g.readsArgs)
}

// CallRefusal runs the component's call checks for the request ac
// describes: "" when they all pass (or there are none), else the message
// the request is denied with, naming the target as label:
//
//	Authorization failed for tool 'X': insufficient permissions
//
// (resource 'URI', prompt 'X'), or the message of the *AuthorizationError a
// call check returned. A resource read answers a denial as a missing
// resource instead, which the caller arranges.
func (g *Guard) CallRefusal(ctx context.Context, ac AuthContext, label string) string {
	if g == nil || len(g.calls) == 0 {
		return ""
	}
	ok, err := RunAuthChecks(ctx, ac, g.calls...)
	if ok {
		return ""
	}
	var authErr *AuthorizationError
	errors.As(err, &authErr)
	return CallDenial(ac.Component.Kind, label, authErr)
}

// CallDenial is the message a denied call is answered with: authErr's
// message when a check returned one, else
//
//	Authorization failed for tool 'X': insufficient permissions
//
// with the component's kind and label (its name, or the URI asked for).
func CallDenial(kind Kind, label string, authErr *AuthorizationError) string {
	if authErr != nil {
		return authErr.Message
	}
	return denialMessage(kind, label, reasonInsufficient)
}

// RunCallCheck runs one call check that a handler binds to its decoded
// arguments (generated code does), as RunAuthChecks runs a check: it
// reports whether check passes; an *AuthorizationError denies and is
// returned; any other error, and a panic, denies and is logged with log/slog
// under rule (such as "check(isOwner)"), never returned. It allocates
// nothing of its own.
func RunCallCheck(ctx context.Context, ac AuthContext, rule string, check func(context.Context, AuthContext) (bool, error)) (bool, *AuthorizationError) {
	ok, err := runCallCheck(ctx, ac, rule, check)
	if err == nil {
		return ok, nil
	}
	var authErr *AuthorizationError
	if errors.As(err, &authErr) {
		return false, authErr
	}
	logRuleFailure(ctx, ac, rule, "error", err)
	return false, nil
}

func runCallCheck(ctx context.Context, ac AuthContext, rule string, check func(context.Context, AuthContext) (bool, error)) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			logRuleFailure(ctx, ac, rule, "panic", r)
			ok, err = false, nil
		}
	}()
	return check(ctx, ac)
}

func logRuleFailure(ctx context.Context, ac AuthContext, rule, what string, cause any) {
	attrs := []any{slog.String("check", rule), slog.Any(what, cause)}
	if c := ac.Component; c != nil {
		attrs = append(attrs, slog.String("component", c.Kind.String()+" "+c.label()))
	}
	slog.Default().WarnContext(ctx, "mcpauthgen: authorization check failed; access denied", attrs...)
}
