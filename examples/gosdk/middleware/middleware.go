// Package middleware is examples/middleware on the official go-sdk: the
// same annotations, with //mcp:backend gosdk, registered on a gosdk.Server
// with the same middleware.
package middleware

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:backend gosdk

import (
	"context"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// New returns the server.
func New() *gosdk.Server {
	s := gosdk.NewServer(&mcp.Implementation{Name: "API Server", Version: "1.0.0"}, nil,
		gosdk.WithMiddleware(gosdk.AuthMiddleware(gosdk.RequireScopes("api"))))
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
