package authz

import (
	"context"
	"errors"
	"slices"
)

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
//
//go:noinline
func AnyOf(checks ...AuthCheck) AuthCheck {
	branches := slices.Clone(checks)
	return func(ctx context.Context, ac AuthContext) (bool, error) {
		if ac.Component == probingArguments {
			return !slices.ContainsFunc(branches, func(c AuthCheck) bool { return !argumentFree(c) }), nil
		}
		var refusal *AuthorizationError
		for _, check := range branches {
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
}
