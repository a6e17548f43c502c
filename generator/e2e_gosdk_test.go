package generator_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
	"github.com/mcpauthgen/mcpauthgen/testdata/gosdkbasic"
)

// These tests do for gosdkbasic, basic's twin on the go-sdk backend, what
// the tests above do for basic: register the generated code on a
// gosdk.Server and use it through the go-sdk's own client, as a given
// caller (the token of the session's context).

func connectGoSDK(t *testing.T, tok *gosdk.AccessToken) *mcp.ClientSession {
	t.Helper()
	srv := gosdk.NewServer(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	gosdkbasic.Register(srv)
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := srv.Connect(gosdk.ContextWithAccessToken(ctx, tok), st, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func token(scopes []string, claims map[string]any) *gosdk.AccessToken {
	return &gosdk.AccessToken{Token: "t", Scopes: scopes, Claims: claims}
}

func TestGoSDKToolsVisibleByAuth(t *testing.T) {
	for _, tc := range []struct {
		name string
		tok  *gosdk.AccessToken
		want []string
	}{
		{"no token", nil, []string{"search"}},
		{"reader", token([]string{"read"}, nil), []string{"search"}},
		{"writer and owner", token([]string{"write"}, map[string]any{"owner": true}), []string{"search", "update_record"}},
		{"admin at level 5", token([]string{"admin"}, map[string]any{"level": 5.0}), []string{"delete_all_data", "raw", "search"}},
	} {
		res, err := connectGoSDK(t, tc.tok).ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tool := range res.Tools {
			got = append(got, tool.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: tools %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestGoSDKToolCalls(t *testing.T) {
	owner := connectGoSDK(t, token([]string{"write"}, map[string]any{"owner": true}))
	admin := connectGoSDK(t, token([]string{"admin"}, map[string]any{"level": 7.0}))
	for _, tc := range []struct {
		name       string
		cs         *mcp.ClientSession
		tool       string
		args       map[string]any
		wantText   string // a prefix, for the SDK's validation messages
		wantError  bool
		structured any
	}{
		{name: "text result", cs: admin, tool: "delete_all_data", wantText: "deleted"},
		{name: "struct argument, structured result", cs: owner, tool: "update_record",
			args:       map[string]any{"id": "r1", "count": 2, "Tags": []string{}, "title": "T"},
			wantText:   `{"id":"r1","title":"T","count":2}`,
			structured: map[string]any{"id": "r1", "title": "T", "count": float64(2)}},
		{name: "missing required argument", cs: owner, tool: "update_record",
			args: map[string]any{"id": "r1", "Tags": []string{}}, wantText: `validating "arguments": validating root: required: missing properties: ["count"]`, wantError: true},
		{name: "wrong argument type", cs: owner, tool: "update_record",
			args: map[string]any{"id": "r1", "count": "two", "Tags": []string{}}, wantText: `validating "arguments": validating root: validating /properties/count: type: two has type "string", want "integer"`, wantError: true},
		{name: "handler error", cs: owner, tool: "update_record",
			args: map[string]any{"id": "missing", "count": 1, "Tags": []string{}}, wantText: "no record missing", wantError: true},
		{name: "named parameters, list result wrapped", cs: owner, tool: "search",
			args:       map[string]any{"query": "q", "limit": 1},
			wantText:   `[{"id":"q","title":"","count":0}]`,
			structured: map[string]any{"result": []any{map[string]any{"id": "q", "title": "", "count": float64(0)}}}},
		{name: "optional arguments left out", cs: owner, tool: "search", args: map[string]any{"query": "q"},
			wantText:   `[{"id":"q","title":"","count":0},{"id":"q","title":"","count":1}]`,
			structured: map[string]any{"result": []any{map[string]any{"id": "q", "title": "", "count": float64(0)}, map[string]any{"id": "q", "title": "", "count": float64(1)}}}},
		{name: "pointer struct, CallToolResult as is", cs: admin, tool: "raw", args: map[string]any{"mode": "x"}, wantText: "raw x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tc.tool, Arguments: tc.args})
			if err != nil {
				t.Fatal(err)
			}
			text := res.Content[0].(*mcp.TextContent).Text
			if !strings.HasPrefix(text, tc.wantText) || res.IsError != tc.wantError {
				t.Errorf("got %q (isError %v), want %q (isError %v)", text, res.IsError, tc.wantText, tc.wantError)
			}
			var structured any
			if res.StructuredContent != nil {
				b, _ := json.Marshal(res.StructuredContent)
				_ = json.Unmarshal(b, &structured)
			}
			if d := cmp.Diff(tc.structured, structured); d != "" {
				t.Errorf("structured content (-want +got):\n%s", d)
			}
		})
	}
}

func TestGoSDKResourcesAndPrompts(t *testing.T) {
	ctx := context.Background()
	reader := connectGoSDK(t, token([]string{"read"}, nil))
	res, err := reader.ReadResource(ctx, &mcp.ReadResourceParams{URI: "users://7/profile"})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Contents[0]; c.Text != `{"id":"7","name":"user 7"}` || c.MIMEType != "application/json" || c.URI != "users://7/profile" {
		t.Errorf("template read: %+v", c)
	}
	if _, err := reader.ReadResource(ctx, &mcp.ReadResourceParams{URI: "users://0/profile"}); err == nil || !strings.Contains(err.Error(), "no user 0") {
		t.Errorf("handler error: %v", err)
	}
	logo, err := reader.ReadResource(ctx, &mcp.ReadResourceParams{URI: "static://logo.png"})
	if err != nil || string(logo.Contents[0].Blob) != "\x89PNG" || logo.Contents[0].MIMEType != "image/png" {
		t.Errorf("blob read: %+v %v", logo, err)
	}
	anon := connectGoSDK(t, nil)
	if _, err := anon.ReadResource(ctx, &mcp.ReadResourceParams{URI: "secret://data"}); err == nil || !strings.Contains(err.Error(), "Resource not found") {
		t.Errorf("hidden resource: %v", err)
	}
	admin := connectGoSDK(t, token([]string{"admin"}, nil))
	p, err := admin.GetPrompt(ctx, &mcp.GetPromptParams{Name: "admin_prompt", Arguments: map[string]string{"topic": "Go"}})
	if err != nil || p.Messages[0].Content.(*mcp.TextContent).Text != "Explain Go in a plain style." {
		t.Errorf("prompt: %+v %v", p, err)
	}
	if _, err := admin.GetPrompt(ctx, &mcp.GetPromptParams{Name: "admin_prompt"}); err == nil || !strings.Contains(err.Error(), `missing required argument "topic"`) {
		t.Errorf("prompt without its argument: %v", err)
	}
	r, err := anon.GetPrompt(ctx, &mcp.GetPromptParams{Name: "review", Arguments: map[string]string{"code": "x := 1"}})
	if err != nil || r.Messages[0].Content.(*mcp.TextContent).Text != "Review: x := 1" {
		t.Errorf("review: %+v %v", r, err)
	}
	if _, err := anon.GetPrompt(ctx, &mcp.GetPromptParams{Name: "admin_prompt", Arguments: map[string]string{"topic": "Go"}}); err == nil || !strings.Contains(err.Error(), `unknown prompt "admin_prompt"`) {
		t.Errorf("hidden prompt: %v", err)
	}
}
