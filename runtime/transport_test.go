package runtime_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/runtimetest"
)

// TestStdioSkipsChecks checks that on stdio every component is visible and
// usable, as in FastMCP, since a stdio request carries no token.
func TestStdioSkipsChecks(t *testing.T) {
	srv := fixture(runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runtime.ServeStdioIO(srv, ctx, inR, outW) }()
	t.Cleanup(func() { cancel(); inW.Close(); <-done })

	out := bufio.NewReader(outR)
	id := 0
	send := func(method string, params any) map[string]any {
		id++
		msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		if _, err := inW.Write(append(msg, '\n')); err != nil {
			t.Fatal(err)
		}
		line, err := out.ReadBytes('\n')
		if err != nil {
			t.Fatal(err)
		}
		var resp map[string]any
		if err := json.Unmarshal(line, &resp); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return resp
	}
	send("initialize", map[string]any{"protocolVersion": mcp.LATEST_PROTOCOL_VERSION, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	inW.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))

	count := func(resp map[string]any, key string) int {
		return len(resp["result"].(map[string]any)[key].([]any))
	}
	if n := count(send("tools/list", nil), "tools"); n != 6 {
		t.Errorf("tools/list shows %d tools, want all 6", n)
	}
	if n := count(send("resources/list", nil), "resources"); n != 3 {
		t.Errorf("resources/list shows %d resources, want all 3", n)
	}
	if n := count(send("resources/templates/list", nil), "resourceTemplates"); n != 1 {
		t.Errorf("templates/list shows %d templates, want 1", n)
	}
	if n := count(send("prompts/list", nil), "prompts"); n != 2 {
		t.Errorf("prompts/list shows %d prompts, want 2", n)
	}
	resp := send("tools/call", map[string]any{"name": "admin_tool"})
	if got := fmt.Sprint(resp["result"]); !strings.Contains(got, "admin_tool ok") {
		t.Errorf("admin_tool over stdio: %v", resp)
	}
	resp = send("resources/read", map[string]any{"uri": "admin://config"})
	if got := fmt.Sprint(resp["result"]); !strings.Contains(got, "admin://config for anonymous") {
		t.Errorf("admin://config over stdio: %v", resp)
	}

	// A stdio server publishes every resource, so it cannot also serve an
	// authorized transport.
	if _, err := srv.HandleMessage(context.Background(), nil, []byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`)); err == nil {
		t.Error("HandleMessage on a stdio server: no error")
	}
	c := runtimetest.NewClient(srv)
	defer c.Close()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Initialize(context.Background(), mcp.InitializeRequest{}); err == nil {
		t.Error("in-process client of a stdio server initialized")
	}
}

// httpSession is a raw Streamable HTTP client: it posts JSON-RPC messages
// and returns the HTTP answer as is. A legacy session (protocol 2025-11-25)
// initializes and carries a session ID; a modern one (2026-07-28) declares
// its protocol version in every request's _meta and headers.
type httpSession struct {
	t       *testing.T
	url     string
	token   string
	modern  bool
	session string
	id      int
	header  map[string]string // sent with every request
}

type httpAnswer struct {
	Status      int
	ContentType string
	Body        string // the JSON-RPC message, without its id
}

func (s *httpSession) post(method string, params map[string]any) httpAnswer {
	s.t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if s.modern {
		if params == nil {
			params = map[string]any{}
		}
		params["_meta"] = map[string]any{
			mcp.MetaKeyProtocolVersion:    mcp.ProtocolVersion20260728,
			mcp.MetaKeyClientCapabilities: map[string]any{},
			mcp.MetaKeyClientInfo:         map[string]any{"name": "t", "version": "1"},
		}
	}
	if params != nil {
		msg["params"] = params
	}
	if !strings.HasPrefix(method, "notifications/") {
		s.id++
		msg["id"] = s.id
	}
	body, _ := json.Marshal(msg)
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	for k, v := range s.header {
		req.Header.Set(k, v)
	}
	if s.modern {
		rawParams, _ := json.Marshal(params)
		req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20260728)
		for k, v := range mcp.StandardHeaders(mcp.ProtocolVersion20260728, mcp.MCPMethod(method), rawParams) {
			req.Header.Set(k, v)
		}
	} else if s.session != "" {
		req.Header.Set("Mcp-Session-Id", s.session)
		req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
		s.session = id
	}
	var decoded map[string]any
	if json.Unmarshal(raw, &decoded) == nil {
		delete(decoded, "id")
		raw, _ = json.Marshal(decoded)
	}
	return httpAnswer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: string(raw)}
}

func newHTTPSession(t *testing.T, url, token string, modern bool) *httpSession {
	s := &httpSession{t: t, url: url, token: token, modern: modern}
	if modern {
		return s
	}
	init := s.post("initialize", map[string]any{"protocolVersion": mcp.ProtocolVersion20251125, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	if init.Status != http.StatusOK || s.session == "" {
		t.Fatalf("initialize: %+v (session %q)", init, s.session)
	}
	s.post("notifications/initialized", nil)
	return s
}

// TestHTTPHiddenAnswersLikeMissing compares over Streamable HTTP the whole
// answer (status, content type, body without id) for a component the
// caller may not use with the one for a component that does not exist, in
// both protocol eras, with and without a token verifier.
func TestHTTPHiddenAnswersLikeMissing(t *testing.T) {
	for _, tc := range []struct {
		name             string
		verifier, modern bool
		resourceMissing  string // the answer for a missing resource
	}{
		{"legacy", false, false, `{"error":{"code":-32002,"message":"handler not found for resource URI 'admin://config': resource not found"},"jsonrpc":"2.0"}`},
		{"legacy with verifier", true, false, `{"error":{"code":-32002,"message":"handler not found for resource URI 'admin://config': resource not found"},"jsonrpc":"2.0"}`},
		{"modern", false, true, `{"error":{"code":-32602,"message":"handler not found for resource URI 'admin://config': resource not found"},"jsonrpc":"2.0"}`},
		{"modern with verifier", true, true, `{"error":{"code":-32602,"message":"handler not found for resource URI 'admin://config': resource not found"},"jsonrpc":"2.0"}`},
	} {
		for _, hooked := range []bool{false, true} {
			name, srvOpts := tc.name, []runtime.Option(nil)
			if hooked {
				// Deciding for decision hooks takes other paths: the
				// answers must not change.
				name, srvOpts = name+" with decision hooks", []runtime.Option{runtime.WithDecisionHook(func(context.Context, runtime.Decision) {})}
			}
			t.Run(name, func(t *testing.T) {
				srv := fixture(srvOpts...)
				var opts []runtime.HTTPOption
				token := ""
				if tc.verifier {
					opts = append(opts, runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
						"reader-token": {ClientID: "reader", Scopes: []string{"read"}},
					})))
					token = "reader-token"
				}
				ts := httptest.NewServer(srv.HTTPHandler(opts...))
				defer ts.Close()
				s := newHTTPSession(t, ts.URL+"/mcp", token, tc.modern)
				for _, c := range []struct {
					method          string
					hidden, missing map[string]any
					replace         [2]string
					want            string
				}{
					{"resources/read", map[string]any{"uri": "admin://config"}, map[string]any{"uri": "admin://absent"}, [2]string{"admin://absent", "admin://config"}, tc.resourceMissing},
					{"tools/call", map[string]any{"name": "admin_tool"}, map[string]any{"name": "absent_tool"}, [2]string{"absent_tool", "admin_tool"}, `{"error":{"code":-32602,"message":"tool 'admin_tool' not found: tool not found"},"jsonrpc":"2.0"}`},
					{"prompts/get", map[string]any{"name": "admin_prompt"}, map[string]any{"name": "absent_prompt"}, [2]string{"absent_prompt", "admin_prompt"}, `{"error":{"code":-32602,"message":"prompt 'admin_prompt' not found: prompt not found"},"jsonrpc":"2.0"}`},
				} {
					hidden := s.post(c.method, c.hidden)
					missing := s.post(c.method, c.missing)
					missing.Body = strings.ReplaceAll(missing.Body, c.replace[0], c.replace[1])
					if diff := cmp.Diff(missing, hidden); diff != "" {
						t.Errorf("%s: hidden answer differs from missing (-missing +hidden):\n%s", c.method, diff)
					}
					if hidden.Body != c.want {
						t.Errorf("%s: hidden answer\n got %s\nwant %s", c.method, hidden.Body, c.want)
					}
				}
				// What the caller may use works over the same session.
				want := "secret://data for anonymous"
				uri := "public://info"
				if tc.verifier {
					uri, want = "secret://data", "secret://data for reader [read]"
				}
				if got := s.post("resources/read", map[string]any{"uri": uri}); got.Status != http.StatusOK || !strings.Contains(got.Body, strings.Replace(want, "secret://data", uri, 1)) {
					t.Errorf("%s: %+v, want %q", uri, got, want)
				}
			})
		}
	}
}
