// Package generator turns //mcp: annotations on Go functions into
// registration code for the mcpauthgen runtime: typed wrappers that decode
// MCP requests, call the annotated functions and encode their results, and
// a Register function that adds every component to a *runtime.Server with
// its authorization checks. The mcpauthgen command is a thin layer over
// Generate.
//
// The pipeline is visible in the files: load.go loads the packages once
// and finds the directive lines, which the annotations package parses;
// validate.go checks handlers and check expressions with go/types and
// fills the model of model.go; schema.go derives input schemas; emit.go
// prints the model with jennifer, and report.go turns the same model into
// the authorization matrix. Generate returns the files and
// Report the matrix; neither writes anything.
//
// # Handlers
//
// A handler may take a context.Context first. The rest of its signature
// depends on its kind.
//
// A tool takes no arguments, one struct (or pointer to struct) whose
// fields are the arguments, or named parameters, each an argument. A
// single parameter of a struct type that decodes itself (time.Time, or one
// implementing json.Unmarshaler or encoding.TextUnmarshaler) is a named
// parameter. Argument names:
//
//   - struct fields are named as encoding/json names them: the json tag's
//     name, else the field name as it is; embedded structs are flattened and
//     conflicts resolved as encoding/json does, since the wrapper decodes
//     the arguments into the struct with encoding/json;
//   - named parameters are named in snake_case, as tools are (userID is
//     user_id); two parameters with the same snake_case name are an error.
//
// An argument is required unless it is a pointer or its json tag says
// omitempty or omitzero. The input schema lists properties in declaration
// order and required arguments in the same order.
//
// A tool returns (R, error). R is a string type or a pointer to one (text
// content; nil is empty text), *mcp.CallToolResult or mcp.CallToolResult
// (returned as it is), or any other type encoding/json can encode: its JSON text plus structured content, which is the value
// when its JSON is an object and {"result": value} otherwise (structured
// content is an object, as FastMCP wraps non-object results).
//
// A resource takes no arguments; a resource template takes one string
// parameter per variable of its URI, named like the variable. It returns
// (string | []byte | T, error): a string type gives text contents (MIME
// type text/plain unless mime= says otherwise), a byte slice type a base64
// blob (application/octet-stream), []mcp.ResourceContents the contents as
// they are, any other type its JSON text (application/json;
// json.RawMessage included). A *string is text, nil empty.
//
// A prompt takes named string or *string parameters, or one struct whose
// fields are all string or *string; they are its arguments, named as for
// tools, required unless pointers (or omitempty). It returns a string (one
// user message; a nil *string is empty), []mcp.PromptMessage, or
// *mcp.GetPromptResult or mcp.GetPromptResult (as it is). Any other mcp-go
// type as a result is an error, as is a parameter whose type is a
// server-side value (runtime.AccessToken, runtime.AuthContext, a
// context.Context other than the first parameter, an mcp-go request),
// even inside an input struct: clients would supply it.
//
// Unexported handlers are fine: the generated file belongs to the same
// package.
//
// # Errors at run time
//
// The wrappers decode and encode with the runtime's adapters
// (runtime.BindArguments, runtime.TextResult, runtime.JSONContents and
// the like; see "Adapting handlers" in the runtime's documentation), so
// they behave as follows.
//
// A tool's arguments are decoded from the request with encoding/json (from
// the raw JSON when the request has it, so large integers stay exact).
// A missing (or null) required argument, a wrong type or an undecodable
// value is answered with a tool result flagged isError, naming the
// argument:
//
//	missing required argument "id"
//	invalid argument "count": want integer, got string
//	invalid argument "page.offset": want integer, got number -1
//	invalid argument "since": parsing time "yesterday" as ...
//
// Arguments the tool does not know are ignored, and only top-level
// required arguments are checked; mcp-go's server.WithInputSchemaValidation
// validates the whole schema for those who want it.
//
// A tool handler's error is likewise a result flagged isError with the
// error's text, so that the model can read it and correct itself (as
// FastMCP reports a failing tool). A resource or prompt handler's error,
// and a prompt's missing required argument, is a JSON-RPC error, as mcp-go
// reports them.
//
// # Input schemas
//
// bool is boolean; integer types are integer (unsigned ones with minimum
// 0); floats are number; strings and types implementing
// encoding.TextUnmarshaler are string; time.Time is a string of format
// date-time; []byte is a base64 string; other slices and arrays are arrays
// (arrays with minItems and maxItems of their length); maps are objects
// whose additionalProperties are their values (none for interface values;
// integer keys as patternProperties "^[0-9]+$"); structs are objects;
// pointers are their element type; json.RawMessage, empty interfaces and
// types implementing json.Unmarshaler accept anything ({}); json.Number is
// number; a ",string" field is a string. Channels, functions, complex
// numbers, non-empty interfaces, other map keys, recursive types and types
// with an invopop/jsonschema hook method (JSONSchema and the like) are
// errors.
//
// The package's //mcp:schema line chooses the conventions (see
// annotations.Schema); without one, invopop's struct tags apply, a field
// is required unless it is a pointer or omitempty/omitzero (or tagged
// jsonschema:"required"), and objects are open. Under invopop, the
// jsonschema tag's keywords (required, nullable, -, title=, description=,
// enum=, default=, example=, the numeric, string and array bounds,
// pattern=, format=, readOnly=, writeOnly=) set the property's keywords,
// values typed by its type, as github.com/invopop/jsonschema v0.14 does,
// and jsonschema_description and jsonschema_extras are read; under gosdk,
// the jsonschema tag is the description and types map as
// github.com/google/jsonschema-go v0.4 maps them (pointers and slices may
// be null, sized integers have bounds, time.Time has no format). A
// malformed tag, or a keyword that does not apply to the property's type,
// is an error at the tag. A property without a description from its tags
// takes its field's doc comment, else its line comment. The README lists
// where the schemas deliberately differ from the libraries'; a
// differential test holds the rest equal.
//
// # Authorization
//
// The terms of auth= become options of the registration, in the order
// written: scopes(a,b) is runtime.WithScopes("a", "b"); check(EXPR) is
// runtime.WithRule("check(EXPR)", EXPR) when EXPR is a runtime.Checker (a
// runtime.AuthCheck, a built-in check, or a value of the program's own
// type with a Check method), else runtime.WithRule("check(EXPR)",
// runtime.Check(EXPR)), which also takes named function types of the
// accepted shapes; roles(a,b) is runtime.WithRule("roles(a,b)",
// runtime.RequireRoles("a", "b")); any(t1,t2) is
// runtime.WithRule("any(t1,t2)", runtime.AnyOf(T1, T2)), where each term
// is the check it stands for (runtime.RequireScopes, runtime.RequireRoles,
// the check expression, a nested runtime.AnyOf); public adds nothing.
// tags= is runtime.WithTags. The rule text is the term as written, so that
// authorization decisions (runtime.Decision) name the rule that decided as
// the annotation states it; the runtime names scopes(a,b) itself.
//
// A check(EXPR) whose function takes, after the optional context.Context
// and the runtime.AuthContext, more parameters is a call check, bound to
// the handler's arguments (calls.go): its input struct (value or pointer),
// or named parameters matched by name and identical type (a subset, in any
// order). A tool with call checks is registered with Server.AddToolCall
// and a handler that runs them with runtime.ToolCallCheck on the decoded
// arguments, before calling the function; a prompt's or template's call
// checks are bound to runtime.StringArgument (or ArgumentsInto for an input
// struct) and registered with runtime.WithCallChecks, named as written with
// runtime.WithCallRules (ToolCallCheck is given the name too), so that
// decisions name the call check that denied. On the go-sdk backend the
// same names of package gosdk are used, and a tool's handler is a
// gosdk.ToolCallHandler of the input the SDK decodes, registered with
// gosdk.AddToolCall (emit_gosdk.go). The expressions are
// evaluated once, when Register runs. A call check cannot be a term of
// any(…), at any depth: an alternative is judged for lists too, where
// there are no arguments, and a call check runs only on a call, after the
// other checks. It is an error at EXPR that says to write the call check
// outside any(…), or to fold the alternatives into one call check (roles
// with AuthContext.HasRole, scopes with AccessToken.HasScope).
//
// EXPR is type-checked in the scope of the annotated file (its imports
// included) and rejected unless it is a runtime.Checker (its type's method
// set, not its pointer's, has Check(context.Context, runtime.AuthContext)
// (bool, error)) or of one of the shapes runtime.Check accepts. A package
// name the file does not import (because nothing else in it uses the
// package) is looked up among the package's dependencies, where exactly
// one package must have that name. In the generated file, references to
// other packages are re-qualified with the generated file's own imports,
// so that aliases and dot imports of the annotated file work.
//
// EXPR is evaluated once, when Register runs. One that could panic there
// (anything but a possibly qualified identifier: a call, a method value)
// is wrapped in runtime.CheckAt, which names the annotation's position and
// expression in the panic.
//
// With a scope vocabulary, every scope of scopes(…), and every string
// literal passed to runtime.RequireScopes or as a scope to
// runtime.RestrictTag inside check(…), must be in it. A package's
// vocabulary is the scopes of all the //mcp:scopes lines of the packages
// of its module in the run (a scope may be listed on several lines). A scope outside it is an error at the scope,
// suggesting the closest one (annotations.Suggest) or listing the
// vocabulary. Without one, any scope goes. Tags and //mcp:tags lines, and
// the tag passed to runtime.RestrictTag, follow the same rules, and so do
// roles: //mcp:roles lines, the roles of roles(…) terms (inside any(…)
// too) and string literals passed to runtime.RequireRoles in check(…).
// The same functions of package gosdk (or authz) are checked alike.
//
// A package's //mcp:policies FILE.cedar lines name Cedar policy files,
// which are validated against the Cedar schema of its components
// (CedarSchema; the entity model is runtime/cedarauth's) and of the schema
// files of its own entity types the lines name (a file may declare entity
// types other than those derived, not actions; the principal may be a
// member of any of them): cedar-go's
// validator in strict mode, after checks that every tool, prompt, resource
// and action a policy names, and every tag it tests with
// resource.tags.contains (or containsAll, containsAny), exists. Each
// mistake is an error at its position in the policy file; one the
// validator reports without saying where (a type mismatch) is at the start
// of its policy. Policies are checked only when the package's annotations
// have no mistakes.
//
// With Config.RequireAuth (mcpauthgen -require-auth), a component without
// auth= is an error at its directive; auth=public passes, since it says
// that the component needs no check.
//
// # Validation
//
// Directives are found in the comment lists of the package's files. The
// package's _test.go files and files excluded by build constraints are
// read too, when they mention "mcp": a directive there is an error (the
// generated file cannot use test code and is built on every platform), as
// is a component in a file with a //go:build line or a GOOS/GOARCH file
// name suffix. A comment that looks like a mistyped directive ("// mcp:tool",
// "//MCP:tool", "//mpc:tool") is an error too (annotations.NearMiss).
// A directive with a syntax error still has its handler validated, so
// that one run reports both. A tool, resource or prompt directive
// must be in the doc comment of a top-level function; one on a method, on
// another declaration, or in any other comment (a function body, a
// floating comment) is an error rather than being ignored, since a
// component that silently disappears is a surprise. A function carries one
// directive. MCP names are unique per kind (resources and templates share
// theirs), and so are resource URIs and the URIs resource templates match
// (notes://{id} and notes://{noteID} are one); the second of a pair is
// reported, pointing at the first.
//
// Every mistake of a run is reported, sorted by position, as
// file:line:col: message, and nothing is generated. The column is that of
// the offending term for directive mistakes (the scope inside scopes(…),
// the identifier or sub-expression inside check(…) that the type checker
// complains about, the variable inside uri=), of the key when the whole
// value is wrong (name=, uri=), of the directive's // when the whole
// annotation is (misplaced directives, default names, duplicates without
// name=). Handler mistakes point at the parameter concerned (its name, or
// its type when unnamed), at the result list for wrong results, and at the
// function name for generic functions.
//
// # Loading
//
// Generate calls packages.Load once for all patterns. Function bodies are
// dropped before type checking, since only declarations matter, and the
// package's own generated file is reduced to its package clause: it may no
// longer compile once the annotations change. Type errors are tolerated
// unless they reach a component (an unresolved type in a handler's
// signature or in a check), so that a package calling the Register it does
// not have yet can be generated; then the package's type errors are
// returned as a *LoadError.
//
// # Report
//
// Report loads and validates exactly as Generate does, so the same
// mistakes make it fail, and returns an AuthReport instead of files: per
// package (with components, in import path order), every component with
// its kind, MCP name, URI, tags, the scopes of its scopes(…) terms and the
// roles of its roles(…) terms (in the order written, each once), the text
// of its check(…) expressions, its any(…) terms in canonical form (what
// is inside one is in no other column), whether
// it says auth=public, its auth= in canonical form and its directive's
// file (relative to the module root, slash-separated) and line.
// Components are sorted by kind (tool, resource, resource template,
// prompt) and then name, so the report changes only when authorization
// does, not when code moves. AuthReport.ForToken adds, per component,
// whether a token with exactly the given scopes sees it, judging from
// scopes only: hidden when a required scope is missing (for an any(…),
// when each of its terms lacks one), visible when none is and nothing
// else has a say, "depends on check" when a check(…) or roles(…)
// decides, "depends on arguments" when only call checks do (they are
// listed apart, as call_checks).
// Middleware is configured at run time and invisible here; the report's
// notes say so. AuthReport.Markdown and AuthReport.JSON render it; the
// JSON fields are those of the types' json tags, versioned by
// ReportVersion.
//
// # Output
//
// The generated file starts with Header, carries no version or path, and
// is gofmt'ed. Components appear in source order (file name, then
// position), each with a comment naming its directive's file and line.
// Wrappers are unexported functions named mcpauthTool…, mcpauthResource…
// and mcpauthPrompt…, each a few lines that bind the arguments with a
// runtime adapter, call the handler and pass its result to the adapter of
// its kind, as a person would write them; the file declares nothing else
// but Register. Imports whose name the package declares itself are
// aliased (mcpauthjson), and imports are grouped as goimports groups them.
// No generated name hides a name the generated code uses: Register's
// parameter is renamed when the package declares s or a check uses a
// package of that name, a wrapper's variables (ctx, req, args, in, res,
// err, out) get underscores when the handler or a type of its arguments
// has that name, and a wrapper name the package declares gets one too.
package generator
