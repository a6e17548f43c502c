package gosdk

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Call checks decide one request on its arguments, as on the mcp-go
// backend (runtime.WithCallChecks): they never hide a component from a
// list, and run only for a request that targets it, after its own checks
// and the middleware have let it through and before its handler.

// WithCallChecks appends call checks to a prompt or resource template:
// checks that decide a request that targets it on its arguments
// (AuthContext.Arguments: the prompt's arguments, the template's
// variables), in the order given. A denied prompts/get is answered with
// the JSON-RPC error of a middleware denial (code -32600)
//
//	Authorization failed for prompt 'X': insufficient permissions
//
// or the message of an *AuthorizationError a check returned; a denied
// resources/read exactly as a read of a URI that no resource serves. A
// tool's call checks run in its handler instead, on the arguments the SDK
// decoded (AddToolCall, ToolCallCheck).
//
// Like every check, call checks are skipped on stdio.
func WithCallChecks(checks ...Checker) ComponentOption { return authz.WithCallChecks(checks...) }

// WithCallRules names the component's call checks (WithCallChecks), in
// order, in decisions: the terms as the annotation wrote them, such as
// "check(ownsID)". Generated code names them so.
func WithCallRules(rules ...string) ComponentOption { return authz.WithCallRules(rules...) }

// ToolCallHandler is a typed tool handler (mcp.ToolHandlerFor) that is
// given the AuthContext of the call it serves (the caller's token, the
// tool, the call's arguments), so that it can run call checks on the input
// the SDK decoded, with ToolCallCheck. Generated code registers tools with
// call checks so.
type ToolCallHandler[In any] func(ctx context.Context, ac AuthContext, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, any, error)

// AddToolCall registers a tool as AddTool does, with a handler that is
// given the call's AuthContext. Its Arguments are the call's arguments
// decoded as a JSON object, as the request entry decodes them for a check
// that may read them.
func AddToolCall[In any](s *Server, t *mcp.Tool, h ToolCallHandler[In], opts ...ComponentOption) {
	var comp *Component
	grab := func(g *authz.Guard) { comp = &g.Component }
	AddTool(s, t, func(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, any, error) {
		ac := AuthContext{Token: AccessTokenFromContext(ctx), Component: comp}
		if s.skipChecks.Load() {
			ctx = context.WithValue(ctx, skipCallChecksKey{}, true)
		} else if req != nil && req.Params != nil {
			ac.Arguments = jsonArguments(req.Params.Arguments)
		}
		return h(ctx, ac, req, in)
	}, append(opts[:len(opts):len(opts)], grab)...)
}

// skipCallChecksKey marks the context of a tool call served on stdio,
// where ToolCallCheck does not run checks.
type skipCallChecksKey struct{}

// ToolCallCheck runs one call check of a tool handler registered with
// AddToolCall, once the SDK has decoded its input: it returns nil when
// check passes, else the isError result the handler answers with:
//
//	Authorization failed for tool 'X': insufficient permissions
//
// or the message of an *AuthorizationError check returned. Any other error,
// and a panic, denies and is logged with rule (such as "check(isOwner)"),
// never shown. With a decision hook (WithDecisionHook), a denial is the
// call's decision, naming rule. On stdio, where checks are skipped, it does
// not call check.
func ToolCallCheck(ctx context.Context, ac AuthContext, rule string, check func(context.Context, AuthContext) (bool, error)) *mcp.CallToolResult {
	if ctx.Value(skipCallChecksKey{}) != nil {
		return nil
	}
	ok, authErr := authz.RunCallCheck(ctx, ac, rule, check)
	if p := pendingFrom(ctx); p != nil {
		p.callChecked(ctx, rule, ok) // a denial is the call's decision
	}
	if ok {
		return nil
	}
	return deniedTool(authz.CallDenial(KindTool, ac.Component.Name, authErr))
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
// when the request has none of that name.
func OptionalStringArgument(ac AuthContext, name string) *string {
	v, ok := ac.Arguments[name].(string)
	if !ok {
		return nil
	}
	return &v
}

// ArgumentsInto decodes the arguments of ac into dst, a pointer to a
// struct, as encoding/json decodes a JSON object: generated call checks of
// prompts that take an input struct read it so. Arguments dst does not know
// are ignored.
func ArgumentsInto(ac AuthContext, dst any) error {
	b, err := json.Marshal(ac.Arguments)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// CheckSite names the check(…) expression being evaluated, for call
// checks, as runtime.CheckSite does: generated code defers Recover, then
// sets the site before evaluating each expression that could panic, so
// that a panic names the annotation, as with CheckAt.
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
