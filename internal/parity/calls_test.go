package parity_test

import (
	"context"
	"encoding/json"
	"fmt"

	mcpgo "github.com/mark3labs/mcp-go/mcp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// Call checks (SPEC section 7), as generated code registers them: a tool
// runs its own in its handler, on the arguments it decoded; a template and
// a prompt carry theirs as WithCallChecks. Each component has two call
// checks, in this order: notLocked, then callersOwn. A note is the
// caller's when its id is the caller's client ID.

// notLocked denies the note "locked" with a message for the client.
func notLocked(_ authz.AuthContext, id string) (bool, error) {
	if id == "locked" {
		return false, &authz.AuthorizationError{Message: "note locked is locked"}
	}
	return true, nil
}

// callersOwn passes when the request's id argument, read from the
// AuthContext, is the caller's client ID.
func callersOwn(ac authz.AuthContext) (bool, error) {
	id, _ := ac.Arguments["id"].(string)
	return ac.Token != nil && id == ac.Token.ClientID, nil
}

// entryChecks are the call checks of the template and the prompt.
func entryChecks() authz.ComponentOption {
	return authz.WithCallChecks(
		authz.Check(func(ac authz.AuthContext) (bool, error) {
			id, _ := ac.Arguments["id"].(string)
			return notLocked(ac, id)
		}),
		authz.Check(callersOwn),
	)
}

// boundInput is the input of bound_tool and bound_prompt, which decode
// their arguments with the backend's adapters (or, on the go-sdk, a typed
// tool's own decoding): argument names are case-sensitive on both.
type boundInput struct {
	ID string `json:"id"`
}

func addCallsMCPGo(srv *runtime.Server) {
	srv.AddToolCall(mcpgo.NewTool("note_tool", mcpgo.WithString("id")), func(ctx context.Context, ac runtime.AuthContext, req mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
		id := req.GetString("id", "")
		if res := runtime.ToolCallCheck(ctx, ac, "check(notLocked)", func(_ context.Context, ac runtime.AuthContext) (bool, error) { return notLocked(ac, id) }); res != nil {
			return res, nil
		}
		if res := runtime.ToolCallCheck(ctx, ac, "check(callersOwn)", func(_ context.Context, ac runtime.AuthContext) (bool, error) { return callersOwn(ac) }); res != nil {
			return res, nil
		}
		return mcpgo.NewToolResultText("note_tool " + id + " for " + describe(ac.Token)), nil
	}, authz.WithScopes("read"))
	srv.AddTool(mcpgo.NewTool("bound_tool", mcpgo.WithString("id")), func(_ context.Context, req mcpgo.CallToolRequest) (*mcpgo.CallToolResult, error) {
		var in boundInput
		if res := runtime.BindArguments(req, &in); res != nil {
			return res, nil
		}
		return mcpgo.NewToolResultText("bound_tool " + in.ID), nil
	})
	srv.AddPrompt(mcpgo.NewPrompt("bound_prompt", mcpgo.WithArgument("id")), func(_ context.Context, req mcpgo.GetPromptRequest) (*mcpgo.GetPromptResult, error) {
		var in boundInput
		if err := runtime.BindPromptArguments(req, &in); err != nil {
			return nil, err
		}
		return runtime.PromptText("bound_prompt "+in.ID, nil)
	})
	srv.AddResourceTemplate(mcpgo.NewResourceTemplate("notes://{id}", "note"), func(ctx context.Context, req mcpgo.ReadResourceRequest) ([]mcpgo.ResourceContents, error) {
		text := "note " + req.Params.URI + " for " + describe(runtime.AccessTokenFromContext(ctx))
		return []mcpgo.ResourceContents{mcpgo.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}, nil
	}, authz.WithScopes("read"), entryChecks())
	srv.AddPrompt(mcpgo.NewPrompt("note_prompt", mcpgo.WithArgument("id")), func(ctx context.Context, req mcpgo.GetPromptRequest) (*mcpgo.GetPromptResult, error) {
		text := "note_prompt " + req.Params.Arguments["id"] + " for " + describe(runtime.AccessTokenFromContext(ctx))
		return mcpgo.NewGetPromptResult("", []mcpgo.PromptMessage{mcpgo.NewPromptMessage(mcpgo.RoleUser, mcpgo.NewTextContent(text))}), nil
	}, authz.WithScopes("read"), entryChecks())
}

func addCallsGoSDK(srv *gosdk.Server) {
	type noteInput struct {
		ID string `json:"id"`
	}
	gosdk.AddToolCall(srv, &mcp.Tool{Name: "note_tool"}, func(ctx context.Context, ac gosdk.AuthContext, _ *mcp.CallToolRequest, in noteInput) (*mcp.CallToolResult, any, error) {
		if res := gosdk.ToolCallCheck(ctx, ac, "check(notLocked)", func(_ context.Context, ac gosdk.AuthContext) (bool, error) { return notLocked(ac, in.ID) }); res != nil {
			return res, nil, nil
		}
		if res := gosdk.ToolCallCheck(ctx, ac, "check(callersOwn)", func(_ context.Context, ac gosdk.AuthContext) (bool, error) { return callersOwn(ac) }); res != nil {
			return res, nil, nil
		}
		text := "note_tool " + in.ID + " for " + describe(ac.Token)
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
	}, authz.WithScopes("read"))
	gosdk.AddTool(srv, &mcp.Tool{Name: "bound_tool", InputSchema: json.RawMessage(`{"type":"object","properties":{"id":{"type":"string"}}}`)},
		func(_ context.Context, _ *mcp.CallToolRequest, in boundInput) (*mcp.CallToolResult, any, error) {
			return gosdk.TextResult("bound_tool "+in.ID, nil)
		})
	srv.AddPrompt(&mcp.Prompt{Name: "bound_prompt", Arguments: []*mcp.PromptArgument{{Name: "id"}}}, func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		var in boundInput
		if err := gosdk.BindPromptArguments(req, &in); err != nil {
			return nil, err
		}
		return gosdk.PromptText("bound_prompt "+in.ID, nil)
	})
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "notes://{id}", Name: "note"}, func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		text := "note " + req.Params.URI + " for " + describe(gosdk.AccessTokenFromContext(ctx))
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: text}}}, nil
	}, authz.WithScopes("read"), entryChecks())
	srv.AddPrompt(&mcp.Prompt{Name: "note_prompt", Arguments: []*mcp.PromptArgument{{Name: "id"}}}, func(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		text := "note_prompt " + req.Params.Arguments["id"] + " for " + describe(gosdk.AccessTokenFromContext(ctx))
		return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: text}}}}, nil
	}, authz.WithScopes("read"), entryChecks())
}

var (
	withCalls = setup{id: "calls", calls: true}
	// withCallsMW adds middleware that lets every call through, so that a
	// denied read answers as the middleware answers a URI nothing serves.
	withCallsMW = setup{id: "calls+mw", calls: true, middleware: []authz.Middleware{authz.AuthMiddleware(authz.Check(func(authz.AuthContext) bool { return true }))}}
)

func init() {
	const insufficient = "Authorization failed for %s '%s': insufficient permissions"
	cases = append(cases,
		// Call checks never hide: the caller sees the components whatever
		// the arguments it may send.
		testCase{"calls: tools listed", withCalls, "reader", "tools/list", nil,
			listed("tools", []string{"bound_tool", "invoice", "note_tool", "public_tool", "read_tool", "tagged_tool"})},
		testCase{"calls: templates listed", withCalls, "reader", "resources/templates/list", nil,
			listed("resourceTemplates", []string{"docs://{x}/{y}", "notes://{id}", "users://{id}/profile"})},
		testCase{"calls: prompts listed", withCalls, "reader", "prompts/list", nil,
			listed("prompts", []string{"billing_prompt", "bound_prompt", "note_prompt", "public_prompt"})},

		// The caller's own note passes every check.
		testCase{"calls: tool passes", withCalls, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "reader"}},
			toolResult(false, "note_tool reader for reader [read]")},
		testCase{"calls: template passes", withCalls, "reader", "resources/read", map[string]any{"uri": "notes://reader"},
			text("note notes://reader for reader [read]")},
		testCase{"calls: prompt passes", withCalls, "reader", "prompts/get", map[string]any{"name": "note_prompt", "arguments": map[string]any{"id": "reader"}},
			text("note_prompt reader for reader [read]")},

		// Another's: denied as each SDK's method says.
		testCase{"calls: tool denied", withCalls, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "writer"}},
			toolResult(true, fmt.Sprintf(insufficient, "tool", "note_tool"))},
		testCase{"calls: template denied as missing", withCalls, "reader", "resources/read", map[string]any{"uri": "notes://writer"},
			likeMissing("uri", "absen://writer")},
		testCase{"calls: prompt denied", withCalls, "reader", "prompts/get", map[string]any{"name": "note_prompt", "arguments": map[string]any{"id": "writer"}},
			rpcError(-32600, fmt.Sprintf(insufficient, "prompt", "note_prompt"))},
		testCase{"calls+mw: template denied as missing", withCallsMW, "reader", "resources/read", map[string]any{"uri": "notes://writer"},
			likeMissing("uri", "absen://writer")},
		testCase{"calls+mw: prompt denied", withCallsMW, "reader", "prompts/get", map[string]any{"name": "note_prompt", "arguments": map[string]any{"id": "writer"}},
			rpcError(-32600, fmt.Sprintf(insufficient, "prompt", "note_prompt"))},

		// In the order written: both checks deny "locked", and the first
		// one's message is the answer.
		testCase{"calls: tool check message", withCalls, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "locked"}},
			toolResult(true, "note locked is locked")},
		testCase{"calls: prompt check message", withCalls, "reader", "prompts/get", map[string]any{"name": "note_prompt", "arguments": map[string]any{"id": "locked"}},
			rpcError(-32600, "note locked is locked")},
		testCase{"calls: template check message hidden", withCalls, "reader", "resources/read", map[string]any{"uri": "notes://locked"},
			likeMissing("uri", "absen://locked")},

		// A key that names an argument only by letter case (which
		// encoding/json would bind to it, while checks read the exact
		// name) is refused alike on both backends.
		testCase{"exact names: tool", withCalls, "reader", "tools/call", map[string]any{"name": "bound_tool", "arguments": map[string]any{"id": "reader", "ID": "writer"}},
			toolResult(true, `invalid argument "ID": no such argument (names are case-sensitive: "id")`)},
		testCase{"exact names: tool passes", withCalls, "reader", "tools/call", map[string]any{"name": "bound_tool", "arguments": map[string]any{"id": "reader"}},
			toolResult(false, "bound_tool reader")},
		testCase{"exact names: prompt", withCalls, "reader", "prompts/get", map[string]any{"name": "bound_prompt", "arguments": map[string]any{"Id": "writer"}},
			errorMessage(`invalid argument "Id": no such argument (names are case-sensitive: "id")`)},
		testCase{"exact names: prompt passes", withCalls, "reader", "prompts/get", map[string]any{"name": "bound_prompt", "arguments": map[string]any{"id": "reader"}},
			text("bound_prompt reader")},

		// Component checks still come first: without the scope, each is
		// missing.
		testCase{"calls: tool hidden first", withCalls, "nobody", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "nobody"}},
			likeMissing("name", "absen_tool")},
	)
}
