// Package gosdkeverything is package everything on the go-sdk backend: the
// components the MCP conformance suite's server scenarios call by name, on a
// gosdk.Server, with the same authorization (every conformance component
// requires scope "conformance"; admin components, hidden from the suite,
// require "admin" under a RestrictTag middleware) and the same options.
//
//lint:file-ignore SA1019 the conformance suite still exercises sampling and logging.
package gosdkeverything

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/e2e/conformance/everything"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// Options configure Handler (EventStore gives the SDK's handler an
// in-memory event store).
type Options = everything.Options

// Handler returns the fixture's HTTP handler, as everything.Handler.
func Handler(opts Options) http.Handler {
	srv := New(!opts.Anonymous)
	sdkOpts := &mcp.StreamableHTTPOptions{}
	if opts.EventStore {
		sdkOpts.EventStore = mcp.NewMemoryEventStore(nil)
	}
	hopts := []gosdk.HTTPOption{gosdk.WithStreamableHTTPOptions(sdkOpts)}
	if opts.Anonymous {
		return srv.HTTPHandler(hopts...)
	}
	h := srv.HTTPHandler(append(hopts, gosdk.WithTokenVerifier(gosdk.NewStaticTokenVerifier(map[string]gosdk.AccessToken{
		everything.Token: {ClientID: "conformance-suite", Scopes: []string{everything.ScopeConformance}},
	})))...)
	if opts.InjectToken {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				r = r.Clone(r.Context())
				r.Header.Set("Authorization", "Bearer "+everything.Token)
			}
			h.ServeHTTP(w, r)
		})
	}
	return h
}

// New returns the fixture server. With scoped, the conformance components
// require everything.ScopeConformance.
func New(scoped bool) *gosdk.Server {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "mcpauthgen-everything", Version: "1.0.0"}, &mcp.ServerOptions{
		CompletionHandler:  complete,
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}, gosdk.WithMiddleware(gosdk.AuthMiddleware(gosdk.RestrictTag("admin", "admin"))))
	var auth []gosdk.ComponentOption
	if scoped {
		auth = []gosdk.ComponentOption{gosdk.WithScopes(everything.ScopeConformance)}
	}
	admin := []gosdk.ComponentOption{gosdk.WithScopes("admin"), gosdk.WithTags("admin")}
	addTools(srv, auth)
	addResources(srv, auth)
	addPrompts(srv, auth)

	// Components nobody in the suite may see.
	srv.AddTool(&mcp.Tool{Name: "admin_reset", Description: "Resets everything (admin only).", InputSchema: object},
		toolResult(text("reset")), admin...)
	srv.AddResource(&mcp.Resource{URI: "admin://audit-log", Name: "audit_log", MIMEType: "text/plain"},
		func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return contents(&mcp.ResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: "audit"}), nil
		}, admin...)
	srv.AddPrompt(&mcp.Prompt{Name: "admin_briefing", Description: "Admin briefing."},
		func(context.Context, *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return messages(text("brief")), nil
		}, admin...)
	return srv
}

var object = map[string]any{"type": "object"}

func text(s string) *mcp.TextContent { return &mcp.TextContent{Text: s} }

func mustDecode(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

var (
	png = mustDecode(everything.PNGBase64)
	wav = mustDecode(everything.WAVBase64)
)

func toolResult(content ...mcp.Content) mcp.ToolHandler {
	return func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: content}, nil
	}
}

func contents(c ...*mcp.ResourceContents) *mcp.ReadResourceResult {
	return &mcp.ReadResourceResult{Contents: c}
}

func messages(content ...mcp.Content) *mcp.GetPromptResult {
	out := &mcp.GetPromptResult{}
	for _, c := range content {
		out.Messages = append(out.Messages, &mcp.PromptMessage{Role: "user", Content: c})
	}
	return out
}

func addTools(srv *gosdk.Server, auth []gosdk.ComponentOption) {
	tool := func(name, description string) *mcp.Tool {
		return &mcp.Tool{Name: name, Description: description, InputSchema: object}
	}
	srv.AddTool(tool("test_simple_text", "Returns simple text."), toolResult(text("This is a simple text response for testing.")), auth...)
	srv.AddTool(tool("test_image_content", "Returns an image."), toolResult(&mcp.ImageContent{Data: png, MIMEType: "image/png"}), auth...)
	srv.AddTool(tool("test_audio_content", "Returns audio."), toolResult(&mcp.AudioContent{Data: wav, MIMEType: "audio/wav"}), auth...)
	srv.AddTool(tool("test_embedded_resource", "Returns an embedded resource."), toolResult(&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{
		URI: "test://embedded-resource", MIMEType: "text/plain", Text: "This is an embedded resource content.",
	}}), auth...)
	srv.AddTool(tool("test_multiple_content_types", "Returns text, an image and a resource."), toolResult(
		text("Multiple content types test:"),
		&mcp.ImageContent{Data: png, MIMEType: "image/png"},
		&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{
			URI: "test://mixed-content-resource", MIMEType: "application/json", Text: `{"test":"data","value":123}`,
		}},
	), auth...)
	srv.AddTool(tool("test_error_handling", "Always fails."), func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{text("This tool intentionally returns an error for testing")}}, nil
	}, auth...)
	srv.AddTool(tool("test_tool_with_logging", "Logs while it runs."), func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		for i, msg := range []string{"Tool execution started", "Tool processing data", "Tool execution completed"} {
			if i > 0 {
				time.Sleep(50 * time.Millisecond)
			}
			if err := req.Session.Log(ctx, &mcp.LoggingMessageParams{Level: "info", Logger: "everything", Data: msg}); err != nil {
				return nil, err
			}
		}
		return &mcp.CallToolResult{Content: []mcp.Content{text("Tool with logging completed")}}, nil
	}, auth...)
	srv.AddTool(tool("test_tool_with_progress", "Reports progress while it runs."), func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		token := req.Params.GetProgressToken()
		for i, p := range []float64{0, 50, 100} {
			if i > 0 {
				time.Sleep(50 * time.Millisecond)
			}
			if token == nil {
				continue
			}
			if err := req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{ProgressToken: token, Progress: p, Total: 100}); err != nil {
				return nil, err
			}
		}
		return &mcp.CallToolResult{Content: []mcp.Content{text("Tool with progress completed")}}, nil
	}, auth...)
	type promptArgs struct {
		Prompt string `json:"prompt"`
	}
	gosdk.AddTool(srv, &mcp.Tool{Name: "test_sampling", Description: "Asks the client's LLM."}, func(ctx context.Context, req *mcp.CallToolRequest, in promptArgs) (*mcp.CallToolResult, any, error) {
		res, err := req.Session.CreateMessage(ctx, &mcp.CreateMessageParams{
			Messages:  []*mcp.SamplingMessage{{Role: "user", Content: text(in.Prompt)}},
			MaxTokens: 100,
		})
		if err != nil {
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{text("sampling failed: " + err.Error())}}, nil, nil
		}
		reply := "(non-text response)"
		if tc, ok := res.Content.(*mcp.TextContent); ok {
			reply = tc.Text
		}
		return &mcp.CallToolResult{Content: []mcp.Content{text("LLM response: " + reply)}}, nil, nil
	}, auth...)
	type messageArgs struct {
		Message string `json:"message"`
	}
	gosdk.AddTool(srv, &mcp.Tool{Name: "test_elicitation", Description: "Asks the user."}, func(ctx context.Context, req *mcp.CallToolRequest, in messageArgs) (*mcp.CallToolResult, any, error) {
		return elicit(ctx, req, in.Message, map[string]any{
			"type": "object",
			"properties": map[string]any{
				"username": map[string]any{"type": "string", "description": "User's response"},
				"email":    map[string]any{"type": "string", "description": "User's email address"},
			},
			"required": []string{"username", "email"},
		}, "User response: "), nil, nil
	}, auth...)
	srv.AddTool(tool("test_elicitation_sep1034_defaults", "Asks the user, with defaults."), func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return elicit(ctx, req, "Please review and update the form fields with defaults", map[string]any{
			"type": "object",
			"properties": map[string]any{
				"name":     map[string]any{"type": "string", "description": "User name", "default": "John Doe"},
				"age":      map[string]any{"type": "integer", "description": "User age", "default": 30},
				"score":    map[string]any{"type": "number", "description": "User score", "default": 95.5},
				"status":   map[string]any{"type": "string", "description": "User status", "enum": []string{"active", "inactive", "pending"}, "default": "active"},
				"verified": map[string]any{"type": "boolean", "description": "Verification status", "default": true},
			},
			"required": []string{},
		}, "Elicitation completed: "), nil
	}, auth...)
	srv.AddTool(tool("test_elicitation_sep1330_enums", "Asks the user to choose."), func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		titled := func(prefix, title string) []map[string]any {
			var out []map[string]any
			for i, n := range []string{"First", "Second", "Third"} {
				out = append(out, map[string]any{"const": fmt.Sprintf("%s%d", prefix, i+1), "title": n + " " + title})
			}
			return out
		}
		return elicit(ctx, req, "Please select options", map[string]any{
			"type": "object",
			"properties": map[string]any{
				"untitledSingle": map[string]any{"type": "string", "enum": []string{"option1", "option2", "option3"}},
				"titledSingle":   map[string]any{"type": "string", "oneOf": titled("value", "Option")},
				"legacyEnum": map[string]any{"type": "string", "enum": []string{"opt1", "opt2", "opt3"},
					"enumNames": []string{"Option One", "Option Two", "Option Three"}},
				"untitledMulti": map[string]any{"type": "array",
					"items": map[string]any{"type": "string", "enum": []string{"option1", "option2", "option3"}}},
				"titledMulti": map[string]any{"type": "array", "items": map[string]any{"anyOf": titled("value", "Choice")}},
			},
			"required": []string{},
		}, "Elicitation completed: "), nil
	}, auth...)
	srv.AddTool(&mcp.Tool{Name: "json_schema_2020_12_tool", Description: "Tool with JSON Schema 2020-12 features", InputSchema: json.RawMessage(`{
			"$schema": "https://json-schema.org/draft/2020-12/schema",
			"type": "object",
			"$defs": {"address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}},
			"properties": {"name": {"type": "string"}, "address": {"$ref": "#/$defs/address"}},
			"additionalProperties": false
		}`)}, toolResult(text("JSON Schema 2020-12 tool called")), auth...)
	srv.AddTool(tool("test_reconnection", "Answers after a pause (SSE polling scenario)."), func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		time.Sleep(100 * time.Millisecond)
		return &mcp.CallToolResult{Content: []mcp.Content{text("Reconnection test completed successfully")}}, nil
	}, auth...)
}

// elicit asks the client for input with msg and schema and reports the
// answer after prefix.
func elicit(ctx context.Context, req *mcp.CallToolRequest, msg string, schema any, prefix string) *mcp.CallToolResult {
	res, err := req.Session.Elicit(ctx, &mcp.ElicitParams{Message: msg, RequestedSchema: schema})
	if err != nil {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{text("elicitation failed: " + err.Error())}}
	}
	content, _ := json.Marshal(res.Content)
	return &mcp.CallToolResult{Content: []mcp.Content{text(fmt.Sprintf("%saction=%s, content=%s", prefix, res.Action, content))}}
}

func addResources(srv *gosdk.Server, auth []gosdk.ComponentOption) {
	static := func(uri, name, description, mime string, c mcp.ResourceContents) {
		srv.AddResource(&mcp.Resource{URI: uri, Name: name, Description: description, MIMEType: mime},
			func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
				c := c
				c.URI, c.MIMEType = req.Params.URI, mime
				return contents(&c), nil
			}, auth...)
	}
	static("test://static-text", "static_text", "A static text resource.", "text/plain",
		mcp.ResourceContents{Text: "This is the content of the static text resource."})
	static("test://static-binary", "static_binary", "A static binary resource.", "image/png", mcp.ResourceContents{Blob: png})
	static("test://watched-resource", "watched_resource", "A resource clients may subscribe to.", "text/plain",
		mcp.ResourceContents{Text: "Watched resource content"})
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "test://template/{id}/data", Name: "template_data",
		Description: "Data for an ID.", MIMEType: "application/json"},
		func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			id := gosdk.TemplateVar(ctx, "id")
			body, _ := json.Marshal(map[string]any{"id": id, "templateTest": true, "data": "Data for ID: " + id})
			return contents(&mcp.ResourceContents{URI: req.Params.URI, MIMEType: "application/json", Text: string(body)}), nil
		}, auth...)
}

func addPrompts(srv *gosdk.Server, auth []gosdk.ComponentOption) {
	srv.AddPrompt(&mcp.Prompt{Name: "test_simple_prompt", Description: "A simple prompt."},
		func(context.Context, *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return messages(text("This is a simple prompt for testing.")), nil
		}, auth...)
	srv.AddPrompt(&mcp.Prompt{Name: "test_prompt_with_arguments", Description: "A prompt with arguments.", Arguments: []*mcp.PromptArgument{
		{Name: "arg1", Description: "First test argument", Required: true},
		{Name: "arg2", Description: "Second test argument", Required: true},
	}}, func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		a := req.Params.Arguments
		return messages(text(fmt.Sprintf("Prompt with arguments: arg1='%s', arg2='%s'", a["arg1"], a["arg2"]))), nil
	}, auth...)
	srv.AddPrompt(&mcp.Prompt{Name: "test_prompt_with_embedded_resource", Description: "A prompt with a resource.", Arguments: []*mcp.PromptArgument{
		{Name: "resourceUri", Description: "URI of the resource to embed", Required: true},
	}}, func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return messages(
			&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: req.Params.Arguments["resourceUri"], MIMEType: "text/plain", Text: "Embedded resource content for testing."}},
			text("Please process the embedded resource above."),
		), nil
	}, auth...)
	srv.AddPrompt(&mcp.Prompt{Name: "test_prompt_with_image", Description: "A prompt with an image."},
		func(context.Context, *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return messages(&mcp.ImageContent{Data: png, MIMEType: "image/png"}, text("Please analyze the image above.")), nil
		}, auth...)
}

// complete completes the arguments of test_prompt_with_arguments from a
// fixed list; everything else gets no suggestions.
func complete(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	values := []string{}
	if req.Params.Ref.Type == "ref/prompt" && req.Params.Ref.Name == "test_prompt_with_arguments" {
		for _, v := range []string{"paris", "park", "party", "test", "testValue1"} {
			if strings.HasPrefix(v, req.Params.Argument.Value) {
				values = append(values, v)
			}
		}
	}
	return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: values, Total: len(values)}}, nil
}
