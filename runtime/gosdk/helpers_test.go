package gosdk_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// protocolVersion is the version the raw test sessions negotiate.
const protocolVersion = "2025-11-25"

// session is a raw Streamable HTTP client: it sends JSON-RPC messages and
// returns the bytes of the answers, so that answers can be compared byte
// for byte.
type session struct {
	t     *testing.T
	url   string
	token string // bearer token; "" for none
	id    string // Mcp-Session-Id
	next  int    // next request id
}

// serve starts h on a test server and returns its URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// connect opens an initialized session at url with token.
func connect(t *testing.T, url, token string) *session {
	t.Helper()
	s := &session{t: t, url: url, token: token, next: 1}
	resp, body := s.send(map[string]any{
		"jsonrpc": "2.0", "id": 0, "method": "initialize",
		"params": map[string]any{
			"protocolVersion": protocolVersion,
			"capabilities":    map[string]any{},
			"clientInfo":      map[string]any{"name": "test", "version": "1"},
		},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("initialize: %s: %s", resp.Status, body)
	}
	s.id = resp.Header.Get("Mcp-Session-Id")
	resp, body = s.send(map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("notifications/initialized: %s: %s", resp.Status, body)
	}
	return s
}

// call sends a request and returns its answer: the JSON-RPC response
// message as the server wrote it.
func (s *session) call(method string, params any) []byte {
	s.t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "id": s.next, "method": method}
	if params != nil {
		msg["params"] = params
	}
	s.next++
	resp, body := s.send(msg)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("%s: %s: %s", method, resp.Status, body)
	}
	return body
}

// send posts msg and returns the response, with the body of a JSON
// response or the data of the event stream's first response message.
func (s *session) send(msg any) (*http.Response, []byte) {
	s.t.Helper()
	b, err := json.Marshal(msg)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if s.id != "" {
		req.Header.Set("Mcp-Session-Id", s.id)
		req.Header.Set("Mcp-Protocol-Version", protocolVersion)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp, firstResponse(s.t, resp.Body)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, bytes.TrimSpace(body)
}

// firstResponse reads an event stream up to its first JSON-RPC response
// (a message with an id and a result or an error) and returns its data.
func firstResponse(t *testing.T, r io.Reader) []byte {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var head struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal([]byte(data), &head) == nil && head.ID != nil && (head.Result != nil || head.Error != nil) {
			return []byte(data)
		}
	}
	t.Fatalf("no response in the event stream (%v)", sc.Err())
	return nil
}

// result decodes the result of an answer into v, failing on an error.
func result(t *testing.T, answer []byte, v any) {
	t.Helper()
	var msg struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(answer, &msg); err != nil || msg.Result == nil {
		t.Fatalf("not a result: %s", answer)
	}
	if err := json.Unmarshal(msg.Result, v); err != nil {
		t.Fatalf("decoding %s: %v", msg.Result, err)
	}
}

// names lists the "name" (or "uri", "uriTemplate") of each item of the
// list answer's member key, and its nextCursor.
func names(t *testing.T, answer []byte, key string) ([]string, string) {
	t.Helper()
	var res map[string]json.RawMessage
	result(t, answer, &res)
	var items []map[string]any
	if err := json.Unmarshal(res[key], &items); err != nil {
		t.Fatalf("%s: %v", answer, err)
	}
	out := []string{}
	for _, it := range items {
		for _, k := range []string{"uriTemplate", "uri", "name"} {
			if v, ok := it[k].(string); ok {
				out = append(out, v)
				break
			}
		}
	}
	var cursor string
	if c, ok := res["nextCursor"]; ok {
		cursor, _ = strconv.Unquote(string(c))
	}
	return out, cursor
}
