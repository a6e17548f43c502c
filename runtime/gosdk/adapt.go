package gosdk

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The adapters turn plain Go handlers into go-sdk handlers, for the
// wrappers mcpauthgen generates and for handlers written by hand. Tool
// adapters return the three results of the SDK's typed handler form
// (mcp.ToolHandlerFor with Out any), so that a call goes straight in:
//
//	func greet(ctx context.Context, _ *mcp.CallToolRequest, in greetArgs) (*mcp.CallToolResult, any, error) {
//		return gosdk.TextResult(hello(ctx, in.Name))
//	}
//
// They answer as package runtime's adapters of the same names: a tool
// handler's error is returned as the third result, which the SDK answers
// as a result flagged isError carrying its text, so that the model can
// read it (and WithMaskErrorDetails can mask it); a prompt or resource
// handler's error is returned as it is.

// TextResult returns a tool handler's text as its result, or the
// handler's error.
func TextResult[S ~string](out S, err error) (*mcp.CallToolResult, any, error) {
	if err != nil {
		return nil, nil, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(out)}}}, nil, nil
}

// StructuredResult returns a tool handler's value as structured content
// along with its JSON text, or the handler's error.
// Structured content is an object: a value whose JSON is not one is
// wrapped as {"result": value}, as FastMCP does. A value encoding/json
// cannot encode gives an isError result.
func StructuredResult(out any, err error) (*mcp.CallToolResult, any, error) {
	if err != nil {
		return nil, nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return errorResult("cannot encode the result: " + err.Error()), nil, nil
	}
	structured := json.RawMessage(b)
	if b[0] != '{' {
		structured = json.RawMessage(`{"result":` + string(b) + `}`)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}, StructuredContent: structured}, nil, nil
}

// ToolResult returns a tool handler's own result as it is, or the
// handler's error.
func ToolResult(out *mcp.CallToolResult, err error) (*mcp.CallToolResult, any, error) {
	if err != nil {
		return nil, nil, err
	}
	return out, nil, nil
}

func errorResult(msg string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: msg}}}
}

// BindPromptArguments checks that the required arguments of a prompt
// request are present and copies the arguments into dst, a pointer to a
// struct of string and *string fields. A missing argument gives the error
//
//	missing required argument "topic"
//
// which the handler returns, for the SDK to answer as a JSON-RPC error. A
// key that names a field of dst only case-insensitively, which
// encoding/json would bind to it, is refused, as runtime.BindPromptArguments
// refuses it:
//
//	invalid argument "ID": no such argument (names are case-sensitive: "id")
//
// Checks read the arguments by exact name (AuthContext.Arguments), and must
// see what the handler receives.
func BindPromptArguments(req *mcp.GetPromptRequest, dst any, required ...string) error {
	for _, name := range required {
		if _, ok := req.Params.Arguments[name]; !ok {
			return fmt.Errorf("missing required argument %q", name)
		}
	}
	if key, name := authz.FoldedPromptArgument(reflect.TypeOf(dst), req.Params.Arguments); key != "" {
		return errors.New(authz.FoldedArgumentError(key, name))
	}
	b, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// PromptText returns a prompt handler's text as one user message, or the
// handler's error as it is.
func PromptText[S ~string](out S, err error) (*mcp.GetPromptResult, error) {
	if err != nil {
		return nil, err
	}
	return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: string(out)}}}}, nil
}

// PromptMessages returns a prompt handler's messages, or the handler's
// error as it is.
func PromptMessages(out []*mcp.PromptMessage, err error) (*mcp.GetPromptResult, error) {
	if err != nil {
		return nil, err
	}
	return &mcp.GetPromptResult{Messages: out}, nil
}

type templateVarsKey struct{}

// TemplateVar returns the value of the URI template variable name in the
// resources/read being served, or "" when the URI did not set it (or the
// read is not of a template). The runtime matches the URI against the
// template it routed the read to; a variable with several values (an
// exploded one) has them joined with commas.
func TemplateVar(ctx context.Context, name string) string {
	vars, _ := ctx.Value(templateVarsKey{}).(map[string]string)
	return vars[name]
}

// TextContents returns a resource handler's text as the contents of the
// URI read, with MIME type mime (text/plain when empty), or the handler's
// error as it is.
func TextContents[S ~string](req *mcp.ReadResourceRequest, mime string, out S, err error) (*mcp.ReadResourceResult, error) {
	if err != nil {
		return nil, err
	}
	return contents(&mcp.ResourceContents{URI: req.Params.URI, MIMEType: cmp.Or(mime, "text/plain"), Text: string(out)}), nil
}

// BlobContents returns a resource handler's bytes as the contents of the
// URI read, with MIME type mime (application/octet-stream when empty), or
// the handler's error as it is.
func BlobContents[B ~[]byte](req *mcp.ReadResourceRequest, mime string, out B, err error) (*mcp.ReadResourceResult, error) {
	if err != nil {
		return nil, err
	}
	blob := []byte(out)
	if blob == nil {
		blob = []byte{} // the SDK refuses nil contents
	}
	return contents(&mcp.ResourceContents{URI: req.Params.URI, MIMEType: cmp.Or(mime, "application/octet-stream"), Blob: blob}), nil
}

// JSONContents returns a resource handler's value, encoded as JSON, as the
// contents of the URI read, with MIME type mime (application/json when
// empty), or the handler's error, or the encoding's, as it is.
func JSONContents(req *mcp.ReadResourceRequest, mime string, out any, err error) (*mcp.ReadResourceResult, error) {
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return contents(&mcp.ResourceContents{URI: req.Params.URI, MIMEType: cmp.Or(mime, "application/json"), Text: string(b)}), nil
}

func contents(c *mcp.ResourceContents) *mcp.ReadResourceResult {
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{c}}
}

// Hint returns a pointer to b, for the optional hints of
// mcp.ToolAnnotations.
func Hint(b bool) *bool { return &b }

// CheckAt evaluates the expression of an annotation's check(…) term, as
// runtime.CheckAt does: generated Register functions call it for every
// expression that could panic, and a panic names the annotation's
// position and expression.
func CheckAt(pos, expr string, eval func() Checker) Checker {
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(error); ok {
				panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %w", pos, expr, err))
			}
			panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %v", pos, expr, r))
		}
	}()
	return eval()
}
