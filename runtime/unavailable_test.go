package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

type verifierFunc func(ctx context.Context, raw string) (*runtime.AccessToken, error)

func (f verifierFunc) VerifyToken(ctx context.Context, raw string) (*runtime.AccessToken, error) {
	return f(ctx, raw)
}

// A verifier that cannot judge a token (its error wraps
// ErrVerifierUnavailable) gets 503 with Retry-After and no challenge; any
// other error, however it is worded, stays a 401 invalid_token. Neither
// answer carries the verifier's error text.
func TestVerifierUnavailable(t *testing.T) {
	const secretDetail = "dial tcp 10.0.0.7:443: connection refused"
	srv := runtime.NewServer("unavailable", "1")
	srv.AddTool(mcp.NewTool("echo"), echo)
	h := srv.HTTPHandler(runtime.WithTokenVerifier(verifierFunc(func(_ context.Context, raw string) (*runtime.AccessToken, error) {
		switch raw {
		case "outage":
			return nil, fmt.Errorf("introspection: %w: %s", runtime.ErrVerifierUnavailable, secretDetail)
		case "bad":
			return nil, fmt.Errorf("%w: unavailable-sounding text %s", runtime.ErrInvalidToken, secretDetail)
		}
		return nil, errors.New("unknown")
	})))

	for _, tc := range []struct {
		token       string
		status      int
		retryAfter  string
		wantWWWAuth bool
	}{
		{"outage", http.StatusServiceUnavailable, "5", false},
		{"bad", http.StatusUnauthorized, "", true},
	} {
		for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
			req := httptest.NewRequest(method, "http://127.0.0.1/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
			req.Header.Set("Authorization", "Bearer "+tc.token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tc.status {
				t.Errorf("%s %s: status %d, want %d", method, tc.token, rec.Code, tc.status)
			}
			if got := rec.Header().Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("%s %s: Retry-After %q, want %q", method, tc.token, got, tc.retryAfter)
			}
			if got := rec.Header().Get("WWW-Authenticate") != ""; got != tc.wantWWWAuth {
				t.Errorf("%s %s: WWW-Authenticate %q", method, tc.token, rec.Header().Get("WWW-Authenticate"))
			}
			if strings.Contains(string(body), "10.0.0.7") || strings.Contains(rec.Header().Get("WWW-Authenticate"), "10.0.0.7") {
				t.Errorf("%s %s: the verifier's error reached the client: %q", method, tc.token, body)
			}
		}
	}
}

// TestVerifierUnavailableCORS: a page of an allowed origin can read the
// Retry-After of a 503 (it is not a CORS-safelisted response header, so it
// must be exposed), as it reads the challenge of a 401.
func TestVerifierUnavailableCORS(t *testing.T) {
	srv := runtime.NewServer("unavailable", "1")
	srv.AddTool(mcp.NewTool("echo"), echo)
	h := srv.HTTPHandler(runtime.WithCORS("https://app.example"), runtime.WithTokenVerifier(verifierFunc(func(context.Context, string) (*runtime.AccessToken, error) {
		return nil, fmt.Errorf("%w: down", runtime.ErrVerifierUnavailable)
	})))
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	req.Header.Set("Authorization", "Bearer outage")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://app.example")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
	}
	exposed := strings.Split(rec.Header().Get("Access-Control-Expose-Headers"), ", ")
	if !slices.Contains(exposed, "Retry-After") {
		t.Errorf("Access-Control-Expose-Headers %q lacks Retry-After", exposed)
	}
}
