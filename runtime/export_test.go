package runtime

import (
	"context"
	"io"
)

// ServeStdioIO serves s as ServeStdio does, on in and out.
func ServeStdioIO(s *Server, ctx context.Context, in io.Reader, out io.Writer) error {
	return s.serveStdio(ctx, in, out)
}

// DeclaredScopes returns the scopes s publishes in scopes_supported.
func DeclaredScopes(s *Server) []string { return s.declaredScopes() }
