package runtime

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// The adapters turn plain Go handlers into mcp-go handlers: see
// "Adapting handlers" in the package documentation.

// BindArguments decodes the arguments of a tool call into dst, a pointer to
// a struct (or anything encoding/json decodes a JSON object into), and
// checks that the required arguments are present and not null. It decodes
// the request's raw JSON when there is one, so integers beyond 2^53 stay
// exact.
//
// It returns nil when dst is filled, or else a tool result flagged isError
// that names the first bad argument, for the handler to return as it is:
//
//	missing required argument "id"
//	invalid argument "count": want integer, got string
//	invalid argument "page.offset": want integer, got number -1
//	invalid argument "since": parsing time "yesterday" as ...
//	invalid arguments: want a JSON object
//	invalid argument "ID": no such argument (names are case-sensitive: "id")
//
// Arguments dst does not know are ignored; only the named arguments are
// checked for presence. A key that names a field of dst only
// case-insensitively, which encoding/json would bind to it, is refused:
// checks and policies read the arguments by exact name
// (AuthContext.Arguments), and must see what the handler receives.
func BindArguments(req mcp.CallToolRequest, dst any, required ...string) *mcp.CallToolResult {
	raw := []byte(req.Params.RawArguments)
	if len(raw) == 0 {
		b, err := json.Marshal(req.Params.Arguments)
		if err != nil {
			return mcp.NewToolResultError("invalid arguments: " + err.Error())
		}
		raw = b
	}
	var args map[string]json.RawMessage
	if err := json.Unmarshal(raw, &args); err != nil {
		return mcp.NewToolResultError("invalid arguments: want a JSON object")
	}
	for _, name := range required {
		if v, ok := args[name]; !ok || string(v) == "null" {
			return mcp.NewToolResultError(fmt.Sprintf("missing required argument %q", name))
		}
	}
	if key, name := folded(reflect.TypeOf(dst), "", args); key != "" {
		return mcp.NewToolResultError(foldedError(key, name))
	}
	err := json.Unmarshal(raw, dst)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return mcp.NewToolResultError(fmt.Sprintf("invalid argument %q: want %s, got %s", te.Field, jsonType(te.Type), te.Value))
	}
	if t := reflect.TypeOf(dst); t == nil || t.Kind() != reflect.Pointer {
		// Not a destination encoding/json decodes into.
		return mcp.NewToolResultError("invalid arguments: " + err.Error())
	}
	// A type that decodes itself, such as time.Time, says not which
	// argument it refused: decode them one by one to find out.
	for _, name := range slices.Sorted(maps.Keys(args)) {
		one, _ := json.Marshal(map[string]json.RawMessage{name: args[name]})
		fresh := reflect.New(reflect.TypeOf(dst).Elem()).Interface()
		if err := json.Unmarshal(one, fresh); err != nil {
			return mcp.NewToolResultError(fmt.Sprintf("invalid argument %q: %v", name, err))
		}
	}
	return mcp.NewToolResultError("invalid arguments: " + err.Error())
}

// jsonType names the JSON type that decodes into t.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return t.String()
}

// TextResult returns a tool handler's text as its result. A handler's
// error is a result too, flagged isError and carrying the error's text, so
// that the model can read it (as FastMCP reports a failing tool); the
// error is returned along with it, so that a Server that masks errors
// (WithMaskErrorDetails) can answer "Error calling tool 'X'" instead. A
// Server answers such a pair with the result; mcp-go alone, with a
// JSON-RPC error.
func TextResult[S ~string](out S, err error) (*mcp.CallToolResult, error) {
	if err != nil {
		return mcp.NewToolResultError(err.Error()), err
	}
	return mcp.NewToolResultText(string(out)), nil
}

// StructuredResult returns a tool handler's value as structured content
// along with its JSON text, or the handler's error as an isError result
// (and the error, as TextResult).
// Structured content is an object: a value whose JSON is not one (a list,
// a number, null) is wrapped as {"result": value}, as FastMCP does. A value
// encoding/json cannot encode is a handler error like any other: an
// isError result and the error (masked by WithMaskErrorDetails).
func StructuredResult(out any, err error) (*mcp.CallToolResult, error) {
	if err != nil {
		return mcp.NewToolResultError(err.Error()), err
	}
	b, err := json.Marshal(out)
	if err != nil {
		err = fmt.Errorf("cannot encode the result: %w", err)
		return mcp.NewToolResultError(err.Error()), err
	}
	if b[0] == '{' {
		return mcp.NewToolResultStructured(out, string(b)), nil
	}
	return mcp.NewToolResultStructured(map[string]any{"result": out}, string(b)), nil
}

// ToolResult returns a tool handler's own result as it is, or the
// handler's error as an isError result (and the error, as TextResult).
func ToolResult(out *mcp.CallToolResult, err error) (*mcp.CallToolResult, error) {
	if err != nil {
		return mcp.NewToolResultError(err.Error()), err
	}
	return out, nil
}

// BindPromptArguments checks that the required arguments of a prompt
// request are present and copies the arguments into dst, a pointer to a
// struct of string and *string fields (or anything encoding/json decodes a
// JSON object of strings into). A missing argument gives the error
//
//	missing required argument "topic"
//
// which the handler returns, for mcp-go to answer as a JSON-RPC error. As
// with BindArguments, a key that names a field of dst only
// case-insensitively is refused.
func BindPromptArguments(req mcp.GetPromptRequest, dst any, required ...string) error {
	for _, name := range required {
		if _, ok := req.Params.Arguments[name]; !ok {
			return fmt.Errorf("missing required argument %q", name)
		}
	}
	if key, name := foldedName(reflect.TypeOf(dst), req.Params.Arguments); key != "" {
		return errors.New(foldedError(key, name))
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
	msg := mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(string(out)))
	return &mcp.GetPromptResult{Messages: []mcp.PromptMessage{msg}}, nil
}

// PromptMessages returns a prompt handler's messages, or the handler's
// error as it is.
func PromptMessages(out []mcp.PromptMessage, err error) (*mcp.GetPromptResult, error) {
	if err != nil {
		return nil, err
	}
	return &mcp.GetPromptResult{Messages: out}, nil
}

// TemplateVar returns the value of the URI template variable name in a
// request for a resource template, or "" when the URI did not set it.
// mcp-go passes variables as lists of values (a list has several for an
// exploded variable); they are joined with commas.
func TemplateVar(req mcp.ReadResourceRequest, name string) string {
	switch v := req.Params.Arguments[name].(type) {
	case string:
		return v
	case []string:
		return strings.Join(v, ",")
	}
	return ""
}

// TextContents returns a resource handler's text as the contents of the
// URI read, with MIME type mime (text/plain when empty), or the handler's
// error as it is.
func TextContents[S ~string](req mcp.ReadResourceRequest, mime string, out S, err error) ([]mcp.ResourceContents, error) {
	if err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{
		URI:      req.Params.URI,
		MIMEType: cmp.Or(mime, "text/plain"),
		Text:     string(out),
	}}, nil
}

// BlobContents returns a resource handler's bytes, in base64, as the
// contents of the URI read, with MIME type mime (application/octet-stream
// when empty), or the handler's error as it is.
func BlobContents[B ~[]byte](req mcp.ReadResourceRequest, mime string, out B, err error) ([]mcp.ResourceContents, error) {
	if err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.BlobResourceContents{
		URI:      req.Params.URI,
		MIMEType: cmp.Or(mime, "application/octet-stream"),
		Blob:     base64.StdEncoding.EncodeToString(out),
	}}, nil
}

// JSONContents returns a resource handler's value, encoded as JSON, as the
// contents of the URI read, with MIME type mime (application/json when
// empty), or the handler's error, or the encoding's, as it is.
func JSONContents(req mcp.ReadResourceRequest, mime string, out any, err error) ([]mcp.ResourceContents, error) {
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{
		URI:      req.Params.URI,
		MIMEType: cmp.Or(mime, "application/json"),
		Text:     string(b),
	}}, nil
}
