package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// ToolError is an error meant for the client, as FastMCP's ToolError: a
// handler (tool, prompt or resource) that returns one has its Message
// reach the client even with WithMaskErrorDetails. Any other handler error
// is an internal matter once errors are masked.
type ToolError struct {
	Message string
}

func (e *ToolError) Error() string { return e.Message }

// WithMaskErrorDetails keeps the text of handler errors from clients, as
// FastMCP's mask_error_details: a tool whose handler fails answers an
// isError result "Error calling tool 'X'", a prompt the JSON-RPC error
// "Error rendering prompt 'X'", a resource "Error reading resource 'URI'";
// the error itself is logged (log/slog, level ERROR). A *ToolError passes
// through unmasked: its Message alone, also when another error wraps it
// (fmt.Errorf("…: %w", toolErr)). Without this option a handler's error
// text reaches the client as it is.
//
// Whatever the option, a handler that panics never takes the connection
// down: its request is answered as a masked error, and the panic is logged
// with its stack.
func WithMaskErrorDetails() Option {
	return func(c *serverConfig) { c.maskErrors = true }
}

// forClient returns what of a handler error reaches the client when errors
// are masked, or nil for nothing: the *ToolError it is or wraps (that
// alone, without the text of the errors wrapping it), or the error itself
// when it is one mcp-go turns into a protocol answer (URL elicitation).
func forClient(err error) error {
	var te *ToolError
	if errors.As(err, &te) {
		return te
	}
	var eq mcp.URLElicitationRequiredError
	var ep *mcp.URLElicitationRequiredError
	if errors.As(err, &eq) || errors.As(err, &ep) {
		return err
	}
	return nil
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
// answered as the isError result "Error calling tool 'name'". The
// adapters (TextResult and the others) return a handler's error along with
// the isError result carrying its text, which is answered unless masked.
func (s *Server) guardTool(name string, h server.ToolHandlerFunc) server.ToolHandlerFunc {
	masked := fmt.Sprintf("Error calling tool '%s'", name)
	return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "tool", name, nil, p)
				res, err = mcp.NewToolResultError(masked), nil
			}
		}()
		res, err = h(ctx, req)
		if err == nil {
			return res, nil
		}
		if s.maskErrors {
			shown := forClient(err)
			if shown == nil {
				logHandlerFailure(ctx, "tool", name, err, nil)
				return mcp.NewToolResultError(masked), nil
			}
			if shown != err && res != nil {
				res = mcp.NewToolResultError(shown.Error())
			}
			err = shown
		}
		if res != nil {
			return res, nil // an adapter's isError result
		}
		return nil, err // mcp-go answers it
	}
}

// guardPrompt wraps a prompt handler as guardTool does a tool's; the
// masked error is "Error rendering prompt 'name'".
func (s *Server) guardPrompt(name string, h server.PromptHandlerFunc) server.PromptHandlerFunc {
	masked := fmt.Sprintf("Error rendering prompt '%s'", name)
	return func(ctx context.Context, req mcp.GetPromptRequest) (res *mcp.GetPromptResult, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "prompt", name, nil, p)
				res, err = nil, errors.New(masked)
			}
		}()
		res, err = h(ctx, req)
		if err != nil && s.maskErrors {
			shown := forClient(err)
			if shown == nil {
				logHandlerFailure(ctx, "prompt", name, err, nil)
				return nil, errors.New(masked)
			}
			err = shown
		}
		return res, err
	}
}

// guardResource wraps a resource or template handler as guardTool does a
// tool's; the masked error is "Error reading resource 'URI'", naming the
// URI read.
func (s *Server) guardResource(h server.ResourceHandlerFunc) server.ResourceHandlerFunc {
	return func(ctx context.Context, req mcp.ReadResourceRequest) (res []mcp.ResourceContents, err error) {
		defer func() {
			if p := recover(); p != nil {
				logHandlerFailure(ctx, "resource", req.Params.URI, nil, p)
				res, err = nil, fmt.Errorf("Error reading resource '%s'", req.Params.URI)
			}
		}()
		res, err = h(ctx, req)
		if err != nil && s.maskErrors {
			shown := forClient(err)
			if shown == nil {
				logHandlerFailure(ctx, "resource", req.Params.URI, err, nil)
				return nil, fmt.Errorf("Error reading resource '%s'", req.Params.URI)
			}
			err = shown
		}
		return res, err
	}
}
