package gosdk_test

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
)

// sidewaysOptions give the fixture a completion handler and resource
// subscriptions, which reach components without naming a method that
// targets them.
func sidewaysOptions(calls *recorder) *mcp.ServerOptions {
	return &mcp.ServerOptions{
		CompletionHandler: func(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
			calls.add("complete " + req.Params.Ref.Name + req.Params.Ref.URI)
			return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{"x"}}}, nil
		},
		SubscribeHandler: func(_ context.Context, req *mcp.SubscribeRequest) error {
			calls.add("subscribe " + req.Params.URI)
			return nil
		},
		UnsubscribeHandler: func(_ context.Context, req *mcp.UnsubscribeRequest) error {
			calls.add("unsubscribe " + req.Params.URI)
			return nil
		},
	}
}

// TestNothingHiddenIsReachableSideways checks completion/complete and
// resources/subscribe/unsubscribe: a hidden prompt, template or resource
// answers exactly as a missing one, and the handler never runs for it.
func TestNothingHiddenIsReachableSideways(t *testing.T) {
	calls := &recorder{}
	s := mcpwire.Connect(t, serve(t, authorized(fixture(sidewaysOptions(calls)))), "reader-token")
	complete := func(typ, key, v string) map[string]any {
		return map[string]any{"ref": map[string]any{"type": typ, key: v}, "argument": map[string]any{"name": "a", "value": ""}}
	}
	for _, tc := range []struct {
		method         string
		hidden, absent map[string]any
		hiddenName     string
		absentName     string
	}{
		{"completion/complete", complete("ref/prompt", "name", "admin_prompt"), complete("ref/prompt", "name", "absent_promp"), "admin_prompt", "absent_promp"},
		{"completion/complete", complete("ref/resource", "uri", "admin://config"), complete("ref/resource", "uri", "absen://config"), "admin://config", "absen://config"},
		{"resources/subscribe", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "absen://config"}, "admin://config", "absen://config"},
		{"resources/unsubscribe", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "absen://config"}, "admin://config", "absen://config"},
	} {
		hidden := s.Call(tc.method, tc.hidden)
		s.Next--
		absent := bytes.ReplaceAll(s.Call(tc.method, tc.absent), []byte(tc.absentName), []byte(tc.hiddenName))
		if !bytes.Equal(hidden, absent) || mcpwire.ErrorOf(t, hidden) == nil {
			t.Errorf("%s %s: hidden %s\nabsent %s", tc.method, tc.hiddenName, hidden, absent)
		}
	}
	if len(calls.all()) != 0 {
		t.Errorf("handlers ran for hidden or missing components: %v", calls.all())
	}
	// What the caller may see reaches the handlers.
	for _, r := range []struct {
		method string
		params map[string]any
	}{
		{"completion/complete", complete("ref/prompt", "name", "public_prompt")},
		{"completion/complete", complete("ref/resource", "uri", "users://{id}/profile")},
		{"resources/subscribe", map[string]any{"uri": "users://7/profile"}},
		{"resources/unsubscribe", map[string]any{"uri": "secret://data"}},
	} {
		if e := mcpwire.ErrorOf(t, s.Call(r.method, r.params)); e != nil {
			t.Errorf("%s %v: %+v", r.method, r.params, e)
		}
	}
	want := []string{"complete public_prompt", "complete users://{id}/profile", "subscribe users://7/profile", "unsubscribe secret://data"}
	if !equal(calls.all(), want) {
		t.Errorf("handler calls %v, want %v", calls.all(), want)
	}
}

func equal(a, b []string) bool { return slices.Equal(a, b) }

// recorder records handler calls, which the SDK makes on goroutines of its
// own.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// TestListenRespectsHiding sends subscriptions/listen (protocol
// 2026-07-28), which subscribes to resources without passing
// resources/subscribe: a hidden resource is refused as a missing one.
func TestListenRespectsHiding(t *testing.T) {
	calls := &recorder{}
	conn := rawConnect(t, fixture(sidewaysOptions(calls)).Connect)
	// Anonymous (no token): secret://data is hidden, public://info is not.
	msg := conn.listen(1, "secret://data")
	resp, ok := msg.(*jsonrpc.Response)
	var werr *jsonrpc.Error
	if !ok || resp.Error == nil || !asWire(resp.Error, &werr) || werr.Code != mcp.ResourceNotFoundError("").(*jsonrpc.Error).Code {
		t.Fatalf("listen to a hidden resource: %#v", msg)
	}
	if len(calls.all()) != 0 {
		t.Errorf("subscribe handler ran for a hidden resource: %v", calls.all())
	}
	msg = conn.listen(2, "public://info")
	if n, ok := msg.(*jsonrpc.Request); !ok || n.Method != "notifications/subscriptions/acknowledged" {
		t.Fatalf("listen to a visible resource: %#v", msg)
	}
	if !equal(calls.all(), []string{"subscribe public://info"}) {
		t.Errorf("subscribe handler calls %v", calls.all())
	}
}

func asWire(err error, target **jsonrpc.Error) bool {
	e, ok := err.(*jsonrpc.Error)
	*target = e
	return ok
}
