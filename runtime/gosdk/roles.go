package gosdk

import "github.com/mcpauthgen/mcpauthgen/runtime/authz"

// RoleClaims says where in a token's claims its roles are. See
// authz.RoleClaims.
type RoleClaims = authz.RoleClaims

// DefaultRoleClaim is the claim roles are read from when a server names
// none.
const DefaultRoleClaim = authz.DefaultRoleClaim

// WithRoleClaims names the claims the server reads roles from
// (RequireRoles, auth=roles(...), AuthContext.HasRole), in place of the
// default "roles" claim. Each path is a claim name or a dotted path into
// nested claims ("realm_access.roles"); the roles found at all of them
// count. The value at a path is a list of strings or a string of
// space-separated roles. Presets name where identity providers put roles:
//
//	gosdk.WithRoleClaims(gosdk.KeycloakRoleClaims("mcp-server")...)
//	gosdk.WithRoleClaims(gosdk.EntraRoleClaims()...)
//	gosdk.WithRoleClaims(gosdk.CognitoRoleClaims()...)
//	gosdk.WithRoleClaims(gosdk.OktaRoleClaims()...)
//	gosdk.WithRoleClaims(gosdk.Auth0RoleClaims("https://example.com/roles")...)
//
// Given more than once, the paths add up.
func WithRoleClaims(paths ...string) Option {
	return func(c *serverConfig) { c.roleClaims = append(c.roleClaims, paths...) }
}

// RequireRoles returns a check that passes when the token grants every one
// of roles (exact match), read through the server's role claims (see
// WithRoleClaims). A request without a token fails it.
func RequireRoles(roles ...string) RoleCheck { return authz.RequireRoles(roles...) }

// AnyOf returns a check that passes when one of checks passes, trying them
// in order and stopping at the first that passes. An error or panic in one
// check denies that check only, and is logged. See authz.AnyOf.
func AnyOf(checks ...Checker) AnyCheck { return authz.AnyOf(checks...) }

// KeycloakRoleClaims reads Keycloak's realm roles (realm_access.roles) and
// the roles of each client named (resource_access.<client>.roles).
func KeycloakRoleClaims(clients ...string) []string { return authz.KeycloakRoleClaims(clients...) }

// EntraRoleClaims reads Microsoft Entra ID's app roles (roles) and groups
// (groups).
func EntraRoleClaims() []string { return authz.EntraRoleClaims() }

// CognitoRoleClaims reads Amazon Cognito's user pool groups
// (cognito:groups).
func CognitoRoleClaims() []string { return authz.CognitoRoleClaims() }

// OktaRoleClaims reads Okta's groups claim (groups).
func OktaRoleClaims() []string { return authz.OktaRoleClaims() }

// Auth0RoleClaims reads the namespaced claim an Auth0 Action puts roles
// under, such as "https://example.com/roles".
func Auth0RoleClaims(claim string) []string { return authz.Auth0RoleClaims(claim) }
