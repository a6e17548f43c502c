package cedarauth

import (
	"slices"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
)

// Scopes returns, sorted, the scopes the policies test a principal for
// (principal.scopes.contains("s"), or containsAll / containsAny with a set
// of literals): what a server under these policies publishes as
// scopes_supported, with runtime.WithScopesSupported(az.Scopes()...), since
// the runtime cannot see into policies.
func (a *Authorizer) Scopes() []string {
	var out []string
	add := func(n ast.IsNode) {
		var vals []ast.IsNode
		switch n := n.(type) {
		case ast.NodeTypeSet:
			vals = n.Elements
		default:
			vals = []ast.IsNode{n}
		}
		for _, v := range vals {
			lit, ok := v.(ast.NodeValue)
			if !ok {
				continue
			}
			switch l := lit.Value.(type) {
			case types.String:
				out = append(out, string(l))
			case types.Set:
				for e := range l.All() {
					if s, ok := e.(types.String); ok {
						out = append(out, string(s))
					}
				}
			}
		}
	}
	for _, p := range a.policies {
		for _, c := range (*ast.Policy)(p.policy.AST()).Conditions {
			ast.Inspect(ast.NewNode(c.Body), func(n ast.IsNode) bool {
				var b ast.BinaryNode
				switch n := n.(type) {
				case ast.NodeTypeContains:
					b = n.BinaryNode
				case ast.NodeTypeContainsAll:
					b = n.BinaryNode
				case ast.NodeTypeContainsAny:
					b = n.BinaryNode
				default:
					return true
				}
				if isPrincipalScopes(b.Left) {
					add(b.Right)
				}
				return true
			})
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isPrincipalScopes reports whether n is principal.scopes.
func isPrincipalScopes(n ast.IsNode) bool {
	a, ok := n.(ast.NodeTypeAccess)
	if !ok || a.Value != "scopes" {
		return false
	}
	v, ok := a.Arg.(ast.NodeTypeVariable)
	return ok && v.Name == "principal"
}
