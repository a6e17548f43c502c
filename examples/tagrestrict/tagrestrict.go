// Package tagrestrict is a server with one server-wide rule: components
// tagged "admin" need the "admin" scope (FastMCP's
// AuthMiddleware(auth=restrict_tag("admin", scopes=["admin"]))). Untagged
// components stay open, even to callers without a token.
package tagrestrict

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the tag-restricted server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin")))}, opts...)
	s := runtime.NewServer("Tag Restricted Server", "1.0.0", opts...)
	Register(s)
	return s
}

// DeleteUser removes a user account.
//
//mcp:tool tags=admin destructive
func DeleteUser(ctx context.Context, user string) (string, error) {
	return "deleted " + user, nil
}

// ListUsers lists the user accounts.
//
//mcp:tool readonly
func ListUsers(ctx context.Context) ([]string, error) {
	return []string{"alice", "bob"}, nil
}

// AuditLog is the admin audit log.
//
//mcp:resource uri=audit://log tags=admin
func AuditLog(ctx context.Context) (string, error) {
	return "2026-11-25 alice deleted bob", nil
}
