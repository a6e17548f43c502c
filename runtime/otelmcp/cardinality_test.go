package otelmcp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestCounterMethodBounded sends requests with made-up methods into
// another principal's session: each is refused (and decided) before any
// method is checked, and the decision counter must not take the client's
// method names as label values, or a client could grow the counter's
// series without bound.
func TestCounterMethodBounded(t *testing.T) {
	tm := newTelemetry(t)
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		"alice": {ClientID: "a", Scopes: []string{"read"}, Claims: map[string]any{"sub": "alice"}},
		"mal":   {ClientID: "m", Scopes: []string{"read"}, Claims: map[string]any{"sub": "mallory"}},
	})
	ts := httptest.NewServer(server(tm.tel).HTTPHandler(runtime.WithTokenVerifier(verifier)))
	defer ts.Close()

	post := func(token string, msg map[string]any, session string) *http.Response {
		body, _ := json.Marshal(msg)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mcp", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+token)
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
			req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	init := post("alice", map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{
		"protocolVersion": mcp.ProtocolVersion20251125, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}}}, "")
	session := init.Header.Get("Mcp-Session-Id")
	if session == "" {
		t.Fatal("no session")
	}
	for i := range 20 {
		resp := post("mal", map[string]any{"jsonrpc": "2.0", "id": i, "method": fmt.Sprintf("x/made-up-%d", i)}, session)
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another principal's session: %d, want 404", resp.StatusCode)
		}
	}
	counts := tm.counts(t)
	for k := range counts {
		if strings.Contains(k, "made-up") {
			t.Errorf("counter series carries a client's method: %s", k)
		}
	}
	if len(counts) > 2 {
		t.Errorf("%d series after refusals of one kind: %v", len(counts), counts)
	}
}

// TestSpanMethodBounded: a request in the client's own session with a
// method MCP does not define (here of 3 MiB) reaches mcp-go, which
// answers it "method not found"; its span is named, and its
// mcp.method.name set, as "_OTHER" rather than as the client's text.
func TestSpanMethodBounded(t *testing.T) {
	tm := newTelemetry(t)
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{"alice": {ClientID: "a"}})
	h := server(tm.tel).HTTPHandler(runtime.WithTokenVerifier(verifier))
	post := func(body, session string) *http.Response {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer alice")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
			req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req) // the span has ended when it returns
		return rec.Result()
	}
	session := post(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"`+mcp.ProtocolVersion20251125+`","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`, "").Header.Get("Mcp-Session-Id")
	if session == "" {
		t.Fatal("no session")
	}
	hostile := "x/" + strings.Repeat("a", 3<<20)
	if resp := post(`{"jsonrpc":"2.0","id":2,"method":"`+hostile+`"}`, session); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, s := range tm.spans.Ended() {
		if len(s.Name()) > 100 || strings.Contains(fmt.Sprint(s.Attributes()), hostile) {
			t.Errorf("a span holds the client's method: %.60q", s.Name())
		}
	}
	span := tm.span(t, "_OTHER")
	if got := attrs(span.Attributes())["mcp.method.name"]; got != "_OTHER" {
		t.Errorf("mcp.method.name %.40q, want _OTHER", got)
	}
}

// TestSpanSessionIDBounded: the span of a request whose Mcp-Session-Id
// names no session records that header only as authz.RecordedSessionID
// bounds it: a header of 900 KiB is recorded as "_OTHER".
func TestSpanSessionIDBounded(t *testing.T) {
	tm := newTelemetry(t)
	verifier := runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{"alice": {ClientID: "a"}})
	h := server(tm.tel).HTTPHandler(runtime.WithTokenVerifier(verifier))
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer alice")
	req.Header.Set("Mcp-Session-Id", strings.Repeat("s", 900<<10))
	req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	h.ServeHTTP(httptest.NewRecorder(), req) // the span has ended when it returns
	span := tm.span(t, "tools/list")
	if got := attrs(span.Attributes())["mcp.session.id"]; got != "_OTHER" {
		t.Errorf("mcp.session.id %.40q (%d bytes), want _OTHER", got, len(fmt.Sprint(got)))
	}
}
