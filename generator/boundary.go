package generator

import (
	"go/ast"
	"go/types"
	"strings"
)

// The trust boundary: a handler's parameters are decoded from what the
// client sends, so a parameter whose type is a server-side value (the
// access token, the auth context, a context, an mcp-go request) would let a
// client forge it. Such parameters are refused, pointing at the right way
// to get the value.

// serverSide returns why a value of type t cannot be client input, naming
// the right way, or "" when t is ordinary data. It looks through
// pointers, slices, arrays, maps and the fields encoding/json decodes, and
// returns the path to the offending part ("" for t itself) in *at.
func serverSide(t types.Type, path string, at *string, seen map[types.Type]bool) string {
	t = types.Unalias(t)
	if seen[t] {
		return ""
	}
	seen[t] = true
	*at = path
	switch {
	case isNamed(t, authzPath, "AccessToken"):
		return "the access token is not client input: read it with runtime.AccessTokenFromContext(ctx)"
	case isNamed(t, authzPath, "AuthContext"), isNamed(t, authzPath, "Component"):
		return "the auth context is given to checks, not to handlers: in a handler, read the token with runtime.AccessTokenFromContext(ctx)"
	case isNamed(t, "context", "Context"):
		return "a context is not client input: take ctx context.Context as the first parameter"
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && sdkOf(n.Obj().Pkg().Path()) != "" {
		if strings.HasSuffix(n.Obj().Name(), "Request") {
			return "the generated wrapper decodes the request: take the arguments as plain parameters or one struct"
		}
		return sdkName(sdkOf(n.Obj().Pkg().Path())) + " protocol types are not arguments: take plain parameters or a struct of your own"
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return serverSide(u.Elem(), path, at, seen)
	case *types.Slice:
		return serverSide(u.Elem(), path+"[]", at, seen)
	case *types.Array:
		return serverSide(u.Elem(), path+"[]", at, seen)
	case *types.Map:
		return serverSide(u.Elem(), path+"{}", at, seen)
	case *types.Struct:
		if implements(t, jsonUnmarshaler) || implements(t, textUnmarshaler) {
			return ""
		}
		for _, f := range jsonFields(u) {
			p := f.name
			if path != "" {
				p = path + "." + f.name
			}
			if why := serverSide(f.v.Type(), p, at, seen); why != "" {
				return why
			}
		}
	}
	return ""
}

// isMCPGo reports whether path is a package of mcp-go.
func isMCPGo(path string) bool {
	return path == "github.com/mark3labs/mcp-go" || strings.HasPrefix(path, "github.com/mark3labs/mcp-go/")
}

// trustBoundary reports a parameter whose type holds a server-side value.
func (v *validator) trustBoundary(c *component, p *types.Var) bool {
	var at string
	why := serverSide(p.Type(), "", &at, map[types.Type]bool{})
	if why == "" {
		return false
	}
	what := "parameter " + p.Name()
	if p.Name() == "" || p.Name() == "_" {
		what = "a parameter"
	}
	if at != "" && at[0] != '[' && at[0] != '{' {
		what += " (argument " + at + ")"
	}
	v.e.atPos(p.Pos(), "%s of %s handler has type %s, which a client would supply: %s", what, c.Kind, types.TypeString(p.Type(), v.qual), why)
	return true
}

// mcpResult reports a result type that is an mcp-go protocol type other
// than the result shapes of the component's kind, which would otherwise
// be encoded as JSON text, and returns whether it did.
func (v *validator) mcpResult(c *component, fn *ast.FuncDecl, r types.Type, want string) bool {
	if v.otherSDKResult(c, fn, r) {
		return true
	}
	n := sdkNamed(r)
	if n == nil {
		return false
	}
	article := "an" // an mcp-go type
	if v.backend == BackendGoSDK {
		article = "a"
	}
	v.e.atPos(fn.Type.Results.List[0].Type.Pos(), "%s handler %s returns %s, %s %s type that is not a %s result: return %s", c.Kind, fn.Name.Name, types.TypeString(r, v.qual), article, sdkName(v.backend), c.Kind, want)
	return true
}

// isStringPtr reports whether t is a pointer to a string type.
func isStringPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isString(p.Elem())
}
