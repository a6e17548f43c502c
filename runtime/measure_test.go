package runtime_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// This file holds the measurements behind the hardening notes: the HTTP
// tools/call benchmark, and two long runs that only run when asked, so
// that `make test` stays short:
//
//	MCPAUTHGEN_MEASURE=rss  MCPAUTHGEN_MEASURE_SERVER=runtime|bare go test -run TestMeasureLargeBody -v ./runtime
//	MCPAUTHGEN_MEASURE=load [MCPAUTHGEN_LOAD_DURATION=30s] go test -run TestMeasureLoad -v -timeout 5m ./runtime

// rawClient posts prebuilt JSON-RPC bodies over one keep-alive connection
// pool: a client lean enough that what a benchmark measures is the server.
type rawClient struct {
	c       *http.Client
	url     string
	token   string
	session string
}

func newRawClient(url, token string, conns int) *rawClient {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	return &rawClient{c: &http.Client{Transport: tr}, url: url, token: token}
}

func (c *rawClient) post(body []byte, token string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c.session != "" {
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
		c.session = id
	}
	return resp.StatusCode, b, err
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`

func (c *rawClient) initialize() error {
	if status, b, err := c.post([]byte(initBody), c.token); err != nil || status != http.StatusOK {
		return fmt.Errorf("initialize: %d %s %v", status, b, err)
	}
	if status, b, err := c.post([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`), c.token); err != nil || status != http.StatusAccepted {
		return fmt.Errorf("initialized: %d %s %v", status, b, err)
	}
	return nil
}

// bareServer is mcp-go alone, serving echo and the fixture's tools
// (without their checks) over Streamable HTTP with stateful sessions, as
// HTTPHandler does.
func bareServer() http.Handler {
	s := server.NewMCPServer("bare", "1.0.0")
	s.AddTool(mcp.NewTool("echo"), echo)
	for _, name := range []string{"public_tool", "read_tool", "write_tool", "admin_tool", "tagged_tool", "whoami"} {
		tool, h := textTool(name)
		s.AddTool(tool, h)
	}
	return server.NewStreamableHTTPServer(s, server.WithStateful(true))
}

// BenchmarkHTTPToolCall measures a tools/call over loopback HTTP, one
// session, on bare mcp-go and on the runtime (without a verifier, and with
// a static verifier and a tool with a scope check); B/op and allocs/op
// include the (same, lean) client's. It logs the runtime's cost relative to bare
// mcp-go.
func BenchmarkHTTPToolCall(b *testing.B) {
	type result struct{ ns, bytes, allocs float64 }
	results := map[string]result{}
	body := []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"}}`)
	for _, name := range []string{"bare", "runtime", "runtime+verifier"} {
		b.Run(name, func(b *testing.B) {
			var h http.Handler
			token := ""
			switch name {
			case "bare":
				h = bareServer()
			case "runtime":
				// No verifier: a tool without checks.
				srv := runtime.NewServer("bench", "1.0.0")
				srv.AddTool(mcp.NewTool("echo"), echo)
				h = srv.HTTPHandler()
			case "runtime+verifier":
				// A static verifier, and a tool with a scope check.
				srv := runtime.NewServer("bench", "1.0.0")
				srv.AddTool(mcp.NewTool("echo"), echo, runtime.WithScopes("read"))
				h = srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens)))
				token = "bob"
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			c := newRawClient(ts.URL, token, 1)
			if err := c.initialize(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var m0, m1 runtimeMemStats
			m0.read()
			b.ResetTimer()
			for b.Loop() {
				status, out, err := c.post(body, token)
				if err != nil || status != http.StatusOK || !bytes.Contains(out, []byte(`"ok"`)) {
					b.Fatalf("%d %s %v", status, out, err)
				}
			}
			b.StopTimer()
			m1.read()
			n := float64(b.N)
			results[name] = result{float64(b.Elapsed().Nanoseconds()) / n, float64(m1.bytes-m0.bytes) / n, float64(m1.allocs-m0.allocs) / n}
		})
	}
	if bare, ok := results["bare"]; ok {
		for _, name := range []string{"runtime", "runtime+verifier"} {
			if r, ok := results[name]; ok {
				b.Logf("%s vs bare mcp-go: %+.0f B/op, %+.1f allocs/op, %.2fx ns/op", name, r.bytes-bare.bytes, r.allocs-bare.allocs, r.ns/bare.ns)
			}
		}
	}
}

type runtimeMemStats struct{ bytes, allocs uint64 }

func (m *runtimeMemStats) read() {
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	m.bytes, m.allocs = ms.TotalAlloc, ms.Mallocs
}

// procStatus reads a field of /proc/self/status in kB (Linux only).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// TestMeasureLargeBody sends a 256 MiB tools/call, once with its
// Content-Length and once chunked, to a server in this process (the
// runtime's handler with a verifier and a valid low-scope token, or bare
// mcp-go), and reports the process's peak RSS (VmHWM) before and after.
// The client streams the body without holding it.
func TestMeasureLargeBody(t *testing.T) {
	if os.Getenv("MCPAUTHGEN_MEASURE") != "rss" {
		t.Skip("set MCPAUTHGEN_MEASURE=rss (and MCPAUTHGEN_MEASURE_SERVER=runtime or bare)")
	}
	kind := os.Getenv("MCPAUTHGEN_MEASURE_SERVER")
	var h http.Handler
	token := ""
	switch kind {
	case "bare":
		h = bareServer()
	case "runtime", "":
		kind = "runtime"
		srv := runtime.NewServer("rss", "1.0.0")
		srv.AddTool(mcp.NewTool("echo", mcp.WithString("text")), echo, runtime.WithScopes("read"))
		h = srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens)), runtime.WithStateless())
		token = "bob"
	default:
		t.Fatalf("MCPAUTHGEN_MEASURE_SERVER=%q: want runtime or bare", kind)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	c := newRawClient(ts.URL, token, 1)
	if kind == "bare" {
		if err := c.initialize(); err != nil {
			t.Fatal(err)
		}
	}
	const size = 256 << 20
	before := procStatus("VmHWM")
	for _, chunked := range []bool{false, true} {
		start := time.Now()
		req, _ := http.NewRequest(http.MethodPost, ts.URL, bigCall(size))
		req.ContentLength = size
		if chunked {
			req.ContentLength = -1
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if c.session != "" {
			req.Header.Set("Mcp-Session-Id", c.session)
		}
		resp, err := c.c.Do(req)
		status := 0
		if err == nil {
			status = resp.StatusCode
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		t.Logf("%s, 256 MiB body, chunked=%v: status %d (err %v) in %v; peak RSS now %d MiB", kind, chunked, status, err, time.Since(start).Round(time.Millisecond), procStatus("VmHWM")>>10)
	}
	t.Logf("%s: peak RSS %d MiB before the large bodies, %d MiB after", kind, before>>10, procStatus("VmHWM")>>10)
}

// loadToken is what a load client sends, and what it must see.
type loadToken struct {
	token   string
	whoami  string   // whoami's text for this token
	tools   []string // tools/list for this token, sorted
	admin   bool     // may call admin_tool
	foreign string   // another principal's token, tried on this session
}

// TestMeasureLoad runs 64 clients against the fixture over loopback HTTP
// for MCPAUTHGEN_LOAD_DURATION (default 30s): each has its own session and
// loops over tools/call whoami, tools/list and tools/call admin_tool,
// checking every answer against what its token may see. Some clients
// refresh their token on their session (the same principal), and some try
// another principal's token on it, which must answer 404 and change
// nothing. Then the same 64 clients run against bare mcp-go serving the
// same tools without checks, with the same three requests, for comparison. It reports requests per
// second, wrong answers (which fail the test) and RSS before and after.
func TestMeasureLoad(t *testing.T) {
	if os.Getenv("MCPAUTHGEN_MEASURE") != "load" {
		t.Skip("set MCPAUTHGEN_MEASURE=load")
	}
	d := 30 * time.Second
	if v := os.Getenv("MCPAUTHGEN_LOAD_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatal(err)
		}
	}
	const clients = 64
	visible := func(extra ...string) []string {
		return slices.Sorted(slices.Values(append([]string{"public_tool", "read_tool", "tagged_tool", "whoami"}, extra...)))
	}
	kinds := []loadToken{
		{token: "alice-1", whoami: describeToken(new(principalTokens["alice-1"])), tools: visible("write_tool", "admin_tool"), admin: true, foreign: "bob"},
		{token: "bob", whoami: describeToken(new(principalTokens["bob"])), tools: visible(), foreign: "alice-1"},
		{token: "carol", whoami: describeToken(new(principalTokens["carol"])), tools: visible(), foreign: "dave"},
		{token: "dave", whoami: describeToken(new(principalTokens["dave"])), tools: visible(), foreign: "carol"},
	}
	alice2 := loadToken{token: "alice-2", whoami: describeToken(new(principalTokens["alice-2"])), tools: visible(), foreign: "bob"}

	srv := fixture()
	ts := httptest.NewServer(srv.HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(principalTokens))))
	defer ts.Close()
	rssBefore := procStatus("VmRSS")

	var requests, wrong atomic.Int64
	var firstWrong sync.Once
	report := func(format string, args ...any) {
		wrong.Add(1)
		firstWrong.Do(func() { t.Errorf("first wrong answer: "+format, args...) })
	}
	whoami := []byte(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami"}}`)
	list := []byte(`{"jsonrpc":"2.0","id":4,"method":"tools/list"}`)
	admin := []byte(`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"admin_tool"}}`)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := kinds[i%len(kinds)]
			c := newRawClient(ts.URL, own.token, 1)
			if err := c.initialize(); err != nil {
				report("client %d: %v", i, err)
				return
			}
			refreshes := i%8 == 0 // alice's clients 0, 8, ... refresh to alice-2 and back
			intrudes := i%8 == 1  // bob's clients 1, 9, ... try alice's token on their session
			for n := 0; ctx.Err() == nil; n++ {
				cur := own
				if refreshes && n%2 == 1 {
					cur = alice2
				}
				if intrudes && n%5 == 4 {
					status, b, err := c.post(whoami, cur.foreign)
					requests.Add(1)
					if err != nil || status != http.StatusNotFound || string(b) != "Invalid session ID\n" {
						report("client %d: %s on %s's session: %d %q %v", i, cur.foreign, cur.token, status, b, err)
					}
					continue
				}
				status, b, err := c.post(whoami, cur.token)
				requests.Add(1)
				if err != nil || status != http.StatusOK || !bytes.Contains(b, []byte(`"text":"`+cur.whoami+`"`)) {
					report("client %d (%s): whoami: %d %s %v", i, cur.token, status, b, err)
				}
				status, b, err = c.post(list, cur.token)
				requests.Add(1)
				var got []string
				for _, name := range []string{"public_tool", "read_tool", "write_tool", "admin_tool", "tagged_tool", "whoami"} {
					if bytes.Contains(b, []byte(`"name":"`+name+`"`)) {
						got = append(got, name)
					}
				}
				slices.Sort(got)
				if err != nil || status != http.StatusOK || !slices.Equal(got, cur.tools) {
					report("client %d (%s): tools/list %v, want %v (%d %v)", i, cur.token, got, cur.tools, status, err)
				}
				status, b, err = c.post(admin, cur.token)
				requests.Add(1)
				allowed := bytes.Contains(b, []byte(`admin_tool ok`))
				hidden := bytes.Contains(b, []byte(`"message":"tool 'admin_tool' not found: tool not found"`))
				if err != nil || status != http.StatusOK || allowed != cur.admin || hidden == cur.admin {
					report("client %d (%s): admin_tool: %d %s %v", i, cur.token, status, b, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	rssAfter := procStatus("VmRSS")
	ts.Close()
	rate := float64(requests.Load()) / elapsed.Seconds()
	t.Logf("runtime: %d clients, %v: %d requests, %.0f req/s, %d wrong answers; RSS %d MiB before, %d MiB after, %d live sessions",
		clients, elapsed.Round(time.Millisecond), requests.Load(), rate, wrong.Load(), rssBefore>>10, rssAfter>>10, clients)

	// Bare mcp-go: the same requests, no authorization.
	bare := httptest.NewServer(bareServer())
	defer bare.Close()
	var bareRequests atomic.Int64
	ctx, cancel = context.WithTimeout(context.Background(), d)
	defer cancel()
	start = time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newRawClient(bare.URL, "", 1)
			if err := c.initialize(); err != nil {
				t.Error(err)
				return
			}
			for ctx.Err() == nil {
				for _, body := range [][]byte{whoami, list, admin} {
					if status, _, err := c.post(body, ""); err != nil || status != http.StatusOK {
						t.Errorf("bare: %d %v", status, err)
						return
					}
					bareRequests.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	bareRate := float64(bareRequests.Load()) / time.Since(start).Seconds()
	t.Logf("bare mcp-go: %d requests, %.0f req/s; runtime/bare throughput %.2f", bareRequests.Load(), bareRate, rate/bareRate)
	if wrong.Load() != 0 {
		t.Errorf("%d wrong answers", wrong.Load())
	}
}
