package authz

import "slices"

// Middleware is a server-wide authorization layer, added with
// WithMiddleware. It is the Go form of FastMCP's AuthMiddleware.
type Middleware struct {
	checks []Checker
	rules  []string // names of checks in decisions (Named); may be short
}

// AuthMiddleware returns a layer that applies checks to every component of
// the server, on top of each component's own checks. A component that fails
// them is left out of every list; using it is answered with an explicit
// authorization error:
//
//	Authorization failed for tool 'X': insufficient permissions
//
// (resource 'URI', prompt 'X'), or the message of an *AuthorizationError a
// check returned. With middleware, a target that does not exist or that its
// own checks hide is answered
//
//	Authorization failed for tool 'X': not found or not authorized
//
// so the two cannot be told apart. On tools/call the answer is a tool result
// with isError set, which an agent can read; on resources/read and
// prompts/get it is a JSON-RPC error (code -32600) carrying the message.
func AuthMiddleware(checks ...Checker) Middleware {
	return Middleware{checks: slices.Clone(checks)}
}
