package runtime_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestConcurrentMixedTokens has 64 goroutines share one client, each
// calling, reading and listing as a different caller, and checks every
// answer against what that caller may do.
func TestConcurrentMixedTokens(t *testing.T) {
	srv := fixture(runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))))
	c := connect(t, srv)
	callers := []*runtime.AccessToken{nil, tokRead, tokWrite, tokAdmin}
	wantTools := map[*runtime.AccessToken]int{nil: 2, tokRead: 3, tokWrite: 4, tokAdmin: 6}
	var wg sync.WaitGroup
	errs := make(chan error, 64*20)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := callers[g%len(callers)]
			ctx := as(tok)
			for i := range 20 {
				switch i % 4 {
				case 0:
					res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
					if err != nil || len(res.Tools) != wantTools[tok] {
						errs <- fmt.Errorf("%s lists %v tools (err %v), want %d", describeToken(tok), len(res.Tools), err, wantTools[tok])
					}
				case 1:
					res, err := callTool(c, ctx, "whoami")
					if err != nil || resultText(res) != describeToken(tok) {
						errs <- fmt.Errorf("whoami as %s = %q, %v", describeToken(tok), resultText(res), err)
					}
				case 2:
					res, err := callTool(c, ctx, "write_tool")
					allowed := err == nil && !res.IsError
					if want := tok == tokWrite || tok == tokAdmin; allowed != want {
						errs <- fmt.Errorf("write_tool as %s: allowed=%v", describeToken(tok), allowed)
					}
				case 3:
					got, err := readResource(c, ctx, fmt.Sprintf("users://%d/profile", g))
					if tok == nil {
						if err == nil {
							errs <- fmt.Errorf("anonymous read a profile: %q", got)
						}
					} else if want := fmt.Sprintf("profile %d for %s", g, describeToken(tok)); got != want {
						errs <- fmt.Errorf("profile as %s = %q, %v; want %q", describeToken(tok), got, err, want)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestTokenInChecksAndHandlers checks that checks and every kind of
// handler see the token of the request being served.
func TestTokenInChecksAndHandlers(t *testing.T) {
	var seen sync.Map
	record := func(where string) runtime.AuthCheck {
		return func(ctx context.Context, ac runtime.AuthContext) (bool, error) {
			if runtime.AccessTokenFromContext(ctx) != ac.Token {
				return false, fmt.Errorf("%s: context token differs from AuthContext token", where)
			}
			seen.Store(where, describeToken(ac.Token))
			return true, nil
		}
	}
	srv := runtime.NewServer("t", "1", runtime.WithMiddleware(runtime.AuthMiddleware(record("middleware"))))
	srv.AddTool(mcp.NewTool("t"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		seen.Store("tool handler", describeToken(runtime.AccessTokenFromContext(ctx)))
		return mcp.NewToolResultText("ok"), nil
	}, runtime.WithAuth(record("tool check")))
	srv.AddResource(mcp.NewResource("r://x", "x"), func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		seen.Store("resource handler", describeToken(runtime.AccessTokenFromContext(ctx)))
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "x"}}, nil
	}, runtime.WithAuth(record("resource check")))
	srv.AddPrompt(mcp.NewPrompt("p"), func(ctx context.Context, _ mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		seen.Store("prompt handler", describeToken(runtime.AccessTokenFromContext(ctx)))
		return mcp.NewGetPromptResult("", nil), nil
	}, runtime.WithAuth(record("prompt check")))
	c := connect(t, srv)
	if _, err := callTool(c, as(tokWrite), "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := readResource(c, as(tokWrite), "r://x"); err != nil {
		t.Fatal(err)
	}
	req := mcp.GetPromptRequest{}
	req.Params.Name = "p"
	if _, err := c.GetPrompt(as(tokWrite), req); err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"middleware", "tool check", "tool handler", "resource check", "resource handler", "prompt check", "prompt handler"} {
		got, ok := seen.Load(where)
		if !ok || got != describeToken(tokWrite) {
			t.Errorf("%s saw %v, want %s", where, got, describeToken(tokWrite))
		}
	}
}
