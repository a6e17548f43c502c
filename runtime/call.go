package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// WithCallChecks appends call checks to a component: checks that decide a
// request that targets it on its arguments (AuthContext.Arguments), such as
// "only the note's owner may delete it". They run in the order given, after
// the component's own checks and the middleware have let the request
// through and before its handler, and never hide the component from a list.
// A denied call is answered:
//
//   - tools/call: an isError result
//     "Authorization failed for tool 'X': insufficient permissions", or the
//     message of an *AuthorizationError a check returned;
//   - prompts/get: a JSON-RPC error with that message, as a middleware
//     denial is;
//   - resources/read: exactly as a read of a URI that no resource serves.
//
// Like every check, call checks are skipped on stdio.
func WithCallChecks(checks ...Checker) ComponentOption { return authz.WithCallChecks(checks...) }

// ToolCallHandler is a tool handler that is given the AuthContext of the
// call it serves (the caller's token, the tool, the call's arguments), so
// that it can run call checks on the arguments it decodes, with
// ToolCallCheck. Generated code registers tools with call checks so.
type ToolCallHandler func(ctx context.Context, ac AuthContext, req mcp.CallToolRequest) (*mcp.CallToolResult, error)

// AddToolCall registers a tool as AddTool does, with a handler that is
// given the call's AuthContext. Building it allocates nothing per call.
func (s *Server) AddToolCall(tool mcp.Tool, handler ToolCallHandler, opts ...ComponentOption) {
	var comp *Component
	grab := func(g *authz.Guard) { comp = &g.Component }
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: comp, Arguments: req.GetArguments()}
		return handler(ctx, ac, req)
	}, append(opts[:len(opts):len(opts)], grab)...)
}

// ToolCallCheck runs one call check of a tool handler registered with
// AddToolCall, once the handler has decoded its arguments: it returns nil
// when check passes, else the isError result the handler answers with:
//
//	Authorization failed for tool 'X': insufficient permissions
//
// or the message of an *AuthorizationError check returned. Any other error,
// and a panic, denies and is logged with rule (such as "check(isOwner)"),
// never shown. On stdio, where checks are skipped, it does not call check.
// It allocates nothing unless it denies.
func ToolCallCheck(ctx context.Context, ac AuthContext, rule string, check func(context.Context, AuthContext) (bool, error)) *mcp.CallToolResult {
	if skipChecks(ctx) {
		return nil
	}
	ok, authErr := authz.RunCallCheck(ctx, ac, rule, check)
	if hookedServers.Load() > 0 {
		if p := pendingFrom(ctx); p != nil {
			p.callChecked(ctx, rule, ok) // a denial is the call's decision
		}
	}
	if ok {
		return nil
	}
	return mcp.NewToolResultError(authz.CallDenial(KindTool, ac.Component.Name, authErr))
}

// StringArgument returns the argument name of ac as a string: a prompt
// argument or a template variable, "" when the request has none of that
// name or it is not a string. Generated call checks of prompts and resource
// templates read their parameters with it.
func StringArgument(ac AuthContext, name string) string {
	v, _ := ac.Arguments[name].(string)
	return v
}

// OptionalStringArgument is StringArgument for an optional argument: nil
// when the request has none of that name. An argument given as null is
// the empty string, as mcp-go hands it to the prompt's handler.
func OptionalStringArgument(ac AuthContext, name string) *string {
	a, ok := ac.Arguments[name]
	if !ok {
		return nil
	}
	if a == nil {
		return new("")
	}
	v, ok := a.(string)
	if !ok {
		return nil
	}
	return &v
}

// ArgumentsInto decodes the arguments of ac, a prompt's, into dst, a
// pointer to a struct, as BindPromptArguments decodes them for the prompt's
// handler: generated call checks of prompts that take an input struct read
// it so. An argument given as null is the empty string, as mcp-go hands it
// to the handler. Arguments dst does not know are ignored.
func ArgumentsInto(ac AuthContext, dst any) error {
	args, cloned := ac.Arguments, false
	for k, v := range ac.Arguments {
		if v == nil {
			if !cloned {
				args, cloned = maps.Clone(ac.Arguments), true // checks must not modify it
			}
			args[k] = ""
		}
	}
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// CheckSite names the check(…) expression being evaluated, for call checks,
// whose functions have shapes of their own that CheckAt cannot return.
// Generated code defers Recover, then sets the site before evaluating each
// expression that could panic:
//
//	var site runtime.CheckSite
//	defer site.Recover()
//	site = runtime.CheckSite{Pos: "notes.go:40:30", Expr: "ownerOf(\"id\")"}
//	check := ownerOf("id")
//
// so that a panic names the annotation, as with CheckAt.
type CheckSite struct {
	Pos, Expr string
}

// Recover raises a panic of the function that deferred it again as an
// error naming the site's annotation (position and expression), as CheckAt
// does; it does nothing when there is no panic. It must be deferred
// directly.
func (s *CheckSite) Recover() {
	if r := recover(); r != nil {
		if err, ok := r.(error); ok {
			panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %w", s.Pos, s.Expr, err))
		}
		panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %v", s.Pos, s.Expr, r))
	}
}
