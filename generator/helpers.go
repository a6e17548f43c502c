package generator

import (
	"github.com/dave/jennifer/jen"
)

// The helpers are small unexported functions emitted into a generated
// file when its wrappers use them, so that the wrappers stay short and the
// generated code needs nothing from the runtime beyond registration.

type helper struct {
	name string
	deps []string
	code func() jen.Code
}

// helperOrder lists the helpers in the order they are emitted.
var helperOrder = []helper{
	{name: "mcpauthBind", deps: []string{"mcpauthJSONType"}, code: bindHelper},
	{name: "mcpauthJSONType", code: jsonTypeHelper},
	{name: "mcpauthText", code: textHelper},
	{name: "mcpauthStructured", code: structuredHelper},
	{name: "mcpauthResult", code: resultResultHelper},
	{name: "mcpauthPromptBind", code: promptBindHelper},
	{name: "mcpauthPromptText", code: promptTextHelper},
	{name: "mcpauthPromptMessages", code: promptMessagesHelper},
	{name: "mcpauthVar", code: varHelper},
	{name: "mcpauthTextContents", code: textContentsHelper},
	{name: "mcpauthBlobContents", code: blobContentsHelper},
	{name: "mcpauthJSONContents", code: jsonContentsHelper},
}

func toolError(msg jen.Code) *jen.Statement {
	return jen.Return(jen.Qual(mcpPath, "NewToolResultError").Call(msg))
}

func sprintf(format string, args ...jen.Code) jen.Code {
	return jen.Qual("fmt", "Sprintf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
}

func bindHelper() jen.Code {
	jsonQ := func(name string) *jen.Statement { return jen.Qual("encoding/json", name) }
	return jen.Comment("mcpauthBind decodes the arguments of req into dst and checks that the").Line().
		Comment("required ones are present. It returns a tool error naming the first bad").Line().
		Comment("argument, or nil.").Line().
		Func().Id("mcpauthBind").Params(
		jen.Id("req").Qual(mcpPath, "CallToolRequest"),
		jen.Id("dst").Any(),
		jen.Id("required").Op("...").String(),
	).Op("*").Qual(mcpPath, "CallToolResult").Block(
		jen.Id("raw").Op(":=").Index().Byte().Parens(jen.Id("req").Dot("Params").Dot("RawArguments")),
		jen.If(jen.Len(jen.Id("raw")).Op("==").Lit(0)).Block(
			jen.List(jen.Id("b"), jen.Err()).Op(":=").Add(jsonQ("Marshal")).Call(jen.Id("req").Dot("Params").Dot("Arguments")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				toolError(jen.Lit("invalid arguments: ").Op("+").Err().Dot("Error").Call()),
			),
			jen.Id("raw").Op("=").Id("b"),
		),
		jen.Var().Id("args").Map(jen.String()).Add(jsonQ("RawMessage")),
		jen.If(jen.Err().Op(":=").Add(jsonQ("Unmarshal")).Call(jen.Id("raw"), jen.Op("&").Id("args")), jen.Err().Op("!=").Nil()).Block(
			toolError(jen.Lit("invalid arguments: want a JSON object")),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("name")).Op(":=").Range().Id("required")).Block(
			jen.If(
				jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("args").Index(jen.Id("name")),
				jen.Op("!").Id("ok").Op("||").String().Call(jen.Id("v")).Op("==").Lit("null"),
			).Block(
				toolError(sprintf("missing required argument %q", jen.Id("name"))),
			),
		),
		jen.Err().Op(":=").Add(jsonQ("Unmarshal")).Call(jen.Id("raw"), jen.Id("dst")),
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Var().Id("te").Op("*").Add(jsonQ("UnmarshalTypeError")),
		jen.If(jen.Qual("errors", "As").Call(jen.Err(), jen.Op("&").Id("te")).Op("&&").Id("te").Dot("Field").Op("!=").Lit("")).Block(
			toolError(sprintf("invalid argument %q: want %s, got %s", jen.Id("te").Dot("Field"), jen.Id("mcpauthJSONType").Call(jen.Id("te").Dot("Type")), jen.Id("te").Dot("Value"))),
		),
		jen.Comment("A type that decodes itself, such as time.Time, says not which"),
		jen.Comment("argument it refused: decode them one by one to find out."),
		jen.For(jen.List(jen.Id("_"), jen.Id("name")).Op(":=").Range().Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(jen.Id("args")))).Block(
			jen.List(jen.Id("one"), jen.Id("_")).Op(":=").Add(jsonQ("Marshal")).Call(jen.Map(jen.String()).Add(jsonQ("RawMessage")).Values(jen.Id("name").Op(":").Id("args").Index(jen.Id("name")))),
			jen.Id("fresh").Op(":=").Qual("reflect", "New").Call(jen.Qual("reflect", "TypeOf").Call(jen.Id("dst")).Dot("Elem").Call()).Dot("Interface").Call(),
			jen.If(jen.Err().Op(":=").Add(jsonQ("Unmarshal")).Call(jen.Id("one"), jen.Id("fresh")), jen.Err().Op("!=").Nil()).Block(
				toolError(sprintf("invalid argument %q: %v", jen.Id("name"), jen.Err())),
			),
		),
		toolError(jen.Lit("invalid arguments: ").Op("+").Err().Dot("Error").Call()),
	)
}

func jsonTypeHelper() jen.Code {
	kind := func(names ...string) []jen.Code {
		var out []jen.Code
		for _, n := range names {
			out = append(out, jen.Qual("reflect", n))
		}
		return out
	}
	return jen.Comment("mcpauthJSONType names the JSON type that decodes into t.").Line().
		Func().Id("mcpauthJSONType").Params(jen.Id("t").Qual("reflect", "Type")).String().Block(
		jen.Switch(jen.Id("t").Dot("Kind").Call()).Block(
			jen.Case(kind("Bool")...).Return(jen.Lit("boolean")),
			jen.Case(kind("Int", "Int8", "Int16", "Int32", "Int64", "Uint", "Uint8", "Uint16", "Uint32", "Uint64")...).Return(jen.Lit("integer")),
			jen.Case(kind("Float32", "Float64")...).Return(jen.Lit("number")),
			jen.Case(kind("String")...).Return(jen.Lit("string")),
			jen.Case(kind("Slice", "Array")...).Return(jen.Lit("array")),
			jen.Case(kind("Map", "Struct")...).Return(jen.Lit("object")),
			jen.Case(kind("Pointer")...).Return(jen.Id("mcpauthJSONType").Call(jen.Id("t").Dot("Elem").Call())),
		),
		jen.Return(jen.Id("t").Dot("String").Call()),
	)
}

// resultHelper emits func name(out T, err error) (R, error), which
// returns the handler's error as onErr does and converts out with body.
func resultHelper(doc []string, name string, out jen.Code, result jen.Code, onErr jen.Code, body ...jen.Code) jen.Code {
	st := jen.Null()
	for _, d := range doc {
		st.Comment(d).Line()
	}
	return st.Func().Id(name).Params(jen.Id("out").Add(out), jen.Err().Error()).Params(result, jen.Error()).Block(
		append([]jen.Code{jen.If(jen.Err().Op("!=").Nil()).Block(onErr)}, body...)...,
	)
}

func toolResult() jen.Code { return jen.Op("*").Qual(mcpPath, "CallToolResult") }

// toolErr makes a handler's error a tool result with isError set, which
// the model reads, as FastMCP reports a failing tool.
func toolErr() jen.Code {
	return jen.Return(jen.Qual(mcpPath, "NewToolResultError").Call(jen.Err().Dot("Error").Call()), jen.Nil())
}

func textHelper() jen.Code {
	return resultHelper([]string{
		"mcpauthText returns a tool handler's text as the result. A handler's error",
		"is a result too, flagged isError, so that the model can read it.",
	}, "mcpauthText", jen.String(), toolResult(), toolErr(),
		jen.Return(jen.Qual(mcpPath, "NewToolResultText").Call(jen.Id("out")), jen.Nil()))
}

func resultResultHelper() jen.Code {
	return resultHelper([]string{
		"mcpauthResult returns a tool handler's own result, or its error as an",
		"isError result.",
	}, "mcpauthResult", toolResult(), toolResult(), toolErr(),
		jen.Return(jen.Id("out"), jen.Nil()))
}

func structuredHelper() jen.Code {
	return resultHelper([]string{
		"mcpauthStructured returns a tool handler's value as structured content",
		"along with its JSON text, or its error as an isError result. Structured",
		`content is an object: any other value is wrapped as {"result": value}.`,
	}, "mcpauthStructured", jen.Any(), toolResult(), toolErr(),
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("out")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual(mcpPath, "NewToolResultError").Call(jen.Lit("cannot encode the result: ").Op("+").Err().Dot("Error").Call()), jen.Nil()),
		),
		jen.If(jen.Id("b").Index(jen.Lit(0)).Op("==").LitRune('{')).Block(
			jen.Return(jen.Qual(mcpPath, "NewToolResultStructured").Call(jen.Id("out"), jen.String().Call(jen.Id("b"))), jen.Nil()),
		),
		jen.Return(jen.Qual(mcpPath, "NewToolResultStructured").Call(
			jen.Map(jen.String()).Any().Values(jen.Lit("result").Op(":").Id("out")),
			jen.String().Call(jen.Id("b")),
		), jen.Nil()),
	)
}

func promptResult() jen.Code { return jen.Op("*").Qual(mcpPath, "GetPromptResult") }

func promptTextHelper() jen.Code {
	return resultHelper([]string{
		"mcpauthPromptText returns a prompt handler's text as a user message.",
	}, "mcpauthPromptText", jen.String(), promptResult(), jen.Return(jen.Nil(), jen.Err()),
		jen.Return(jen.Op("&").Qual(mcpPath, "GetPromptResult").Values(jen.Id("Messages").Op(":").Index().Qual(mcpPath, "PromptMessage").Values(
			jen.Qual(mcpPath, "NewPromptMessage").Call(jen.Qual(mcpPath, "RoleUser"), jen.Qual(mcpPath, "NewTextContent").Call(jen.Id("out"))),
		)), jen.Nil()))
}

func promptMessagesHelper() jen.Code {
	return resultHelper([]string{
		"mcpauthPromptMessages returns a prompt handler's messages.",
	}, "mcpauthPromptMessages", jen.Index().Qual(mcpPath, "PromptMessage"), promptResult(), jen.Return(jen.Nil(), jen.Err()),
		jen.Return(jen.Op("&").Qual(mcpPath, "GetPromptResult").Values(jen.Id("Messages").Op(":").Id("out")), jen.Nil()))
}

// contentsHelper emits func name(req, mime, out T, err) for resources,
// whose contents name the URI that was read.
func contentsHelper(doc []string, name string, out jen.Code, body ...jen.Code) jen.Code {
	st := jen.Null()
	for _, d := range doc {
		st.Comment(d).Line()
	}
	return st.Func().Id(name).Params(
		jen.Id("req").Qual(mcpPath, "ReadResourceRequest"), jen.Id("mime").String(), jen.Id("out").Add(out), jen.Err().Error(),
	).Params(jen.Index().Qual(mcpPath, "ResourceContents"), jen.Error()).Block(
		append([]jen.Code{jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))}, body...)...,
	)
}

func contents(typ string, fields ...jen.Code) jen.Code {
	return jen.Return(jen.Index().Qual(mcpPath, "ResourceContents").Values(
		jen.Qual(mcpPath, typ).Values(append([]jen.Code{
			jen.Id("URI").Op(":").Id("req").Dot("Params").Dot("URI"),
			jen.Id("MIMEType").Op(":").Id("mime"),
		}, fields...)...),
	), jen.Nil())
}

func textContentsHelper() jen.Code {
	return contentsHelper([]string{"mcpauthTextContents returns a resource handler's text as the contents."},
		"mcpauthTextContents", jen.String(), contents("TextResourceContents", jen.Id("Text").Op(":").Id("out")))
}

func blobContentsHelper() jen.Code {
	return contentsHelper([]string{"mcpauthBlobContents returns a resource handler's bytes as the contents, in base64."},
		"mcpauthBlobContents", jen.Index().Byte(), contents("BlobResourceContents",
			jen.Id("Blob").Op(":").Qual("encoding/base64", "StdEncoding").Dot("EncodeToString").Call(jen.Id("out"))))
}

func jsonContentsHelper() jen.Code {
	return contentsHelper([]string{"mcpauthJSONContents returns a resource handler's value, encoded as JSON, as the contents."},
		"mcpauthJSONContents", jen.Any(),
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("out")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		contents("TextResourceContents", jen.Id("Text").Op(":").String().Call(jen.Id("b"))))
}

func promptBindHelper() jen.Code {
	return jen.Comment("mcpauthPromptBind checks that the required arguments of req are present").Line().
		Comment("and copies its arguments into dst.").Line().
		Func().Id("mcpauthPromptBind").Params(
		jen.Id("req").Qual(mcpPath, "GetPromptRequest"),
		jen.Id("dst").Any(),
		jen.Id("required").Op("...").String(),
	).Error().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("name")).Op(":=").Range().Id("required")).Block(
			jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("req").Dot("Params").Dot("Arguments").Index(jen.Id("name")), jen.Op("!").Id("ok")).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("missing required argument %q"), jen.Id("name"))),
			),
		),
		jen.List(jen.Id("b"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("req").Dot("Params").Dot("Arguments")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Return(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("b"), jen.Id("dst"))),
	)
}

func varHelper() jen.Code {
	return jen.Comment("mcpauthVar returns the value of the URI template variable name.").Line().
		Func().Id("mcpauthVar").Params(jen.Id("req").Qual(mcpPath, "ReadResourceRequest"), jen.Id("name").String()).String().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("req").Dot("Params").Dot("Arguments").Index(jen.Id("name")).Assert(jen.Type())).Block(
			jen.Case(jen.String()).Return(jen.Id("v")),
			jen.Case(jen.Index().String()).Return(jen.Qual("strings", "Join").Call(jen.Id("v"), jen.Lit(","))),
		),
		jen.Return(jen.Lit("")),
	)
}
