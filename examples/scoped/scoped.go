// Package scoped is a server whose tools require OAuth scopes: FastMCP's
// require_scopes on each tool.
package scoped

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the scoped server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Scoped Server", "1.0.0", opts...)
	Register(s)
	return s
}

// AdminOperation requires the 'admin' scope.
//
//mcp:tool auth=scopes(admin)
func AdminOperation(ctx context.Context) (string, error) {
	return "Admin action completed", nil
}

// ReadWriteOperation requires both the 'read' and the 'write' scope.
//
//mcp:tool auth=scopes(read,write)
func ReadWriteOperation(ctx context.Context) (string, error) {
	return "Read/write action completed", nil
}

// PublicOperation is open to every caller.
//
//mcp:tool auth=public
func PublicOperation(ctx context.Context) (string, error) {
	return "Public action completed", nil
}
