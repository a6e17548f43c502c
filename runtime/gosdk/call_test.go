package gosdk_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// connectAs returns a client session of srv whose requests carry tok
// (nil: none).
func connectAs(t *testing.T, srv *gosdk.Server, tok *gosdk.AccessToken) *mcp.ClientSession {
	t.Helper()
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

type noteInput struct {
	ID string `json:"id"`
}

// TestToolCallChecks: a tool registered with AddToolCall is given the
// call's AuthContext (token, component, arguments), and ToolCallCheck
// answers as on mcp-go: a false or a failing check denies with the
// generic message, a panic too (neither is shown), an
// *AuthorizationError with its message; the handler does not run.
func TestToolCallChecks(t *testing.T) {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "calls", Version: "1"}, nil)
	var seen gosdk.AuthContext
	served := 0
	gosdk.AddToolCall(srv, &mcp.Tool{Name: "update_note"}, func(ctx context.Context, ac gosdk.AuthContext, _ *mcp.CallToolRequest, in noteInput) (*mcp.CallToolResult, any, error) {
		seen = ac
		if res := gosdk.ToolCallCheck(ctx, ac, "check(owns)", func(context.Context, gosdk.AuthContext) (bool, error) {
			switch in.ID {
			case "false":
				return false, nil
			case "error":
				return false, errors.New("db password is hunter2")
			case "panic":
				panic("db password is hunter2")
			case "message":
				return false, &gosdk.AuthorizationError{Message: "note message is archived"}
			}
			return true, nil
		}); res != nil {
			return res, nil, nil
		}
		served++
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "updated " + in.ID}}}, nil, nil
	}, gosdk.WithScopes("read"), gosdk.WithTags("notes"))

	tok := &gosdk.AccessToken{Token: "t", ClientID: "reader", Scopes: []string{"read"}}
	cs := connectAs(t, srv, tok)
	call := func(id string) (bool, string) {
		t.Helper()
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "update_note", Arguments: map[string]any{"id": id}})
		if err != nil {
			t.Fatal(err)
		}
		return res.IsError, res.Content[0].(*mcp.TextContent).Text
	}
	if isErr, text := call("mine"); isErr || text != "updated mine" {
		t.Errorf("passing call: %v %q", isErr, text)
	}
	if seen.Token != tok || seen.Component == nil || seen.Component.Name != "update_note" ||
		!seen.Component.HasTag("notes") || seen.Arguments["id"] != "mine" {
		t.Errorf("handler saw %+v", seen)
	}
	const denied = "Authorization failed for tool 'update_note': insufficient permissions"
	for id, want := range map[string]string{"false": denied, "error": denied, "panic": denied, "message": "note message is archived"} {
		if isErr, text := call(id); !isErr || text != want {
			t.Errorf("%s: %v %q, want an isError %q", id, isErr, text, want)
		}
	}
	if served != 1 {
		t.Errorf("the handler ran %d times, want once", served)
	}
}

// TestCallChecksRunLast: call checks run only once the component's own
// checks and the middleware let a request through, so a caller they deny
// is answered as before and no call check runs for it.
func TestCallChecksRunLast(t *testing.T) {
	ran := 0
	count := func(gosdk.AuthContext) bool { ran++; return true }
	mw := gosdk.AuthMiddleware(gosdk.Check(func(ac gosdk.AuthContext) (bool, error) {
		if ac.Arguments["id"] == "blocked" {
			return false, &gosdk.AuthorizationError{Message: "blocked by middleware"}
		}
		return true, nil
	}))
	srv := gosdk.NewServer(&mcp.Implementation{Name: "calls", Version: "1"}, nil, gosdk.WithMiddleware(mw))
	srv.AddPrompt(&mcp.Prompt{Name: "summary", Arguments: []*mcp.PromptArgument{{Name: "id"}}}, promptHandler("summary"),
		gosdk.WithScopes("read"), gosdk.WithCallChecks(gosdk.Check(count)))
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "notes://{id}", Name: "note"}, readHandler("note"),
		gosdk.WithScopes("read"), gosdk.WithCallChecks(gosdk.Check(count)))
	ctx := context.Background()

	nobody := connectAs(t, srv, &gosdk.AccessToken{Token: "n", ClientID: "nobody"})
	if _, err := nobody.GetPrompt(ctx, &mcp.GetPromptParams{Name: "summary", Arguments: map[string]string{"id": "1"}}); err == nil ||
		!strings.Contains(err.Error(), "Authorization failed for prompt 'summary': not found or not authorized") {
		t.Errorf("prompt without the scope: %v", err)
	}
	if _, err := nobody.ReadResource(ctx, &mcp.ReadResourceParams{URI: "notes://1"}); err == nil {
		t.Error("template read without the scope succeeded")
	}
	reader := connectAs(t, srv, &gosdk.AccessToken{Token: "r", ClientID: "reader", Scopes: []string{"read"}})
	if _, err := reader.GetPrompt(ctx, &mcp.GetPromptParams{Name: "summary", Arguments: map[string]string{"id": "blocked"}}); err == nil ||
		!strings.Contains(err.Error(), "blocked by middleware") {
		t.Errorf("prompt the middleware blocks: %v", err)
	}
	if ran != 0 {
		t.Fatalf("call checks ran %d times for requests denied before them", ran)
	}
	if _, err := reader.GetPrompt(ctx, &mcp.GetPromptParams{Name: "summary", Arguments: map[string]string{"id": "1"}}); err != nil {
		t.Errorf("prompt: %v", err)
	}
	if _, err := reader.ReadResource(ctx, &mcp.ReadResourceParams{URI: "notes://1"}); err != nil {
		t.Errorf("read: %v", err)
	}
	if ran != 2 {
		t.Errorf("call checks ran %d times, want 2", ran)
	}
	// Lists never run them.
	if _, err := reader.ListPrompts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := reader.ListResourceTemplates(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if ran != 2 {
		t.Errorf("lists ran call checks (%d runs)", ran)
	}
}

// TestStdioSkipsCallChecks: on stdio, where no request carries a token and
// no check runs, call checks do not run either.
func TestStdioSkipsCallChecks(t *testing.T) {
	ran := 0
	deny := gosdk.AuthCheck(func(context.Context, gosdk.AuthContext) (bool, error) { ran++; return false, nil })
	srv := gosdk.NewServer(&mcp.Implementation{Name: "stdio", Version: "1"}, nil)
	gosdk.AddToolCall(srv, &mcp.Tool{Name: "typed"}, func(ctx context.Context, ac gosdk.AuthContext, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		if res := gosdk.ToolCallCheck(ctx, ac, "check(deny)", deny); res != nil {
			return res, nil, nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "typed ok"}}}, nil, nil
	})
	srv.AddPrompt(&mcp.Prompt{Name: "summary"}, promptHandler("summary"), gosdk.WithCallChecks(deny))
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "notes://{id}", Name: "note"}, readHandler("note"), gosdk.WithCallChecks(deny))

	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.ServeAsStdio(ctx, st)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "typed"}); err != nil || res.IsError {
		t.Errorf("tool over stdio: %+v %v", res, err)
	}
	if _, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "summary"}); err != nil {
		t.Errorf("prompt over stdio: %v", err)
	}
	if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "notes://1"}); err != nil {
		t.Errorf("template over stdio: %v", err)
	}
	if ran != 0 {
		t.Errorf("call checks ran %d times over stdio", ran)
	}
}

// TestCallChecksGuardSubscriptions: a template read its call checks deny
// answers as a missing resource, so subscribing to (or unsubscribing from)
// that URI answers so too, and never reaches the subscription handler:
// else a caller learns of, and is notified about, what it may not read.
func TestCallChecksGuardSubscriptions(t *testing.T) {
	calls := &recorder{}
	srv := fixture(sidewaysOptions(calls))
	mine := gosdk.AuthCheck(func(_ context.Context, ac gosdk.AuthContext) (bool, error) { return ac.Arguments["id"] == "mine", nil })
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "owned://{id}", Name: "owned"}, readHandler("owned"), gosdk.WithCallChecks(mine))
	s := mcpwire.Connect(t, serve(t, authorized(srv)), "reader-token")
	for _, method := range []string{"resources/read", "resources/subscribe", "resources/unsubscribe"} {
		denied := s.Call(method, map[string]any{"uri": "owned://theirs"})
		s.Next--
		missing := bytes.ReplaceAll(s.Call(method, map[string]any{"uri": "absent://theirs"}), []byte("absent://theirs"), []byte("owned://theirs"))
		if !bytes.Equal(denied, missing) || mcpwire.ErrorOf(t, denied) == nil {
			t.Errorf("%s of a URI the call checks deny answers unlike a missing one:\ndenied  %s\nmissing %s", method, denied, missing)
		}
		if e := mcpwire.ErrorOf(t, s.Call(method, map[string]any{"uri": "owned://mine"})); e != nil {
			t.Errorf("%s owned://mine: %+v", method, e)
		}
	}
	if want := []string{"subscribe owned://mine", "unsubscribe owned://mine"}; !equal(calls.all(), want) {
		t.Errorf("handler calls %v, want %v", calls.all(), want)
	}
}

// TestCallCheckDecisions: with a decision hook, a request its call checks
// deny is one decision naming the call check (LayerCall), whether the
// check runs at the request entry (a prompt's) or in a tool's handler
// (ToolCallCheck); a call they let through is one allowed decision.
func TestCallCheckDecisions(t *testing.T) {
	var mu sync.Mutex
	var got []gosdk.Decision
	hook := func(_ context.Context, d gosdk.Decision) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	}
	mine := func(ac gosdk.AuthContext, id string) bool { return id == ac.Token.ClientID }
	srv := gosdk.NewServer(&mcp.Implementation{Name: "calls", Version: "1"}, nil, gosdk.WithDecisionHook(hook))
	gosdk.AddToolCall(srv, &mcp.Tool{Name: "update_note"}, func(ctx context.Context, ac gosdk.AuthContext, _ *mcp.CallToolRequest, in noteInput) (*mcp.CallToolResult, any, error) {
		if res := gosdk.ToolCallCheck(ctx, ac, "check(first)", func(context.Context, gosdk.AuthContext) (bool, error) { return true, nil }); res != nil {
			return res, nil, nil
		}
		if res := gosdk.ToolCallCheck(ctx, ac, "check(mine)", func(_ context.Context, ac gosdk.AuthContext) (bool, error) { return mine(ac, in.ID), nil }); res != nil {
			return res, nil, nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "updated"}}}, nil, nil
	}, gosdk.WithScopes("read"))
	srv.AddPrompt(&mcp.Prompt{Name: "summary", Arguments: []*mcp.PromptArgument{{Name: "id"}}}, promptHandler("summary"), gosdk.WithScopes("read"),
		gosdk.WithCallChecks(gosdk.Check(func(ac gosdk.AuthContext) bool { return mine(ac, gosdk.StringArgument(ac, "id")) })),
		gosdk.WithCallRules("check(mine)"))
	s := mcpwire.Connect(t, serve(t, authorized(srv)), "reader-token")
	call := authz.Rule{Layer: authz.LayerCall, Text: "check(mine)"}
	for _, tc := range []struct {
		method string
		params map[string]any
		want   gosdk.Decision
	}{
		{"tools/call", map[string]any{"name": "update_note", "arguments": map[string]any{"id": "writer"}},
			gosdk.Decision{Method: "tools/call", Kind: gosdk.KindTool, Name: "update_note", Target: "update_note", ClientID: "reader", Rule: authz.Rule{Layer: authz.LayerCall, Text: "check(mine)", Check: 1}}},
		{"tools/call", map[string]any{"name": "update_note", "arguments": map[string]any{"id": "reader"}},
			gosdk.Decision{Method: "tools/call", Kind: gosdk.KindTool, Name: "update_note", Target: "update_note", ClientID: "reader", Allowed: true}},
		{"prompts/get", map[string]any{"name": "summary", "arguments": map[string]any{"id": "writer"}},
			gosdk.Decision{Method: "prompts/get", Kind: gosdk.KindPrompt, Name: "summary", Target: "summary", ClientID: "reader", Rule: call}},
		{"prompts/get", map[string]any{"name": "summary", "arguments": map[string]any{"id": "reader"}},
			gosdk.Decision{Method: "prompts/get", Kind: gosdk.KindPrompt, Name: "summary", Target: "summary", ClientID: "reader", Allowed: true}},
	} {
		mu.Lock()
		got = nil
		mu.Unlock()
		s.Call(tc.method, tc.params)
		mu.Lock()
		d := got
		mu.Unlock()
		if len(d) != 1 {
			t.Errorf("%s %v: %d decisions, want 1: %+v", tc.method, tc.params, len(d), d)
			continue
		}
		if diff := cmp.Diff(tc.want, d[0], cmpopts.IgnoreFields(gosdk.Decision{}, "Time", "Duration", "Subject", "SessionID")); diff != "" {
			t.Errorf("%s %v (-want +got):\n%s", tc.method, tc.params, diff)
		}
		if d[0].SessionID == "" {
			t.Errorf("%s %v: decision without the session ID", tc.method, tc.params)
		}
	}
}
