package runtime_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	mcpruntime "github.com/mcpauthgen/mcpauthgen/runtime"
)

func corsRequest(t *testing.T, h http.Handler, method, target, host string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Host = host
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestCORS(t *testing.T) {
	h := fixture().HTTPHandler(
		mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens)),
		mcpruntime.WithCORS("https://app.example"))
	const good, evil = "https://app.example", "https://evil.example"
	for _, tc := range []struct {
		name, method, path, origin string
		header                     map[string]string
		status                     int
		allowOrigin                string
	}{
		{"challenge", http.MethodPost, "/mcp", good, nil, http.StatusUnauthorized, good},
		{"challenge, other origin", http.MethodPost, "/mcp", evil, nil, http.StatusUnauthorized, ""},
		{"bad token challenge", http.MethodPost, "/mcp", good, map[string]string{"Authorization": "Bearer nope"}, http.StatusUnauthorized, good},
		{"metadata", http.MethodGet, "/.well-known/oauth-protected-resource/mcp", good, nil, http.StatusOK, good},
		{"metadata preflight", http.MethodOptions, "/.well-known/oauth-protected-resource/mcp", good, map[string]string{"Access-Control-Request-Method": "GET"}, http.StatusNoContent, good},
		{"preflight", http.MethodOptions, "/mcp", good, map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, mcp-param-region"}, http.StatusNoContent, good},
		{"preflight, other origin", http.MethodOptions, "/mcp", evil, map[string]string{"Access-Control-Request-Method": "POST"}, http.StatusForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{"Origin": tc.origin}
			for k, v := range tc.header {
				hdr[k] = v
			}
			resp := corsRequest(t, h, tc.method, tc.path, "127.0.0.1:8080", hdr)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allowOrigin)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Origin") {
				t.Errorf("Vary %q lacks Origin", resp.Header.Get("Vary"))
			}
			if tc.allowOrigin == "" {
				if resp.Header.Get("Access-Control-Expose-Headers") != "" || resp.Header.Get("Access-Control-Allow-Methods") != "" {
					t.Errorf("CORS headers for an origin not allowed: %v", resp.Header)
				}
				return
			}
			if tc.method == http.MethodOptions {
				allow := resp.Header.Get("Access-Control-Allow-Headers")
				for _, want := range []string{"Authorization", "Mcp-Session-Id", "Mcp-Protocol-Version"} {
					if !strings.Contains(allow, want) {
						t.Errorf("Access-Control-Allow-Headers %q lacks %s", allow, want)
					}
				}
				if tc.path == "/mcp" && !strings.Contains(allow, "mcp-param-region") {
					t.Errorf("Access-Control-Allow-Headers %q lacks the requested Mcp-Param header", allow)
				}
				return
			}
			expose := resp.Header.Get("Access-Control-Expose-Headers")
			for _, want := range []string{"WWW-Authenticate", "Mcp-Session-Id"} {
				if !strings.Contains(expose, want) {
					t.Errorf("Access-Control-Expose-Headers %q lacks %s", expose, want)
				}
			}
		})
	}
	// Without WithCORS: no CORS headers, preflights 404 as before.
	plain := fixture().HTTPHandler(mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens)))
	resp := corsRequest(t, plain, http.MethodOptions, "/mcp", "localhost", map[string]string{"Origin": good, "Access-Control-Request-Method": "POST"})
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight without WithCORS: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestHostNotReflected: without WithResourceURL, only loopback hosts and
// the hosts the server is told to accept reach the metadata and the
// challenges; any other Host is refused without being echoed.
func TestHostNotReflected(t *testing.T) {
	verifier := mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens))
	const evil = "evil.example"
	for _, tc := range []struct {
		name string
		opts []mcpruntime.HTTPOption
		host string
		want string // the resource URL published; "" refused
	}{
		{"loopback", nil, "127.0.0.1:8080", "http://127.0.0.1:8080/mcp"},
		{"localhost", nil, "localhost", "http://localhost/mcp"},
		{"ipv6 loopback", nil, "[::1]:80", "http://[::1]:80/mcp"},
		{"other host", nil, evil, ""},
		{"other host with port", nil, evil + ":443", ""},
		{"localhost lookalike", nil, "localhost.evil.example", ""},
		{"allowed host", []mcpruntime.HTTPOption{mcpruntime.WithAllowedHosts("mcp.example.com")}, "mcp.example.com:8443", "http://mcp.example.com:8443/mcp"},
		{"allowed host, other host", []mcpruntime.HTTPOption{mcpruntime.WithAllowedHosts("mcp.example.com")}, evil, ""},
		{"resource URL", []mcpruntime.HTTPOption{mcpruntime.WithResourceURL("https://mcp.example.com/mcp")}, evil, "https://mcp.example.com/mcp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := fixture().HTTPHandler(append([]mcpruntime.HTTPOption{verifier}, tc.opts...)...)
			meta := corsRequest(t, h, http.MethodGet, "/.well-known/oauth-protected-resource/mcp", tc.host, nil)
			challenge := corsRequest(t, h, http.MethodPost, "/mcp", tc.host, nil)
			body, _ := io.ReadAll(meta.Body)
			if tc.want == "" {
				for _, resp := range []*http.Response{meta, challenge} {
					b, _ := io.ReadAll(resp.Body)
					if resp.StatusCode != http.StatusMisdirectedRequest || strings.Contains(string(b)+resp.Header.Get("WWW-Authenticate"), "evil") {
						t.Errorf("status %d, WWW-Authenticate %q, body %q; want 421 without the host", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), b)
					}
				}
				return
			}
			if meta.StatusCode != http.StatusOK || !strings.Contains(string(body), `"resource":"`+tc.want+`"`) {
				t.Errorf("metadata %d %s, want resource %s", meta.StatusCode, body, tc.want)
			}
			wantMeta := strings.TrimSuffix(tc.want, "/mcp") + "/.well-known/oauth-protected-resource/mcp"
			if got := challenge.Header.Get("WWW-Authenticate"); challenge.StatusCode != http.StatusUnauthorized || !strings.Contains(got, `resource_metadata="`+wantMeta+`"`) {
				t.Errorf("challenge %d %q, want resource_metadata %s", challenge.StatusCode, got, wantMeta)
			}
		})
	}
}
