package runtime

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Request is an MCP request as a request hook sees it, before the runtime
// decides about it and mcp-go handles it.
type Request struct {
	// Method is the JSON-RPC method ("tools/call", "initialize", ...), as
	// the client sent it: a hook that records it bounds it first
	// (authz.RecordedMethod), as package otelmcp does.
	Method string
	// ID is the JSON-RPC id as its JSON text (a string keeps its
	// quotes removed); "" for a notification.
	ID string
	// Name is the tool or prompt a tools/call or prompts/get names; URI is
	// the resource of a resources/read, resources/subscribe or
	// resources/unsubscribe. For a completion/complete, they are the
	// prompt (Name) or the resource or template (URI) its reference names,
	// which the error refusing it names too. Each is as the client sent
	// it, of any length up to the body limit: a hook that records them bounds them first, and
	// redacts the URI (authz.RecordedName, authz.RecordedURI), as package
	// otelmcp does.
	Name string
	URI  string
	// Meta is params._meta of the request, where clients put trace context
	// (traceparent, tracestate, baggage) and more; nil when absent.
	Meta map[string]any
	// Header holds the HTTP request's headers; nil for a message handed to
	// HandleMessage.
	Header http.Header
	// SessionID is the MCP session of the request, if any; before the
	// request is in a session, its Mcp-Session-Id header as sent (a hook
	// that records it bounds it first, authz.RecordedSessionID, as package
	// otelmcp does).
	SessionID string
}

// Outcome is how mcp-go answered a request, as a request hook's end
// function hears it.
type Outcome struct {
	// Code and Message are those of the JSON-RPC error the request was
	// answered with; Code is 0 for a result.
	Code    int
	Message string
	// ToolError is set for a tools/call answered with a result flagged
	// isError (a handler's error, or a middleware's denial).
	ToolError bool
}

// RequestHook is called for every JSON-RPC request and notification an
// authorized transport (HTTPHandler, HandleMessage) hands to mcp-go, before
// the runtime decides about it: the context it returns is the request's
// from then on (its checks, decision hooks and handler see it), and end,
// if not nil, is called with the outcome once mcp-go has answered. Package
// otelmcp starts a span so.
type RequestHook func(ctx context.Context, req Request) (_ context.Context, end func(Outcome))

// WithRequestHook calls hook for every request of the authorized
// transports. Without one, nothing of this costs anything.
func WithRequestHook(hook RequestHook) Option {
	return func(c *serverConfig) { c.requestHooks = append(c.requestHooks, hook) }
}

type outcomeKey struct{}

// observe runs the request hooks for the JSON-RPC message raw. finish
// reports the outcome to them; it is nil when there are no hooks or raw is
// not a request.
func (s *Server) observe(ctx context.Context, raw []byte, header http.Header) (_ context.Context, finish func()) {
	req, ok := requestIn(raw)
	if !ok {
		return ctx, nil
	}
	req.Header = header
	if sess := server.ClientSessionFromContext(ctx); sess != nil {
		req.SessionID = sess.SessionID()
	}
	if req.SessionID == "" && header != nil {
		req.SessionID = header.Get(server.HeaderKeySessionID)
	}
	out := &Outcome{}
	ctx = context.WithValue(ctx, outcomeKey{}, out)
	var ends []func(Outcome)
	for _, h := range s.requestHooks {
		var end func(Outcome)
		ctx, end = h(ctx, req)
		if end != nil {
			ends = append(ends, end)
		}
	}
	return ctx, func() {
		for i := len(ends) - 1; i >= 0; i-- {
			ends[i](*out)
		}
	}
}

// requestIn reads what a request hook is told of the JSON-RPC message raw;
// ok is false when raw is not a single message with a method.
func requestIn(raw []byte) (req Request, ok bool) {
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params struct {
			Name string          `json:"name"`
			URI  string          `json:"uri"`
			Ref  json.RawMessage `json:"ref"`
			Meta map[string]any  `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(raw, &msg) != nil || msg.Method == "" {
		return Request{}, false
	}
	req = Request{Method: msg.Method, Meta: msg.Params.Meta}
	switch mcp.MCPMethod(msg.Method) {
	case mcp.MethodToolsCall, mcp.MethodPromptsGet:
		req.Name = msg.Params.Name
	case mcp.MethodResourcesRead, mcp.MethodResourcesSubscribe, mcp.MethodResourcesUnsubscribe:
		req.URI = msg.Params.URI
	case mcp.MethodCompletionComplete:
		var ref completionRef
		_ = json.Unmarshal(msg.Params.Ref, &ref) // a ref that is not one names nothing
		switch ref.Type {
		case "ref/prompt":
			req.Name = ref.Name
		case "ref/resource":
			req.URI = ref.URI
		}
	}
	if id := strings.TrimSpace(string(msg.ID)); id != "" && id != "null" {
		var s string
		if json.Unmarshal(msg.ID, &s) == nil {
			id = s
		}
		req.ID = id
	}
	return req, true
}

// installOutcomes adds the mcp-go hooks that tell request hooks how a
// request was answered: a JSON-RPC error (its code and message, which
// mcp-go's errors carry), or a tool result flagged isError.
func (s *Server) installOutcomes() {
	hooks := s.mcp.GetHooks()
	hooks.AddOnError(func(ctx context.Context, _ any, _ mcp.MCPMethod, _ any, err error) {
		out, _ := ctx.Value(outcomeKey{}).(*Outcome)
		if out == nil {
			return
		}
		out.Code, out.Message = mcp.INTERNAL_ERROR, err.Error()
		if e, ok := err.(interface{ ToJSONRPCError() mcp.JSONRPCError }); ok {
			j := e.ToJSONRPCError()
			out.Code, out.Message = j.Error.Code, j.Error.Message
		}
	})
	hooks.AddOnSuccess(func(ctx context.Context, _ any, _ mcp.MCPMethod, _ any, result any) {
		out, _ := ctx.Value(outcomeKey{}).(*Outcome)
		if res, ok := result.(*mcp.CallToolResult); ok && out != nil {
			out.ToolError = res.IsError
		}
	})
}
