package runtime_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	mcpruntime "github.com/mcpauthgen/mcpauthgen/runtime"
)

// patternReader yields n bytes of a JSON string body without holding them.
type patternReader struct{ n, off int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n-r.off)
	for i := range p[:k] {
		p[i] = 'a'
	}
	r.off += k
	return int(k), nil
}

// bigCall is a tools/call of echo whose argument makes the body size bytes
// long; its reader produces the bytes as they are sent.
func bigCall(size int64) io.Reader {
	head := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"`
	tail := `"}}}`
	return io.MultiReader(strings.NewReader(head), &patternReader{n: size - int64(len(head)+len(tail))}, strings.NewReader(tail))
}

func TestMaxBodyBytes(t *testing.T) {
	var calls atomic.Int64
	srv := mcpruntime.NewServer("limits", "1.0.0")
	srv.AddTool(mcp.NewTool("echo", mcp.WithString("text")), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		calls.Add(1)
		return mcp.NewToolResultText(req.GetString("text", "")[:1]), nil
	})
	ts := httptest.NewServer(srv.HTTPHandler(
		mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens)),
		mcpruntime.WithStateless(),
		mcpruntime.WithMaxBodyBytes(1<<10)))
	defer ts.Close()

	post := func(token string, body io.Reader, length int64) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, body)
		req.ContentLength = length // -1: chunked, the size unknown in advance
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name   string
		token  string
		size   int64
		length int64 // Content-Length sent; -1 none
		status int
	}{
		{"at the limit", "bob", 1 << 10, 1 << 10, http.StatusOK},
		{"at the limit, chunked", "bob", 1 << 10, -1, http.StatusOK},
		{"one byte over", "bob", 1<<10 + 1, 1<<10 + 1, http.StatusRequestEntityTooLarge},
		{"one byte over, chunked", "bob", 1<<10 + 1, -1, http.StatusRequestEntityTooLarge},
		{"64 MiB announced", "bob", 64 << 20, 64 << 20, http.StatusRequestEntityTooLarge},
		{"64 MiB chunked", "bob", 64 << 20, -1, http.StatusRequestEntityTooLarge},
		{"64 MiB without a token", "", 64 << 20, 64 << 20, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := calls.Load()
			status, body := post(tc.token, bigCall(tc.size), tc.length)
			if status != tc.status {
				t.Fatalf("status %d (%q), want %d", status, body, tc.status)
			}
			ran := calls.Load() - before
			if want := int64(0); tc.status != http.StatusOK && ran != want {
				t.Errorf("the tool ran %d times for a refused body", ran)
			}
			if tc.status == http.StatusOK && (ran != 1 || !strings.Contains(body, `"text":"a"`)) {
				t.Errorf("ran %d times, answered %q", ran, body)
			}
			if tc.status == http.StatusRequestEntityTooLarge && body != "Request Entity Too Large\n" {
				t.Errorf("413 body %q", body)
			}
		})
	}
}

// TestBodyReadOnce: a POST body is held once by the server, not read by the
// runtime and copied for mcp-go. The body is mostly a field nobody decodes,
// so what the server allocates per request is the body once plus a little.
func TestBodyReadOnce(t *testing.T) {
	srv := mcpruntime.NewServer("limits", "1.0.0")
	srv.AddTool(mcp.NewTool("echo"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("ok"), nil
	})
	ts := httptest.NewServer(srv.HTTPHandler(mcpruntime.WithStateless()))
	defer ts.Close()
	const size = 3 << 20
	pad := strings.Repeat("a", size)
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","pad":"` + pad + `"}}`)
	post := func() {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"ok"`) {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
	}
	post() // warm up connections and pools
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	const n = 4
	for range n {
		post()
	}
	runtime.ReadMemStats(&m1)
	perRequest := (m1.TotalAlloc - m0.TotalAlloc) / n
	t.Logf("%d bytes allocated per request of %d bytes", perRequest, len(body))
	if perRequest > uint64(len(body))*3/2 {
		t.Errorf("%d bytes allocated per request of %d bytes: the body is held more than once", perRequest, len(body))
	}
}
