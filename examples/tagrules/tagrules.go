// Package tagrules sets server-wide rules by tag: one middleware per rule,
// stacked, so a component with two restricted tags needs both scopes.
package tagrules

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithMiddleware(
		runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")),
		runtime.AuthMiddleware(runtime.RestrictTag("finance", "finance")),
	)}, opts...)
	s := runtime.NewServer("Tag Rules Server", "1.0.0", opts...)
	Register(s)
	return s
}

// Ping answers pong to anyone.
//
//mcp:tool
func Ping(ctx context.Context) (string, error) { return "pong", nil }

// ResetCache is an admin task.
//
//mcp:tool tags=admin
func ResetCache(ctx context.Context) (string, error) { return "cache reset", nil }

// QuarterlyReport is a finance document.
//
//mcp:resource uri=reports://quarterly tags=finance
func QuarterlyReport(ctx context.Context) (string, error) { return "Q3: +12%", nil }

// Payroll is both an admin task and a finance one.
//
//mcp:tool tags=admin,finance
func Payroll(ctx context.Context) (string, error) { return "payroll run", nil }

// BudgetReview is a finance prompt.
//
//mcp:prompt tags=finance
func BudgetReview(ctx context.Context) (string, error) { return "Review the budget.", nil }
