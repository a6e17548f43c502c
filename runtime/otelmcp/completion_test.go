package otelmcp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

type completer struct{}

func (completer) CompletePromptArgument(context.Context, string, mcp.CompleteArgument, mcp.CompleteContext) (*mcp.Completion, error) {
	return &mcp.Completion{Values: []string{"v"}}, nil
}

func (completer) CompleteResourceArgument(context.Context, string, mcp.CompleteArgument, mcp.CompleteContext) (*mcp.Completion, error) {
	return &mcp.Completion{Values: []string{"v"}}, nil
}

// TestSpansBoundCompletionRefs: completion/complete names its prompt or
// template in params.ref, and the error that refuses a reference to one
// the caller may not see names it as sent. Its span holds that name or
// URI as it holds a tools/call's name or a resources/read's URI: the URI
// redacted, both cut (authz.RecordedName, authz.RecordedURI).
func TestSpansBoundCompletionRefs(t *testing.T) {
	tm := newTelemetry(t)
	opts := append(tm.tel.Options(), runtime.WithServerOptions(mcpserver.WithCompletions(),
		mcpserver.WithPromptCompletionProvider(completer{}), mcpserver.WithResourceCompletionProvider(completer{})))
	srv := runtime.NewServer("otel", "1", opts...)
	srv.AddPrompt(mcp.NewPrompt("secret_prompt"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("hi", nil), nil
	}, runtime.WithScopes("admin"))
	c, _ := mcptest.Start(t, srv)
	ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{ClientID: "app", Scopes: []string{"read"}})

	long := strings.Repeat("a", 64<<10)
	name := "p" + long
	uri := "files://alice:hunter2@host/" + long
	for _, ref := range []any{mcp.PromptReference{Type: "ref/prompt", Name: name}, mcp.ResourceReference{Type: "ref/resource", URI: uri}} {
		req := mcp.CompleteRequest{}
		req.Params.Ref = ref
		req.Params.Argument.Name = "id"
		if _, err := c.Complete(ctx, req); err == nil {
			t.Fatalf("completion of a missing %T: no error", ref)
		}
	}
	var seen int
	for _, s := range tm.spans.Ended() {
		if s.Name() != "completion/complete" {
			continue
		}
		seen++
		text := spanText(s)
		if strings.Contains(text, "hunter2") {
			t.Errorf("completion/complete span holds the password: %.200s", text)
		}
		if len(text) > 2*authz.MaxRecordedURI+1000 {
			t.Errorf("completion/complete span records %d bytes: %.200s", len(text), text)
		}
	}
	if seen != 2 {
		t.Errorf("%d completion/complete spans, want 2", seen)
	}
}
