// Package scoped is examples/scoped on the official go-sdk: the same
// annotations, with //mcp:backend gosdk, registered on a gosdk.Server.
package scoped

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:backend gosdk

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// New returns the scoped server.
func New() *gosdk.Server {
	s := gosdk.NewServer(&mcp.Implementation{Name: "Scoped Server", Version: "1.0.0"}, nil)
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
