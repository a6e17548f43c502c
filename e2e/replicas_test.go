package e2e_test

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReplicas runs the TypeScript SDK client against three stateless
// replicas of the fixture behind a round-robin proxy (each request to the
// next replica) and against one stateless server, and compares everything
// the client reports: lists, calls, reads, prompts, denials of hidden and
// missing components, and the 401s of bad tokens. It runs on both
// backends.
func TestReplicas(t *testing.T) {
	node := requireNode(t)
	ensureNodeModules(t, clientDir(t))
	forEachBackend(t, func(t *testing.T, b backend) { replicas(t, node, b) })
}

func replicas(t *testing.T, node string, b backend) {
	c := fixtureConfig{layer: fullLayer, stateless: true, resourceURL: "https://mcp.example.com/mcp"}
	single := serveFixture(t, b, c)
	var targets []*url.URL
	for range 3 {
		u, err := url.Parse(serveFixture(t, b, c))
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, u)
	}
	var n atomic.Int64
	lb := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(targets[n.Add(1)%int64(len(targets))])
	}})
	t.Cleanup(lb.Close)

	ops := []op{
		{"op": "listTools"}, {"op": "listResources"}, {"op": "listResourceTemplates"}, {"op": "listPrompts"},
		{"op": "callTool", "name": "whoami"},
		{"op": "callTool", "name": "admin_tool"},
		{"op": "callTool", "name": "no_such_tool"},
		{"op": "readResource", "uri": "admin://config"},
		{"op": "readResource", "uri": "users://7/profile"},
		{"op": "readResource", "uri": "nothing://here"},
		{"op": "getPrompt", "name": "no_such_prompt"},
		{"op": "ping"},
	}
	for _, token := range []string{"guest-token", "reader-token", "admin-token", "not-a-token", ""} {
		t.Run(token, func(t *testing.T) {
			one := runClient(t, node, single+"/mcp", token, ops)
			many := runClient(t, node, lb.URL+"/mcp", token, ops)
			if diff := cmp.Diff(one, many); diff != "" {
				t.Errorf("(-one server +three replicas):\n%s", diff)
			}
			if ok := token != "not-a-token" && token != ""; one.Connect.OK != ok {
				t.Errorf("connected: %v, want %v (%+v)", one.Connect.OK, ok, one.Connect.Error)
			}
		})
	}
	if n.Load() < 3*5 {
		t.Errorf("the proxy served %d requests", n.Load())
	}
}
