package generator

import (
	"go/types"
	"strconv"
	"strings"
	"unicode"
)

// locals are the names of a wrapper's parameters and variables. Each is
// the usual name unless the wrapper refers to a package-level name or an
// imported package of that name (the handler, a type of its arguments),
// which the local would hide; then it gets underscores until it is free.
type locals struct {
	ctx, req, args, in, res, err, out string
	// ac is the AuthContext of a handler with call checks; checks are the
	// variables holding its call checks, in order.
	ac     string
	checks []string
	site   string // the runtime.CheckSite of the call checks' evaluation
}

func (e *emitter) localsFor(c *component) locals {
	used := map[string]bool{c.Func: true, "context": true, "mcp": true, "runtime": true, "gosdk": true, "json": true}
	seen := map[types.Type]bool{}
	for _, a := range c.Args {
		namesIn(a.Type, used, seen)
	}
	if c.Struct != nil {
		namesIn(c.Struct, used, seen)
	}
	// A call check's variable must not hide a name that an expression of
	// a later call check uses.
	calls := c.callChecks()
	for _, ce := range calls {
		for _, id := range strings.FieldsFunc(ce.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
			used[id] = true
		}
	}
	free := func(name string) string {
		for used[name] {
			name += "_"
		}
		return name
	}
	l := locals{
		ctx: free("ctx"), req: free("req"), args: free("args"), in: free("in"),
		res: free("res"), err: free("err"), out: free("out"), ac: free("ac"),
	}
	used[l.ac] = true
	for i := range calls {
		name := "check"
		if i > 0 {
			name += strconv.Itoa(i + 1)
		}
		name = free(name)
		used[name] = true
		l.checks = append(l.checks, name)
	}
	l.site = free("site")
	return l
}

// namesIn adds to names every identifier that writing t in the generated
// file uses unqualified: the names of named types of the annotated package
// and the names of other packages.
func namesIn(t types.Type, names map[string]bool, seen map[types.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Alias:
		addObj(t.Obj(), names)
		for i := range t.TypeArgs().Len() {
			namesIn(t.TypeArgs().At(i), names, seen)
		}
	case *types.Named:
		addObj(t.Obj(), names)
		for i := range t.TypeArgs().Len() {
			namesIn(t.TypeArgs().At(i), names, seen)
		}
	case *types.Pointer:
		namesIn(t.Elem(), names, seen)
	case *types.Slice:
		namesIn(t.Elem(), names, seen)
	case *types.Array:
		namesIn(t.Elem(), names, seen)
	case *types.Map:
		namesIn(t.Key(), names, seen)
		namesIn(t.Elem(), names, seen)
	case *types.Struct:
		for i := range t.NumFields() {
			namesIn(t.Field(i).Type(), names, seen)
		}
	}
}

func addObj(obj *types.TypeName, names map[string]bool) {
	names[obj.Name()] = true
	if obj.Pkg() != nil {
		names[obj.Pkg().Name()] = true
	}
}
