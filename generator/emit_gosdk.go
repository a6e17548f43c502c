package generator

import (
	"github.com/dave/jennifer/jen"
)

// The go-sdk backend: Register takes a *gosdk.Server, components are the
// go-sdk's structs, and tools use the SDK's typed handler form
// (mcp.ToolHandlerFor) with the generator's own static input schema, which
// the SDK validates arguments against before decoding them into the
// wrapper's input. Everything else (names, descriptions, schemas, checks,
// tags, result conversions) is the model the mcp-go backend emits from.

// registerGoSDK emits the registration of c on a *gosdk.Server.
func (e *emitter) registerGoSDK(g *jen.Group, srv string, c *component) {
	sdk := func(name string) *jen.Statement { return jen.Qual(goSDKPath, name) }
	var items []jen.Code
	add := func(name string, value jen.Code) { items = append(items, field(name, value)) }
	switch c.Kind {
	case kindTool:
		add("Name", jen.Lit(c.Name))
		if c.Title != "" {
			add("Title", jen.Lit(c.Title))
		}
		if c.Description != "" {
			add("Description", jen.Lit(c.Description))
		}
		add("InputSchema", jen.Qual("encoding/json", "RawMessage").Call(rawString(c.Schema)))
		var hints []jen.Code
		if c.Title != "" {
			hints = append(hints, field("Title", jen.Lit(c.Title)))
		}
		if c.Hints.ReadOnly {
			hints = append(hints, field("ReadOnlyHint", jen.True()))
		}
		if c.Hints.Destructive {
			hints = append(hints, field("DestructiveHint", e.rt("Hint").Call(jen.True())))
		}
		if c.Hints.Idempotent {
			hints = append(hints, field("IdempotentHint", jen.True()))
		}
		if c.Hints.OpenWorld {
			hints = append(hints, field("OpenWorldHint", e.rt("Hint").Call(jen.True())))
		}
		if len(hints) > 0 {
			add("Annotations", jen.Op("&").Add(sdk("ToolAnnotations")).Add(multi("{", "}", hints...)))
		}
	case kindResource, kindTemplate:
		if c.Kind == kindResource {
			add("URI", jen.Lit(c.URI))
		} else {
			add("URITemplate", jen.Lit(c.URI))
		}
		add("Name", jen.Lit(c.Name))
		if c.Title != "" {
			add("Title", jen.Lit(c.Title))
		}
		if c.Description != "" {
			add("Description", jen.Lit(c.Description))
		}
		add("MIMEType", jen.Lit(c.MIME))
	case kindPrompt:
		add("Name", jen.Lit(c.Name))
		if c.Title != "" {
			add("Title", jen.Lit(c.Title))
		}
		if c.Description != "" {
			add("Description", jen.Lit(c.Description))
		}
		if len(c.Args) > 0 {
			var args []jen.Code
			for _, a := range c.Args {
				fields := []jen.Code{field("Name", jen.Lit(a.Name))}
				if a.Description != "" {
					fields = append(fields, field("Description", jen.Lit(a.Description)))
				}
				if a.Required {
					fields = append(fields, field("Required", jen.True()))
				}
				args = append(args, jen.Add(multi("{", "}", fields...)))
			}
			add("Arguments", jen.Index().Op("*").Add(sdk("PromptArgument")).Add(multi("{", "}", args...)))
		}
	}
	typ := map[compKind]string{kindTool: "Tool", kindResource: "Resource", kindTemplate: "ResourceTemplate", kindPrompt: "Prompt"}[c.Kind]
	def := jen.Op("&").Add(sdk(typ)).Add(multi("{", "}", items...))
	var opts []jen.Code
	for _, t := range c.Auth {
		switch {
		case t.Check != nil && t.Check.Call != nil:
			// A tool's call checks run in its handler (toolCallWrapperGoSDK),
			// the others' are registered by callOptions.
		case t.Scopes != nil:
			opts = append(opts, e.rt("WithScopes").Call(lits(t.Scopes)...))
		default:
			// roles(…), check(…) and any(…) (which validation keeps free of
			// call checks), named as written in decisions.
			opts = append(opts, e.rt("WithRule").Call(jen.Lit(t.String()), e.authCheck(t)))
		}
	}
	opts = append(opts, e.callOptions(c)...)
	if len(c.Tags) > 0 {
		opts = append(opts, e.rt("WithTags").Call(lits(c.Tags)...))
	}
	switch c.Kind {
	case kindTool:
		if len(c.callChecks()) > 0 {
			g.Add(e.rt("AddToolCall")).Call(append([]jen.Code{jen.Id(srv), def, jen.Id(e.wrappers[c]).Call()}, opts...)...)
			break
		}
		g.Add(e.rt("AddTool")).Call(append([]jen.Code{jen.Id(srv), def, jen.Id(e.wrappers[c])}, opts...)...)
	case kindResource:
		g.Id(srv).Dot("AddResource").Call(append([]jen.Code{def, jen.Id(e.wrappers[c])}, opts...)...)
	case kindTemplate:
		g.Id(srv).Dot("AddResourceTemplate").Call(append([]jen.Code{def, jen.Id(e.wrappers[c])}, opts...)...)
	case kindPrompt:
		g.Id(srv).Dot("AddPrompt").Call(append([]jen.Code{def, jen.Id(e.wrappers[c])}, opts...)...)
	}
}

// wrapperGoSDK emits the handler the go-sdk calls for c: a typed tool
// handler whose input is the handler's argument struct (or a struct of its
// named parameters), or a prompt or resource handler that decodes the
// request; each calls the annotated function and converts its result.
func (e *emitter) wrapperGoSDK(c *component) *jen.Statement {
	e.l = e.localsFor(c)
	sdk := func(name string) *jen.Statement { return jen.Qual(goSDKPath, name) }
	ctx := jen.Id(e.l.ctx).Qual("context", "Context")
	params := []jen.Code{ctx}
	var result jen.Code
	var callArgs []jen.Code
	var input, inputType jen.Code // a tool's
	switch c.Kind {
	case kindTool:
		params = append(params, jen.Id(e.l.req).Op("*").Add(sdk("CallToolRequest")))
		switch c.Params {
		case paramNone:
			input, inputType = jen.Id("_"), jen.Struct()
		case paramStruct:
			input, inputType = jen.Id(e.l.in), e.typ(c.Struct)
			if c.StructPtr {
				callArgs = []jen.Code{jen.Op("&").Id(e.l.in)}
			} else {
				callArgs = []jen.Code{jen.Id(e.l.in)}
			}
		case paramNamed:
			var fields []jen.Code
			for _, a := range c.Args {
				fields = append(fields, jen.Id(a.Field).Add(e.typ(a.Type)).Tag(map[string]string{"json": a.Name}))
				callArgs = append(callArgs, jen.Id(e.l.args).Dot(a.Field))
			}
			input, inputType = jen.Id(e.l.args), jen.Struct(fields...)
		}
		params = append(params, jen.Add(input).Add(inputType))
		result = jen.Params(jen.Op("*").Add(sdk("CallToolResult")), jen.Any(), jen.Error())
	case kindResource, kindTemplate:
		params = append(params, jen.Id(e.l.req).Op("*").Add(sdk("ReadResourceRequest")))
		result = jen.Params(jen.Op("*").Add(sdk("ReadResourceResult")), jen.Error())
		for _, a := range c.Args {
			callArgs = append(callArgs, e.rt("TemplateVar").Call(jen.Id(e.l.ctx), jen.Lit(a.Name)))
		}
	case kindPrompt:
		params = append(params, jen.Id(e.l.req).Op("*").Add(sdk("GetPromptRequest")))
		result = jen.Params(jen.Op("*").Add(sdk("GetPromptResult")), jen.Error())
	}
	body := func(g *jen.Group) {
		if c.Kind == kindPrompt {
			callArgs = e.decodePrompt(g, c)
		}
		if c.Ctx {
			callArgs = append([]jen.Code{jen.Id(e.l.ctx)}, callArgs...)
		}
		e.resultGoSDK(g, c, jen.Id(c.Func).Call(callArgs...))
	}
	if c.Kind == kindTool && len(c.callChecks()) > 0 {
		return e.toolCallWrapperGoSDK(c, input, inputType, result, body)
	}
	return jen.Commentf("%s serves the %s %s with %s.", e.wrappers[c], c.Kind, c.Name, c.Func).Line().
		Func().Id(e.wrappers[c]).Params(params...).Add(result).BlockFunc(body)
}

// toolCallWrapperGoSDK emits the function that returns the handler of a
// tool with call checks (a gosdk.ToolCallHandler of the tool's input):
// the checks run on the input the SDK decoded, in the order written, then
// body calls the annotated function.
func (e *emitter) toolCallWrapperGoSDK(c *component, input, inputType, result jen.Code, body func(*jen.Group)) *jen.Statement {
	l := e.l
	return jen.Commentf("%s returns the handler of the tool %s: it serves it with %s", e.wrappers[c], c.Name, c.Func).Line().
		Comment("once the call checks pass. The checks are evaluated once, when Register runs.").Line().
		Func().Id(e.wrappers[c]).Params().Add(e.rt("ToolCallHandler").Types(inputType)).BlockFunc(func(g *jen.Group) {
		e.evalChecks(g, c)
		g.Return(jen.Func().Params(
			jen.Id(l.ctx).Qual("context", "Context"),
			jen.Id(l.ac).Add(e.rt("AuthContext")),
			jen.Id(l.req).Op("*").Qual(goSDKPath, "CallToolRequest"),
			jen.Add(input).Add(inputType),
		).Add(result).BlockFunc(func(g *jen.Group) {
			for i, ce := range c.callChecks() {
				g.If(
					jen.Id(l.res).Op(":=").Add(e.rt("ToolCallCheck")).Call(
						jen.Id(l.ctx), jen.Id(l.ac), jen.Lit("check("+ce.Text+")"),
						e.checkFunc(c, ce, l.checks[i], nil),
					),
					jen.Id(l.res).Op("!=").Nil(),
				).Block(jen.Return(jen.Id(l.res), jen.Nil(), jen.Nil()))
			}
			body(g)
		}))
	})
}

// decodePrompt emits the decoding of a prompt's arguments and returns the
// arguments of the call to the annotated function.
func (e *emitter) decodePrompt(g *jen.Group, c *component) []jen.Code {
	var dst jen.Code
	var call []jen.Code
	switch c.Params {
	case paramNone:
		return nil
	case paramStruct:
		g.Var().Id(e.l.in).Add(e.typ(c.Struct))
		dst = jen.Op("&").Id(e.l.in)
		if c.StructPtr {
			call = []jen.Code{jen.Op("&").Id(e.l.in)}
		} else {
			call = []jen.Code{jen.Id(e.l.in)}
		}
	case paramNamed:
		var fields []jen.Code
		for _, a := range c.Args {
			fields = append(fields, jen.Id(a.Field).Add(e.typ(a.Type)).Tag(map[string]string{"json": a.Name}))
			call = append(call, jen.Id(e.l.args).Dot(a.Field))
		}
		g.Var().Id(e.l.args).Struct(fields...)
		dst = jen.Op("&").Id(e.l.args)
	}
	bindArgs := append([]jen.Code{jen.Id(e.l.req), dst}, lits(c.Required)...)
	g.If(jen.Id(e.l.err).Op(":=").Add(e.rt("BindPromptArguments")).Call(bindArgs...), jen.Id(e.l.err).Op("!=").Nil()).Block(
		jen.Return(jen.Nil(), jen.Id(e.l.err)),
	)
	return call
}

// resultGoSDK emits the return of a go-sdk wrapper, as result does for
// mcp-go: the annotated function's result converted by the adapter of its
// kind and result type.
func (e *emitter) resultGoSDK(g *jen.Group, c *component, call *jen.Statement) {
	resource := c.Kind == kindResource || c.Kind == kindTemplate
	adapterArgs := func(out jen.Code) []jen.Code {
		if resource {
			return []jen.Code{jen.Id(e.l.req), jen.Lit(c.MIME), out, jen.Id(e.l.err)}
		}
		return []jen.Code{out, jen.Id(e.l.err)}
	}
	switch c.Result {
	case resultTextPtr:
		adapter := map[compKind]string{kindTool: "TextResult", kindPrompt: "PromptText", kindResource: "TextContents", kindTemplate: "TextContents"}[c.Kind]
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.If(jen.Id(e.l.out).Op("==").Nil()).Block(jen.Return(e.rt(adapter).Call(adapterArgs(jen.Lit(""))...)))
		g.Return(e.rt(adapter).Call(adapterArgs(jen.Op("*").Id(e.l.out))...))
		return
	case resultToolResultValue:
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.Return(e.rt("ToolResult").Call(jen.Op("&").Id(e.l.out), jen.Id(e.l.err)))
		return
	case resultPromptValue:
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.If(jen.Id(e.l.err).Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id(e.l.err)))
		g.Return(jen.Op("&").Id(e.l.out), jen.Nil())
		return
	case resultContents, resultPrompt:
		g.Return(call) // already the wrapper's results
		return
	}
	var adapter string
	switch c.Kind {
	case kindTool:
		adapter = map[resultKind]string{resultText: "TextResult", resultToolResult: "ToolResult"}[c.Result]
		if adapter == "" {
			adapter = "StructuredResult"
		}
	case kindPrompt:
		adapter = "PromptMessages"
		if c.Result == resultText {
			adapter = "PromptText"
		}
	default:
		adapter = map[resultKind]string{resultText: "TextContents", resultBlob: "BlobContents"}[c.Result]
		if adapter == "" {
			adapter = "JSONContents"
		}
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.Return(e.rt(adapter).Call(adapterArgs(jen.Id(e.l.out))...))
		return
	}
	g.Return(e.rt(adapter).Call(call))
}
