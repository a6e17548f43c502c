package introspect_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mcpauthgen/mcpauthgen/e2e/oidctest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// BenchmarkToolCall compares a tools/call through the runtime's HTTP handler
// (in process, no network) authenticated by the introspection verifier,
// with the token cached after the first request, against the same call on
// the same kind of server authenticated by the static verifier: the
// baseline. The two calls alternate within each iteration, so that load
// elsewhere on the machine weighs on both alike; the benchmark reports each
// one's time per call and their ratio (introspect/static), which is what
// the cache costs per request. It also checks that the whole run cost one
// introspection request.
func BenchmarkToolCall(b *testing.B) {
	p, _ := startProvider(b)
	tok := issue(b, p, "opaque-app", "opaque-secret", "read write", resource)
	static := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		tok: {ClientID: "opaque-app", Scopes: []string{"read", "write"}, ExpiresAt: time.Now().Add(time.Hour)},
	})
	before := p.Requests(oidctest.IntrospectionPath)
	call := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami"}}`
	type server struct {
		h       http.Handler
		session string
		total   time.Duration
	}
	var servers [2]*server
	for i, v := range []runtime.TokenVerifier{static, newVerifier(b, p, nil)} {
		h := mcpServer(b, v)
		session := benchPost(b, h, tok, "", `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"b","version":"1"}}}`).Header().Get("Mcp-Session-Id")
		benchPost(b, h, tok, session, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		if rec := benchPost(b, h, tok, session, call); !strings.Contains(rec.Body.String(), "opaque-app read,write") {
			b.Fatalf("tools/call: %s", rec.Body.String())
		}
		servers[i] = &server{h: h, session: session}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range servers {
			start := time.Now()
			benchPost(b, s.h, tok, s.session, call)
			s.total += time.Since(start)
		}
	}
	base, cached := servers[0].total, servers[1].total
	b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "static-ns/call")
	b.ReportMetric(float64(cached.Nanoseconds())/float64(b.N), "introspect-ns/call")
	b.ReportMetric(float64(cached)/float64(base), "ratio")
	if n := p.Requests(oidctest.IntrospectionPath) - before; n != 1 {
		b.Errorf("%d introspection requests, want 1", n)
	}
}

func benchPost(b *testing.B, h http.Handler, token, session, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, resource, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code/100 != 2 {
		b.Fatalf("%s: %d %s", body, rec.Code, rec.Body.String())
	}
	return rec
}
