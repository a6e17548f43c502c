package runtime_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	mcpruntime "github.com/mcpauthgen/mcpauthgen/runtime"
)

// openStream opens the GET stream of a session and returns a channel of the
// methods of the notifications it carries.
func openStream(t *testing.T, ctx context.Context, url, token, session string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Mcp-Session-Id", session)
	req.Header.Set("Mcp-Protocol-Version", mcp.ProtocolVersion20251125)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %d", resp.StatusCode)
	}
	out := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				_, rest, _ := strings.Cut(data, `"method":"`)
				method, _, _ := strings.Cut(rest, `"`)
				out <- method
			}
		}
	}()
	return out
}

// receivedAll collects what a stream delivers until every one of want has
// arrived (or a generous deadline passes, for a loaded machine), then what
// follows within a short grace period.
func receivedAll(ch <-chan string, want ...string) []string {
	var got []string
	deadline := time.After(10 * time.Second)
	missing := func() bool {
		for _, w := range want {
			if !slices.Contains(got, w) {
				return true
			}
		}
		return false
	}
	for missing() {
		select {
		case m, ok := <-ch:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-deadline:
			return got
		}
	}
	return append(got, received(ch, 100*time.Millisecond)...)
}

// received collects what a stream delivers within d.
func received(ch <-chan string, d time.Duration) []string {
	var got []string
	timeout := time.After(d)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-timeout:
			return got
		}
	}
}

// TestListChangedRespectsHiding: a session is told that a list changed
// only when what its principal may list changed.
func TestListChangedRespectsHiding(t *testing.T) {
	srv := fixture(mcpruntime.WithServerOptions(server.WithPromptCapabilities(true), server.WithResourceCapabilities(false, true)))
	ts := httptest.NewServer(srv.HTTPHandler(mcpruntime.WithTokenVerifier(mcpruntime.NewStaticTokenVerifier(principalTokens))))
	defer ts.Close()
	url := ts.URL + "/mcp"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	alice := newHTTPSession(t, url, "alice-1", false)
	bob := newHTTPSession(t, url, "bob", false)
	aliceStream := openStream(t, ctx, url, "alice-1", alice.session)
	bobStream := openStream(t, ctx, url, "bob", bob.session)
	// Both streams are registered once each has been told of a tool
	// everyone sees; until then, add another (a fixed wait was not enough
	// on a loaded machine). What follows is drained until the streams are
	// quiet.
	var aliceReady, bobReady bool
	for i := 0; !aliceReady || !bobReady; i++ {
		if i == 50 {
			t.Fatalf("streams not told of public tools after 10 s: alice %v, bob %v", aliceReady, bobReady)
		}
		tool, h := textTool(fmt.Sprintf("warm_up_%d", i))
		srv.AddTool(tool, h)
		aliceReady = slices.Contains(received(aliceStream, 100*time.Millisecond), "notifications/tools/list_changed") || aliceReady
		bobReady = slices.Contains(received(bobStream, 100*time.Millisecond), "notifications/tools/list_changed") || bobReady
	}
	for _, stream := range []<-chan string{aliceStream, bobStream} {
		for len(received(stream, 300*time.Millisecond)) > 0 {
		}
	}

	tool, h := textTool("new_admin_tool")
	srv.AddTool(tool, h, mcpruntime.WithScopes("admin"))
	srv.AddPrompt(mcp.NewPrompt("new_admin_prompt"), nil, mcpruntime.WithScopes("admin"))
	srv.AddResource(mcp.NewResource("admin://new", "new"), nil, mcpruntime.WithScopes("admin"))
	// Bob's stream is read once Alice has been told everything: a wrong
	// notification to Bob would have been sent by then.
	a := receivedAll(aliceStream, "notifications/tools/list_changed", "notifications/prompts/list_changed", "notifications/resources/list_changed")
	b := received(bobStream, 300*time.Millisecond)
	if len(b) != 0 {
		t.Errorf("bob was told of changes he cannot see: %v", b)
	}
	for _, want := range []string{"notifications/tools/list_changed", "notifications/prompts/list_changed", "notifications/resources/list_changed"} {
		if !strings.Contains(strings.Join(a, " "), want) {
			t.Errorf("alice was not told %s: %v", want, a)
		}
	}

	tool, h = textTool("new_public_tool")
	srv.AddTool(tool, h)
	a, b = receivedAll(aliceStream, "notifications/tools/list_changed"), receivedAll(bobStream, "notifications/tools/list_changed")
	if !slices.Contains(a, "notifications/tools/list_changed") || !slices.Contains(b, "notifications/tools/list_changed") {
		t.Errorf("a tool everyone sees: alice told %v, bob told %v; want tools/list_changed for each", a, b)
	}
}
