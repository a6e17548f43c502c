package runtime_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// argLog records the Arguments every check call saw, by method.
type argLog struct {
	mu  sync.Mutex
	got []string
}

func (l *argLog) check(label string) runtime.AuthCheck {
	return func(_ context.Context, ac runtime.AuthContext) (bool, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.got = append(l.got, fmt.Sprintf("%s %v", label, ac.Arguments))
		return true, nil
	}
}

func (l *argLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.got
	l.got = nil
	return out
}

// noteServer has a tool, a prompt and a template, each with a component
// check that logs what it sees.
func argServer(log *argLog, opts ...runtime.Option) *runtime.Server {
	srv := runtime.NewServer("args", "1", opts...)
	srv.AddTool(mcp.NewTool("edit", mcp.WithString("id")), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("edited"), nil
	}, runtime.WithAuth(log.check("tool")))
	srv.AddPrompt(mcp.NewPrompt("summary", mcp.WithArgument("topic")), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return &mcp.GetPromptResult{Messages: []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("s"))}}, nil
	}, runtime.WithAuth(log.check("prompt")))
	srv.AddResourceTemplate(mcp.NewResourceTemplate("notes://{id}", "note"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "n"}}, nil
	}, runtime.WithAuth(log.check("template")))
	return srv
}

func TestArgumentsOfTargetedRequests(t *testing.T) {
	for _, mw := range []bool{false, true} {
		t.Run(fmt.Sprintf("middleware=%v", mw), func(t *testing.T) {
			log := &argLog{}
			var opts []runtime.Option
			if mw {
				opts = append(opts, runtime.WithMiddleware(runtime.AuthMiddleware(log.check("middleware"))))
			}
			c := connect(t, argServer(log, opts...))
			ctx := as(tokRead)

			listAll(t, c, ctx)
			for _, got := range log.take() {
				if !contains(got, "map[]") {
					t.Errorf("a list check saw arguments: %s", got)
				}
			}

			req := mcp.CallToolRequest{}
			req.Params.Name = "edit"
			req.Params.Arguments = map[string]any{"id": "n1", "n": 2}
			if res, err := c.CallTool(ctx, req); err != nil || res.IsError {
				t.Fatalf("call: %v %v", err, resultText(res))
			}
			preq := mcp.GetPromptRequest{}
			preq.Params.Name = "summary"
			preq.Params.Arguments = map[string]string{"topic": "go"}
			if _, err := c.GetPrompt(ctx, preq); err != nil {
				t.Fatal(err)
			}
			if _, err := readResource(c, ctx, "notes://n7"); err != nil {
				t.Fatal(err)
			}
			want := []string{
				"tool map[id:n1 n:2]",
				"prompt map[topic:go]",
				"template map[id:n7]",
			}
			if mw {
				want = []string{
					"tool map[id:n1 n:2]", "middleware map[id:n1 n:2]",
					"prompt map[topic:go]", "middleware map[topic:go]",
					"template map[id:n7]", "middleware map[id:n7]",
				}
			}
			if diff := cmp.Diff(want, log.take()); diff != "" {
				t.Errorf("checks saw (-want +got):\n%s", diff)
			}
		})
	}
}

// ownerCheck passes when the "id" argument starts with the token's client
// ID; "locked" ids are refused with a message.
func ownerCheck(calls *int) runtime.AuthCheck {
	return func(_ context.Context, ac runtime.AuthContext) (bool, error) {
		*calls++
		id, _ := ac.Arguments["id"].(string)
		if id == "locked" {
			return false, &runtime.AuthorizationError{Message: "note 'locked' is locked"}
		}
		return ac.Token != nil && len(id) > len(ac.Token.ClientID) && id[:len(ac.Token.ClientID)] == ac.Token.ClientID, nil
	}
}

func callServer(calls *int, opts ...runtime.Option) *runtime.Server {
	srv := runtime.NewServer("calls", "1", opts...)
	srv.AddTool(mcp.NewTool("delete_note", mcp.WithString("id")), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("deleted " + req.GetString("id", "")), nil
	}, runtime.WithScopes("read"), runtime.WithCallChecks(ownerCheck(calls)))
	srv.AddPrompt(mcp.NewPrompt("discuss", mcp.WithArgument("id")), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return &mcp.GetPromptResult{Messages: []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("discuss"))}}, nil
	}, runtime.WithCallChecks(ownerCheck(calls)))
	srv.AddResourceTemplate(mcp.NewResourceTemplate("notes://{id}", "note"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "note " + templateVar(req, "id")}}, nil
	}, runtime.WithCallChecks(ownerCheck(calls)))
	return srv
}

func TestCallChecksNeverHide(t *testing.T) {
	var calls int
	c := connect(t, callServer(&calls))
	tools, _, templates, prompts := listAll(t, c, as(tokRead))
	want := [][]string{{"delete_note"}, {"notes://{id}"}, {"discuss"}}
	if diff := cmp.Diff(want, [][]string{tools, templates, prompts}); diff != "" {
		t.Errorf("lists (-want +got):\n%s", diff)
	}
	if calls != 0 {
		t.Errorf("call checks ran %d times for lists", calls)
	}
}

func TestCallCheckDenials(t *testing.T) {
	for _, mw := range []bool{false, true} {
		t.Run(fmt.Sprintf("middleware=%v", mw), func(t *testing.T) {
			var calls int
			var opts []runtime.Option
			if mw {
				opts = append(opts, runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RequireScopes("read"))))
			}
			c := connect(t, callServer(&calls, opts...))
			ctx := as(tokRead) // client ID "reader"

			call := func(id string) string {
				return rawCall(t, c, ctx, "tools/call", map[string]any{"name": "delete_note", "arguments": map[string]any{"id": id}})
			}
			if got := call("reader-1"); !contains(got, `"deleted reader-1"`) || contains(got, `"isError":true`) {
				t.Errorf("own note: %s", got)
			}
			denied := `{"jsonrpc":"2.0","id":null,"result":{"content":[{"type":"text","text":"Authorization failed for tool 'delete_note': insufficient permissions"}],"isError":true}}`
			if got := call("writer-1"); got != denied {
				t.Errorf("another's note:\n got %s\nwant %s", got, denied)
			}
			if got := call("locked"); !contains(got, `"text":"note 'locked' is locked"`) || !contains(got, `"isError":true`) {
				t.Errorf("AuthorizationError: %s", got)
			}

			prompt := func(id string) string {
				return rawCall(t, c, ctx, "prompts/get", map[string]any{"name": "discuss", "arguments": map[string]any{"id": id}})
			}
			if got := prompt("reader-1"); !contains(got, `"discuss"`) {
				t.Errorf("own prompt: %s", got)
			}
			wantPrompt := `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Authorization failed for prompt 'discuss': insufficient permissions"}}`
			if got := prompt("writer-1"); got != wantPrompt {
				t.Errorf("denied prompt:\n got %s\nwant %s", got, wantPrompt)
			}

			read := func(uri string) string {
				return rawCall(t, c, ctx, "resources/read", map[string]any{"uri": uri})
			}
			if got := read("notes://reader-1"); !contains(got, `"note reader-1"`) {
				t.Errorf("own note: %s", got)
			}
			other, missing := read("notes://writer-1"), read("nothing://writer-1")
			if replaceAll(other, "notes://", "nothing://") != missing {
				t.Errorf("another's note is told apart from a missing resource:\n%s\n%s", other, missing)
			}
			if contains(other, "note writer-1") {
				t.Errorf("another's note was served: %s", other)
			}
		})
	}
}

// A component's own checks decide first: a caller they deny gets the
// answer for a missing tool, and the call checks never run (their message
// would tell the tool exists).
func TestCallChecksRunAfterComponentChecks(t *testing.T) {
	var calls int
	c := connect(t, callServer(&calls))
	hidden := rawCall(t, c, context.Background(), "tools/call", map[string]any{"name": "delete_note", "arguments": map[string]any{"id": "locked"}})
	missing := rawCall(t, c, context.Background(), "tools/call", map[string]any{"name": "no_such_tool", "arguments": map[string]any{"id": "locked"}})
	if replaceAll(hidden, "delete_note", "no_such_tool") != missing {
		t.Errorf("hidden tool told apart from a missing one:\n%s\n%s", hidden, missing)
	}
	if calls != 0 {
		t.Errorf("call check ran %d times for a caller the component checks deny", calls)
	}
}

func TestToolCallCheck(t *testing.T) {
	srv := runtime.NewServer("typed", "1")
	type input struct {
		ID string `json:"id"`
	}
	var seen runtime.AuthContext
	srv.AddToolCall(mcp.NewTool("update_note", mcp.WithString("id")), func(ctx context.Context, ac runtime.AuthContext, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in input
		if res := runtime.BindArguments(req, &in, "id"); res != nil {
			return res, nil
		}
		seen = ac
		if res := runtime.ToolCallCheck(ctx, ac, "check(owns)", func(_ context.Context, ac runtime.AuthContext) (bool, error) {
			switch in.ID {
			case "panic":
				panic("boom")
			case "error":
				return false, errors.New("database down")
			case "message":
				return false, &runtime.AuthorizationError{Message: "not yours"}
			}
			return in.ID == ac.Token.ClientID+"-1", nil
		}); res != nil {
			return res, nil
		}
		return mcp.NewToolResultText("updated " + in.ID), nil
	}, runtime.WithTags("notes"))
	c := connect(t, srv)
	call := func(id string) string {
		req := mcp.CallToolRequest{}
		req.Params.Name = "update_note"
		req.Params.Arguments = map[string]any{"id": id}
		res, err := c.CallTool(as(tokRead), req)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%v %s", res.IsError, resultText(res))
	}
	for id, want := range map[string]string{
		"reader-1": "false updated reader-1",
		"writer-1": "true Authorization failed for tool 'update_note': insufficient permissions",
		"panic":    "true Authorization failed for tool 'update_note': insufficient permissions",
		"error":    "true Authorization failed for tool 'update_note': insufficient permissions",
		"message":  "true not yours",
	} {
		if got := call(id); got != want {
			t.Errorf("id %s: got %q, want %q", id, got, want)
		}
	}
	call("reader-1")
	if seen.Token != tokRead || seen.Component == nil || seen.Component.Name != "update_note" ||
		!seen.Component.HasTag("notes") || seen.Arguments["id"] != "reader-1" {
		t.Errorf("handler saw %+v", seen)
	}
}

// TestStdioSkipsCallChecks: on stdio, where no request carries a token and
// no check runs, call checks do not run either.
func TestStdioSkipsCallChecks(t *testing.T) {
	ran := 0
	deny := runtime.AuthCheck(func(context.Context, runtime.AuthContext) (bool, error) { ran++; return false, nil })
	srv := runtime.NewServer("stdio", "1")
	srv.AddToolCall(mcp.NewTool("typed"), func(ctx context.Context, ac runtime.AuthContext, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if res := runtime.ToolCallCheck(ctx, ac, "check(deny)", deny); res != nil {
			return res, nil
		}
		return mcp.NewToolResultText("typed ok"), nil
	})
	srv.AddTool(mcp.NewTool("plain"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("plain ok"), nil
	}, runtime.WithCallChecks(deny))
	srv.AddResourceTemplate(mcp.NewResourceTemplate("notes://{id}", "note"), func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "note ok"}}, nil
	}, runtime.WithCallChecks(deny))

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runtime.ServeStdioIO(srv, ctx, inR, outW) }()
	t.Cleanup(func() { cancel(); inW.Close(); <-done })
	out := bufio.NewReader(outR)
	send := func(id int, method string, params any) string {
		msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		if _, err := inW.Write(append(msg, '\n')); err != nil {
			t.Fatal(err)
		}
		line, err := out.ReadBytes('\n')
		if err != nil {
			t.Fatal(err)
		}
		return string(line)
	}
	send(1, "initialize", map[string]any{"protocolVersion": mcp.LATEST_PROTOCOL_VERSION, "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	inW.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))
	for i, c := range []struct {
		method string
		params any
		want   string
	}{
		{"tools/call", map[string]any{"name": "typed"}, "typed ok"},
		{"tools/call", map[string]any{"name": "plain"}, "plain ok"},
		{"resources/read", map[string]any{"uri": "notes://1"}, "note ok"},
	} {
		if got := send(i+2, c.method, c.params); !strings.Contains(got, c.want) {
			t.Errorf("%s over stdio: %s", c.method, got)
		}
	}
	if ran != 0 {
		t.Errorf("call checks ran %d times over stdio", ran)
	}
}

// TestCheckSiteRecover: a panic while a call check expression is evaluated
// names the annotation, and an error panic stays inspectable.
func TestCheckSiteRecover(t *testing.T) {
	errNoConfig := errors.New("no config")
	eval := func(panicWith any) (got any) {
		defer func() { got = recover() }()
		func() {
			var site runtime.CheckSite
			defer site.Recover()
			site = runtime.CheckSite{Pos: "notes.go:40:30", Expr: `ownerOf("id")`}
			if panicWith != nil {
				panic(panicWith)
			}
		}()
		return nil
	}
	if got := eval(nil); got != nil {
		t.Errorf("no panic: got %v", got)
	}
	got, _ := eval("boom").(error)
	if got == nil || got.Error() != `notes.go:40:30: check(ownerOf("id")) panicked when Register ran: boom` {
		t.Errorf("string panic: %v", got)
	}
	got, _ = eval(errNoConfig).(error)
	if !errors.Is(got, errNoConfig) {
		t.Errorf("error panic does not wrap the error: %v", got)
	}
}
