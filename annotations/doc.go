// Package annotations parses mcpauthgen's //mcp: directive lines into a
// model, with exact positions for every part and for every mistake.
//
// It works on text alone: the generator finds the lines in doc comments
// (ast.Comment.Text of each comment of a CommentGroup.List, since
// CommentGroup.Text drops directive-shaped lines) and hands each one to
// [Parse] with its position. Type checking of handlers and check
// expressions happens in the generator.
//
// # Directives
//
// A directive is a line comment in the doc comment of a top-level function,
// written like //go:generate, with no space after the slashes:
//
//	// DeleteAllData removes every record. Use with care.
//	//
//	//mcp:tool auth=scopes(admin) tags=admin,destructive destructive
//	func DeleteAllData(ctx context.Context) (string, error)
//
//	//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write
//	func UpdateRecord(ctx context.Context, in UpdateInput) (*Record, error)
//
//	//mcp:resource uri=users://{id}/profile mime=application/json auth=scopes(read)
//	func UserProfile(ctx context.Context, id string) (Profile, error)
//
//	//mcp:prompt title="Admin help" auth=check(minLevel(5))
//	func AdminPrompt(ctx context.Context, topic string) (string, error)
//
// and, in any file of a package, the scope, role and tag vocabularies:
//
//	//mcp:scopes read write admin
//	//mcp:roles admin editor
//	//mcp:tags admin destructive
//
// # Grammar
//
// In the productions below (EBNF, as in the Go specification), blank is one
// or more spaces or tabs, string_lit and Expression are as in Go, and bare
// is one or more bytes other than blanks.
//
//	line       = "//mcp:" kind { blank term } [ blank comment ] [ blank ] .
//	kind       = "tool" | "resource" | "prompt" .
//	term       = key "=" value | flag .
//	key        = "name" | "uri" | "auth" | "tags" | "description" | "title" | "mime" .
//	flag       = "readonly" | "destructive" | "idempotent" | "openworld" .
//	value      = string_lit | bare .
//	comment    = "//" { byte } .
//
//	auth       = "public" | authterm { "," authterm } .
//	authterm   = "scopes(" scope { "," scope } ")" | "roles(" role { "," role } ")" |
//	             "check(" Expression ")" | "any(" authterm "," authterm { "," authterm } ")" .
//	tags       = tag { "," tag } .
//
//	scopesline = "//mcp:scopes" blank scope { blank scope } [ blank comment ] [ blank ] .
//	rolesline  = "//mcp:roles" blank role { blank role } [ blank comment ] [ blank ] .
//	tagsline   = "//mcp:tags" blank tag { blank tag } [ blank comment ] [ blank ] .
//	schemaline = "//mcp:schema" blank convention { blank schemaopt } [ blank comment ] [ blank ] .
//	convention = "invopop" | "gosdk" .
//	schemaopt  = "required=" ( "shape" | "json" | "tags" ) | "additionalProperties=" ( "false" | "true" ) .
//	policiesline = "//mcp:policies" blank file [ blank file ] [ blank comment ] [ blank ] .
//	backendline = "//mcp:backend" blank ( "mcpgo" | "gosdk" ) [ blank comment ] [ blank ] .
//
// Keys and flags are lower case; terms may come in any order but each at
// most once. A trailing comment starts with "//" where a term could start:
//
//	//mcp:resource uri=users://{id}/profile auth=scopes(read) // a resource template
//
// A value is either a Go string literal, interpreted ("a \"b\"") or raw
// (`a b`), decoded as [strconv.Unquote] does, or a bare run of non-blank
// bytes. A string literal must be followed by a blank or the end of the
// line. In the value of auth=, blanks inside parentheses don't end a bare
// value, and inside parentheses Go string and rune literals are skipped, so
// they may hold blanks and parentheses of their own:
//
//	auth=check(minLevel(5)),scopes(a,b)
//	auth=check(hasRole("site admin"))
//	auth=check(f(")")) description="Deletes: everything."
//
// The auth and tags productions apply to the decoded value, where blanks
// around terms, scopes and tags are ignored, so these are the same:
//
//	auth=scopes(read,write),check(ownsRecord) tags=a,b
//	auth="scopes(read, write), check(ownsRecord)" tags="a, b"
//
// Every key needs a non-empty value, except that description="" and
// title="" set an empty text on purpose.
//
// # Keys
//
// name= is the MCP name (default: the function name through [SnakeCase]):
// 1 to 128 ASCII letters, digits, '_', '-' or '.' (see [CheckName]).
//
// uri= is required on a resource and allowed nowhere else. It is a URI with
// a scheme, or an RFC 6570 template: each {expression} holds an optional
// operator (+ # . / ; ? &) and comma-separated variables, each with an
// optional :length or * modifier. [Directive.URIVars] lists the variable
// names in order; a resource with variables is a resource template:
//
//	uri=secret://data
//	uri=users://{id}/profile
//	uri=files://{+path}{?version,format}
//
// mime= (resources only) is a media type, type/subtype with optional
// parameters. title= and description= are free text.
//
// tags= is a comma-separated list of tags, each non-empty, without blanks
// and different.
//
// auth= is a comma-separated list of terms; every check must pass, in the
// order written:
//
//	scopes(a,b,...)  the token holds every scope named; at least one scope
//	roles(a,b,...)   the token grants every role named (read from its
//	                 claims by the server); at least one role
//	check(EXPR)      a Go expression naming an auth check, kept verbatim
//	any(t1,t2,...)   one of the terms passes, tried in order; at least two
//	                 terms, each scopes, roles, check or any, never public
//	public           no checks, stated on purpose; alone only
//
// A scope is an RFC 6749 scope-token that auth= can hold: one or more
// printable ASCII characters other than space, quotes (double, single and
// back), backslash, parentheses, comma and '|' (which reads as OR: the
// error for scopes(read|write) shows any(scopes(read),scopes(write))). A
// role follows the same rules. EXPR must be a single Go
// expression without comments; commas and parentheses inside its own
// brackets belong to it:
//
//	auth=scopes(write),check(ownsRecord)
//	auth=check(policy.IsOwner),check(minLevel(5))
//	auth=check(inGroup("a, b)"))
//	auth=scopes(notes),any(roles(admin),check(isOwner))
//	auth=public
//
// readonly, destructive, idempotent and openworld are tools' annotation
// hints and take no value.
//
// //mcp:scopes lists the scopes of a package's vocabulary, one bare word
// each, at least one, no duplicates. Once a package declares one, the
// generator rejects other scopes, suggesting the closest with [Suggest].
// //mcp:roles does the same for roles.
// //mcp:tags does the same for tags, which follow the rules of scopes: a
// tag has no blanks, so tags="admin write" is an error.
//
// //mcp:policies names one Cedar policy file, a clean slash-separated path
// relative to the package directory ending in .cedar, and optionally a
// Cedar schema file (.cedarschema) declaring the server's own entity
// types; the generator validates the policies against the package's
// components (see runtime/cedarauth).
//
// Values are quoted with straight double quotes or backquotes, as Go
// string literals; a value that starts with a single or typographic quote
// (“ ” ‘ ’) is an error at the quote. The hints readonly and destructive
// contradict each other. [NearMiss] recognises comments that were meant to
// be directives, such as "// mcp:tool".
//
// //mcp:schema, in any file of a package (once), names the conventions by
// which the generator turns the package's argument structs into input
// schemas: the struct tags of github.com/invopop/jsonschema or of the
// official Go SDK (github.com/google/jsonschema-go), which fields are
// required, and whether objects refuse additional properties. required=tags
// needs invopop, the only convention with a "required" tag. The generator
// documents what each choice means.
//
// //mcp:backend, in any file of a package (once), names the MCP SDK the
// package's generated registration targets: mcpgo
// (github.com/mark3labs/mcp-go, package runtime) or gosdk (the official
// github.com/modelcontextprotocol/go-sdk, package runtime/gosdk). Without
// one, the generator's -backend flag decides.
//
// # Errors
//
// [Parse] reports every mistake of a line, not just the first, as an
// [Error] printed file:line:col: message. Its column is that of the
// offending term: the scope inside scopes(…), the expression inside
// check(…) (or the exact byte where it goes wrong), the tag, the template
// variable; of the key when the whole value is wrong (an invalid name, a
// duplicate key); and of the directive's "//" for mistakes about the whole
// line, such as a resource without uri=. For example, line 30 of users.go,
//
//	//mcp:resource nmae=profile readonly auth=scopes(read),role(admin)
//
// gives
//
//	users.go:30:1: resource needs uri=
//	users.go:30:16: unknown key "nmae"; did you mean "name"?
//	users.go:30:29: "readonly" is not valid on a resource
//	users.go:30:56: unknown auth term "role(admin)"; did you mean roles(...)?
//
// Columns count bytes, like go/token; inside a string literal they point at
// the character or escape sequence a decoded byte came from.
package annotations
