package otelmcp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// spanText is everything a span records as text: its name, attributes,
// status and events.
func spanText(s sdktrace.ReadOnlySpan) string {
	return fmt.Sprint(s.Name(), s.Attributes(), s.Status(), s.Events())
}

// TestSpansBoundHostileSizes: a tools/call and a prompts/get of unknown
// names of 3 MiB, and resources/read of 8 KiB URIs that a files://{+path}
// template serves (allowed), denies, or that nothing serves, are answered
// as ever (the error names the name or URI as sent), while each span
// records the name cut to authz.MaxRecordedName bytes and the URI to
// authz.MaxRecordedURI bytes, with the marker of the cut: in its name,
// gen_ai.tool.name, gen_ai.prompt.name, mcp.resource.uri, the decision's
// attributes and event, and its status.
func TestSpansBoundHostileSizes(t *testing.T) {
	tm := newTelemetry(t)
	srv := server(tm.tel)
	srv.AddResourceTemplate(mcp.NewResourceTemplate("files://{+path}", "files"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "ok"}}, nil
	}, runtime.WithScopes("read"))
	srv.AddResourceTemplate(mcp.NewResourceTemplate("secret://{+path}", "secret"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "ok"}}, nil
	}, runtime.WithScopes("admin"))
	srv.AddPrompt(mcp.NewPrompt("greet"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("hi", nil), nil
	})
	c, _ := mcptest.Start(t, srv)
	ctx := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{ClientID: "app", Scopes: []string{"read"}})

	const size = 3 << 20
	name := "t" + strings.Repeat("é", size/2) // a cut at an odd byte would split an é
	call := mcp.CallToolRequest{}
	call.Params.Name = name
	if _, err := c.CallTool(ctx, call); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("call of an unknown tool: error %.80v, want one naming the tool as sent", err)
	}
	get := mcp.GetPromptRequest{}
	get.Params.Name = name
	if _, err := c.GetPrompt(ctx, get); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("get of an unknown prompt: error %.80v, want one naming the prompt as sent", err)
	}
	// As long a URI as the server takes (runtime.DefaultMaxURIBytes),
	// four times what is recorded.
	path := strings.Repeat("a", runtime.DefaultMaxURIBytes-len("secret://"))
	read := func(uri string) error {
		req := mcp.ReadResourceRequest{}
		req.Params.URI = uri
		_, err := c.ReadResource(ctx, req)
		return err
	}
	if err := read("files://" + path); err != nil {
		t.Fatal(err)
	}
	for _, uri := range []string{"secret://" + path, "other://" + path} {
		if err := read(uri); err == nil || !strings.Contains(err.Error(), uri) {
			t.Errorf("read of %.20q…: error %.80v, want one naming the URI as sent", uri, err)
		}
	}

	wantName := authz.Truncate(name, authz.MaxRecordedName)
	if !strings.HasSuffix(wantName, fmt.Sprintf("é…[%d bytes truncated]", len(name)-255)) { // t and 127 é: 255 bytes kept
		t.Fatalf("recorded name ends %q", wantName[len(wantName)-30:])
	}
	seen := map[string]int{}
	for _, s := range tm.spans.Ended() {
		text := spanText(s)
		if len(text) > 5*(authz.MaxRecordedURI+100) {
			t.Errorf("span %.40q records %d bytes", s.Name(), len(text))
		}
		a := attrs(s.Attributes())
		switch {
		case strings.HasPrefix(s.Name(), "tools/call "):
			seen["tools/call"]++
			if s.Name() != "tools/call "+wantName || a["gen_ai.tool.name"] != wantName {
				t.Errorf("tools/call span %.60q, gen_ai.tool.name %.60q; want the name cut to %d bytes", s.Name(), a["gen_ai.tool.name"], authz.MaxRecordedName)
			}
			if msg := s.Status().Description; !strings.Contains(msg, wantName) || len(msg) > authz.MaxRecordedURI {
				t.Errorf("tools/call status %.80q (%d bytes), want the error naming the name cut", msg, len(msg))
			}
		case strings.HasPrefix(s.Name(), "prompts/get "):
			seen["prompts/get"]++
			if s.Name() != "prompts/get "+wantName || a["gen_ai.prompt.name"] != wantName {
				t.Errorf("prompts/get span %.60q, gen_ai.prompt.name %.60q; want the name cut", s.Name(), a["gen_ai.prompt.name"])
			}
		case s.Name() == "resources/read":
			seen["resources/read"]++
			uri, _ := a["mcp.resource.uri"].(string)
			if want := authz.Truncate(uri[:strings.Index(uri, "://")+3]+path, authz.MaxRecordedURI); uri != want {
				t.Errorf("mcp.resource.uri %.60q… (%d bytes), want %d bytes", uri, len(uri), len(want))
			}
			if !strings.HasSuffix(uri, " bytes truncated]") {
				t.Errorf("mcp.resource.uri ends %q, want the marker of the cut", uri[max(0, len(uri)-30):])
			}
		}
	}
	if seen["tools/call"] != 1 || seen["prompts/get"] != 1 || seen["resources/read"] != 3 {
		t.Errorf("spans seen: %v", seen)
	}
	// The allowed read and the denied one were decided, and their
	// decisions recorded on their spans with the URI cut.
	var events int
	for _, s := range tm.spans.Ended() {
		for _, e := range s.Events() {
			a := attrs(e.Attributes)
			target, _ := a[authz.AttrTarget].(string)
			if s.Name() == "resources/read" && target != "" {
				events++
				if len(target) > authz.MaxRecordedURI+30 || !strings.HasSuffix(target, " bytes truncated]") {
					t.Errorf("decision target %.40q… of %d bytes", target, len(target))
				}
			}
		}
	}
	if events != 2 {
		t.Errorf("%d resources/read decisions with a target, want 2 (allowed, denied)", events)
	}
}
