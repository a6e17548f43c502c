package authz

import (
	"slices"
	"strings"
)

// DefaultRoleClaim is the claim roles are read from when a server names
// none: a top-level "roles" claim.
const DefaultRoleClaim = "roles"

// RoleClaims says where in a token's claims its roles are: one or more
// claim paths, whose roles together are the token's roles. A path is a
// claim name, or a dotted path into nested claims ("realm_access.roles");
// a claim whose own name holds dots ("https://example.com/roles") is found
// too, since each step tries the longest name first. The value at a path
// may be a list of strings (JSON array) or a string of space-separated
// roles; any other value, and a missing one, holds no roles. Roles are
// compared exactly, case included.
//
// The zero RoleClaims reads DefaultRoleClaim.
type RoleClaims struct {
	paths []string
}

// NewRoleClaims returns the mapping that reads roles from every one of
// paths. Empty paths, and paths given twice, are ignored; without any
// path it is the default mapping.
func NewRoleClaims(paths ...string) RoleClaims {
	var rc RoleClaims
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p != "" && !slices.Contains(rc.paths, p) {
			rc.paths = append(rc.paths, p)
		}
	}
	return rc
}

// Paths returns the claim paths rc reads, in order.
func (rc RoleClaims) Paths() []string {
	if len(rc.paths) == 0 {
		return []string{DefaultRoleClaim}
	}
	return slices.Clone(rc.paths)
}

// String returns the paths joined by commas.
func (rc RoleClaims) String() string { return strings.Join(rc.Paths(), ",") }

// Has reports whether claims grant role at one of rc's paths. It
// allocates nothing.
func (rc RoleClaims) Has(claims map[string]any, role string) bool {
	if len(rc.paths) == 0 {
		return containsRole(lookupClaim(claims, DefaultRoleClaim), role)
	}
	for _, p := range rc.paths {
		if containsRole(lookupClaim(claims, p), role) {
			return true
		}
	}
	return false
}

// Roles returns the roles claims grant at rc's paths, in the order found,
// each once.
func (rc RoleClaims) Roles(claims map[string]any) []string {
	var out []string
	add := func(r string) {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for _, p := range rc.Paths() {
		switch v := lookupClaim(claims, p).(type) {
		case string:
			for _, r := range strings.Fields(v) {
				add(r)
			}
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					add(s)
				}
			}
		case []string:
			for _, s := range v {
				add(s)
			}
		}
	}
	return out
}

// lookupClaim returns the value at path in claims, or nil. At each level
// the whole remaining path is tried as a claim name first, then its
// prefixes up to a dot, longest first, as names of nested objects.
func lookupClaim(claims map[string]any, path string) any {
	for claims != nil {
		if v, ok := claims[path]; ok {
			return v
		}
		next := map[string]any(nil)
		for i := len(path) - 1; i > 0; i-- {
			if path[i] != '.' {
				continue
			}
			if m, ok := claims[path[:i]].(map[string]any); ok {
				next, path = m, path[i+1:]
				break
			}
		}
		claims = next
	}
	return nil
}

// containsRole reports whether the claim value v holds role: a list
// holding it, or a string with it among its words (split at white space,
// as strings.Fields splits).
func containsRole(v any, role string) bool {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s == role {
				return true
			}
		}
	case []string:
		return slices.Contains(v, role)
	case string:
		for r := range strings.FieldsSeq(v) {
			if r == role {
				return true
			}
		}
	}
	return false
}

// Role claim presets: where common identity providers put roles. Each
// returns claim paths for NewRoleClaims (runtime.WithRoleClaims).

// KeycloakRoleClaims reads Keycloak's realm roles (realm_access.roles) and,
// for each client named, that client's roles
// (resource_access.<client>.roles). Realm and client roles are one set: a
// role named in roles(...) passes when the realm or one of the clients
// grants it.
func KeycloakRoleClaims(clients ...string) []string {
	paths := []string{"realm_access.roles"}
	for _, c := range clients {
		paths = append(paths, "resource_access."+c+".roles")
	}
	return paths
}

// EntraRoleClaims reads Microsoft Entra ID's app roles (roles) and group
// memberships (groups; object IDs unless the app registration emits
// names). A token for a user past Entra's group limit carries a group
// overage reference (_claim_names) instead of groups; it is not followed,
// so such a token has app roles only.
func EntraRoleClaims() []string { return []string{"roles", "groups"} }

// CognitoRoleClaims reads Amazon Cognito's user pool groups
// (cognito:groups).
func CognitoRoleClaims() []string { return []string{"cognito:groups"} }

// OktaRoleClaims reads Okta's groups claim (groups), which an
// authorization server emits once a groups claim is configured.
func OktaRoleClaims() []string { return []string{"groups"} }

// Auth0RoleClaims reads the namespaced claim an Auth0 Action adds roles
// under, such as "https://example.com/roles" (Auth0 requires custom claims
// to be namespaced).
func Auth0RoleClaims(claim string) []string { return []string{claim} }

// HasRole reports whether the request's token grants role, read through
// the role claim mapping of the server serving the request (see
// RequireRoles). A request without a token has no roles.
func (ac AuthContext) HasRole(role string) bool {
	if ac.Token == nil {
		return false
	}
	return ac.roleClaims().Has(ac.Token.Claims, role)
}

// Roles returns the roles the request's token grants, read as HasRole
// reads them, in the order the claims list them.
func (ac AuthContext) Roles() []string {
	if ac.Token == nil {
		return nil
	}
	return ac.roleClaims().Roles(ac.Token.Claims)
}

// roleClaims returns the mapping the request's server reads roles with:
// the one the Policy deciding the request put in ac, else the one of the
// server that registered ac.Component, else the default.
func (ac AuthContext) roleClaims() RoleClaims {
	switch {
	case ac.roles != nil:
		return *ac.roles
	case ac.Component != nil && ac.Component.roles != nil:
		return *ac.Component.roles
	}
	return RoleClaims{}
}
