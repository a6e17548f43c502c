package gosdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// ToolError is an error meant for the client, as package runtime's
// ToolError and FastMCP's: a handler (tool, prompt or resource) that
// returns one has its Message reach the client even with
// WithMaskErrorDetails.
type ToolError struct {
	Message string
}

func (e *ToolError) Error() string { return e.Message }

// WithMaskErrorDetails keeps the text of handler errors from clients, as
// package runtime's option of the same name: a failing tool answers the
// isError result "Error calling tool 'X'", a prompt the JSON-RPC error
// "Error rendering prompt 'X'", a resource "Error reading resource 'URI'";
// the error is logged (log/slog, level ERROR). A *ToolError, and a
// *jsonrpc.Error (which the SDK answers as a protocol error), pass through.
//
// Whatever the option, a handler that panics never takes the connection
// down: its request is answered as a masked error, and the panic is logged
// with its stack.
func WithMaskErrorDetails() Option {
	return func(c *serverConfig) { c.maskErrors = true }
}

// passesThrough reports whether a handler error reaches the client as it
// is even when errors are masked.
func passesThrough(err error) bool {
	var te *ToolError
	var we *jsonrpc.Error
	return errors.As(err, &te) || errors.As(err, &we)
}

// logHandlerFailure logs a handler's masked error or panic; a resource is
// named by the URI read, as records hold it (authz.RecordedURI: redacted
// and bounded), a tool or prompt by its name (authz.RecordedName).
func logHandlerFailure(ctx context.Context, kind, name string, err error, panicked any) {
	if kind == "resource" {
		name = authz.RecordedURI(name) // the URI read, as the client sent it
	} else {
		name = authz.RecordedName(name)
	}
	if panicked != nil {
		slog.Default().ErrorContext(ctx, "mcpauthgen: handler panicked", slog.String("kind", kind), slog.String("name", name),
			slog.Any("panic", panicked), slog.String("stack", string(debug.Stack())))
		return
	}
	slog.Default().ErrorContext(ctx, "mcpauthgen: handler failed", slog.String("kind", kind), slog.String("name", name), slog.Any("error", err))
}

// guardTool wraps a tool handler: a panic, and with masking an error, is
// answered as the isError result "Error calling tool 'name'". Unmasked,
// an error is answered as the SDK answers it: an isError result carrying
// its text (the adapters return the handler's error for this).
func guardTool[In, Out any](s *Server, name string, h mcp.ToolHandlerFor[In, Out]) mcp.ToolHandlerFor[In, Out] {
	masked := fmt.Sprintf("Error calling tool '%s'", name)
	return func(ctx context.Context, req *mcp.CallToolRequest, in In) (res *mcp.CallToolResult, out Out, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "tool", name, nil, p)
				var zero Out
				res, out, err = errorResult(masked), zero, nil
			}
		}()
		res, out, err = h(ctx, req, in)
		if err != nil && s.maskErrors && !passesThrough(err) {
			logHandlerFailure(ctx, "tool", name, err, nil)
			var zero Out
			return errorResult(masked), zero, nil
		}
		return res, out, err
	}
}

// guardRawTool is guardTool for a handler of the SDK's untyped form,
// whose error the SDK answers as a JSON-RPC error.
func (s *Server) guardRawTool(name string, h mcp.ToolHandler) mcp.ToolHandler {
	masked := fmt.Sprintf("Error calling tool '%s'", name)
	return func(ctx context.Context, req *mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "tool", name, nil, p)
				res, err = errorResult(masked), nil
			}
		}()
		res, err = h(ctx, req)
		if err != nil && s.maskErrors && !passesThrough(err) {
			logHandlerFailure(ctx, "tool", name, err, nil)
			return errorResult(masked), nil
		}
		return res, err
	}
}

// guardPrompt wraps a prompt handler as guardTool does a tool's; the
// masked error is "Error rendering prompt 'name'".
func (s *Server) guardPrompt(name string, h mcp.PromptHandler) mcp.PromptHandler {
	masked := fmt.Sprintf("Error rendering prompt '%s'", name)
	return func(ctx context.Context, req *mcp.GetPromptRequest) (res *mcp.GetPromptResult, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "prompt", name, nil, p)
				res, err = nil, errors.New(masked)
			}
		}()
		res, err = h(ctx, req)
		if err != nil && s.maskErrors && !passesThrough(err) {
			logHandlerFailure(ctx, "prompt", name, err, nil)
			return nil, errors.New(masked)
		}
		return res, err
	}
}

// guardRead runs a resource or template handler as guardTool does a
// tool's; the masked error is "Error reading resource 'URI'", naming the
// URI read.
func (s *Server) guardRead(ctx context.Context, h mcp.ResourceHandler, req *mcp.ReadResourceRequest) (res *mcp.ReadResourceResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			logHandlerFailure(ctx, "resource", req.Params.URI, nil, p)
			res, err = nil, fmt.Errorf("Error reading resource '%s'", req.Params.URI)
		}
	}()
	res, err = h(ctx, req)
	if err != nil && s.maskErrors && !passesThrough(err) {
		logHandlerFailure(ctx, "resource", req.Params.URI, err, nil)
		return nil, fmt.Errorf("Error reading resource '%s'", req.Params.URI)
	}
	return res, err
}
