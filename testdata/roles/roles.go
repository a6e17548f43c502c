// Package roles holds mistakes with roles(…) and any(…); its golden
// errors.txt lists them, each at the offending term.
package roles

import "github.com/mcpauthgen/mcpauthgen/runtime"

//mcp:roles admin editor viewer
//mcp:scopes read write

func isOwner(ac runtime.AuthContext) bool { return ac.Token != nil }

func wrongShape(s string) bool { return false }

// EmptyRoles names no role.
//
//mcp:tool auth=roles()
func EmptyRoles() (string, error) { return "", nil }

// MisspeltRole is close to a role of the vocabulary.
//
//mcp:tool auth=roles(admn)
func MisspeltRole() (string, error) { return "", nil }

// UnknownRole is far from every one, and hides inside any(…).
//
//mcp:tool auth=any(scopes(read),roles(editor,billing))
func UnknownRole() (string, error) { return "", nil }

// EmptyAny has no terms.
//
//mcp:tool auth=scopes(read),any()
func EmptyAny() (string, error) { return "", nil }

// OneTerm is any(…) of one term.
//
//mcp:tool auth=any(roles(admin))
func OneTerm() (string, error) { return "", nil }

// PublicInAny lets everyone in by accident.
//
//mcp:tool auth=any(roles(admin),public)
func PublicInAny() (string, error) { return "", nil }

// NestedMistakes: a misspelt scope and a check of the wrong shape, two
// levels down.
//
//mcp:tool auth=any(roles(admin),any(scopes(wrte),check(wrongShape)))
func NestedMistakes() (string, error) { return "", nil }

// LiteralRole passes a role outside the vocabulary to runtime.RequireRoles.
//
//mcp:tool auth=check(runtime.AnyOf(runtime.RequireRoles("viewr"),runtime.Check(isOwner)))
func LiteralRole() (string, error) { return "", nil }

// RoleForScope writes role( for roles(.
//
//mcp:prompt auth=role(admin)
func RoleForScope() (string, error) { return "", nil }

// QuotedAny keeps columns inside a quoted value.
//
//mcp:resource uri=data://x auth="any(check(isOwner), roles(edtor))"
func QuotedAny() (string, error) { return "", nil }

// ownsID is a call check: it takes the handler's id.
func ownsID(ac runtime.AuthContext, id string) bool { return ac.Token != nil && id != "" }

// CallInAny offers a call check as an alternative to a role.
//
//mcp:tool auth=any(roles(admin),check(ownsID))
func CallInAny(id string) (string, error) { return "", nil }

// CallInNestedAny hides one two levels down, in a template; the same check
// outside any(…) is fine.
//
//mcp:resource uri=notes://{id} auth=check(ownsID),any(scopes(read),any(roles(editor),check(ownsID)))
func CallInNestedAny(id string) (string, error) { return "", nil }
