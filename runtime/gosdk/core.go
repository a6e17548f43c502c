package gosdk

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The authorization core lives in package authz, which imports no MCP SDK.
// Its names are re-exported here as aliases, as package runtime does for
// mcp-go, so that a check written for one backend works with the other:
// gosdk.AuthContext, runtime.AuthContext and authz.AuthContext are one
// type.

type (
	// AccessToken is a verified bearer token. See authz.AccessToken.
	AccessToken = authz.AccessToken
	// TokenVerifier turns a raw bearer token into an AccessToken, or
	// refuses it. See authz.TokenVerifier.
	TokenVerifier = authz.TokenVerifier
	// Kind is the kind of an MCP component.
	Kind = authz.Kind
	// Component describes the component a check is asked about.
	Component = authz.Component
	// AuthContext is what a check decides on.
	AuthContext = authz.AuthContext
	// AuthCheck decides whether a request may see and use a component.
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
	// CheckFunc lists the function shapes Check accepts.
	CheckFunc = authz.CheckFunc
	// AuthorizationError denies access with a message for the client.
	AuthorizationError = authz.AuthorizationError
	// Middleware is a server-wide authorization layer, added with
	// WithMiddleware.
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

// ContextWithAccessToken returns a copy of ctx that carries t.
func ContextWithAccessToken(ctx context.Context, t *AccessToken) context.Context {
	return authz.ContextWithAccessToken(ctx, t)
}

// AccessTokenFromContext returns the access token of the request being
// served, or nil when the request carries none. Handlers and checks of a
// Server see the token of their request.
func AccessTokenFromContext(ctx context.Context) *AccessToken {
	return authz.AccessTokenFromContext(ctx)
}

// NewStaticTokenVerifier returns a verifier that accepts exactly the tokens
// of the map. See authz.NewStaticTokenVerifier.
func NewStaticTokenVerifier(tokens map[string]AccessToken) TokenVerifier {
	return authz.NewStaticTokenVerifier(tokens)
}

// Check adapts a function of any accepted shape to an AuthCheck. See
// authz.Check.
func Check[F CheckFunc](f F) AuthCheck { return authz.Check(f) }

// RequireScopes returns a check that passes when the token grants every one
// of scopes (exact match). A request without a token fails it.
func RequireScopes(scopes ...string) ScopeCheck { return authz.RequireScopes(scopes...) }

// RestrictTag returns a check under which a component tagged tag requires
// every one of scopes; other components pass. It is FastMCP's restrict_tag.
func RestrictTag(tag string, scopes ...string) ScopeCheck { return authz.RestrictTag(tag, scopes...) }

// AuthMiddleware returns a layer that applies checks to every component of
// the server, on top of each component's own. See authz.AuthMiddleware.
func AuthMiddleware(checks ...Checker) Middleware { return authz.AuthMiddleware(checks...) }

// WithAuth appends checks to the component's chain (AND, in order).
func WithAuth(checks ...Checker) ComponentOption { return authz.WithAuth(checks...) }

// WithScopes is WithAuth(RequireScopes(scopes...)).
func WithScopes(scopes ...string) ComponentOption { return authz.WithScopes(scopes...) }

// WithTags sets the component's tags, which checks such as RestrictTag read.
func WithTags(tags ...string) ComponentOption { return authz.WithTags(tags...) }
