// Package layered combines both layers: server-wide middleware that needs
// the "api" scope, and component checks on top. Both must pass.
package layered

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RequireScopes("api")))}, opts...)
	s := runtime.NewServer("Layered Server", "1.0.0", opts...)
	Register(s)
	return s
}

// ListProjects lists the projects: the api scope is enough.
//
//mcp:tool readonly
func ListProjects(ctx context.Context) ([]string, error) {
	return []string{"apollo", "gemini"}, nil
}

// ArchiveProject archives a project: it needs admin on top of api.
//
//mcp:tool auth=scopes(admin) destructive
func ArchiveProject(ctx context.Context, project string) (string, error) {
	return "archived " + project, nil
}
