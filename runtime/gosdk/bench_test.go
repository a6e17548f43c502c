package gosdk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// The benchmarks compare the go-sdk backend with the bare go-sdk, each
// measured in the same run (see README, "Measurements"): benchstat or the
// ns/op of the sub-benchmarks give the ratios.

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

// BenchmarkToolCall compares tools/call of a tool with a scope chain on the
// go-sdk backend with the same tool on the bare go-sdk: in process (the
// SDK's in-memory transports) and over Streamable HTTP, where the bare
// server checks the bearer token with the SDK's own auth.RequireBearerToken
// and a verifier of the same map.
func BenchmarkToolCall(b *testing.B) {
	run := func(b *testing.B, cs *mcp.ClientSession) {
		b.ReportAllocs()
		params := &mcp.CallToolParams{Name: "echo"}
		for b.Loop() {
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
	b.Run("inprocess/bare", func(b *testing.B) {
		run(b, memClient(b, context.Background(), bareServer().Connect))
	})
	b.Run("inprocess/auth=scopes", func(b *testing.B) {
		run(b, memClient(b, gosdk.ContextWithAccessToken(context.Background(), &benchReader), authServer().Connect))
	})
	b.Run("http/bare", func(b *testing.B) {
		verify := func(_ context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
			if token != benchReader.Token {
				return nil, auth.ErrInvalidToken
			}
			return &auth.TokenInfo{Scopes: benchReader.Scopes, UserID: "reader"}, nil
		}
		h := auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(bareHandler(bareServer()))
		run(b, httpClient(b, h, benchReader.Token))
	})
	b.Run("http/auth=scopes", func(b *testing.B) {
		h := authServer().HTTPHandler(gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(map[string]gosdk.AccessToken{benchReader.Token: benchReader})))
		run(b, httpClient(b, h, benchReader.Token))
	})
}

// BenchmarkToolsList10k lists all 10,000 tools (every page, with the
// SDK's default page size): on the bare go-sdk, on the go-sdk backend for
// a token that sees all of them, and for one that sees 1%. Every tool
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
	run := func(b *testing.B, cs *mcp.ClientSession, want int) {
		b.ReportAllocs()
		for b.Loop() {
			got, cursor := 0, ""
			for {
				res, err := cs.ListTools(context.Background(), &mcp.ListToolsParams{Cursor: cursor})
				if err != nil {
					b.Fatal(err)
				}
				got += len(res.Tools)
				if cursor = res.NextCursor; cursor == "" {
					break
				}
			}
			if got != want {
				b.Fatalf("%d tools, want %d", got, want)
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		s := mcp.NewServer(&mcp.Implementation{Name: "bare", Version: "1"}, nil)
		for i := range n {
			t := tool(i)
			t.Meta = mcp.Meta{gosdk.AuthorizationMetaKey: map[string]any{"scopes": []string{scope(i)}}}
			mcp.AddTool(s, t, echo)
		}
		run(b, memClient(b, context.Background(), s.Connect), n)
	})
	authed := func(b *testing.B, tok *gosdk.AccessToken) *mcp.ClientSession {
		s := gosdk.NewServer(&mcp.Implementation{Name: "auth", Version: "1"}, nil)
		for i := range n {
			gosdk.AddTool(s, tool(i), echo, gosdk.WithScopes(scope(i)))
		}
		return memClient(b, gosdk.ContextWithAccessToken(context.Background(), tok), s.Connect)
	}
	b.Run("auth/sees=all", func(b *testing.B) {
		run(b, authed(b, &gosdk.AccessToken{Scopes: []string{"common", "rare"}}), n)
	})
	b.Run("auth/sees=1%", func(b *testing.B) {
		run(b, authed(b, &gosdk.AccessToken{Scopes: []string{"rare"}}), n/100)
	})
}
