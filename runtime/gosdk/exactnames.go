package gosdk

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Argument names are case-sensitive, as the input schema says. The go-sdk
// decodes a typed handler's input matching keys to fields exactly, and
// ignores a key such as "ID" beside the field "id"; package runtime's
// adapters refuse it, since encoding/json would bind it (see
// runtime.BindArguments). A typed tool of a Server refuses it as well, so
// that both backends answer such a call alike:
//
//	invalid argument "ID": no such argument (names are case-sensitive: "id")

// exactNames wraps the typed handler h of a tool whose input In decodes
// field by field: a call whose arguments hold a key that names a field of
// In only case-insensitively is answered with an isError result before h
// runs.
func exactNames[In, Out any](h mcp.ToolHandlerFor[In, Out]) mcp.ToolHandlerFor[In, Out] {
	t := reflect.TypeFor[In]()
	if !authz.DecodesByField(t) {
		return h
	}
	return func(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, Out, error) {
		if req != nil && req.Params != nil {
			var args map[string]json.RawMessage
			if json.Unmarshal(req.Params.Arguments, &args) == nil {
				if key, name := authz.FoldedArgument(t, args); key != "" {
					var zero Out
					return errorResult(authz.FoldedArgumentError(key, name)), zero, nil
				}
			}
		}
		return h(ctx, req, in)
	}
}
