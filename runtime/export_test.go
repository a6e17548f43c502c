package runtime

import (
	"context"
	"io"
	"net/http"
)

// ServeStdioIO serves s as ServeStdio does, on in and out.
func ServeStdioIO(s *Server, ctx context.Context, in io.Reader, out io.Writer) error {
	return s.serveStdio(ctx, in, out)
}

// DeclaredScopes returns the scopes s publishes in scopes_supported.
func DeclaredScopes(s *Server) []string { return s.declaredScopes() }

// SessionCount returns the number of live sessions of a handler returned
// by HTTPHandler, -1 when it is stateless.
func SessionCount(h http.Handler) int {
	hh := h.(*httpHandler)
	if hh.sessions == nil {
		return -1
	}
	return hh.sessions.len()
}
