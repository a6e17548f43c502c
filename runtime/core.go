package runtime

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The authorization core lives in package authz, which imports no MCP SDK.
// Its names are re-exported here as aliases, so that runtime.AuthContext
// and authz.AuthContext are one type, and a check written for this package
// works with any backend built on the core.

type (
	// AccessToken is a verified bearer token: who is calling and what it
	// may do. See authz.AccessToken.
	AccessToken = authz.AccessToken
	// TokenVerifier turns a raw bearer token into an AccessToken, or
	// refuses it. See authz.TokenVerifier.
	TokenVerifier = authz.TokenVerifier
	// InsufficientScopeError is returned by a TokenVerifier for a token
	// that is valid but lacks scopes the verifier requires. See
	// authz.InsufficientScopeError.
	InsufficientScopeError = authz.InsufficientScopeError

	// Kind is the kind of an MCP component.
	Kind = authz.Kind
	// Component describes the component a check is asked about. See
	// authz.Component.
	Component = authz.Component
	// AuthContext is what a check decides on. See authz.AuthContext.
	AuthContext = authz.AuthContext
	// AuthCheck decides whether a request may see and use a component.
	// See authz.AuthCheck.
	AuthCheck = authz.AuthCheck
	// Checker decides whether a request may see and use a component:
	// an AuthCheck, a built-in check, or a type of the program's own. See
	// authz.Checker.
	Checker = authz.Checker
	// ScopeCheck is the check RequireScopes and RestrictTag return. See
	// authz.ScopeCheck.
	ScopeCheck = authz.ScopeCheck
	// RoleCheck is the check RequireRoles returns. See authz.RoleCheck.
	RoleCheck = authz.RoleCheck
	// AnyCheck is the check AnyOf returns. See authz.AnyCheck.
	AnyCheck = authz.AnyCheck
	// CheckFunc lists the function shapes Check accepts. See
	// authz.CheckFunc.
	CheckFunc = authz.CheckFunc
	// AuthorizationError denies access with a message for the client. See
	// authz.AuthorizationError.
	AuthorizationError = authz.AuthorizationError

	// Middleware is a server-wide authorization layer, added with
	// WithMiddleware. See authz.Middleware.
	Middleware = authz.Middleware
	// ComponentOption configures one component at registration.
	ComponentOption = authz.ComponentOption
)

// The kinds of MCP components.
const (
	KindTool             = authz.KindTool
	KindResource         = authz.KindResource
	KindResourceTemplate = authz.KindResourceTemplate
	KindPrompt           = authz.KindPrompt
)

// ErrInvalidToken is returned, or wrapped with the reason, by the verifiers
// of this module for a token they do not accept. HTTPHandler answers any
// verifier error other than *InsufficientScopeError with 401 and
// error="invalid_token", whatever its text.
var ErrInvalidToken = authz.ErrInvalidToken

// ErrVerifierUnavailable is wrapped by the error of a verifier that could
// not judge a token (its authorization server is down, say); HTTPHandler
// answers 503 with Retry-After instead of 401. See
// authz.ErrVerifierUnavailable.
var ErrVerifierUnavailable = authz.ErrVerifierUnavailable

// ContextWithAccessToken returns a copy of ctx that carries t. Handlers and
// checks called with the returned context see t through
// AccessTokenFromContext. Tests and in-process clients use it to act as a
// given caller.
func ContextWithAccessToken(ctx context.Context, t *AccessToken) context.Context {
	return authz.ContextWithAccessToken(ctx, t)
}

// AccessTokenFromContext returns the access token of the request being
// served, or nil when the request carries none (stdio, or HTTP without a
// verifier). It is the Go form of FastMCP's get_access_token().
func AccessTokenFromContext(ctx context.Context) *AccessToken {
	return authz.AccessTokenFromContext(ctx)
}

// NewStaticTokenVerifier returns a verifier that accepts exactly the tokens
// of the map, keyed by their raw value, for development and tests. See
// authz.NewStaticTokenVerifier.
func NewStaticTokenVerifier(tokens map[string]AccessToken) TokenVerifier {
	return authz.NewStaticTokenVerifier(tokens)
}

// Check adapts a function of any accepted shape to an AuthCheck:
//
//	func(runtime.AuthContext) bool
//	func(runtime.AuthContext) (bool, error)
//	func(context.Context, runtime.AuthContext) bool
//	func(context.Context, runtime.AuthContext) (bool, error)
//
// or of a named function type of one of these shapes. A nil function gives
// a check that always denies. See authz.Check.
func Check[F CheckFunc](f F) AuthCheck { return authz.Check(f) }

// RequireScopes returns a check that passes when the token grants every one
// of scopes (exact match). A request without a token fails it.
func RequireScopes(scopes ...string) ScopeCheck { return authz.RequireScopes(scopes...) }

// RestrictTag returns a check for server-wide rules: a component tagged tag
// requires every one of scopes; a component without the tag passes, even
// for a request without a token. It is FastMCP's restrict_tag.
func RestrictTag(tag string, scopes ...string) ScopeCheck { return authz.RestrictTag(tag, scopes...) }

// RunAuthChecks runs checks in order and reports whether all of them pass
// (AND). See authz.RunAuthChecks.
func RunAuthChecks(ctx context.Context, ac AuthContext, checks ...Checker) (bool, error) {
	return authz.RunAuthChecks(ctx, ac, checks...)
}

// AuthMiddleware returns a layer that applies checks to every component of
// the server, on top of each component's own checks. A component that fails
// them is left out of every list; using it is answered with an explicit
// authorization error. See authz.AuthMiddleware for the messages.
func AuthMiddleware(checks ...Checker) Middleware { return authz.AuthMiddleware(checks...) }

// WithAuth appends checks to the component's chain. All must pass (AND),
// in the order they were given. The scopes named by RequireScopes checks
// among them become the component's declared scopes (Component.Scopes).
func WithAuth(checks ...Checker) ComponentOption { return authz.WithAuth(checks...) }

// WithScopes is WithAuth(RequireScopes(scopes...)): the token must grant
// every one of scopes, which the component declares (Component.Scopes) to
// clients and reports.
func WithScopes(scopes ...string) ComponentOption { return authz.WithScopes(scopes...) }

// WithTags sets the component's tags, which checks such as RestrictTag read.
func WithTags(tags ...string) ComponentOption { return authz.WithTags(tags...) }
