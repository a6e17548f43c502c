// Package customchecks shows checks written as plain Go functions: one that
// reads a claim of the token (a premium plan) and a factory that builds a
// check for a minimum access level.
package customchecks

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Custom Checks Server", "1.0.0", opts...)
	Register(s)
	return s
}

// requirePremiumUser passes for tokens whose "tier" claim is "premium".
func requirePremiumUser(ac runtime.AuthContext) bool {
	return ac.Token != nil && ac.Token.Claims["tier"] == "premium"
}

// requireAccessLevel returns a check that passes for tokens whose numeric
// "level" claim is at least min.
func requireAccessLevel(min int) func(runtime.AuthContext) bool {
	return func(ac runtime.AuthContext) bool {
		if ac.Token == nil {
			return false
		}
		switch level := ac.Token.Claims["level"].(type) {
		case int:
			return level >= min
		case float64: // claims decoded from JSON
			return level >= float64(min)
		}
		return false
	}
}

// PremiumAnalytics is for premium users only.
//
//mcp:tool auth=check(requirePremiumUser)
func PremiumAnalytics(ctx context.Context) (string, error) {
	return "premium analytics report", nil
}

// SensitiveOperation needs access level 5 or more.
//
//mcp:tool auth=check(requireAccessLevel(5))
func SensitiveOperation(ctx context.Context) (string, error) {
	return "sensitive operation done", nil
}

// ModerateOperation needs access level 2 or more.
//
//mcp:tool auth=check(requireAccessLevel(2))
func ModerateOperation(ctx context.Context) (string, error) {
	return "moderate operation done", nil
}
