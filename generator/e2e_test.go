package generator_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/testdata/advanced"
	"github.com/mcpauthgen/mcpauthgen/testdata/basic"
)

// These tests register the golden packages' generated code on a runtime
// server and use it through an in-process client, as a remote client
// would: they prove that the wrappers decode arguments, call the
// handlers, encode results and carry the checks.

func connect(t *testing.T, register func(*runtime.Server)) *client.Client {
	t.Helper()
	srv := runtime.NewServer("test", "1")
	register(srv)
	c, _ := mcptest.Start(t, srv)
	return c
}

func as(scopes []string, claims map[string]any) context.Context {
	return runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{Token: "t", Scopes: scopes, Claims: claims})
}

func call(t *testing.T, c *client.Client, ctx context.Context, name string, args map[string]any) (text string, isError bool, structured any) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("call %s: %v", name, err)
	}
	if len(res.Content) != 1 {
		t.Fatalf("call %s: %d contents, want 1", name, len(res.Content))
	}
	tc, ok := res.Content[0].(mcp.TextContent)
	if !ok {
		t.Fatalf("call %s: content %T, want text", name, res.Content[0])
	}
	return tc.Text, res.IsError, res.StructuredContent
}

func toolNames(t *testing.T, c *client.Client, ctx context.Context) []string {
	t.Helper()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	return names
}

func TestToolsVisibleByAuth(t *testing.T) {
	c := connect(t, basic.Register)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"no token", context.Background(), []string{"search"}},
		{"reader", as([]string{"read"}, nil), []string{"search"}},
		{"writer, not owner", as([]string{"write"}, nil), []string{"search"}},
		{"writer and owner", as([]string{"write"}, map[string]any{"owner": true}), []string{"search", "update_record"}},
		{"admin at level 5", as([]string{"admin"}, map[string]any{"level": 5.0}), []string{"delete_all_data", "raw", "search"}},
	} {
		if got := toolNames(t, c, tc.ctx); !slices.Equal(got, tc.want) {
			t.Errorf("%s: tools %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestToolSchemaAndAnnotations(t *testing.T) {
	c := connect(t, basic.Register)
	res, err := c.ListTools(as([]string{"write"}, map[string]any{"owner": true}), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Tools, func(tool mcp.Tool) bool { return tool.Name == "update_record" })
	if i < 0 {
		t.Fatal("update_record not listed")
	}
	tool := res.Tools[i]
	if tool.Description != "UpdateRecord changes a record." {
		t.Errorf("description %q", tool.Description)
	}
	if tool.Annotations.IdempotentHint == nil || !*tool.Annotations.IdempotentHint || tool.Annotations.DestructiveHint != nil {
		t.Errorf("annotations %+v, want only idempotentHint", tool.Annotations)
	}
	if got, want := tool.InputSchema.Required, []string{"id", "count", "Tags"}; !slices.Equal(got, want) {
		t.Errorf("required %v, want %v", got, want)
	}
	if got, want := tool.InputSchema.PropertyOrder, []string{"id", "title", "count", "Tags", "notes"}; !slices.Equal(got, want) {
		t.Errorf("properties %v, want %v", got, want)
	}
	title, _ := tool.InputSchema.Properties["title"].(map[string]any)
	if title["description"] != "the new title" {
		t.Errorf("title property %v, want the jsonschema description", title)
	}
}

func TestToolCalls(t *testing.T) {
	c := connect(t, basic.Register)
	owner := as([]string{"write"}, map[string]any{"owner": true})
	admin := as([]string{"admin"}, map[string]any{"level": 7.0})
	for _, tc := range []struct {
		name       string
		ctx        context.Context
		tool       string
		args       map[string]any
		wantText   string
		wantError  bool
		structured any
	}{
		{name: "text result", ctx: admin, tool: "delete_all_data", wantText: "deleted"},
		{name: "struct argument, structured result", ctx: owner, tool: "update_record",
			args:       map[string]any{"id": "r1", "count": 2, "Tags": []string{}, "title": "T"},
			wantText:   `{"id":"r1","title":"T","count":2}`,
			structured: map[string]any{"id": "r1", "title": "T", "count": float64(2)}},
		{name: "missing required argument", ctx: owner, tool: "update_record",
			args: map[string]any{"id": "r1", "Tags": []string{}}, wantText: `missing required argument "count"`, wantError: true},
		{name: "null required argument", ctx: owner, tool: "update_record",
			args: map[string]any{"id": nil, "count": 1, "Tags": []string{}}, wantText: `missing required argument "id"`, wantError: true},
		{name: "wrong argument type", ctx: owner, tool: "update_record",
			args: map[string]any{"id": "r1", "count": "two", "Tags": []string{}}, wantText: `invalid argument "count": want integer, got string`, wantError: true},
		{name: "fraction for an integer", ctx: owner, tool: "update_record",
			args: map[string]any{"id": "r1", "count": 1.5, "Tags": []string{}}, wantText: `invalid argument "count": want integer, got number 1.5`, wantError: true},
		{name: "handler error", ctx: owner, tool: "update_record",
			args: map[string]any{"id": "missing", "count": 1, "Tags": []string{}}, wantText: "no record missing", wantError: true},
		{name: "named parameters, list result wrapped", tool: "search",
			args:       map[string]any{"query": "q", "limit": 1},
			wantText:   `[{"id":"q","title":"","count":0}]`,
			structured: map[string]any{"result": []any{map[string]any{"id": "q", "title": "", "count": float64(0)}}}},
		{name: "optional arguments left out", tool: "search", args: map[string]any{"query": "q"},
			wantText:   `[{"id":"q","title":"","count":0},{"id":"q","title":"","count":1}]`,
			structured: map[string]any{"result": []any{map[string]any{"id": "q", "title": "", "count": float64(0)}, map[string]any{"id": "q", "title": "", "count": float64(1)}}}},
		{name: "argument that decodes itself", tool: "search", args: map[string]any{"query": "q", "since": "yesterday"},
			wantText: `invalid argument "since": parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`, wantError: true},
		{name: "no arguments at all", tool: "search", wantText: `missing required argument "query"`, wantError: true},
		{name: "pointer struct, CallToolResult as is", ctx: admin, tool: "raw", args: map[string]any{"mode": "x"}, wantText: "raw x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			text, isError, structured := call(t, c, ctx, tc.tool, tc.args)
			if text != tc.wantText || isError != tc.wantError {
				t.Errorf("got %q (isError %v), want %q (isError %v)", text, isError, tc.wantText, tc.wantError)
			}
			if d := cmp.Diff(tc.structured, structured); d != "" {
				t.Errorf("structured content (-want +got):\n%s", d)
			}
		})
	}
}

func TestHiddenToolAnswersAsMissing(t *testing.T) {
	c := connect(t, basic.Register)
	req := mcp.CallToolRequest{}
	req.Params.Name = "delete_all_data"
	_, hiddenErr := c.CallTool(as([]string{"read"}, nil), req)
	req.Params.Name = "no_such_tool"
	_, missingErr := c.CallTool(as([]string{"read"}, nil), req)
	if hiddenErr == nil || missingErr == nil {
		t.Fatalf("errors %v and %v, want both", hiddenErr, missingErr)
	}
	if strings.Replace(hiddenErr.Error(), "delete_all_data", "no_such_tool", 1) != missingErr.Error() {
		t.Errorf("hidden tool answers %q, missing tool %q", hiddenErr, missingErr)
	}
}

func read(t *testing.T, c *client.Client, ctx context.Context, uri string) ([]mcp.ResourceContents, error) {
	t.Helper()
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := c.ReadResource(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Contents, nil
}

func TestResources(t *testing.T) {
	c := connect(t, basic.Register)
	reader := as([]string{"read"}, nil)

	got, err := read(t, c, reader, "secret://data")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]mcp.ResourceContents{mcp.TextResourceContents{URI: "secret://data", MIMEType: "text/plain", Text: "s3cret"}}, got); d != "" {
		t.Errorf("secret://data (-want +got):\n%s", d)
	}
	if _, err := read(t, c, context.Background(), "secret://data"); err == nil {
		t.Error("secret://data without a token: no error")
	}

	got, err = read(t, c, reader, "users://42/profile")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]mcp.ResourceContents{mcp.TextResourceContents{URI: "users://42/profile", MIMEType: "application/json", Text: `{"id":"42","name":"user 42"}`}}, got); d != "" {
		t.Errorf("template (-want +got):\n%s", d)
	}
	if _, err := read(t, c, reader, "users://0/profile"); err == nil || !strings.Contains(err.Error(), "no user 0") {
		t.Errorf("handler error: got %v, want the handler's message", err)
	}

	got, err = read(t, c, context.Background(), "static://logo.png")
	if err != nil {
		t.Fatal(err)
	}
	want := base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G'})
	if d := cmp.Diff([]mcp.ResourceContents{mcp.BlobResourceContents{URI: "static://logo.png", MIMEType: "image/png", Blob: want}}, got); d != "" {
		t.Errorf("blob (-want +got):\n%s", d)
	}
}

func TestPrompts(t *testing.T) {
	c := connect(t, basic.Register)
	get := func(ctx context.Context, name string, args map[string]string) (*mcp.GetPromptResult, error) {
		req := mcp.GetPromptRequest{}
		req.Params.Name = name
		req.Params.Arguments = args
		return c.GetPrompt(ctx, req)
	}
	admin := as([]string{"admin"}, nil)
	res, err := get(admin, "admin_prompt", map[string]string{"topic": "scopes", "style": "terse"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleUser || res.Messages[0].Content.(mcp.TextContent).Text != "Explain scopes in a terse style." {
		t.Errorf("admin_prompt: %+v", res.Messages)
	}
	if _, err := get(admin, "admin_prompt", nil); err == nil || !strings.Contains(err.Error(), `missing required argument "topic"`) {
		t.Errorf("missing argument: got %v", err)
	}
	if _, err := get(context.Background(), "admin_prompt", map[string]string{"topic": "x"}); err == nil {
		t.Error("admin_prompt without a token: no error")
	}

	list, err := c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Prompts) != 1 || list.Prompts[0].Name != "review" {
		t.Fatalf("prompts without a token: %+v, want review only", list.Prompts)
	}
	wantArgs := []mcp.PromptArgument{{Name: "code", Description: "Code is the code to review.", Required: true}, {Name: "language"}}
	if d := cmp.Diff(wantArgs, list.Prompts[0].Arguments); d != "" {
		t.Errorf("review arguments (-want +got):\n%s", d)
	}
	res, err = get(context.Background(), "review", map[string]string{"code": "x := 1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 1 || res.Messages[0].Content.(mcp.TextContent).Text != "Review: x := 1" {
		t.Errorf("review: %+v", res.Messages)
	}
}

func TestAdvanced(t *testing.T) {
	c := connect(t, advanced.Register)
	staffOwner := as([]string{"admin", "read"}, map[string]any{"owner": true, "group": "staff"})
	if got, want := toolNames(t, c, as(nil, map[string]any{"owner": true})), []string{"audit", "big", "export", "full_result", "maybe_found", "maybe_text", "numbers", "ping", "transfer"}; !slices.Equal(got, want) {
		t.Errorf("owner outside staff sees %v, want %v", got, want)
	}
	if got, want := toolNames(t, c, staffOwner), []string{"audit", "big", "export", "full_result", "maybe_found", "maybe_text", "numbers", "ping", "ping_lower", "query", "shout", "transfer"}; !slices.Equal(got, want) {
		t.Errorf("staff owner sees %v, want %v", got, want)
	}

	// check(exportQuota) registers the program's own Checker as it is:
	// its Check method decides, for lists and calls alike.
	if text, isErr, _ := call(t, c, staffOwner, "export", nil); isErr || text != "exported" {
		t.Errorf("export within quota: %q (isError %v)", text, isErr)
	}
	spent := as([]string{"admin", "read"}, map[string]any{"owner": true, "group": "staff", "exports": 3.0})
	if got := toolNames(t, c, spent); slices.Contains(got, "export") {
		t.Errorf("a caller past the quota sees export: %v", got)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "export"
	_, hiddenErr := c.CallTool(spent, req)
	req.Params.Name = "no_such_tool"
	_, missingErr := c.CallTool(spent, req)
	if hiddenErr == nil || missingErr == nil || strings.Replace(hiddenErr.Error(), "export", "no_such_tool", 1) != missingErr.Error() {
		t.Errorf("export past the quota answers %v, a missing tool %v", hiddenErr, missingErr)
	}

	text, isErr, _ := call(t, c, staffOwner, "query", map[string]any{
		"page": map[string]any{"offset": 1}, "terms": []string{"a", "b"}, "limit": "10", "weights": []float64{1, 2, 3}, "trace": true,
	})
	if isErr || text != `{"count":2,"echo":"a b"}` {
		t.Errorf("query: %q (isError %v)", text, isErr)
	}
	text, isErr, _ = call(t, c, staffOwner, "query", map[string]any{
		"page": map[string]any{"offset": -1}, "terms": []string{}, "limit": "10", "weights": []float64{1, 2, 3},
	})
	if !isErr || text != `invalid argument "page.offset": want integer, got number -1` {
		t.Errorf("nested type error: %q (isError %v)", text, isErr)
	}
	text, isErr, _ = call(t, c, staffOwner, "shout", map[string]any{"text": "hi"})
	if isErr || text != "HI" {
		t.Errorf("shout: %q (isError %v)", text, isErr)
	}
	text, _, structured := call(t, c, staffOwner, "numbers", map[string]any{"n": 3})
	if text != "[0,1,2]" || !cmp.Equal(structured, map[string]any{"result": []any{0.0, 1.0, 2.0}}) {
		t.Errorf("numbers: %q, %v", text, structured)
	}
	text, isErr, _ = call(t, c, staffOwner, "numbers", map[string]any{"n": 300})
	if !isErr || text != `invalid argument "n": want integer, got number 300` {
		t.Errorf("overflow: %q (isError %v)", text, isErr)
	}

	if text, _, _ := call(t, c, staffOwner, "ping_lower", nil); text != "pong" {
		t.Errorf("ping_lower: %q", text)
	}
	if text, _, _ := call(t, c, staffOwner, "ping", nil); text != "PONG" {
		t.Errorf("ping: %q", text)
	}

	// 2^53+1 does not survive a trip through float64.
	text, isErr, _ = call(t, c, staffOwner, "big", map[string]any{"n": json.Number("9007199254740993")})
	if isErr || text != "9007199254740993" {
		t.Errorf("big: %q (isError %v)", text, isErr)
	}

	got, err := read(t, c, staffOwner, "avatars://bob/64")
	if err != nil {
		t.Fatal(err)
	}
	blob := base64.StdEncoding.EncodeToString([]byte("bob@64"))
	if d := cmp.Diff([]mcp.ResourceContents{mcp.BlobResourceContents{URI: "avatars://bob/64", MIMEType: "application/octet-stream", Blob: blob}}, got); d != "" {
		t.Errorf("avatar (-want +got):\n%s", d)
	}
}

func TestSchemaIsValidJSON(t *testing.T) {
	c := connect(t, advanced.Register)
	res, err := c.ListTools(as([]string{"admin"}, map[string]any{"owner": true, "group": "staff"}), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range res.Tools {
		b, err := json.Marshal(tool.InputSchema)
		if err != nil || !json.Valid(b) {
			t.Errorf("%s: schema %s: %v", tool.Name, b, err)
		}
	}
}

// TestResultShapes calls the handlers that return mcp-go results by
// value, pointers to strings and their own resource contents: each reaches
// the client as the result it is, not as JSON text.
func TestResultShapes(t *testing.T) {
	c := connect(t, advanced.Register)
	ctx := context.Background()
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"full_result", map[string]any{"mode": "m"}, "full m"},
		{"maybe_text", map[string]any{"some": true}, "some"},
		{"maybe_text", map[string]any{"some": false}, ""},
	} {
		text, isError, structured := call(t, c, ctx, tc.tool, tc.args)
		if text != tc.want || isError || structured != nil {
			t.Errorf("%s %v: got %q (isError %v, structured %v), want text %q only", tc.tool, tc.args, text, isError, structured, tc.want)
		}
	}

	// A pointer result is JSON: nil is null, wrapped as structured content
	// must be an object.
	for _, tc := range []struct {
		some       bool
		text       string
		structured any
	}{
		{true, `{"name":"x"}`, map[string]any{"name": "x"}},
		{false, "null", map[string]any{"result": nil}},
	} {
		text, isError, structured := call(t, c, ctx, "maybe_found", map[string]any{"some": tc.some})
		if text != tc.text || isError || !cmp.Equal(structured, tc.structured) {
			t.Errorf("maybe_found %v: got %q (isError %v, structured %v), want %q and %v", tc.some, text, isError, structured, tc.text, tc.structured)
		}
	}

	contents, err := read(t, c, ctx, "contents://two")
	if err != nil {
		t.Fatal(err)
	}
	want := []mcp.ResourceContents{
		mcp.TextResourceContents{URI: "contents://two#a", MIMEType: "text/markdown", Text: "# a"},
		mcp.TextResourceContents{URI: "contents://two#b", MIMEType: "text/plain", Text: "b"},
	}
	if d := cmp.Diff(want, contents); d != "" {
		t.Errorf("contents (-want +got):\n%s", d)
	}
	for uri, want := range map[string]string{"notes://maybe/x": "x", "notes://maybe/none": ""} {
		contents, err := read(t, c, ctx, uri)
		if err != nil {
			t.Fatal(err)
		}
		want := []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: "text/plain", Text: want}}
		if d := cmp.Diff(want, contents); d != "" {
			t.Errorf("%s (-want +got):\n%s", uri, d)
		}
	}

	get := func(name string, args map[string]string) *mcp.GetPromptResult {
		t.Helper()
		req := mcp.GetPromptRequest{}
		req.Params.Name = name
		req.Params.Arguments = args
		res, err := c.GetPrompt(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res
	}
	res := get("whole_prompt", map[string]string{"topic": "go"})
	if res.Description != "about go" || len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleAssistant {
		t.Errorf("whole_prompt: got %+v, want the handler's result", res)
	}
	for _, tc := range []struct {
		args map[string]string
		want string
	}{{map[string]string{"topic": "t"}, "t"}, {nil, ""}} {
		res := get("maybe_prompt", tc.args)
		if len(res.Messages) != 1 {
			t.Fatalf("maybe_prompt: %d messages", len(res.Messages))
		}
		if text, ok := res.Messages[0].Content.(mcp.TextContent); !ok || text.Text != tc.want {
			t.Errorf("maybe_prompt %v: got %+v, want text %q", tc.args, res.Messages[0].Content, tc.want)
		}
	}
}

// TestCallChecks runs the golden call checks: each binds the arguments it
// names, they run in the order written after decoding, and denials answer
// as the runtime documents.
func TestCallChecks(t *testing.T) {
	c := connect(t, advanced.Register)
	alice := runtime.ContextWithAccessToken(context.Background(), &runtime.AccessToken{ClientID: "alice"})
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"from": "alice", "to": "bob", "amount": 100}, "false alice->bob"},
		{map[string]any{"from": "bob", "to": "alice", "amount": 1}, "true Authorization failed for tool 'transfer': insufficient permissions"},
		{map[string]any{"from": "alice", "to": "bob", "amount": 101}, "true Authorization failed for tool 'transfer': insufficient permissions"},
		{map[string]any{"from": "alice", "to": "nowhere", "amount": 1}, "true Authorization failed for tool 'transfer': insufficient permissions"},
		// The first check's AuthorizationError speaks before the second
		// check, which would deny too.
		{map[string]any{"from": "frozen", "to": "bob", "amount": 1000}, "true account frozen is frozen"},
		// Decoding comes first.
		{map[string]any{"from": "bob", "to": "alice"}, `true missing required argument "amount"`},
	} {
		text, isErr, _ := call(t, c, alice, "transfer", tc.args)
		if got := fmt.Sprintf("%v %s", isErr, text); got != tc.want {
			t.Errorf("transfer %v: got %q, want %q", tc.args, got, tc.want)
		}
	}

	get := func(name string, args map[string]string) string {
		req := mcp.GetPromptRequest{}
		req.Params.Name = name
		req.Params.Arguments = args
		res, err := c.GetPrompt(alice, req)
		if err != nil {
			return "error: " + err.Error()
		}
		return res.Messages[0].Content.(mcp.TextContent).Text
	}
	const denied = "error: Authorization failed for prompt '%s': insufficient permissions"
	for _, tc := range []struct {
		name string
		args map[string]string
		want string
	}{
		{"brief", map[string]string{"topic": "go"}, "brief on go"},
		{"brief", map[string]string{"topic": "go", "audience": "staff"}, "brief on go"},
		{"brief", map[string]string{"topic": "secret plans"}, fmt.Sprintf(denied, "brief")},
		{"brief", map[string]string{"topic": "go", "audience": "press"}, fmt.Sprintf(denied, "brief")},
		{"reply", map[string]string{"text": "hi"}, "reply to hi"},
		{"reply", map[string]string{"text": "hi", "tone": "kind"}, "reply to hi"},
		{"reply", map[string]string{"text": "hi", "tone": "rude"}, fmt.Sprintf(denied, "reply")},
	} {
		// mcp-go's client puts its own words before the server's message.
		got := get(tc.name, tc.args)
		if strings.HasPrefix(got, "error: ") != strings.HasPrefix(tc.want, "error: ") || !strings.HasSuffix(got, strings.TrimPrefix(tc.want, "error: ")) {
			t.Errorf("%s %v: got %q, want %q", tc.name, tc.args, got, tc.want)
		}
	}
	// Call checks hide nothing.
	if names := toolNames(t, c, alice); !slices.Contains(names, "transfer") {
		t.Errorf("transfer is not listed: %v", names)
	}
}
