package generator

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// A package's backend is the MCP SDK its generated registration targets:
// its //mcp:backend line, or else Config.Backend. The annotations, checks
// and report are the same for both; what differs is the emitted code and
// the SDK types a handler may return as a full result.

// packageBackend returns the backend of the package whose directives are
// dirs; a second //mcp:backend line is an error.
func (v *validator) packageBackend(dirs []*directive, def string) string {
	var first *directive
	backend := def
	for _, d := range dirs {
		l, ok := d.line.(*annotations.Backend)
		if !ok {
			continue
		}
		if first != nil {
			v.e.atPos(d.pos, "the package's backend is already set at %s; one //mcp:backend line per package", v.shortPos(first.pos))
			continue
		}
		first = d
		if l.Name.Text != "" {
			backend = l.Name.Text
		}
	}
	return backend
}

// sdk returns the import path of the protocol package of the package's
// backend.
func (v *validator) sdk() string {
	if v.backend == BackendGoSDK {
		return goSDKPath
	}
	return mcpPath
}

// sdkShape names a result shape in messages: mcpGo with the mcp-go
// backend, goSDK with the go-sdk's.
func (v *validator) sdkShape(mcpGo, goSDK string) string {
	if v.backend == BackendGoSDK {
		return goSDK
	}
	return mcpGo
}

// isGoSDK reports whether path is a package of the go-sdk.
func isGoSDK(path string) bool {
	return path == "github.com/modelcontextprotocol/go-sdk" || strings.HasPrefix(path, "github.com/modelcontextprotocol/go-sdk/")
}

// sdkOf names the SDK of package path, or "" for neither.
func sdkOf(path string) string {
	switch {
	case isMCPGo(path):
		return BackendMCPGo
	case isGoSDK(path):
		return BackendGoSDK
	}
	return ""
}

// sdkName is how messages name a backend's SDK.
func sdkName(backend string) string {
	if backend == BackendGoSDK {
		return "go-sdk"
	}
	return "mcp-go"
}

// isSliceOfPointers reports whether t is []*path.name.
func isSliceOfPointers(t types.Type, path, name string) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	return ok && isPointerTo(s.Elem(), path, name)
}

// sdkNamed returns the named type of the SDK protocol type in r (through
// pointers and slices), or nil.
func sdkNamed(r types.Type) *types.Named {
	t := types.Unalias(r)
	for {
		switch u := t.(type) {
		case *types.Pointer:
			t = types.Unalias(u.Elem())
			continue
		case *types.Slice:
			t = types.Unalias(u.Elem())
			continue
		}
		break
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || sdkOf(n.Obj().Pkg().Path()) == "" {
		return nil
	}
	return n
}

// otherSDKResult reports a result type of the SDK the package's backend
// is not, which the generated code could not return (or would encode as
// JSON text), and returns whether it did.
func (v *validator) otherSDKResult(c *component, fn *ast.FuncDecl, r types.Type) bool {
	n := sdkNamed(r)
	if n == nil {
		return false
	}
	other := sdkOf(n.Obj().Pkg().Path())
	if other == v.backend {
		return false
	}
	v.e.atPos(fn.Type.Results.List[0].Type.Pos(), "%s handler %s returns %s of %s, but the package's backend is %s (//mcp:backend or -backend): return %s's types or plain values",
		c.Kind, fn.Name.Name, types.TypeString(r, v.qual), n.Obj().Pkg().Path(), v.backend, sdkName(v.backend))
	return true
}
