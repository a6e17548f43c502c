package gosdk

// This file holds everything the runtime relies on in how the go-sdk
// (github.com/modelcontextprotocol/go-sdk) behaves inside, beyond its
// documented API. Each assumption has a name, and seam_test.go has one test
// per assumption that fails with that name when an SDK upgrade breaks it:
//
//   - middleware-entry: receiving middleware (mcp.Server.AddReceivingMiddleware)
//     sees every request a client sends, on every transport, after its
//     params are decoded and before the SDK dispatches it; what it returns
//     is the answer. The runtime's request entry (authorize) is one.
//   - missing-tool, missing-prompt: the SDK answers a tools/call or a
//     prompts/get naming nothing it has with JSON-RPC error -32602 and the
//     message `unknown tool "X"` or `unknown prompt "X"`, which the runtime
//     answers for a hidden one (unknownTool, unknownPrompt).
//   - missing-resource: the SDK answers a resources/read of a URI nothing
//     serves with mcp.ResourceNotFoundError(uri), which the runtime calls
//     for a hidden one (so the SDK's compatibility switch for its error
//     code applies to both).
//   - list-pages: the SDK lists items sorted by name (URI, URI template),
//     at most ServerOptions.PageSize (mcp.DefaultPageSize when zero) per
//     page; a page's cursor is the base64url of a gob-encoded pageToken
//     naming the page's last item, and the next page starts above it; an
//     undecodable cursor is JSON-RPC error -32602 "invalid params" (page,
//     encodeCursor, decodeCursor, errInvalidCursor).
//   - read-routing: the SDK reads a URI with the handler of the resource of
//     exactly that URI, else of the first template that matches it; both are
//     readRouted, which runs the component the request entry chose.
//   - schema-inference: mcp.AddTool fills a nil input or output schema with
//     jsonschema.ForType of the (pointed-to) type and empty options, and
//     an input of type any with {"type":"object"} (inferSchemas).
//   - subscribe-handler: the SDK calls ServerOptions.SubscribeHandler for
//     resources/subscribe and for each resource a subscriptions/listen
//     names, with that request's context (subscribeGuard).
//   - completion-refs: the SDK hands a completion/complete of any reference
//     to ServerOptions.CompletionHandler, existing or not, so the runtime
//     decides references itself (enterComplete).
//   - cacheable: the SDK passes every list and read result through
//     ServerOptions.SetCacheable, then answers an unset cacheScope as
//     "public" (resolveCacheable).
//   - token-info: the Streamable HTTP handler hands each request the
//     auth.TokenInfo that auth.RequireBearerToken put in the HTTP request's
//     context (mcp.RequestExtra.TokenInfo), and binds a session to the
//     TokenInfo.UserID that created it (tokenOf, httpHandler).
//   - typed-errors: the SDK answers a typed tool handler's error
//     (mcp.AddTool) as a result flagged isError whose one text content is
//     the error's text, and a *jsonrpc.Error as that JSON-RPC error; so the
//     adapters return a handler's error (TextResult and the others) and
//     masking can replace it (guardTool).
//   - notify-sending: the SDK sends a list_changed notification to each
//     session through the server's sending middleware
//     (mcp.Server.AddSendingMiddleware), with the session as the request's
//     session, and sends nothing when the middleware returns without
//     calling on (filterNotifications).
//   - connect-context: the context of every request of a session made by
//     mcp.Server.Connect derives from the context Connect was given, so a
//     token put there (ContextWithAccessToken) reaches the request entry
//     (Server.Connect).
//   - session-unknown: the Streamable HTTP handler answers a request for a
//     session it does not have with 404 and the text "session not found"
//     (unknownSession), and names a new session in the Mcp-Session-Id
//     header of the response that creates it (sessionRecorder).

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// unknownTool is the SDK's answer to a tools/call of a tool it does not
// have (missing-tool).
func unknownTool(name string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown tool %q", name)}
}

// unknownPrompt is the SDK's answer to a prompts/get of a prompt it does
// not have (missing-prompt).
func unknownPrompt(name string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown prompt %q", name)}
}

// errInvalidCursor is the SDK's answer to a list request whose cursor it
// cannot decode (list-pages).
func errInvalidCursor() error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "invalid params"}
}

// pageToken is what a cursor encodes, as the SDK's type of the same name
// (list-pages): gob sends the type's name and fields, so a cursor of either
// decodes in the other. The bytes may differ: gob numbers types in the
// order a process first encodes them.
type pageToken struct {
	LastUID string
}

func encodeCursor(key string) (string, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(pageToken{LastUID: key}); err != nil {
		return "", fmt.Errorf("failed to encode page token: %w", err)
	}
	return base64.URLEncoding.EncodeToString(buf.Bytes()), nil
}

func decodeCursor(cursor string) (string, error) {
	raw, err := base64.URLEncoding.DecodeString(cursor)
	if err != nil {
		return "", err
	}
	var tok pageToken
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&tok); err != nil {
		return "", err
	}
	return tok.LastUID, nil
}
