package generator

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yosida95/uritemplate/v3"
	"golang.org/x/tools/go/packages"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// Import paths the generated code and the validation refer to.
const (
	runtimePath = "github.com/mcpauthgen/mcpauthgen/runtime"
	mcpPath     = "github.com/mark3labs/mcp-go/mcp"
	// gosdkPath is the go-sdk backend's runtime and goSDKPath the go-sdk's
	// protocol package.
	gosdkPath = "github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
	goSDKPath = "github.com/modelcontextprotocol/go-sdk/mcp"
	// authzPath is the authorization core, where the types package
	// runtime re-exports as aliases (runtime.AuthCheck, runtime.AuthContext)
	// are defined.
	authzPath = "github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// validator turns the directives of one package into components,
// collecting every mistake.
type validator struct {
	pkg         *packages.Package
	e           *errs
	gen         *schemaGen
	qual        types.Qualifier
	requireAuth bool // Config.RequireAuth
	vocab       *vocabularies
	backend     string // the package's: BackendMCPGo or BackendGoSDK

	// invalid is set when a component depends on a type the type checker
	// could not resolve: the package's type errors are then the problem.
	invalid bool
	// sound holds the types found to refer to no unresolved type:
	// handlers and checks share most of theirs (context.Context,
	// runtime.AuthContext and what these refer to).
	sound map[types.Type]bool

	tags map[token.Pos]*ast.BasicLit // struct field tags, built on the first tag error
}

// analyze validates the annotations of pkg, whose directives are dirs,
// against the vocabularies of the run, and returns its generated file's
// model, nil when the package has no components.
func analyze(cfg Config, pkg *packages.Package, dirs []*directive, vocab *vocabularies, e *errs) (pf *pkgFile, invalid bool) {
	qual := func(p *types.Package) string {
		if p == pkg.Types {
			return ""
		}
		return p.Name()
	}
	v := &validator{pkg: pkg, e: e, qual: qual, requireAuth: cfg.RequireAuth, vocab: vocab,
		gen: &schemaGen{docs: fieldDocs(pkg.Syntax), qual: qual}, sound: map[types.Type]bool{}}
	v.gen.conv = v.schemaConvention(dirs)
	v.backend = v.packageBackend(dirs, cfg.Backend)
	reported := map[string]bool{} // a struct used twice has its mistakes once
	v.gen.tagError = func(f jsonField, key string, off int, msg string) {
		pos := v.tagPosition(f, key, off)
		if k := pos.String() + msg; !reported[k] {
			reported[k] = true
			v.e.at(pos, "field %s: %s", f.v.Name(), msg)
		}
	}
	var comps []*component
	annotated := map[*ast.FuncDecl]*directive{}
	for _, d := range dirs {
		dir, ok := d.line.(*annotations.Directive)
		if !ok {
			continue
		}
		switch d.place {
		case onMethod:
			v.e.atPos(d.pos, "//mcp:%s on method %s: handlers are top-level functions", dir.Kind, d.fn.Name.Name)
			continue
		case onDecl:
			v.e.atPos(d.pos, "//mcp:%s must be in the doc comment of a top-level function", dir.Kind)
			continue
		case loose:
			v.e.atPos(d.pos, "//mcp:%s is not in a doc comment; put it right above a top-level function", dir.Kind)
			continue
		}
		if first, ok := annotated[d.fn]; ok {
			v.e.atPos(d.pos, "%s already has a directive at %s; a function is one component", d.fn.Name.Name, v.shortPos(first.pos))
			continue
		}
		annotated[d.fn] = d
		if c := v.component(d, dir); c != nil && !d.broken {
			comps = append(comps, c)
		}
	}
	v.duplicates(comps)
	if len(comps) == 0 {
		return nil, v.invalid
	}
	if obj := pkg.Types.Scope().Lookup(cfg.Register); obj != nil {
		v.e.atPos(obj.Pos(), "%s is already declared in package %s; the generated file declares it (choose another name with -register)", cfg.Register, pkg.Name)
	}
	return &pkgFile{
		Types:      pkg.Types,
		Path:       filepath.Join(pkg.Dir, cfg.Output),
		Register:   cfg.Register,
		Backend:    v.backend,
		Vocabulary: vocab.scopes,
		Roles:      vocab.roles,
		Components: comps,
	}, v.invalid
}

func (v *validator) shortPos(pos token.Pos) string {
	return shortPosition(v.pkg.Fset.Position(pos))
}

// component validates one annotated function. It returns nil when the
// function cannot be a handler at all; other mistakes are reported and
// the component is still returned, so that duplicates are found too.
func (v *validator) component(d *directive, dir *annotations.Directive) *component {
	fn := d.fn
	name := fn.Name.Name
	obj, _ := v.pkg.Types.Scope().Lookup(name).(*types.Func)
	if name == "init" || name == "_" || obj == nil {
		v.e.atPos(d.pos, "func %s cannot be a handler", name)
		return nil
	}
	sig := obj.Signature()
	c := &component{
		Func:   name,
		Source: sourceName(v.pkg.Fset, d.pos),
		Pos:    v.pkg.Fset.Position(d.pos),
		URI:    dir.URI.Text,
		Title:  dir.Title.Text,
		MIME:   dir.MIME.Text,
		Hints: toolHints{
			ReadOnly:    dir.ReadOnly.Set,
			Destructive: dir.Destructive.Set,
			Idempotent:  dir.Idempotent.Set,
			OpenWorld:   dir.OpenWorld.Set,
		},
	}
	switch {
	case dir.Kind == annotations.KindTool:
		c.Kind = kindTool
	case dir.Kind == annotations.KindPrompt:
		c.Kind = kindPrompt
	case len(dir.URIVars) > 0:
		c.Kind = kindTemplate
	default:
		c.Kind = kindResource
	}
	c.namePos = v.pkg.Fset.Position(d.pos)
	if dir.Name.Set {
		c.namePos = dir.Name.Pos
	}
	c.uriPos = dir.URI.Pos
	c.Name = dir.Name.Text
	if !dir.Name.Set {
		c.Name = annotations.SnakeCase(name)
		if err := annotations.CheckName(c.Name); err != nil && !d.broken {
			v.e.atPos(d.pos, "default %s name: %v; set name=", c.Kind, err)
		}
	}
	c.Description = dir.Description.Text
	if !dir.Description.Set {
		c.Description = strings.TrimSpace(fn.Doc.Text()) // Text drops the directive lines
	}
	for _, t := range dir.Tags {
		c.Tags = append(c.Tags, t.Text)
		v.vocab.checkTag(v.e, t)
	}
	if dir.Auth == nil && v.requireAuth && !d.broken {
		v.e.atPos(d.pos, "%s %q has no auth= (-require-auth): add auth=scopes(...), auth=check(...) or auth=public", c.Kind.label(), c.Name)
	}
	if dir.Auth != nil {
		c.Public = dir.Auth.Public
		c.AuthText = dir.Auth.String()
		c.Auth = v.authTerms(dir.Auth.Terms, d.pos, false)
	}

	if sig.TypeParams().Len() > 0 {
		v.e.atPos(fn.Name.Pos(), "generic function %s cannot be a handler", name)
		return c
	}
	if v.invalidType(sig) {
		// The package's type errors explain this better than we could.
		v.invalid = true
		return c
	}
	params := v.params(c, sig)
	switch c.Kind {
	case kindTool:
		v.toolParams(c, params)
		v.toolResult(c, fn, sig)
	case kindResource, kindTemplate:
		if !d.broken { // the uri= the parameters bind to may be wrong
			v.resourceParams(c, dir, params)
		}
		v.resourceResult(c, fn, sig)
	case kindPrompt:
		v.promptParams(c, params)
		v.promptResult(c, fn, sig)
	}
	v.bindCalls(c)
	return c
}

// params checks what all handlers share and returns the parameters after
// the optional context.
func (v *validator) params(c *component, sig *types.Signature) []*types.Var {
	var ps []*types.Var
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		switch {
		case i == 0 && isNamed(p.Type(), "context", "Context"):
			c.Ctx = true
			continue
		case isNamed(p.Type(), "context", "Context"):
			v.e.atPos(p.Pos(), "context.Context must be the first parameter of a handler")
			continue
		case sig.Variadic() && i == sig.Params().Len()-1:
			v.e.atPos(p.Pos(), "variadic parameter %s: a %s handler takes fixed parameters", p.Name(), c.Kind)
		case v.trustBoundary(c, p):
			continue
		}
		ps = append(ps, p)
	}
	return ps
}

// argStruct returns the struct type whose fields are the arguments when
// params is a single struct or pointer to struct (other than types that
// decode themselves, such as time.Time), and whether it is a pointer.
func argStruct(params []*types.Var) (types.Type, bool, bool) {
	if len(params) != 1 {
		return nil, false, false
	}
	t := types.Unalias(params[0].Type())
	ptr := false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = types.Unalias(p.Elem()), true
	}
	if !isStruct(t) || isNamed(t, "time", "Time") || implements(t, jsonUnmarshaler) || implements(t, textUnmarshaler) {
		return nil, false, false
	}
	return t, ptr, true
}

// named turns parameters into arguments named after them in snake_case,
// reporting unnamed parameters and clashing names.
func (v *validator) named(c *component, params []*types.Var) []arg {
	var args []arg
	fields := map[string]bool{}
	for _, p := range params {
		if p.Name() == "" || p.Name() == "_" {
			v.e.atPos(p.Pos(), "%s parameter of type %s needs a name: it names the argument", c.Kind, types.TypeString(p.Type(), v.qual))
			continue
		}
		a := arg{Name: annotations.SnakeCase(p.Name()), Type: p.Type(), Param: p}
		if i := slices.IndexFunc(args, func(o arg) bool { return o.Name == a.Name }); i >= 0 {
			v.e.atPos(p.Pos(), "parameters %s and %s both name the argument %q", args[i].Param.Name(), p.Name(), a.Name)
			continue
		}
		_, ptr := types.Unalias(p.Type()).(*types.Pointer)
		a.Required = !ptr
		a.Field = exported(p.Name())
		for fields[a.Field] {
			a.Field += "_"
		}
		fields[a.Field] = true
		args = append(args, a)
	}
	return args
}

func exported(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

func (v *validator) toolParams(c *component, params []*types.Var) {
	root := &schema{Type: "object"}
	if v.gen.conv.closed {
		root.AdditionalProperties = false
	}
	if len(params) == 0 {
		c.Schema = objectSchema(root, "\t\t")
		return
	}
	if st, ptr, ok := argStruct(params); ok {
		c.Params, c.Struct, c.StructPtr = paramStruct, st, ptr
		if v.inputStruct(params[0], st) {
			return
		}
		s, err := v.gen.arguments(st)
		if err != nil {
			v.schemaErr(params[0], err)
			return
		}
		c.Required = presenceChecked(s)
		c.Schema = objectSchema(s, "\t\t")
		return
	}
	c.Params = paramNamed
	c.Args = v.named(c, params)
	for _, p := range params {
		if st := nestedStruct(p.Type()); st != nil && !implements(p.Type(), jsonUnmarshaler) && !implements(p.Type(), textUnmarshaler) {
			v.structFields(st, map[*types.Struct]bool{})
		}
	}
	props := properties{}
	for _, a := range c.Args {
		s, err := v.gen.schema(a.Type, a.Name)
		if err != nil {
			v.schemaErr(a.Param, err)
			continue
		}
		props = append(props, property{Name: a.Name, Schema: s})
		if a.Required {
			c.Required = append(c.Required, a.Name)
		}
	}
	root.Properties, root.Required = &props, c.Required
	c.Schema = objectSchema(root, "\t\t")
}

func (v *validator) schemaErr(p *types.Var, err error) {
	if err == errInvalidType {
		v.invalid = true
		return
	}
	v.e.atPos(p.Pos(), "%v", err)
}

// results checks that sig returns (R, error) and returns R.
func (v *validator) results(c *component, fn *ast.FuncDecl, sig *types.Signature, want string) types.Type {
	res := sig.Results()
	if res.Len() == 2 && types.Identical(res.At(1).Type(), types.Universe.Lookup("error").Type()) {
		c.ResultType = res.At(0).Type()
		return c.ResultType
	}
	pos := fn.Name.Pos()
	if fn.Type.Results != nil {
		pos = fn.Type.Results.Pos()
	}
	got := "nothing"
	if res.Len() > 0 {
		got = types.TypeString(res, v.qual)
	}
	v.e.atPos(pos, "%s handler %s must return (%s, error), not %s", c.Kind, fn.Name.Name, want, got)
	return nil
}

func (v *validator) toolResult(c *component, fn *ast.FuncDecl, sig *types.Signature) {
	r := v.results(c, fn, sig, "R")
	switch {
	case r == nil:
	case isPointerTo(r, v.sdk(), "CallToolResult"):
		c.Result = resultToolResult
	case isNamed(r, v.sdk(), "CallToolResult"):
		c.Result = resultToolResultValue
	case isString(r):
		c.Result = resultText
	case isStringPtr(r):
		c.Result = resultTextPtr
	case v.mcpResult(c, fn, r, "string, *string, a JSON-encodable type of your own, *mcp.CallToolResult or mcp.CallToolResult"):
	default:
		c.Result = resultJSON
		v.encodable(fn, r)
	}
}

func (v *validator) resourceParams(c *component, dir *annotations.Directive, params []*types.Var) {
	if c.Kind == kindTemplate {
		if _, err := uritemplate.New(c.URI); err != nil {
			v.e.at(dir.URI.Pos, "invalid URI template %q: %v", c.URI, err)
		}
	}
	vars := map[string]bool{}
	for _, w := range dir.URIVars {
		vars[w.Text] = true
	}
	byName := map[string]bool{}
	for _, p := range params {
		byName[p.Name()] = true
		switch {
		case p.Name() == "" || p.Name() == "_":
			v.e.atPos(p.Pos(), "resource parameter of type %s needs a name: it binds the URI variable of that name", types.TypeString(p.Type(), v.qual))
		case !vars[p.Name()] && c.Kind == kindResource:
			v.e.atPos(p.Pos(), "parameter %s has no variable in uri %q: a static resource handler takes no parameters besides ctx", p.Name(), c.URI)
		case !vars[p.Name()]:
			v.e.atPos(p.Pos(), "parameter %s has no variable {%s} in uri %q", p.Name(), p.Name(), c.URI)
		case !types.Identical(p.Type(), types.Typ[types.String]):
			v.e.atPos(p.Pos(), "parameter %s must be a string: it binds the URI variable {%s}, not %s", p.Name(), p.Name(), types.TypeString(p.Type(), v.qual))
		default:
			c.Args = append(c.Args, arg{Name: p.Name(), Type: p.Type(), Param: p, Required: true})
		}
	}
	seen := map[string]bool{}
	for _, w := range dir.URIVars {
		if !byName[w.Text] && !seen[w.Text] {
			v.e.at(w.Pos, "URI variable {%s} has no parameter %s in %s", w.Text, w.Text, c.Func)
		}
		seen[w.Text] = true
	}
}

func (v *validator) resourceResult(c *component, fn *ast.FuncDecl, sig *types.Signature) {
	r := v.results(c, fn, sig, "string | []byte | T")
	mime := ""
	switch {
	case r == nil:
	case isString(r):
		c.Result, mime = resultText, "text/plain"
	case isStringPtr(r):
		c.Result, mime = resultTextPtr, "text/plain"
	case isBytes(r):
		c.Result, mime = resultBlob, "application/octet-stream"
	case v.backend == BackendMCPGo && isSliceOf(r, mcpPath, "ResourceContents"),
		v.backend == BackendGoSDK && isPointerTo(r, goSDKPath, "ReadResourceResult"):
		c.Result = resultContents
	case v.mcpResult(c, fn, r, "string, *string, []byte, a JSON-encodable type of your own or "+v.sdkShape("[]mcp.ResourceContents", "*mcp.ReadResourceResult")):
	default:
		c.Result, mime = resultJSON, "application/json"
		v.encodable(fn, r)
	}
	if c.MIME == "" {
		c.MIME = mime
	}
}

func (v *validator) promptParams(c *component, params []*types.Var) {
	if len(params) == 0 {
		return
	}
	if st, ptr, ok := argStruct(params); ok {
		c.Params, c.Struct, c.StructPtr = paramStruct, st, ptr
		if v.inputStruct(params[0], st) {
			return
		}
		for _, f := range jsonFields(st.Underlying().(*types.Struct)) {
			if !isStringOrPtr(f.v.Type()) {
				v.e.atPos(params[0].Pos(), "prompt argument %q (field %s) must be a string or *string, not %s", f.name, f.v.Name(), types.TypeString(f.v.Type(), v.qual))
				continue
			}
			desc, required, ok := v.gen.promptArg(f)
			if !ok {
				continue
			}
			a := arg{Name: f.name, Type: f.v.Type(), Required: required, Description: desc}
			c.Args = append(c.Args, a)
			if a.Required {
				c.Required = append(c.Required, a.Name)
			}
		}
		return
	}
	c.Params = paramNamed
	c.Args = v.named(c, params)
	for _, a := range c.Args {
		if !isStringOrPtr(a.Type) {
			v.e.atPos(a.Param.Pos(), "prompt parameter %s must be a string or *string, not %s", a.Param.Name(), types.TypeString(a.Type, v.qual))
		}
		if a.Required {
			c.Required = append(c.Required, a.Name)
		}
	}
}

func (v *validator) promptResult(c *component, fn *ast.FuncDecl, sig *types.Signature) {
	r := v.results(c, fn, sig, "string | []mcp.PromptMessage | *mcp.GetPromptResult")
	switch {
	case r == nil:
	case isString(r):
		c.Result = resultText
	case isStringPtr(r):
		c.Result = resultTextPtr
	case isPointerTo(r, v.sdk(), "GetPromptResult"):
		c.Result = resultPrompt
	case isNamed(r, v.sdk(), "GetPromptResult"):
		c.Result = resultPromptValue
	case v.backend == BackendMCPGo && isSliceOf(r, mcpPath, "PromptMessage"),
		v.backend == BackendGoSDK && isSliceOfPointers(r, goSDKPath, "PromptMessage"):
		c.Result = resultMessages
	case v.otherSDKResult(c, fn, r):
	default:
		pos := fn.Type.Results.List[0].Type.Pos()
		v.e.atPos(pos, "prompt handler %s must return string, *string, %s, *mcp.GetPromptResult or mcp.GetPromptResult, not %s", fn.Name.Name, v.sdkShape("[]mcp.PromptMessage", "[]*mcp.PromptMessage"), types.TypeString(r, v.qual))
	}
}

// encodable reports a result type encoding/json cannot encode.
func (v *validator) encodable(fn *ast.FuncDecl, t types.Type) {
	if bad := unencodable(t, map[types.Type]bool{}); bad != nil {
		if b, ok := bad.(*types.Basic); ok && b.Kind() == types.Invalid {
			v.invalid = true
			return
		}
		v.e.atPos(fn.Type.Results.List[0].Type.Pos(), "result type %s cannot be encoded as JSON: it contains %s", types.TypeString(t, v.qual), types.TypeString(bad, v.qual))
	}
}

// unencodable returns a type within t that encoding/json refuses, or nil.
// Interfaces pass: their dynamic values are the handler's business.
func unencodable(t types.Type, seen map[types.Type]bool) types.Type {
	t = types.Unalias(t)
	if seen[t] {
		return nil
	}
	seen[t] = true
	if implements(t, jsonMarshaler) || implements(t, textMarshaler) {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 || u.Kind() == types.UnsafePointer || u.Kind() == types.Invalid {
			return u
		}
	case *types.Chan, *types.Signature:
		return t
	case *types.Pointer:
		return unencodable(u.Elem(), seen)
	case *types.Slice:
		return unencodable(u.Elem(), seen)
	case *types.Array:
		return unencodable(u.Elem(), seen)
	case *types.Map:
		if !validMapKey(u.Key()) && !implements(u.Key(), textMarshaler) {
			return u.Key()
		}
		return unencodable(u.Elem(), seen)
	case *types.Struct:
		for _, f := range jsonFields(u) {
			if bad := unencodable(f.v.Type(), seen); bad != nil {
				return bad
			}
		}
	}
	return nil
}

var (
	jsonMarshaler = marshaler("MarshalJSON")
	textMarshaler = marshaler("MarshalText")
)

func marshaler(method string) *types.Interface {
	bytesResult := types.NewVar(token.NoPos, nil, "", types.NewSlice(types.Typ[types.Byte]))
	errResult := types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type())
	sig := types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(bytesResult, errResult), false)
	return types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, method, sig)}, nil).Complete()
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.String
}

func isStringOrPtr(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return types.Identical(t, types.Typ[types.String])
}

// isBytes reports whether t is a []byte type other than json.RawMessage,
// which is JSON. A slice of a named byte type is not: it does not convert
// to []byte.
func isBytes(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok || isNamed(t, "encoding/json", "RawMessage") {
		return false
	}
	return types.Identical(s.Elem(), types.Typ[types.Byte])
}

func isPointerTo(t types.Type, path, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isNamed(p.Elem(), path, name)
}

func isSliceOf(t types.Type, path, name string) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	return ok && isNamed(s.Elem(), path, name)
}

// duplicates reports components whose MCP name (per kind; resources
// and templates share theirs) or resource URI is already taken, at the
// second one, pointing at the first.
func (v *validator) duplicates(comps []*component) {
	names := map[string]*component{}
	uris := map[string]*component{}
	shapes := map[string]*component{}
	for _, c := range comps {
		key := c.Kind.String() + " " + c.Name
		if first, ok := names[key]; ok {
			v.e.at(c.namePos, "duplicate %s name %q; %s uses it at %s", c.Kind, c.Name, first.Func, shortPosition(first.namePos))
		} else {
			names[key] = c
		}
		if c.Kind != kindResource && c.Kind != kindTemplate {
			continue
		}
		if first, ok := uris[c.URI]; ok {
			v.e.at(c.uriPos, "duplicate resource uri %q; %s uses it at %s", c.URI, first.Func, shortPosition(first.uriPos))
			continue
		}
		uris[c.URI] = c
		if c.Kind != kindTemplate {
			continue
		}
		shape := templateShape(c.URI)
		if first, ok := shapes[shape]; ok {
			v.e.at(c.uriPos, "resource template %q matches the same URIs as %q (%s at %s): a read could go to either; merge them or change the fixed text", c.URI, first.URI, first.Func, shortPosition(first.uriPos))
			continue
		}
		shapes[shape] = c
	}
}

func shortPosition(p token.Position) string {
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

// check type-checks the expression of check(…) in the package's scope at
// the directive and returns it ready to emit, or nil after reporting why
// it is not an auth check.
func (v *validator) check(w annotations.Word, at token.Pos) *checkExpr {
	// The expression is parsed on its own file set: its offsets are
	// offsets into the directive's text, which gives error columns.
	fset := token.NewFileSet()
	expr, err := parser.ParseExprFrom(fset, "", w.Text, 0)
	if err != nil {
		v.e.at(w.Pos, "invalid check expression %s: %v", w.Text, err)
		return nil
	}
	base := 0 // offset of the expression in its file
	offset := func(p token.Pos) token.Position {
		pos := w.Pos
		if p.IsValid() {
			pos.Column += fset.Position(p).Offset - base
		}
		return pos
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	if err := types.CheckExpr(fset, v.pkg.Types, at, expr, info); err != nil {
		var te types.Error
		if !errors.As(err, &te) {
			v.e.at(w.Pos, "check(%s): %v", w.Text, err)
			return nil
		}
		msg := te.Msg
		name, undefined := strings.CutPrefix(msg, "undefined: ")
		if undefined {
			if x, i, ok := v.checkImporting(w.Text, at, name); ok {
				expr, info, fset, base = x, i, v.pkg.Fset, v.pkg.Fset.Position(x.Pos()).Offset
				goto checked
			}
			if sg := v.suggestIdent(name, at); sg != "" {
				msg += "; did you mean " + sg + "?"
			}
		}
		v.e.at(offset(te.Pos), "%s", msg)
		return nil
	}
checked:
	tv := info.Types[expr]
	switch {
	case tv.IsType():
		v.e.at(w.Pos, "check(%s): %s is a type, not a value", w.Text, w.Text)
		return nil
	case tv.IsNil():
		v.e.at(w.Pos, "check(nil): nil is not an auth check")
		return nil
	}
	t := tv.Type
	// An expression of a type the type checker could not resolve has
	// none recorded (and no error of its own): the package's type errors
	// say what is wrong.
	if t == nil || v.invalidType(t) {
		v.invalid = true
		return nil
	}
	v.vocab.checkLiterals(v.e, expr, info, offset)
	ce := &checkExpr{Text: w.Text, Parts: v.exprParts(w.Text, fset, base, expr, info),
		MayPanic: mayPanic(expr, info), Pos: shortPosition(w.Pos)}
	if isNamed(t, authzPath, "AuthCheck") || isChecker(t) {
		// A Checker (the built-ins, AuthCheck, a type of the program's
		// own) is registered as it is; its Check method decides.
		ce.Direct = true
		return ce
	}
	// runtime.Check takes the shapes, and named types of them, as they are.
	sig, _ := t.Underlying().(*types.Signature)
	if isCheckShape(sig) {
		return ce
	}
	if call := callShape(sig); call != nil {
		// A call check: bound to the handler's arguments once they are
		// known (bindCalls).
		call.at = w.Pos
		ce.Call = call
		return ce
	}
	rt := v.runtimeName()
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && isChecker(types.NewPointer(t)) {
		v.e.at(w.Pos, "check(%s): %s has type %s, whose Check method has a pointer receiver: only *%s is a %s.Checker",
			w.Text, w.Text, types.TypeString(t, v.qual), types.TypeString(t, v.qual), rt)
		return nil
	}
	v.e.at(w.Pos, "check(%s): %s has type %s, which is not an auth check; want a %[4]s.Checker (such as %[4]s.AuthCheck) or func(%[4]s.AuthContext) bool, func(%[4]s.AuthContext) (bool, error), func(context.Context, %[4]s.AuthContext) bool or func(context.Context, %[4]s.AuthContext) (bool, error), or a call check: one of these taking the handler's arguments after the %[4]s.AuthContext",
		w.Text, w.Text, types.TypeString(t, v.qual), rt)
	return nil
}

// mayPanic reports whether evaluating a check expression may panic: it
// is more than an identifier or a package-qualified one.
func mayPanic(expr ast.Expr, info *types.Info) bool {
	switch x := ast.Unparen(expr).(type) {
	case *ast.Ident:
		return false
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok {
			return true
		}
		_, pkg := info.Uses[id].(*types.PkgName)
		return !pkg
	}
	return true
}

// invalidType reports whether t refers to a type the type checker could
// not resolve. A type found sound is remembered with every type it refers
// to, and not walked again.
func (v *validator) invalidType(t types.Type) bool {
	seen := map[types.Type]bool{}
	if invalidIn(t, seen, v.sound) {
		return true
	}
	// The walk found nothing unresolved, and it reached everything
	// that the types it met refer to.
	maps.Copy(v.sound, seen)
	return false
}

// invalidIn reports whether t refers to a type the type checker could not
// resolve, walking each type once (seen) and none known to be sound.
func invalidIn(t types.Type, seen, sound map[types.Type]bool) bool {
	if seen[t] || sound[t] {
		return false
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Alias:
		return invalidIn(types.Unalias(t), seen, sound)
	case *types.Named:
		return invalidIn(t.Underlying(), seen, sound)
	case *types.Pointer:
		return invalidIn(t.Elem(), seen, sound)
	case *types.Slice:
		return invalidIn(t.Elem(), seen, sound)
	case *types.Array:
		return invalidIn(t.Elem(), seen, sound)
	case *types.Map:
		return invalidIn(t.Key(), seen, sound) || invalidIn(t.Elem(), seen, sound)
	case *types.Chan:
		return invalidIn(t.Elem(), seen, sound)
	case *types.Struct:
		for i := range t.NumFields() {
			if invalidIn(t.Field(i).Type(), seen, sound) {
				return true
			}
		}
	case *types.Tuple:
		for i := range t.Len() {
			if invalidIn(t.At(i).Type(), seen, sound) {
				return true
			}
		}
	case *types.Signature:
		return invalidIn(t.Params(), seen, sound) || invalidIn(t.Results(), seen, sound)
	}
	return false
}

// isChecker reports whether a value of type t is a runtime.Checker: its
// method set has Check(context.Context, runtime.AuthContext) (bool, error).
func isChecker(t types.Type) bool {
	sel := types.NewMethodSet(t).Lookup(nil, "Check")
	if sel == nil {
		return false
	}
	sig, _ := sel.Type().(*types.Signature)
	if sig == nil || sig.Variadic() {
		return false
	}
	ps, rs := sig.Params(), sig.Results()
	return ps.Len() == 2 && isNamed(ps.At(0).Type(), "context", "Context") && isNamed(ps.At(1).Type(), authzPath, "AuthContext") &&
		rs.Len() == 2 && types.Identical(rs.At(0).Type(), types.Typ[types.Bool]) && types.Identical(rs.At(1).Type(), types.Universe.Lookup("error").Type())
}

// isCheckShape reports whether sig is one of the check shapes
// runtime.Check accepts.
func isCheckShape(sig *types.Signature) bool {
	if sig == nil || sig.Variadic() || sig.TypeParams().Len() > 0 || sig.Recv() != nil {
		return false
	}
	ps, rs := sig.Params(), sig.Results()
	switch {
	case ps.Len() == 1 && isNamed(ps.At(0).Type(), authzPath, "AuthContext"):
	case ps.Len() == 2 && isNamed(ps.At(0).Type(), "context", "Context") && isNamed(ps.At(1).Type(), authzPath, "AuthContext"):
	default:
		return false
	}
	isBool := func(t types.Type) bool { return types.Identical(t, types.Typ[types.Bool]) }
	return rs.Len() == 1 && isBool(rs.At(0).Type()) ||
		rs.Len() == 2 && isBool(rs.At(0).Type()) && types.Identical(rs.At(1).Type(), types.Universe.Lookup("error").Type())
}

// exprParts splits the expression's text so that every reference to a
// package-level object of another package (through an import of the
// annotated file, or a dot import) becomes a part of its own, for the
// generated file to qualify with its own imports.
func (v *validator) exprParts(text string, fset *token.FileSet, base int, expr ast.Expr, info *types.Info) []exprPart {
	type span struct {
		start, end int
		part       exprPart
	}
	var spans []span
	off := func(p token.Pos) int { return fset.Position(p).Offset - base }
	ast.Inspect(expr, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if pn, ok := info.Uses[id].(*types.PkgName); ok {
					spans = append(spans, span{off(n.Pos()), off(n.End()), exprPart{Text: n.Sel.Name, Path: pn.Imported().Path(), Pkg: pn.Imported().Name()}})
					return false
				}
			}
		case *ast.Ident:
			obj := info.Uses[n]
			if obj != nil && obj.Pkg() != nil && obj.Pkg() != v.pkg.Types && obj.Parent() == obj.Pkg().Scope() {
				spans = append(spans, span{off(n.Pos()), off(n.End()), exprPart{Text: n.Name, Path: obj.Pkg().Path(), Pkg: obj.Pkg().Name()}})
			}
		}
		return true
	})
	var parts []exprPart
	last := 0
	for _, s := range spans {
		if s.start > last {
			parts = append(parts, exprPart{Text: text[last:s.start]})
		}
		parts = append(parts, s.part)
		last = s.end
	}
	if last < len(text) {
		parts = append(parts, exprPart{Text: text[last:]})
	}
	return parts
}

// suggestIdent returns a close name for an undefined identifier of a check
// expression: a package-level name, an imported package's name, or an
// exported name of that package for a qualified identifier.
func (v *validator) suggestIdent(name string, at token.Pos) string {
	var file *types.Scope
	for i := range v.pkg.Types.Scope().NumChildren() {
		if s := v.pkg.Types.Scope().Child(i); s.Contains(at) {
			file = s
		}
	}
	if pkgName, sel, ok := strings.Cut(name, "."); ok {
		if file == nil {
			return ""
		}
		pn, _ := file.Lookup(pkgName).(*types.PkgName)
		if pn == nil {
			return ""
		}
		var exported []string
		for _, n := range pn.Imported().Scope().Names() {
			if token.IsExported(n) {
				exported = append(exported, n)
			}
		}
		if sg := annotations.Suggest(sel, exported); sg != "" {
			return pkgName + "." + sg
		}
		return ""
	}
	names := v.pkg.Types.Scope().Names()
	if file != nil {
		names = append(names, file.Names()...)
	}
	return annotations.Suggest(name, names)
}
