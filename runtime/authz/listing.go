package authz

import "context"

type listingKey struct{}

// Listing reports whether a check is being asked about a component for a
// list (tools/list, prompts/list, resources/list,
// resources/templates/list) rather than for a request that uses it. A
// middleware check that decides on a request's arguments can tell the two
// apart with it: when listing, AuthContext.Arguments is nil because there
// are none yet, not because a call sent none. Only Policy.Listed marks a
// context so; any other caller is deciding a request that uses the
// component.
func Listing(ctx context.Context) bool {
	v, _ := ctx.Value(listingKey{}).(bool)
	return v
}
