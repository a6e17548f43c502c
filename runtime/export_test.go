package runtime

import (
	"context"
	"io"
	"net/http"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// ServeStdioIO serves s as ServeStdio does, on in and out.
func ServeStdioIO(s *Server, ctx context.Context, in io.Reader, out io.Writer) error {
	return s.serveStdio(ctx, in, out)
}

// DeclaredScopes returns the scopes s publishes in scopes_supported.
func DeclaredScopes(s *Server) []string { return s.declaredScopes() }

// SignJWT signs claims with key under alg, naming kid when not empty: the
// token minting of the package's own JWT tests, for the HTTP tests.
func SignJWT(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	return signJWT(t, alg, key, kid, claims)
}

// SessionCount returns the number of live sessions of a handler returned
// by HTTPHandler, -1 when it is stateless.
func SessionCount(h http.Handler) int {
	hh := h.(*httpHandler)
	if hh.sessions == nil {
		return -1
	}
	return hh.sessions.len()
}
