package introspect_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcpauthgen/mcpauthgen/e2e/oidctest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// BenchmarkToolCall compares a tools/call through the runtime's HTTP handler
// (in process, no network) authenticated by the introspection verifier,
// with the token cached after the first request, against the same call on
// the same kind of server authenticated by the static verifier handing out
// the same token (scopes and claims as the provider described them, which
// every verifier copies per request): the baseline. The two calls alternate within each iteration, so that load
// elsewhere on the machine weighs on both alike, and each call is timed:
// the benchmark reports each one's median time per call and the ratio of
// the medians (introspect/static), which is what the cache costs per
// request; medians, because a pause of the machine that lands on a few
// calls says nothing about either verifier. It also checks that the whole
// run cost one introspection request.
func BenchmarkToolCall(b *testing.B) {
	p, _ := startProvider(b)
	tok := issue(b, p, "opaque-app", "opaque-secret", "read write", resource)
	before := p.Requests(oidctest.IntrospectionPath)
	cached := newVerifier(b, p, nil)
	same, err := cached.VerifyToken(context.Background(), tok)
	if err != nil {
		b.Fatal(err)
	}
	static := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{tok: *same})
	call := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami"}}`
	type server struct {
		h       http.Handler
		session string
		times   []time.Duration
	}
	var servers [2]*server
	for i, v := range []runtime.TokenVerifier{static, cached} {
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
			s.times = append(s.times, time.Since(start))
		}
	}
	base, intro := median(servers[0].times), median(servers[1].times)
	b.ReportMetric(float64(base.Nanoseconds()), "static-ns/call")
	b.ReportMetric(float64(intro.Nanoseconds()), "introspect-ns/call")
	b.ReportMetric(float64(intro)/float64(base), "ratio")
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

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
