// Package everything is the fixture the MCP conformance suite
// (@modelcontextprotocol/conformance, server scenarios) runs against: an
// mcpauthgen runtime.Server with the tools, resources, resource template and
// prompts the scenarios call by name (test_simple_text, test://static-text,
// test_prompt_with_arguments, …), served over Streamable HTTP with a token
// verifier and authorization in place.
//
// Every conformance component requires scope "conformance"; a few more
// components require scope "admin" (and carry tag "admin", which a
// RestrictTag middleware guards), so that the suite also sees lists with
// hidden entries. The conformance CLI cannot send a bearer token for server
// scenarios, so Handler puts Token on every request that has no
// Authorization header (InjectToken); without that option a request without
// a token is refused with 401, as any client would see it.
package everything

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Token is the bearer token of the conformance caller, which grants
// ScopeConformance.
const Token = "conformance-token"

// ScopeConformance is the scope every component the suite uses requires.
const ScopeConformance = "conformance"

// Options configure Handler.
type Options struct {
	// InjectToken sends requests that carry no Authorization header on as
	// if they carried "Bearer " + Token. The conformance CLI needs it.
	InjectToken bool
	// Anonymous serves without a token verifier and without scopes on the
	// conformance components (checks then run with no token): the
	// authorization-free baseline.
	Anonymous bool
	// EventStore gives mcp-go's Streamable HTTP server an in-memory event
	// store: SSE events get IDs and streams can be resumed. (It also closes
	// an mcp-go v1.2.1 race that, without an event store, drops the last
	// notification a tool handler sends before it returns; see
	// conformance/RESULTS.md.)
	EventStore bool
}

// Handler returns the fixture's HTTP handler. Mount it at the MCP path and
// at /.well-known/oauth-protected-resource<MCP path>.
func Handler(opts Options) http.Handler {
	srv := New(!opts.Anonymous)
	var hopts []runtime.HTTPOption
	if opts.EventStore {
		hopts = append(hopts, runtime.WithStreamableHTTPOptions(server.WithEventStore(server.NewInMemoryEventStore())))
	}
	if opts.Anonymous {
		return srv.HTTPHandler(hopts...)
	}
	h := srv.HTTPHandler(append(hopts, runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(map[string]runtime.AccessToken{
		Token: {ClientID: "conformance-suite", Scopes: []string{ScopeConformance}},
	})))...)
	if opts.InjectToken {
		return injectToken(h)
	}
	return h
}

func injectToken(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+Token)
		}
		h.ServeHTTP(w, r)
	})
}

// New returns the fixture server. With scoped, the conformance components
// require ScopeConformance.
func New(scoped bool) *runtime.Server {
	srv := runtime.NewServer("mcpauthgen-everything", "1.0.0",
		runtime.WithMiddleware(runtime.AuthMiddleware(runtime.RestrictTag("admin", "admin"))),
		runtime.WithServerOptions(
			server.WithLogging(),
			server.WithCompletions(),
			server.WithElicitation(),
			server.WithResourceCapabilities(true, false),
			server.WithPromptCompletionProvider(completions{}),
		))
	srv.MCP().EnableSampling()

	var auth []runtime.ComponentOption
	if scoped {
		auth = []runtime.ComponentOption{runtime.WithScopes(ScopeConformance)}
	}
	admin := []runtime.ComponentOption{runtime.WithScopes("admin"), runtime.WithTags("admin")}

	addTools(srv, auth)
	addResources(srv, auth)
	addPrompts(srv, auth)

	// Components nobody in the suite may see.
	srv.AddTool(mcp.NewTool("admin_reset", mcp.WithDescription("Resets everything (admin only).")),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("reset"), nil
		}, admin...)
	srv.AddResource(mcp.NewResource("admin://audit-log", "audit_log", mcp.WithMIMEType("text/plain")),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: "audit"}}, nil
		}, admin...)
	srv.AddPrompt(mcp.NewPrompt("admin_briefing", mcp.WithPromptDescription("Admin briefing.")),
		func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return mcp.NewGetPromptResult("", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("brief"))}), nil
		}, admin...)
	return srv
}

func text(s string) server.ToolHandlerFunc {
	return func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(s), nil
	}
}

func result(content ...mcp.Content) server.ToolHandlerFunc {
	return func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: content}, nil
	}
}

func addTools(srv *runtime.Server, auth []runtime.ComponentOption) {
	tool := func(name, description string, opts ...mcp.ToolOption) mcp.Tool {
		return mcp.NewTool(name, append([]mcp.ToolOption{mcp.WithDescription(description)}, opts...)...)
	}
	srv.AddTool(tool("test_simple_text", "Returns simple text."),
		text("This is a simple text response for testing."), auth...)
	srv.AddTool(tool("test_image_content", "Returns an image."),
		result(mcp.NewImageContent(pngBase64, "image/png")), auth...)
	srv.AddTool(tool("test_audio_content", "Returns audio."),
		result(mcp.NewAudioContent(wavBase64, "audio/wav")), auth...)
	srv.AddTool(tool("test_embedded_resource", "Returns an embedded resource."),
		result(mcp.NewEmbeddedResource(mcp.TextResourceContents{
			URI: "test://embedded-resource", MIMEType: "text/plain", Text: "This is an embedded resource content.",
		})), auth...)
	srv.AddTool(tool("test_multiple_content_types", "Returns text, an image and a resource."),
		result(
			mcp.NewTextContent("Multiple content types test:"),
			mcp.NewImageContent(pngBase64, "image/png"),
			mcp.NewEmbeddedResource(mcp.TextResourceContents{
				URI: "test://mixed-content-resource", MIMEType: "application/json", Text: `{"test":"data","value":123}`,
			}),
		), auth...)
	srv.AddTool(tool("test_error_handling", "Always fails."),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultError("This tool intentionally returns an error for testing"), nil
		}, auth...)
	srv.AddTool(tool("test_tool_with_logging", "Logs while it runs."),
		func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			s := server.ServerFromContext(ctx)
			for i, msg := range []string{"Tool execution started", "Tool processing data", "Tool execution completed"} {
				if i > 0 {
					time.Sleep(50 * time.Millisecond)
				}
				if err := s.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(mcp.LoggingLevelInfo, "everything", msg)); err != nil {
					return nil, err
				}
			}
			return mcp.NewToolResultText("Tool with logging completed"), nil
		}, auth...)
	srv.AddTool(tool("test_tool_with_progress", "Reports progress while it runs."),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var token mcp.ProgressToken
			if req.Params.Meta != nil {
				token = req.Params.Meta.ProgressToken
			}
			s := server.ServerFromContext(ctx)
			for i, p := range []float64{0, 50, 100} {
				if i > 0 {
					time.Sleep(50 * time.Millisecond)
				}
				if token == nil {
					continue
				}
				if err := s.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), map[string]any{
					"progressToken": token, "progress": p, "total": 100,
				}); err != nil {
					return nil, err
				}
			}
			return mcp.NewToolResultText("Tool with progress completed"), nil
		}, auth...)
	srv.AddTool(tool("test_sampling", "Asks the client's LLM.", mcp.WithString("prompt", mcp.Required())),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			//lint:ignore SA1019 the conformance suite still exercises sampling.
			res, err := server.ServerFromContext(ctx).RequestSampling(ctx, mcp.CreateMessageRequest{
				CreateMessageParams: mcp.CreateMessageParams{
					Messages: []mcp.SamplingMessage{{
						Role: mcp.RoleUser, Content: mcp.NewTextContent(req.GetString("prompt", "")),
					}},
					MaxTokens: 100,
				},
			})
			if err != nil {
				return mcp.NewToolResultError("sampling failed: " + err.Error()), nil
			}
			return mcp.NewToolResultText("LLM response: " + contentText(res.Content)), nil
		}, auth...)
	srv.AddTool(tool("test_elicitation", "Asks the user.", mcp.WithString("message", mcp.Required())),
		elicit(func(req mcp.CallToolRequest) (string, any) {
			return req.GetString("message", ""), map[string]any{
				"type": "object",
				"properties": map[string]any{
					"username": map[string]any{"type": "string", "description": "User's response"},
					"email":    map[string]any{"type": "string", "description": "User's email address"},
				},
				"required": []string{"username", "email"},
			}
		}, "User response: "), auth...)
	srv.AddTool(tool("test_elicitation_sep1034_defaults", "Asks the user, with defaults."),
		elicit(func(mcp.CallToolRequest) (string, any) {
			return "Please review and update the form fields with defaults", map[string]any{
				"type": "object",
				"properties": map[string]any{
					"name":     map[string]any{"type": "string", "description": "User name", "default": "John Doe"},
					"age":      map[string]any{"type": "integer", "description": "User age", "default": 30},
					"score":    map[string]any{"type": "number", "description": "User score", "default": 95.5},
					"status":   map[string]any{"type": "string", "description": "User status", "enum": []string{"active", "inactive", "pending"}, "default": "active"},
					"verified": map[string]any{"type": "boolean", "description": "Verification status", "default": true},
				},
				"required": []string{},
			}
		}, "Elicitation completed: "), auth...)
	srv.AddTool(tool("test_elicitation_sep1330_enums", "Asks the user to choose."),
		elicit(func(mcp.CallToolRequest) (string, any) {
			titled := func(prefix, title string) []map[string]any {
				var out []map[string]any
				for i, n := range []string{"First", "Second", "Third"} {
					out = append(out, map[string]any{"const": fmt.Sprintf("%s%d", prefix, i+1), "title": n + " " + title})
				}
				return out
			}
			return "Please select options", map[string]any{
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
			}
		}, "Elicitation completed: "), auth...)
	srv.AddTool(mcp.NewToolWithRawSchema("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
		json.RawMessage(`{
			"$schema": "https://json-schema.org/draft/2020-12/schema",
			"type": "object",
			"$defs": {"address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}},
			"properties": {"name": {"type": "string"}, "address": {"$ref": "#/$defs/address"}},
			"additionalProperties": false
		}`)),
		text("JSON Schema 2020-12 tool called"), auth...)
	srv.AddTool(tool("test_reconnection", "Answers after a pause (SSE polling scenario)."),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			time.Sleep(100 * time.Millisecond)
			return mcp.NewToolResultText("Reconnection test completed successfully"), nil
		}, auth...)
}

// elicit returns a tool handler that asks the client for input with the
// message and schema of ask and reports the answer after prefix.
func elicit(ask func(mcp.CallToolRequest) (string, any), prefix string) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		msg, schema := ask(req)
		res, err := server.ServerFromContext(ctx).RequestElicitation(ctx, mcp.ElicitationRequest{
			Params: mcp.ElicitationParams{Message: msg, RequestedSchema: schema},
		})
		if err != nil {
			return mcp.NewToolResultError("elicitation failed: " + err.Error()), nil
		}
		content, _ := json.Marshal(res.Content)
		return mcp.NewToolResultText(fmt.Sprintf("%saction=%s, content=%s", prefix, res.Action, content)), nil
	}
}

// contentText returns the text of a sampling answer's content, whatever Go
// type mcp-go decoded it to.
func contentText(c any) string {
	switch c := c.(type) {
	case mcp.TextContent:
		return c.Text
	case *mcp.TextContent:
		return c.Text
	case map[string]any:
		if s, ok := c["text"].(string); ok {
			return s
		}
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func addResources(srv *runtime.Server, auth []runtime.ComponentOption) {
	srv.AddResource(mcp.NewResource("test://static-text", "static_text",
		mcp.WithResourceDescription("A static text resource."), mcp.WithMIMEType("text/plain")),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{
				URI: req.Params.URI, MIMEType: "text/plain", Text: "This is the content of the static text resource.",
			}}, nil
		}, auth...)
	srv.AddResource(mcp.NewResource("test://static-binary", "static_binary",
		mcp.WithResourceDescription("A static binary resource."), mcp.WithMIMEType("image/png")),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.BlobResourceContents{URI: req.Params.URI, MIMEType: "image/png", Blob: pngBase64}}, nil
		}, auth...)
	srv.AddResource(mcp.NewResource("test://watched-resource", "watched_resource",
		mcp.WithResourceDescription("A resource clients may subscribe to."), mcp.WithMIMEType("text/plain")),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Text: "Watched resource content"}}, nil
		}, auth...)
	srv.AddResourceTemplate(mcp.NewResourceTemplate("test://template/{id}/data", "template_data",
		mcp.WithTemplateDescription("Data for an ID."), mcp.WithTemplateMIMEType("application/json")),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			id := fmt.Sprint(req.Params.Arguments["id"])
			if ids, ok := req.Params.Arguments["id"].([]string); ok {
				id = strings.Join(ids, ",")
			}
			body, _ := json.Marshal(map[string]any{"id": id, "templateTest": true, "data": "Data for ID: " + id})
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "application/json", Text: string(body)}}, nil
		}, auth...)
}

func addPrompts(srv *runtime.Server, auth []runtime.ComponentOption) {
	msgs := func(m ...mcp.PromptMessage) *mcp.GetPromptResult { return mcp.NewGetPromptResult("", m) }
	srv.AddPrompt(mcp.NewPrompt("test_simple_prompt", mcp.WithPromptDescription("A simple prompt.")),
		func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return msgs(mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("This is a simple prompt for testing."))), nil
		}, auth...)
	srv.AddPrompt(mcp.NewPrompt("test_prompt_with_arguments", mcp.WithPromptDescription("A prompt with arguments."),
		mcp.WithArgument("arg1", mcp.ArgumentDescription("First test argument"), mcp.RequiredArgument()),
		mcp.WithArgument("arg2", mcp.ArgumentDescription("Second test argument"), mcp.RequiredArgument())),
		func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			a := req.Params.Arguments
			return msgs(mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(
				fmt.Sprintf("Prompt with arguments: arg1='%s', arg2='%s'", a["arg1"], a["arg2"])))), nil
		}, auth...)
	srv.AddPrompt(mcp.NewPrompt("test_prompt_with_embedded_resource", mcp.WithPromptDescription("A prompt with a resource."),
		mcp.WithArgument("resourceUri", mcp.ArgumentDescription("URI of the resource to embed"), mcp.RequiredArgument())),
		func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return msgs(
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewEmbeddedResource(mcp.TextResourceContents{
					URI: req.Params.Arguments["resourceUri"], MIMEType: "text/plain", Text: "Embedded resource content for testing.",
				})),
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("Please process the embedded resource above.")),
			), nil
		}, auth...)
	srv.AddPrompt(mcp.NewPrompt("test_prompt_with_image", mcp.WithPromptDescription("A prompt with an image.")),
		func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return msgs(
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewImageContent(pngBase64, "image/png")),
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("Please analyze the image above.")),
			), nil
		}, auth...)
}

// completions completes the arguments of test_prompt_with_arguments from a
// fixed list; everything else gets no suggestions.
type completions struct{}

func (completions) CompletePromptArgument(_ context.Context, prompt string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	values := []string{}
	if prompt == "test_prompt_with_arguments" {
		for _, v := range []string{"paris", "park", "party", "test", "testValue1"} {
			if strings.HasPrefix(v, arg.Value) {
				values = append(values, v)
			}
		}
	}
	return &mcp.Completion{Values: values, Total: len(values)}, nil
}

// pngBase64 is a 1×1 transparent PNG.
const pngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

// wavBase64 is 10 ms of silence: 8 kHz, 8-bit mono PCM.
var wavBase64 = func() string {
	const n = 80
	b := make([]byte, 44+n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], 36+n)
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)   // fmt chunk size
	binary.LittleEndian.PutUint16(b[20:], 1)    // PCM
	binary.LittleEndian.PutUint16(b[22:], 1)    // mono
	binary.LittleEndian.PutUint32(b[24:], 8000) // sample rate
	binary.LittleEndian.PutUint32(b[28:], 8000) // byte rate
	binary.LittleEndian.PutUint16(b[32:], 1)    // block align
	binary.LittleEndian.PutUint16(b[34:], 8)    // bits per sample
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], n)
	for i := 44; i < len(b); i++ {
		b[i] = 128 // silence for unsigned 8-bit PCM
	}
	return base64.StdEncoding.EncodeToString(b)
}()

// PNGBase64 and WAVBase64 are the fixture's image and audio, base64, for
// the go-sdk fixture (package gosdkeverything) to serve the same.
var PNGBase64, WAVBase64 = pngBase64, wavBase64
