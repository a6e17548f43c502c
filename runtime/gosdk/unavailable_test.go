package gosdk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

type verifierFunc func(ctx context.Context, raw string) (*gosdk.AccessToken, error)

func (f verifierFunc) VerifyToken(ctx context.Context, raw string) (*gosdk.AccessToken, error) {
	return f(ctx, raw)
}

// TestRefusalsCarryCORS: every answer of the HTTP layer to a page of an
// allowed origin carries the CORS headers, the 503 of an unavailable
// verifier (whose Retry-After the page must be able to read) as the 401
// and 403 challenges do; a page of another origin gets none of them.
func TestRefusalsCarryCORS(t *testing.T) {
	h := fixture(nil).HTTPHandler(gosdk.WithCORS("https://app.example"), gosdk.WithTokenVerifier(verifierFunc(func(_ context.Context, raw string) (*gosdk.AccessToken, error) {
		switch raw {
		case "outage":
			return nil, fmt.Errorf("%w: down", authz.ErrVerifierUnavailable)
		case "narrow":
			return nil, &authz.InsufficientScopeError{Required: []string{"read"}, Missing: []string{"read"}}
		}
		return nil, errors.New("unknown token")
	})))
	for _, tc := range []struct {
		auth   string
		status int
		expose string // a header the page must be able to read
	}{
		{"", http.StatusUnauthorized, "WWW-Authenticate"},
		{"Bearer bad", http.StatusUnauthorized, "WWW-Authenticate"},
		{"Bearer narrow", http.StatusForbidden, "WWW-Authenticate"},
		{"Bearer outage", http.StatusServiceUnavailable, "Retry-After"},
	} {
		for _, origin := range []string{"https://app.example", "https://evil.example"} {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", origin)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			allow, expose := rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Get("Access-Control-Expose-Headers")
			switch {
			case rec.Code != tc.status:
				t.Errorf("%q from %s: status %d, want %d", tc.auth, origin, rec.Code, tc.status)
			case !strings.Contains(rec.Header().Get("Vary"), "Origin"):
				t.Errorf("%q from %s: Vary %q lacks Origin", tc.auth, origin, rec.Header().Get("Vary"))
			case origin == "https://app.example" && (allow != origin || !strings.Contains(expose, tc.expose)):
				t.Errorf("%q from %s: Access-Control-Allow-Origin %q, Access-Control-Expose-Headers %q (want %s exposed)", tc.auth, origin, allow, expose, tc.expose)
			case origin != "https://app.example" && (allow != "" || expose != ""):
				t.Errorf("%q from %s: CORS headers for an origin not allowed: %v", tc.auth, origin, rec.Header())
			}
		}
	}
}
