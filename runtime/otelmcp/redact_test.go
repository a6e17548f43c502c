package otelmcp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestSpansRedactURIs: a resources/read of a URI with a password is
// recorded with the password replaced by xxxxx wherever the span holds
// the URI: mcp.resource.uri, the decision's attributes and event, and the
// status of a read answered with an error that names the URI (which the
// client receives as sent).
func TestSpansRedactURIs(t *testing.T) {
	tm := newTelemetry(t)
	srv := runtime.NewServer("otel", "1", tm.tel.Options()...)
	srv.AddResourceTemplate(mcp.NewResourceTemplate("files://{+path}", "files"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "ok"}}, nil
	}, runtime.WithScopes("read"))
	c, _ := mcptest.Start(t, srv)
	ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{ClientID: "app", Scopes: []string{"read"}})
	read := func(uri string) error {
		req := mcp.ReadResourceRequest{}
		req.Params.URI = uri
		_, err := c.ReadResource(ctx, req)
		return err
	}
	if err := read("files://alice:hunter2@host/a"); err != nil {
		t.Fatal(err)
	}
	if err := read("other://alice:hunter2@host/a"); err == nil || !strings.Contains(err.Error(), "other://alice:hunter2@host/a") {
		t.Fatalf("read of a URI nothing serves: %v, want an error naming the URI as sent", err)
	}
	var reads int
	for _, s := range tm.spans.Ended() {
		all := fmt.Sprint(s.Name(), s.Attributes(), s.Status(), s.Events())
		if strings.Contains(all, "hunter2") {
			t.Errorf("span %q holds the password: %s", s.Name(), all)
		}
		if s.Name() != "resources/read" {
			continue
		}
		reads++
		got := attrs(s.Attributes())["mcp.resource.uri"]
		if got != "files://alice:xxxxx@host/a" && got != "other://alice:xxxxx@host/a" {
			t.Errorf("mcp.resource.uri %q", got)
		}
	}
	if reads != 2 {
		t.Errorf("%d resources/read spans, want 2", reads)
	}
}
