package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"
)

// A call check is a check(…) whose function takes, after the optional
// context.Context and the runtime.AuthContext, the handler's own
// arguments: its input struct (by value or pointer), or some of its named
// parameters, matched by name and type. It decides one request on its
// arguments and never hides the component; the generated code runs it
// after decoding and before the handler (tools), or from the request
// entry on the arguments the runtime reads (prompts, resource templates).

// callCheck is the signature of a call check and, once bound, how its
// parameters take the handler's arguments.
type callCheck struct {
	Ctx    bool         // takes a context.Context first
	Err    bool         // returns (bool, error)
	params []*types.Var // after the runtime.AuthContext
	at     token.Position

	// Input is set when the check takes the handler's input struct;
	// InputPtr when it takes it by pointer.
	Input, InputPtr bool
	// Args are the handler's arguments the check takes, in the order of
	// its parameters.
	Args []arg
}

// callShape returns the call check of signature sig: a check shape with
// one or more parameters after the runtime.AuthContext. It returns nil
// when sig is not one.
func callShape(sig *types.Signature) *callCheck {
	if sig == nil || sig.Variadic() || sig.TypeParams().Len() > 0 || sig.Recv() != nil {
		return nil
	}
	ps, rs := sig.Params(), sig.Results()
	c := &callCheck{}
	i := 0
	if ps.Len() > 0 && isNamed(ps.At(0).Type(), "context", "Context") {
		c.Ctx, i = true, 1
	}
	if ps.Len() < i+2 || !isNamed(ps.At(i).Type(), authzPath, "AuthContext") {
		return nil
	}
	for j := i + 1; j < ps.Len(); j++ {
		c.params = append(c.params, ps.At(j))
	}
	isBool := func(t types.Type) bool { return types.Identical(t, types.Typ[types.Bool]) }
	switch {
	case rs.Len() == 1 && isBool(rs.At(0).Type()):
	case rs.Len() == 2 && isBool(rs.At(0).Type()) && types.Identical(rs.At(1).Type(), types.Universe.Lookup("error").Type()):
		c.Err = true
	default:
		return nil
	}
	return c
}

// bindCalls binds the call checks of c to its handler's arguments,
// reporting at each check's expression why one cannot be bound, with the
// shape it should have.
func (v *validator) bindCalls(c *component) {
	ac := v.authContextName()
	for _, t := range c.Auth {
		if t.Check == nil || t.Check.Call == nil {
			continue
		}
		ce, call := t.Check, t.Check.Call
		fail := func(format string, args ...any) {
			v.e.at(call.at, "check(%s): %s", ce.Text, fmt.Sprintf(format, args...))
		}
		switch {
		case c.Kind == kindResource:
			fail("a call check takes the handler's arguments, but resource %q has none (its URI has no template variables); a check of a static resource is func(%s) bool or another auth check shape", c.Name, ac)
		case c.Kind == kindTool && c.Params == paramNone:
			fail("a call check takes the handler's arguments, but tool %q takes none; use func(%s) bool or another auth check shape", c.Name, ac)
		case c.Params == paramStruct && c.Struct != nil:
			v.bindInput(c, call, fail)
		default:
			v.bindNamed(c, call, fail)
		}
	}
}

// bindInput binds a call check of a handler that takes an input struct.
func (v *validator) bindInput(c *component, call *callCheck, fail func(string, ...any)) {
	in := types.TypeString(c.Struct, v.qual)
	want := fmt.Sprintf("want %s (or *%s)", call.shape(v.authContextName(), "in "+in), in)
	if len(call.params) > 1 {
		fail("takes %d parameters after the %s, but %s takes one input, %s; %s", len(call.params), v.authContextName(), c.Func, in, want)
		return
	}
	p := call.params[0].Type()
	switch {
	case types.Identical(p, c.Struct):
		call.Input = true
	case types.Identical(p, types.NewPointer(c.Struct)):
		call.Input, call.InputPtr = true, true
	default:
		fail("takes %s, but the input of %s %q is %s; %s", types.TypeString(p, v.qual), c.Kind.label(), c.Name, in, want)
	}
}

// bindNamed binds a call check of a handler that takes named parameters
// (or template variables), matched by name and identical type.
func (v *validator) bindNamed(c *component, call *callCheck, fail func(string, ...any)) {
	var have []string
	for _, a := range c.Args {
		if a.Param != nil {
			have = append(have, a.Param.Name()+" "+types.TypeString(a.Type, v.qual))
		}
	}
	want := fmt.Sprintf("want %s", call.shape(v.authContextName(), "<some of: "+strings.Join(have, ", ")+">"))
	if len(call.params) > len(have) {
		fail("takes %d parameters after the %s, but %s has %d; %s", len(call.params), v.authContextName(), c.Func, len(have), want)
		return
	}
	for i, p := range call.params {
		name := p.Name()
		if name == "" || name == "_" {
			fail("parameter %d (%s) has no name, and a call check's parameters bind to %s's by name; %s", i+1, types.TypeString(p.Type(), v.qual), c.Func, want)
			return
		}
		found := false
		for _, a := range c.Args {
			if a.Param == nil || a.Param.Name() != name {
				continue
			}
			found = true
			if !types.Identical(p.Type(), a.Type) {
				fail("parameter %s has type %s, but %s's %s is %s; %s", name, types.TypeString(p.Type(), v.qual), c.Func, name, types.TypeString(a.Type, v.qual), want)
				return
			}
			call.Args = append(call.Args, a)
		}
		if !found {
			fail("parameter %s matches no parameter of %s; %s", name, c.Func, want)
			return
		}
	}
}

// authContextName is how the package's backend names the AuthContext in a
// message: runtime.AuthContext, or gosdk.AuthContext on the go-sdk backend
// (the same type).
func (v *validator) authContextName() string { return v.runtimeName() + ".AuthContext" }

// runtimeName is the name of the package's backend runtime in a message:
// runtime, or gosdk on the go-sdk backend, whose names (Checker,
// AuthCheck, AuthContext) are runtime's.
func (v *validator) runtimeName() string {
	if v.backend == BackendGoSDK {
		return "gosdk"
	}
	return "runtime"
}

// shape writes the function type the call check should have, keeping its
// own choice of context and results, with params after authContext.
func (call *callCheck) shape(authContext, params string) string {
	var b strings.Builder
	b.WriteString("func(")
	if call.Ctx {
		b.WriteString("context.Context, ")
	}
	b.WriteString(authContext + ", " + params + ") ")
	if call.Err {
		b.WriteString("(bool, error)")
	} else {
		b.WriteString("bool")
	}
	return b.String()
}

// callChecks returns the call checks of c, in the order written.
func (c *component) callChecks() []*checkExpr {
	var out []*checkExpr
	for _, t := range c.Auth {
		if t.Check != nil && t.Check.Call != nil {
			out = append(out, t.Check)
		}
	}
	return out
}
