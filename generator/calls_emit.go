package generator

import (
	"go/types"

	"github.com/dave/jennifer/jen"
)

// Emission of call checks. A tool's call checks run inside its handler,
// once the arguments are decoded, on the decoded values themselves (no
// second decoding): the tool is registered with AddToolCall and a handler
// built by a function that evaluates the check expressions once, when
// Register runs. A prompt's or a resource template's call checks run at the
// request entry, where the runtime has the arguments (prompt arguments,
// template variables, all strings): they are registered with
// WithCallChecks, built the same way.

// toolCallWrapper emits the function that returns the handler of a tool
// with call checks.
func (e *emitter) toolCallWrapper(c *component) *jen.Statement {
	l := e.l
	return jen.Commentf("%s returns the handler of the tool %s: it serves it with %s", e.wrappers[c], c.Name, c.Func).Line().
		Comment("once the call checks pass. The checks are evaluated once, when Register runs.").Line().
		Func().Id(e.wrappers[c]).Params().Add(e.rt("ToolCallHandler")).BlockFunc(func(g *jen.Group) {
		e.evalChecks(g, c)
		g.Return(jen.Func().Params(
			jen.Id(l.ctx).Qual("context", "Context"),
			jen.Id(l.ac).Add(e.rt("AuthContext")),
			jen.Id(l.req).Qual(mcpPath, "CallToolRequest"),
		).Params(jen.Op("*").Qual(mcpPath, "CallToolResult"), jen.Error()).BlockFunc(func(g *jen.Group) {
			callArgs := e.decode(g, c)
			for i, ce := range c.callChecks() {
				g.If(
					jen.Id(l.res).Op(":=").Add(e.rt("ToolCallCheck")).Call(
						jen.Id(l.ctx), jen.Id(l.ac), jen.Lit("check("+ce.Text+")"),
						e.checkFunc(c, ce, l.checks[i], nil),
					),
					jen.Id(l.res).Op("!=").Nil(),
				).Block(jen.Return(jen.Id(l.res), jen.Nil()))
			}
			if c.Ctx {
				callArgs = append([]jen.Code{jen.Id(l.ctx)}, callArgs...)
			}
			e.result(g, c, jen.Id(c.Func).Call(callArgs...))
		}))
	})
}

// callOptions returns the registration options that carry the call checks
// of a prompt or resource template, and their rules as written.
func (e *emitter) callOptions(c *component) []jen.Code {
	if e.calls[c] == "" {
		return nil
	}
	var rules []jen.Code
	for _, ce := range c.callChecks() {
		rules = append(rules, jen.Lit("check("+ce.Text+")"))
	}
	// The terms as written name the call checks in decisions.
	return []jen.Code{e.rt("WithCallChecks").Call(jen.Id(e.calls[c]).Call().Op("...")), e.rt("WithCallRules").Call(rules...)}
}

// callsDecl emits the function that returns the call checks of a prompt
// or resource template, bound to the arguments the runtime reads; nil for
// a component without any.
func (e *emitter) callsDecl(c *component) jen.Code {
	if e.calls[c] == "" {
		return nil
	}
	e.l = e.localsFor(c)
	l := e.l
	what := "prompt arguments"
	if c.Kind == kindTemplate {
		what = "template variables"
	}
	return jen.Commentf("%s returns the call checks of the %s %s, bound to its %s.", e.calls[c], c.Kind.label(), c.Name, what).Line().
		Comment("The checks are evaluated once, when Register runs.").Line().
		Func().Id(e.calls[c]).Params().Index().Add(e.rt("Checker")).BlockFunc(func(g *jen.Group) {
		e.evalChecks(g, c)
		var items []jen.Code
		for i, ce := range c.callChecks() {
			items = append(items, e.rt("AuthCheck").Call(e.checkFunc(c, ce, l.checks[i], func(g *jen.Group) []jen.Code {
				return e.entryArgs(g, c, ce.Call)
			})))
		}
		g.Return(jen.Index().Add(e.rt("Checker")).Add(multi("{", "}", items...)))
	})
}

// evalChecks evaluates the call check expressions of c into their
// variables. When one could panic, a deferred runtime.CheckSite names the
// expression being evaluated in the panic, as runtime.CheckAt does for
// other checks.
func (e *emitter) evalChecks(g *jen.Group, c *component) {
	site := ""
	for i, ce := range c.callChecks() {
		if ce.MayPanic {
			if site == "" {
				site = e.l.site
				g.Var().Id(site).Add(e.rt("CheckSite"))
				g.Defer().Id(site).Dot("Recover").Call()
			}
			g.Id(site).Op("=").Add(e.rt("CheckSite")).Values(jen.Dict{
				jen.Id("Pos"):  jen.Lit(ce.Pos),
				jen.Id("Expr"): jen.Lit(ce.Text),
			})
		}
		g.Id(e.l.checks[i]).Op(":=").Add(e.expr(ce))
	}
}

// checkFunc emits a func(context.Context, runtime.AuthContext) (bool,
// error) that calls the call check held in variable name with the
// arguments it binds. bind, when set, emits their decoding from the
// AuthContext (prompts, templates) and returns them; otherwise they are
// the handler's decoded arguments.
func (e *emitter) checkFunc(c *component, ce *checkExpr, name string, bind func(*jen.Group) []jen.Code) jen.Code {
	l := e.l
	call := ce.Call
	return jen.Func().Params(
		jen.Id(l.ctx).Qual("context", "Context"),
		jen.Id(l.ac).Add(e.rt("AuthContext")),
	).Params(jen.Bool(), jen.Error()).BlockFunc(func(g *jen.Group) {
		var args []jen.Code
		if call.Ctx {
			args = append(args, jen.Id(l.ctx))
		}
		args = append(args, jen.Id(l.ac))
		if bind != nil {
			args = append(args, bind(g)...)
		} else {
			args = append(args, e.decodedArgs(c, call)...)
		}
		x := jen.Id(name).Call(args...)
		if call.Err {
			g.Return(x)
		} else {
			g.Return(x, jen.Nil())
		}
	})
}

// decodedArgs are the arguments of a tool's call check, from the values
// the handler decoded.
func (e *emitter) decodedArgs(c *component, call *callCheck) []jen.Code {
	if call.Input {
		if call.InputPtr {
			return []jen.Code{jen.Op("&").Id(e.l.in)}
		}
		return []jen.Code{jen.Id(e.l.in)}
	}
	var out []jen.Code
	for _, a := range call.Args {
		out = append(out, jen.Id(e.l.args).Dot(a.Field))
	}
	return out
}

// entryArgs emits the decoding of a prompt's or template's call check
// arguments from the AuthContext and returns them.
func (e *emitter) entryArgs(g *jen.Group, c *component, call *callCheck) []jen.Code {
	if call.Input {
		g.Var().Id(e.l.in).Add(e.typ(c.Struct))
		g.If(jen.Id(e.l.err).Op(":=").Add(e.rt("ArgumentsInto")).Call(jen.Id(e.l.ac), jen.Op("&").Id(e.l.in)), jen.Id(e.l.err).Op("!=").Nil()).Block(
			jen.Return(jen.False(), jen.Id(e.l.err)),
		)
		if call.InputPtr {
			return []jen.Code{jen.Op("&").Id(e.l.in)}
		}
		return []jen.Code{jen.Id(e.l.in)}
	}
	var out []jen.Code
	for _, a := range call.Args {
		// Prompt arguments are string or *string (optional), template
		// variables string.
		if _, ptr := types.Unalias(a.Type).(*types.Pointer); ptr {
			out = append(out, e.rt("OptionalStringArgument").Call(jen.Id(e.l.ac), jen.Lit(a.Name)))
		} else {
			out = append(out, e.rt("StringArgument").Call(jen.Id(e.l.ac), jen.Lit(a.Name)))
		}
	}
	return out
}
