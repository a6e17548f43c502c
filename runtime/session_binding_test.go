package runtime_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	mcpruntime "github.com/mcpauthgen/mcpauthgen/runtime"
)

// principalTokens are static tokens of three principals: alice (two
// tokens, the second a refresh of the first), bob, and carol (a subject
// under an issuer, as JWTs carry).
var principalTokens = map[string]mcpruntime.AccessToken{
	"alice-1": {ClientID: "alice", Scopes: []string{"read", "write", "admin"}},
	"alice-2": {ClientID: "alice", Scopes: []string{"read"}},
	"bob":     {ClientID: "bob", Scopes: []string{"read"}},
	"carol":   {ClientID: "app", Scopes: []string{"read"}, Claims: map[string]any{"iss": "https://idp", "sub": "carol"}},
	"dave":    {ClientID: "app", Scopes: []string{"read"}, Claims: map[string]any{"iss": "https://idp", "sub": "dave"}},
}

func newPrincipalServer(t *testing.T, opts ...mcpruntime.HTTPOption) (*httptest.Server, http.Handler) {
	t.Helper()
	srv := fixture()
	h := srv.HTTPHandler(append([]mcpruntime.HTTPOption{mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens))}, opts...)...)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, h
}

// rawAnswer is a whole HTTP answer but for the headers that differ from one
// answer to the next by nature (Date).
type rawAnswer struct {
	Status int
	Header http.Header
	Body   string
}

// rawHTTP sends one request and reads the whole answer; a GET that opens a
// stream is read until ctx ends.
func rawHTTP(t *testing.T, ctx context.Context, method, url, token, session, body string) rawAnswer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	resp.Header.Del("Date")
	return rawAnswer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// TestSessionBoundToPrincipal: another principal's valid token on a live
// session gets, for every method, exactly the answer for a session that
// does not exist, and changes nothing: the owner's session keeps working,
// and its GET stream stays the owner's.
func TestSessionBoundToPrincipal(t *testing.T) {
	ts, _ := newPrincipalServer(t)
	url := ts.URL + "/mcp"
	for _, tc := range []struct{ owner, refresh, intruder string }{
		{"alice-1", "alice-2", "bob"},
		{"carol", "carol", "dave"}, // same client, other subject
	} {
		t.Run(tc.owner+"/"+tc.intruder, func(t *testing.T) {
			owner := newHTTPSession(t, url, tc.owner, false)
			live := owner.session
			unknown := "mcp-session-" + strings.Repeat("A", 26)
			ctx := context.Background()
			for _, req := range []struct{ method, body string }{
				{http.MethodPost, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`},
				{http.MethodPost, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami"}}`},
				{http.MethodPost, `{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}}`},
				{http.MethodPost, `{"jsonrpc":"2.0","method":"notifications/initialized"}`},
				{http.MethodPost, `{"jsonrpc":"2.0","id":1,"result":{}}`},
				{http.MethodGet, ""},
				{http.MethodDelete, ""},
			} {
				for _, other := range []string{unknown, "", strings.Repeat("x", 8000), live + " ", "MCP-SESSION-" + strings.TrimPrefix(live, "mcp-session-")} {
					if other == "" && req.method == http.MethodPost {
						continue // no session ID on a POST: mcp-go's own answer
					}
					// A GET that wrongly opened a stream would not end by itself.
					rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
					foreign := rawHTTP(t, rctx, req.method, url, tc.intruder, live, req.body)
					missing := rawHTTP(t, rctx, req.method, url, tc.intruder, other, req.body)
					cancel()
					if other == "" {
						// GET and DELETE without a session ID are 400.
						if missing.Status != http.StatusBadRequest {
							t.Errorf("%s without session: %d %q", req.method, missing.Status, missing.Body)
						}
						continue
					}
					if diff := cmp.Diff(missing, foreign); diff != "" {
						t.Errorf("%s %s: another principal's session answers unlike an unknown one (-unknown +foreign):\n%s", req.method, req.body, diff)
					}
					if foreign.Status != http.StatusNotFound || foreign.Body != "Invalid session ID\n" {
						t.Errorf("%s %s: %d %q, want 404 Invalid session ID", req.method, req.body, foreign.Status, foreign.Body)
					}
				}
			}
			// Claiming protocol 2026-07-28, which has no sessions, reaches
			// no session either: GET and DELETE are not part of it.
			for _, m := range []string{http.MethodGet, http.MethodDelete} {
				req, _ := http.NewRequest(m, url, nil)
				req.Header.Set("Authorization", "Bearer "+tc.intruder)
				req.Header.Set("Mcp-Session-Id", live)
				req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20260728)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusMethodNotAllowed {
					t.Errorf("modern %s on another principal's session: %d", m, resp.StatusCode)
				}
			}
			// Nothing changed: the session is live, for the owner and for
			// the owner's refreshed token.
			if got := owner.post("tools/call", map[string]any{"name": "whoami"}); got.Status != http.StatusOK || !strings.Contains(got.Body, principalTokens[tc.owner].ClientID) {
				t.Errorf("owner after intrusion: %+v", got)
			}
			refreshed := &httpSession{t: t, url: url, token: tc.refresh, session: live}
			if got := refreshed.post("tools/call", map[string]any{"name": "whoami"}); got.Status != http.StatusOK || !strings.Contains(got.Body, describeToken(new(principalTokens[tc.refresh]))) {
				t.Errorf("refreshed token of the owner: %+v", got)
			}
			// The owner's GET stream opens; the owner ends the session.
			sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			if got := rawHTTP(t, sctx, http.MethodGet, url, tc.owner, live, ""); got.Status != http.StatusOK {
				t.Errorf("owner's GET stream: %d %q", got.Status, got.Body)
			}
			cancel()
			if got := rawHTTP(t, ctx, http.MethodDelete, url, tc.refresh, live, ""); got.Status != http.StatusOK {
				t.Errorf("owner's DELETE: %d %q", got.Status, got.Body)
			}
			if got := owner.post("tools/list", nil); got.Status != http.StatusNotFound {
				t.Errorf("after DELETE: %+v", got)
			}
		})
	}
}

// TestSessionStreamNotShared: a notification sent to a session reaches the
// owner's GET stream; another principal cannot open that stream at all.
func TestSessionStreamNotShared(t *testing.T) {
	srv := fixture()
	ts := httptest.NewServer(srv.HTTPHandler(mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens))))
	defer ts.Close()
	url := ts.URL + "/mcp"
	owner := newHTTPSession(t, url, "alice-1", false)

	got := make(chan rawAnswer, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	go func() { got <- rawHTTP(t, ctx, http.MethodGet, url, "bob", owner.session, "") }()
	bob := <-got
	if bob.Status != http.StatusNotFound {
		t.Fatalf("bob's GET on alice's session: %d %q", bob.Status, bob.Body)
	}

	streamCtx, stop := context.WithCancel(context.Background())
	go func() { got <- rawHTTP(t, streamCtx, http.MethodGet, url, "alice-1", owner.session, "") }()
	deadline := time.Now().Add(2 * time.Second)
	for srv.MCP().SendNotificationToSpecificClient(owner.session, "notifications/message", map[string]any{"data": "for alice"}) != nil {
		if time.Now().After(deadline) {
			t.Fatal("alice's stream never opened")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	stop()
	alice := <-got
	if !strings.Contains(alice.Body, "for alice") {
		t.Errorf("alice's stream: %d %q", alice.Status, alice.Body)
	}
}

// TestModernRequestsIgnoreSessions: protocol 2026-07-28 has no sessions,
// so a session ID on a modern request, anyone's, changes nothing.
func TestModernRequestsIgnoreSessions(t *testing.T) {
	ts, _ := newPrincipalServer(t)
	url := ts.URL + "/mcp"
	alice := newHTTPSession(t, url, "alice-1", false)
	bob := newHTTPSession(t, url, "bob", true)
	bob.session = alice.session // sent only by legacy sessions; set the header by hand below
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"}}}}`
	for _, session := range []string{alice.session, "mcp-session-nonsense"} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer bob")
		req.Header.Set("Mcp-Session-Id", session)
		req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20260728)
		req.Header.Set("Mcp-Method", "tools/list")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "read_tool") || strings.Contains(string(b), "admin_tool") {
			t.Errorf("modern tools/list with session %q: %d %s", session, resp.StatusCode, b)
		}
	}
}

// TestSessionIdleTimeout: sessions nobody uses end, and what the server
// kept for them is freed.
func TestSessionIdleTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for sessions to expire")
	}
	ts, h := newPrincipalServer(t, mcpruntime.WithSessionIdleTimeout(time.Second))
	url := ts.URL + "/mcp"
	first := newHTTPSession(t, url, "bob", false)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	const n = 500
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	for range n {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(init))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer bob")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if got := mcpruntime.SessionCount(h); got != n+1 {
		t.Fatalf("%d live sessions, want %d", got, n+1)
	}
	grown := heap()
	deadline := time.Now().Add(5 * time.Second)
	for mcpruntime.SessionCount(h) != 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := mcpruntime.SessionCount(h); got != 0 {
		t.Fatalf("%d sessions left after the idle timeout", got)
	}
	after := heap()
	t.Logf("heap: %d before, %d with %d sessions, %d after they expired", before, grown, n, after)
	if after > before+(grown-before)/2 {
		t.Errorf("heap after expiry %d, want near %d (it was %d with the sessions)", after, before, grown)
	}
	if got := first.post("tools/list", nil); got.Status != http.StatusNotFound {
		t.Errorf("expired session: %+v, want 404", got)
	}
}

// TestStatelessHasNoSessions: WithStateless issues no session ID, answers
// every POST on its own, and refuses GET and DELETE.
func TestStatelessHasNoSessions(t *testing.T) {
	ts, _ := newPrincipalServer(t, mcpruntime.WithStateless())
	url := ts.URL + "/mcp"
	s := &httpSession{t: t, url: url, token: "bob"}
	init := s.post("initialize", map[string]any{"protocolVersion": mcp.ProtocolVersion20251125, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	if init.Status != http.StatusOK || s.session != "" {
		t.Fatalf("initialize: %+v, session %q", init, s.session)
	}
	if got := s.post("tools/call", map[string]any{"name": "whoami"}); !strings.Contains(got.Body, "bob [read]") {
		t.Errorf("tools/call: %+v", got)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		if got := rawHTTP(t, context.Background(), m, url, "bob", "", ""); got.Status != http.StatusMethodNotAllowed || got.Header.Get("Allow") != "POST" {
			t.Errorf("%s: %d %v", m, got.Status, got.Header)
		}
	}
}

// TestSessionBindingReadsProtocolAsMCPGo: a legacy request is not let past
// the session check by a _meta whose protocol version only the runtime
// would read as 2026-07-28 (a key in another case, which encoding/json
// matches to a struct field but mcp-go's map lookup does not, or a
// duplicate key): mcp-go serves it on the session it names, so it must
// be answered as for an unknown session.
func TestSessionBindingReadsProtocolAsMCPGo(t *testing.T) {
	ts, _ := newPrincipalServer(t)
	url := ts.URL + "/mcp"
	alice := newHTTPSession(t, url, "alice-1", false)
	for _, meta := range []string{
		`{"IO.MODELCONTEXTPROTOCOL/PROTOCOLVERSION":"2026-07-28"}`,
		`{"io.modelcontextprotocol/protocolVersion":"2025-11-25","io.modelcontextprotocol/protocolversion":"2026-07-28"}`,
	} {
		for _, body := range []string{
			`{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug","_meta":` + meta + `}}`,
			`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":` + meta + `}}`,
			`{"jsonrpc":"2.0","id":7,"result":{"role":"assistant","content":{"type":"text","text":"forged"},"model":"m"},"params":{"_meta":` + meta + `}}`,
			// mcp-go's decoding of _meta fails at the first: no version.
			`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":"x","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
		} {
			got := rawHTTP(t, context.Background(), http.MethodPost, url, "bob", alice.session, body)
			if got.Status != http.StatusNotFound || got.Body != "Invalid session ID\n" {
				t.Errorf("bob on alice's session with _meta %s:\n%s\n=> %d %q, want 404 Invalid session ID", meta, body, got.Status, got.Body)
			}
		}
	}
}

// TestSessionBoundWithoutIdentity: a verifier of its own may return tokens
// that name nobody (no subject, no client, no Token text: an API-key
// verifier that returns only scopes, say). Each bearer token is then its
// own principal: another key on a live session is answered as for an
// unknown session, not served as if both keys were one principal.
func TestSessionBoundWithoutIdentity(t *testing.T) {
	keys := map[string][]string{"key-1": {"read"}, "key-2": {"read"}}
	srv := fixture()
	ts := httptest.NewServer(srv.HTTPHandler(mcpruntime.WithTokenVerifier(verifierFunc(func(_ context.Context, raw string) (*mcpruntime.AccessToken, error) {
		if scopes, ok := keys[raw]; ok {
			return &mcpruntime.AccessToken{Scopes: scopes}, nil
		}
		return nil, mcpruntime.ErrInvalidToken
	}))))
	defer ts.Close()
	url := ts.URL + "/mcp"
	owner := newHTTPSession(t, url, "key-1", false)
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	if got := rawHTTP(t, context.Background(), http.MethodPost, url, "key-2", owner.session, body); got.Status != http.StatusNotFound || got.Body != "Invalid session ID\n" {
		t.Errorf("key-2 on key-1's session: %d %q, want 404 Invalid session ID", got.Status, got.Body)
	}
	if got := owner.post("tools/list", nil); got.Status != http.StatusOK {
		t.Errorf("key-1 on its own session: %+v", got)
	}
}
