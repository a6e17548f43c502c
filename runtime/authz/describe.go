package authz

import (
	"context"
	"reflect"
	"slices"
)

// requirement is what a built-in scope check asks of a token: every one of
// scopes, on components tagged tag ("" for every component).
type requirement struct {
	tag    string
	scopes []string
}

// applies reports whether the requirement applies to comp.
func (r requirement) applies(comp *Component) bool {
	return r.tag == "" || comp.HasTag(r.tag)
}

// describing is the Component a built-in check is shown when it is asked
// to describe itself rather than decide: it writes its requirement into the
// AuthContext's token instead. Only checks known to be built in (by their
// code) are ever called so, never a user's.
var describing = &Component{Name: "\x00describe"}

// The code of the closures RequireScopes and RestrictTag return. Both are
// marked go:noinline so that every call returns the same closure code (an
// inlined copy would get code of its own).
var (
	requireScopesCode = reflect.ValueOf(RequireScopes()).Pointer()
	restrictTagCode   = reflect.ValueOf(RestrictTag("")).Pointer()
)

// The code of the closures RequireRoles and AnyOf return (go:noinline as
// well), set by init: AnyOf's refers to argumentFree, which reads them.
var requireRolesCode, anyOfCode uintptr

func init() {
	requireRolesCode = reflect.ValueOf(RequireRoles()).Pointer()
	anyOfCode = reflect.ValueOf(AnyOf()).Pointer()
}

// probingArguments is the Component an AnyOf is shown when it is asked
// whether it may read a request's arguments rather than decide: it answers
// (true, nil) when none of its checks may. Only a check known to be an
// AnyOf (by its code) is ever called so.
var probingArguments = &Component{Name: "\x00arguments"}

// argumentFree reports whether check is known never to read a request's
// arguments: a check made by RequireScopes, RestrictTag or RequireRoles,
// or by AnyOf of such checks. Any other check may (AuthContext.Arguments),
// so a component with one has its arguments read for it.
func argumentFree(check AuthCheck) bool {
	if check == nil {
		return false
	}
	switch reflect.ValueOf(check).Pointer() {
	case requireScopesCode, restrictTagCode, requireRolesCode:
		return true
	case anyOfCode:
		free, _ := check(context.Background(), AuthContext{Component: probingArguments})
		return free
	}
	return false
}

// describe returns the requirement of a check made by RequireScopes or
// RestrictTag; ok is false for any other check, which describe does not
// call.
func describe(check AuthCheck) (req requirement, ok bool) {
	if check == nil {
		return requirement{}, false
	}
	if code := reflect.ValueOf(check).Pointer(); code != requireScopesCode && code != restrictTagCode {
		return requirement{}, false
	}
	out := &AccessToken{}
	check(context.Background(), AuthContext{Token: out, Component: describing})
	return requirement{tag: out.ClientID, scopes: out.Scopes}, true
}

// describeInto is how a built-in check answers describe.
func describeInto(ac AuthContext, tag string, scopes []string) {
	ac.Token.ClientID = tag
	ac.Token.Scopes = slices.Clone(scopes)
}

// namedScopes returns the scopes the built-in checks among checks name,
// in order, each once.
func namedScopes(checks []AuthCheck) []string {
	var out []string
	for _, c := range checks {
		if req, ok := describe(c); ok {
			for _, sc := range req.scopes {
				if !slices.Contains(out, sc) {
					out = append(out, sc)
				}
			}
		}
	}
	return out
}
