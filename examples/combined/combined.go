// Package combined combines checks on one component: every check listed in
// auth= must pass, in order (AND).
package combined

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Combined Checks Server", "1.0.0", opts...)
	Register(s)
	return s
}

// requirePremiumUser passes for tokens whose "tier" claim is "premium".
func requirePremiumUser(ac runtime.AuthContext) bool {
	return ac.Token != nil && ac.Token.Claims["tier"] == "premium"
}

// SecureAdminAction needs the admin scope and a premium plan.
//
//mcp:tool auth=scopes(admin),check(requirePremiumUser)
func SecureAdminAction(ctx context.Context) (string, error) {
	return "secure admin action done", nil
}
