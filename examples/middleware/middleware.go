// Package middleware protects a whole server with one rule: every
// component needs the "api" scope (FastMCP's server-level AuthMiddleware).
package middleware

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RequireScopes("api")))}, opts...)
	s := runtime.NewServer("API Server", "1.0.0", opts...)
	Register(s)
	return s
}

// Shout upper-cases its input.
//
//mcp:tool readonly idempotent
func Shout(ctx context.Context, text string) (string, error) {
	return strings.ToUpper(text), nil
}

// Status is the service status.
//
//mcp:resource uri=status://service
func Status(ctx context.Context) (string, error) {
	return "ok", nil
}

// Greeting is a greeting prompt.
//
//mcp:prompt
func Greeting(ctx context.Context, name string) (string, error) {
	return "Say hello to " + name + ".", nil
}
