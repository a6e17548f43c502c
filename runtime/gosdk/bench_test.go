package gosdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// The benchmarks compare the go-sdk backend with the bare go-sdk in the
// same run, alternating the two, and report the ratio of their median
// times per call (metric "ratio").

func echo(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil, nil
}

// memClient connects a go-sdk client to connect (a bare server's or a
// gosdk.Server's Connect) in memory; ctx is the server side's context.
func memClient(b *testing.B, ctx context.Context, connect func(context.Context, mcp.Transport, *mcp.ServerSessionOptions) (*mcp.ServerSession, error)) *mcp.ClientSession {
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(ctx)
	b.Cleanup(cancel)
	if _, err := connect(ctx, st, nil); err != nil {
		b.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cs.Close() })
	return cs
}

// httpClient connects a go-sdk client over Streamable HTTP to h, sending
// token as a bearer token.
func httpClient(b *testing.B, h http.Handler, token string) *mcp.ClientSession {
	ts := httptest.NewServer(h)
	b.Cleanup(ts.Close)
	hc := &http.Client{Transport: bearer{token, http.DefaultTransport}}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).
		Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: ts.URL, HTTPClient: hc}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cs.Close() })
	return cs
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (t bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

var benchReader = gosdk.AccessToken{Token: "reader-token", ClientID: "reader", Scopes: []string{"read"}}

// compare runs base and ours alternately, once each per iteration, which
// one first alternating too, so that load elsewhere on the machine weighs
// on both alike, and reports each one's median time per call and the
// ratio of the medians (ours/base): medians, because a pause that lands on
// a few calls says nothing about either. With collect, the heap is
// collected before each timed call, so that one call's garbage is not
// collected in the other's time (for calls that allocate hundreds of MB).
func compare(b *testing.B, collect bool, base, ours func()) {
	base() // warm both up
	ours()
	var tb, to []time.Duration
	timed := func(f func(), into *[]time.Duration) {
		if collect {
			goruntime.GC()
		}
		start := time.Now()
		f()
		*into = append(*into, time.Since(start))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(base, &tb)
			timed(ours, &to)
		} else {
			timed(ours, &to)
			timed(base, &tb)
		}
	}
	mb, mo := median(tb), median(to)
	b.ReportMetric(float64(mb.Nanoseconds()), "bare-ns/call")
	b.ReportMetric(float64(mo.Nanoseconds()), "gosdk-ns/call")
	b.ReportMetric(float64(mo)/float64(mb), "ratio")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkToolCall compares tools/call of a tool with a scope chain on the
// go-sdk backend with the same tool on the bare go-sdk (the ratio is
// gosdk/bare): in process, over the SDK's in-memory transports, and over
// Streamable HTTP, where the bare server checks the bearer token with the
// SDK's own auth.RequireBearerToken and a verifier of the same one token.
func BenchmarkToolCall(b *testing.B) {
	call := func(cs *mcp.ClientSession) func() {
		params := &mcp.CallToolParams{Name: "echo"}
		return func() {
			if res, err := cs.CallTool(context.Background(), params); err != nil || res.IsError {
				b.Fatal(res, err)
			}
		}
	}
	bareServer := func() *mcp.Server {
		s := mcp.NewServer(&mcp.Implementation{Name: "bare", Version: "1"}, nil)
		mcp.AddTool(s, &mcp.Tool{Name: "echo"}, echo)
		return s
	}
	authServer := func() *gosdk.Server {
		s := gosdk.NewServer(&mcp.Implementation{Name: "auth", Version: "1"}, nil)
		gosdk.AddTool(s, &mcp.Tool{Name: "echo"}, echo, gosdk.WithScopes("read"))
		return s
	}
	b.Run("inprocess", func(b *testing.B) {
		compare(b, false,
			call(memClient(b, context.Background(), bareServer().Connect)),
			call(memClient(b, gosdk.ContextWithAccessToken(context.Background(), &benchReader), authServer().Connect)))
	})
	b.Run("http", func(b *testing.B) {
		verify := func(_ context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
			if token != benchReader.Token {
				return nil, auth.ErrInvalidToken
			}
			return &auth.TokenInfo{Scopes: benchReader.Scopes, UserID: "reader"}, nil
		}
		bare := auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(bareHandler(bareServer()))
		ours := authServer().HTTPHandler(gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(map[string]gosdk.AccessToken{benchReader.Token: benchReader})))
		compare(b, false, call(httpClient(b, bare, benchReader.Token)), call(httpClient(b, ours, benchReader.Token)))
	})
}

// rawSession is the client end of an in-memory connection that speaks raw
// JSON-RPC, so that a benchmark measures the server's answer and not a
// client's decoding of it.
type rawSession struct {
	b    *testing.B
	conn mcp.Connection
	next int64
}

func rawSessionOf(b *testing.B, ctx context.Context, connect func(context.Context, mcp.Transport, *mcp.ServerSessionOptions) (*mcp.ServerSession, error)) *rawSession {
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(ctx)
	b.Cleanup(cancel)
	if _, err := connect(ctx, st, nil); err != nil {
		b.Fatal(err)
	}
	conn, err := ct.Connect(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	s := &rawSession{b: b, conn: conn}
	s.call("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "bench", "version": "1"}})
	if err := conn.Write(context.Background(), &jsonrpc.Request{Method: "notifications/initialized", Params: json.RawMessage(`{}`)}); err != nil {
		b.Fatal(err)
	}
	return s
}

// call sends a request and returns the raw result of its answer.
func (s *rawSession) call(method string, params any) json.RawMessage {
	s.next++
	id, _ := jsonrpc.MakeID(float64(s.next))
	raw, err := json.Marshal(params)
	if err != nil {
		s.b.Fatal(err)
	}
	if err := s.conn.Write(context.Background(), &jsonrpc.Request{ID: id, Method: method, Params: raw}); err != nil {
		s.b.Fatal(err)
	}
	for {
		msg, err := s.conn.Read(context.Background())
		if err != nil {
			s.b.Fatal(err)
		}
		if resp, ok := msg.(*jsonrpc.Response); ok {
			if resp.Error != nil {
				s.b.Fatal(resp.Error)
			}
			return resp.Result
		}
	}
}

// BenchmarkToolsList10k lists all 10,000 tools (every page, at the SDK's
// default page size) on the bare go-sdk and on the go-sdk backend, for a
// token that sees all of them and for one that sees 1% (the ratio is
// gosdk/bare), over raw in-memory connections: what is measured is the
// server's work, the answers' JSON included, not a client's. Every tool
// requires one scope, which the backend publishes in its _meta; the bare
// server's tools carry the same _meta.
func BenchmarkToolsList10k(b *testing.B) {
	const n = 10000
	scope := func(i int) string {
		if i%100 == 0 {
			return "rare"
		}
		return "common"
	}
	tool := func(i int) *mcp.Tool {
		return &mcp.Tool{Name: fmt.Sprintf("tool_%05d", i), Description: "a tool"}
	}
	list := func(s *rawSession, want int) func() {
		return func() {
			got, cursor := 0, ""
			for {
				var page struct {
					NextCursor string            `json:"nextCursor"`
					Tools      []json.RawMessage `json:"tools"`
				}
				if err := json.Unmarshal(s.call("tools/list", map[string]any{"cursor": cursor}), &page); err != nil {
					b.Fatal(err)
				}
				got += len(page.Tools)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if got != want {
				b.Fatalf("%d tools, want %d", got, want)
			}
		}
	}
	bare := mcp.NewServer(&mcp.Implementation{Name: "bare", Version: "1"}, nil)
	for i := range n {
		t := tool(i)
		t.Meta = mcp.Meta{gosdk.AuthorizationMetaKey: map[string]any{"scopes": []string{scope(i)}}}
		mcp.AddTool(bare, t, echo)
	}
	authed := gosdk.NewServer(&mcp.Implementation{Name: "auth", Version: "1"}, nil)
	for i := range n {
		gosdk.AddTool(authed, tool(i), echo, gosdk.WithScopes(scope(i)))
	}
	b.Run("sees=all", func(b *testing.B) {
		compare(b, true, list(rawSessionOf(b, context.Background(), bare.Connect), n),
			list(rawSessionOf(b, gosdk.ContextWithAccessToken(context.Background(), &gosdk.AccessToken{Scopes: []string{"common", "rare"}}), authed.Connect), n))
	})
	b.Run("sees=1%", func(b *testing.B) {
		compare(b, true, list(rawSessionOf(b, context.Background(), bare.Connect), n),
			list(rawSessionOf(b, gosdk.ContextWithAccessToken(context.Background(), &gosdk.AccessToken{Scopes: []string{"rare"}}), authed.Connect), n/100))
	})
}
