package authz

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of t: its own Scopes, and its own Claims down
// to every nested map and slice of the shapes a JSON decoder makes
// (map[string]any, []any) or a token written in Go often holds ([]string,
// map[string]string); other values (strings, numbers, booleans, and any
// other type) are shared. A verifier that keeps tokens (a cache, the
// static verifier's map) hands out clones, so that a handler changing its
// token, however deep, changes nothing for the next request. A nil t
// clones to nil.
func (t *AccessToken) Clone() *AccessToken {
	if t == nil {
		return nil
	}
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	c.Claims = cloneClaims(t.Claims)
	return &c
}

// cloneClaims deep-copies a claims map (nil stays nil): maps.Clone copies
// the map at once, and only the nested maps and slices are copied again.
func cloneClaims(m map[string]any) map[string]any {
	c := maps.Clone(m)
	for k, v := range m {
		switch v.(type) {
		case map[string]any, []any, []string, map[string]string:
			c[k] = cloneClaim(v)
		}
	}
	return c
}

// cloneClaim deep-copies one claim value of the shapes Clone names.
func cloneClaim(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneClaims(v)
	case []any:
		if v == nil {
			return v
		}
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneClaim(e)
		}
		return c
	case []string:
		return slices.Clone(v)
	case map[string]string:
		return maps.Clone(v)
	}
	return v
}
