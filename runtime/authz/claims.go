package authz

import "strings"

// ClientIDFromClaims reads the client a token was issued to from its
// claims, as OAuth access tokens carry it: client_id (RFC 9068, RFC 7662),
// else azp (OpenID Connect), else sub. The JWT and introspection verifiers
// share it.
func ClientIDFromClaims(claims map[string]any) string {
	for _, name := range []string{"client_id", "azp", "sub"} {
		if s, ok := claims[name].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// ScopesFromClaims reads the scopes a token grants from its claims: the
// first of "scope" (RFC 9068, RFC 7662) and "scp" that is a string of
// space-separated scopes or a list of strings.
func ScopesFromClaims(claims map[string]any) []string {
	for _, name := range []string{"scope", "scp"} {
		switch c := claims[name].(type) {
		case string:
			return strings.Fields(c)
		case []any:
			scopes := make([]string, 0, len(c))
			for _, s := range c {
				if s, ok := s.(string); ok && s != "" {
					scopes = append(scopes, s)
				}
			}
			return scopes
		}
	}
	return nil
}
