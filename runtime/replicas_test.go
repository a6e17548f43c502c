package runtime_test

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// roundRobin is a plain load balancer: each request goes to the next
// replica, whatever session it belongs to.
func roundRobin(t *testing.T, replicas []*httptest.Server) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	targets := make([]*url.URL, len(replicas))
	for i, r := range replicas {
		targets[i], _ = url.Parse(r.URL)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(targets[n.Add(1)%int64(len(targets))])
	}}
	ts := httptest.NewServer(proxy)
	t.Cleanup(ts.Close)
	return ts, &n
}

// TestStatelessReplicas serves the fixture from three stateless replicas
// behind a round-robin proxy and from one server alone, and compares every
// answer (status, content type, JSON-RPC message without its id) of lists,
// calls, reads, prompts, denials and 401s, for each caller, in both
// protocol eras.
func TestStatelessReplicas(t *testing.T) {
	opts := func() []runtime.HTTPOption {
		return []runtime.HTTPOption{
			runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens)),
			runtime.WithStateless(),
			// One public URL for all, so that challenges name the same
			// metadata whichever replica answers.
			runtime.WithResourceURL("https://mcp.example.com/mcp"),
		}
	}
	single := httptest.NewServer(fixture().HTTPHandler(opts()...))
	defer single.Close()
	var replicas []*httptest.Server
	for range 3 {
		r := httptest.NewServer(fixture().HTTPHandler(opts()...))
		defer r.Close()
		replicas = append(replicas, r)
	}
	lb, served := roundRobin(t, replicas)

	requests := []struct {
		method string
		params map[string]any
	}{
		{"tools/list", nil},
		{"resources/list", nil},
		{"resources/templates/list", nil},
		{"prompts/list", nil},
		{"tools/call", map[string]any{"name": "whoami"}},
		{"tools/call", map[string]any{"name": "read_tool"}},
		{"tools/call", map[string]any{"name": "admin_tool"}},
		{"tools/call", map[string]any{"name": "absent_tool"}},
		{"resources/read", map[string]any{"uri": "secret://data"}},
		{"resources/read", map[string]any{"uri": "admin://config"}},
		{"resources/read", map[string]any{"uri": "users://7/profile"}},
		{"prompts/get", map[string]any{"name": "public_prompt"}},
		{"prompts/get", map[string]any{"name": "admin_prompt"}},
	}
	for _, token := range []string{"alice-1", "alice-2", "bob", "carol", "", "not-a-token"} {
		for _, modern := range []bool{false, true} {
			one := &httpSession{t: t, url: single.URL, token: token, modern: modern}
			many := &httpSession{t: t, url: lb.URL, token: token, modern: modern}
			if !modern {
				init := map[string]any{"protocolVersion": mcp.ProtocolVersion20251125, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}
				if a, b := one.post("initialize", init), many.post("initialize", init); cmp.Diff(a, b) != "" {
					t.Errorf("token %q: initialize differs (-one +replicas):\n%s", token, cmp.Diff(a, b))
				}
			}
			for _, req := range requests {
				// post adds _meta to a modern request's params: one copy each.
				a, b := one.post(req.method, maps.Clone(req.params)), many.post(req.method, maps.Clone(req.params))
				if diff := cmp.Diff(a, b); diff != "" {
					t.Errorf("token %q modern %v %s %v: (-one server +three replicas):\n%s", token, modern, req.method, req.params, diff)
				}
				wantStatus := http.StatusOK
				if token == "" || token == "not-a-token" {
					wantStatus = http.StatusUnauthorized
				}
				if a.Status != wantStatus && !(modern && a.Status == http.StatusBadRequest) { // 2026-07-28 maps errors to 400
					t.Errorf("token %q modern %v %s %v: %+v, want status %d", token, modern, req.method, req.params, a, wantStatus)
				}
			}
		}
	}
	if n := served.Load(); n < 3 {
		t.Fatalf("the proxy served %d requests", n)
	}
}

// TestStatefulReplicasNeedRouting shows why stateful mode needs requests
// routed by Mcp-Session-Id: a session lives in the replica that issued it,
// and the others answer it as unknown.
func TestStatefulReplicasNeedRouting(t *testing.T) {
	var replicas []*httptest.Server
	for range 3 {
		r := httptest.NewServer(fixture().HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens))))
		defer r.Close()
		replicas = append(replicas, r)
	}
	lb, _ := roundRobin(t, replicas)
	s := newHTTPSession(t, lb.URL, "bob", false) // initialize, then notifications/initialized: two replicas
	got := s.post("tools/list", nil)             // a third
	if got.Status != http.StatusNotFound {
		t.Errorf("a session on another replica: %+v, want 404", got)
	}
}
