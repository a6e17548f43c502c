// Package mcpwire is a raw MCP client over Streamable HTTP, for tests that
// compare servers by what they write: it sends JSON-RPC messages and
// returns the bytes of the answers, so that two answers (two backends, or a
// hidden and a missing component) can be compared byte for byte.
package mcpwire

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// ProtocolVersion is the version sessions negotiate.
const ProtocolVersion = "2025-11-25"

// Session is an initialized MCP session at one URL, as one bearer token.
type Session struct {
	t     testing.TB
	URL   string
	Token string // bearer token; "" for none
	ID    string // Mcp-Session-Id
	Next  int    // id of the next request
}

// Connect opens an initialized session at url with token ("" for none).
func Connect(t testing.TB, url, token string) *Session {
	t.Helper()
	s := &Session{t: t, URL: url, Token: token, Next: 1}
	resp, body := s.Send(map[string]any{
		"jsonrpc": "2.0", "id": 0, "method": "initialize",
		"params": map[string]any{
			"protocolVersion": ProtocolVersion,
			"capabilities":    map[string]any{},
			"clientInfo":      map[string]any{"name": "mcpwire", "version": "1"},
		},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("initialize: %s: %s", resp.Status, body)
	}
	s.ID = resp.Header.Get("Mcp-Session-Id")
	resp, body = s.Send(map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"})
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		t.Fatalf("notifications/initialized: %s: %s", resp.Status, body)
	}
	return s
}

// Bind returns s, a Session made as a literal (to speak on a session of
// another's, say), ready to send as t's.
func Bind(t testing.TB, s *Session) *Session {
	s.t = t
	if s.Next == 0 {
		s.Next = 1
	}
	return s
}

// Call sends a request (params nil for none) and returns its answer: the
// JSON-RPC response message as the server wrote it.
func (s *Session) Call(method string, params any) []byte {
	s.t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "id": s.Next, "method": method}
	if params != nil {
		msg["params"] = params
	}
	s.Next++
	resp, body := s.Send(msg)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("%s: %s: %s", method, resp.Status, body)
	}
	return body
}

// Send posts msg and returns the response, with the body of a JSON
// response or the data of the first response message of an event stream.
func (s *Session) Send(msg any) (*http.Response, []byte) {
	s.t.Helper()
	b, err := json.Marshal(msg)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	if s.ID != "" {
		req.Header.Set("Mcp-Session-Id", s.ID)
		req.Header.Set("Mcp-Protocol-Version", ProtocolVersion)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		body, err := firstResponse(resp.Body)
		if err != nil {
			s.t.Fatal(err)
		}
		return resp, body
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, bytes.TrimSpace(body)
}

// firstResponse reads an event stream up to its first JSON-RPC response
// (a message with an id and a result or an error) and returns its data.
func firstResponse(r io.Reader) ([]byte, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue
		}
		data = strings.TrimPrefix(data, " ")
		var head struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal([]byte(data), &head) == nil && head.ID != nil && (head.Result != nil || head.Error != nil) {
			return []byte(data), nil
		}
	}
	return nil, fmt.Errorf("no response in the event stream (%v)", sc.Err())
}

// Result decodes the result of an answer into v, failing on an error.
func Result(t testing.TB, answer []byte, v any) {
	t.Helper()
	var msg struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(answer, &msg); err != nil || msg.Result == nil {
		t.Fatalf("not a result: %s", answer)
	}
	if err := json.Unmarshal(msg.Result, v); err != nil {
		t.Fatalf("decoding %s: %v", msg.Result, err)
	}
}

// Error is a JSON-RPC error of an answer.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// ErrorOf returns the error of an answer, or nil for a result.
func ErrorOf(t testing.TB, answer []byte) *Error {
	t.Helper()
	var msg struct {
		Error *Error `json:"error"`
	}
	if err := json.Unmarshal(answer, &msg); err != nil {
		t.Fatalf("not a JSON-RPC message: %s", answer)
	}
	return msg.Error
}

// Names lists the name (for resources the URI, for templates the URI
// template) of each item of a list answer's member key, and its
// nextCursor.
func Names(t testing.TB, answer []byte, key string) ([]string, string) {
	t.Helper()
	var res map[string]json.RawMessage
	Result(t, answer, &res)
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

// ToolText returns the isError flag and the text of the first content of
// a tools/call answer.
func ToolText(t testing.TB, answer []byte) (bool, string) {
	t.Helper()
	var res struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	Result(t, answer, &res)
	if len(res.Content) == 0 {
		return res.IsError, ""
	}
	return res.IsError, res.Content[0].Text
}
