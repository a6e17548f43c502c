package generator

import (
	"go/token"
	"go/types"
)

// The model sits between validation and emission: validate.go fills it
// from the annotations and go/types, emit.go prints it with jennifer. Every
// decision about what the generated code does is made while filling it, so
// emission is a plain walk.

// pkgFile is the generated file of one package.
type pkgFile struct {
	Types      *types.Package // the annotated package
	Path       string         // absolute path of the generated file
	Register   string         // name of the registration function
	Backend    string         // BackendMCPGo or BackendGoSDK
	Vocabulary []string       // the //mcp:scopes vocabulary, in source order
	Roles      []string       // the //mcp:roles vocabulary, in source order
	Components []*component   // in source order
}

// compKind is the kind of a component as registered.
type compKind int

const (
	kindTool compKind = iota + 1
	kindResource
	kindTemplate
	kindPrompt
)

func (k compKind) String() string {
	switch k {
	case kindTool:
		return "tool"
	case kindResource, kindTemplate:
		return "resource"
	case kindPrompt:
		return "prompt"
	}
	return "?"
}

// label names the kind for people: "resource template" apart from
// "resource", unlike String, which names the directive.
func (k compKind) label() string {
	if k == kindTemplate {
		return "resource template"
	}
	return k.String()
}

// component is one annotated function.
type component struct {
	Kind        compKind
	Func        string         // the handler's Go name
	Source      string         // "file.go:line" of the directive
	Pos         token.Position // of the directive's "//"
	Name        string         // MCP name
	URI         string         // resource URI or template
	Title       string
	Description string
	MIME        string // resources: the MIME type of the contents
	Auth        []authTerm
	Public      bool   // auth=public
	AuthText    string // auth= in canonical form; "" when absent
	Tags        []string
	Hints       toolHints

	Ctx    bool      // the handler takes a context.Context first
	Params paramMode // how the request's arguments reach the handler
	// Struct is the struct type whose fields are the arguments
	// (paramStruct); StructPtr reports that the handler takes a pointer.
	Struct    types.Type
	StructPtr bool
	Args      []arg    // named parameters (paramNamed), template variables (resources), or prompt arguments
	Required  []string // tools and prompts: the required arguments, in declaration order
	Schema    string   // tools: the input schema, indented JSON
	Result    resultKind
	// ResultType is the handler's first result type.
	ResultType types.Type

	namePos, uriPos token.Position // where duplicates are reported
}

// toolHints are the MCP tool annotation hints a directive sets; unset
// hints are left out, so clients apply the MCP defaults.
type toolHints struct {
	ReadOnly, Destructive, Idempotent, OpenWorld bool
}

// paramMode says how a handler receives its arguments.
type paramMode int

const (
	paramNone   paramMode = iota // no arguments
	paramStruct                  // one struct whose fields are the arguments
	paramNamed                   // one argument per parameter
)

// arg is one argument the handler takes as a parameter.
type arg struct {
	Name        string     // MCP argument name (or template variable)
	Field       string     // field of the generated argument struct
	Type        types.Type // the parameter's type
	Param       *types.Var // the handler's parameter, for named parameters
	Required    bool
	Description string // prompts
}

// resultKind says what a handler returns and how the wrapper turns it
// into an MCP result.
type resultKind int

const (
	resultText            resultKind = iota + 1 // string: text content
	resultJSON                                  // any other type: JSON (tools: structured content plus its text)
	resultToolResult                            // *mcp.CallToolResult, as is
	resultBlob                                  // resources: []byte
	resultMessages                              // prompts: []mcp.PromptMessage
	resultPrompt                                // prompts: *mcp.GetPromptResult, as is
	resultTextPtr                               // *string: text content, "" when nil
	resultToolResultValue                       // tools: mcp.CallToolResult, as is
	resultPromptValue                           // prompts: mcp.GetPromptResult, as is
	resultContents                              // resources: []mcp.ResourceContents, as is
)

// authTerm is one term of auth=: a scope set, a role set, a check
// expression, or any(…) of terms. Exactly one field is set.
type authTerm struct {
	Scopes []string // scopes(…)
	Roles  []string // roles(…)
	Check  *checkExpr
	Any    []authTerm // any(…): at least two terms
}

// checkExpr is the expression of check(…), split so that references to
// imported packages can be re-qualified in the generated file, whose
// imports differ from those of the annotated file.
type checkExpr struct {
	Text  string // the expression as written (trimmed of blanks)
	Parts []exprPart
	// Direct is set when the expression is a runtime.Checker, which
	// WithRule takes without runtime.Check.
	Direct bool
	// MayPanic is set when evaluating the expression may panic (it is
	// more than a possibly qualified identifier); Pos, "file.go:line:col"
	// of the expression, then names it in the panic.
	MayPanic bool
	Pos      string
	// Call is set for a call check, which takes the handler's arguments
	// after the runtime.AuthContext (see calls.go).
	Call *callCheck
}

// exprPart is verbatim source text, or a package-level object of another
// package (Path set) to be written as a qualified identifier.
type exprPart struct {
	Text string
	Path string // import path of the object's package
	Pkg  string // that package's name
}
