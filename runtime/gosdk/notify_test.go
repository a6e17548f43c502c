package gosdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// TestListChangedRespectsHiding adds tools while a reader and an admin are
// connected: a tool only the admin may see is announced (tools/list_changed)
// to the admin alone; one both may see, to both.
func TestListChangedRespectsHiding(t *testing.T) {
	srv := fixture(nil)
	connect := func(tok gosdk.AccessToken) <-chan struct{} {
		changed := make(chan struct{}, 8)
		ct, st := mcp.NewInMemoryTransports()
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		if _, err := srv.Connect(gosdk.ContextWithAccessToken(ctx, &tok), st, nil); err != nil {
			t.Fatal(err)
		}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{
			ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { changed <- struct{}{} },
		}).Connect(ctx, ct, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cs.Close() })
		if _, err := cs.ListTools(ctx, nil); err != nil {
			t.Fatal(err)
		}
		return changed
	}
	reader, admin := connect(tokens["reader-token"]), connect(tokens["admin-token"])
	notified := func(c <-chan struct{}, within time.Duration) bool {
		select {
		case <-c:
			return true
		case <-time.After(within):
			return false
		}
	}

	srv.AddTool(textTool("admin_only"), textHandler("admin_only"), gosdk.WithScopes("admin"))
	if !notified(admin, 2*time.Second) {
		t.Error("the admin was not told of a tool it may see")
	}
	if notified(reader, 300*time.Millisecond) {
		t.Error("the reader was told of a tool it may not see")
	}

	srv.AddTool(textTool("for_readers"), textHandler("for_readers"), gosdk.WithScopes("read"))
	if !notified(reader, 2*time.Second) {
		t.Error("the reader was not told of a tool it may see")
	}
	if !notified(admin, 2*time.Second) {
		t.Error("the admin was not told of a tool it may see")
	}
}
