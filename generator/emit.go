package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/imports"
)

// emitter prints one package's model as Go source.
type emitter struct {
	pkg      *types.Package
	wrappers map[*component]string // the wrapper function of each component
	calls    map[*component]string // prompts, templates: the function returning its call checks
	imports  map[string]string     // import name by path
	aliased  map[string]bool       // the import name is not the package's name
	l        locals                // of the wrapper being emitted
	rtPath   string                // the backend's runtime package
	err      error                 // a component the backend's emitter cannot emit
}

// emit renders the generated file of pf.
func emit(pf *pkgFile) ([]byte, error) {
	e := &emitter{
		pkg:      pf.Types,
		wrappers: map[*component]string{},
		calls:    map[*component]string{},
		imports:  map[string]string{},
		aliased:  map[string]bool{},
		rtPath:   runtimePath,
	}
	sdk := mcpPath
	if pf.Backend == BackendGoSDK {
		sdk, e.rtPath = goSDKPath, gosdkPath
	}
	for _, path := range []string{"context", "encoding/json", sdk, e.rtPath} {
		e.importName(path, path[strings.LastIndex(path, "/")+1:])
	}

	taken := map[string]bool{}
	for _, c := range pf.Components {
		name := wrapperName(c)
		if taken[name] { // Ping and ping
			name = "mcpauth" + exported(c.Kind.String()) + "_" + c.Func
		}
		for taken[name] || e.pkg.Scope().Lookup(name) != nil {
			name += "_"
		}
		taken[name] = true
		e.wrappers[c] = name
	}
	for _, c := range pf.Components {
		if c.Kind != kindTool && len(c.callChecks()) > 0 {
			name := e.wrappers[c] + "Calls"
			for taken[name] || e.pkg.Scope().Lookup(name) != nil {
				name += "_"
			}
			taken[name] = true
			e.calls[c] = name
		}
	}
	// The server parameter must not hide a package-level name or an
	// imported package that a check expression may use.
	used := map[string]bool{"mcp": true, "runtime": true, "gosdk": true, "json": true}
	for _, c := range pf.Components {
		used[e.wrappers[c]] = true
		for _, ce := range checkExprs(c.Auth) {
			for _, p := range ce.Parts {
				used[p.Pkg] = true
			}
		}
	}
	free := func(name string) bool { return e.pkg.Scope().Lookup(name) == nil && !used[name] }
	srv := "s"
	for _, name := range []string{"srv", "mcpauthServer"} {
		if free(srv) {
			break
		}
		srv = name
	}
	for !free(srv) {
		srv += "_"
	}

	// The declarations are built first, which settles every import,
	// then rendered (and gofmt'ed by jennifer) in chunks, in parallel.
	decls := []jen.Code{
		jen.Commentf("%s registers the package's MCP components on %s, each with", pf.Register, srv).Line().
			Comment("its authorization checks, which run in the order they are written.").Line().
			Func().Id(pf.Register).Params(jen.Id(srv).Op("*").Qual(e.rtPath, "Server")).BlockFunc(func(g *jen.Group) {
			for _, c := range pf.Components {
				g.Commentf("%s: %s", c.Name, c.Source)
				if pf.Backend == BackendGoSDK {
					e.registerGoSDK(g, srv, c)
				} else {
					e.register(g, srv, c)
				}
			}
		}),
	}
	for _, c := range pf.Components {
		if pf.Backend == BackendGoSDK {
			decls = append(decls, e.wrapperGoSDK(c))
		} else {
			decls = append(decls, e.wrapper(c))
		}
		if d := e.callsDecl(c); d != nil {
			decls = append(decls, d)
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.render(pf, decls)
}

// render renders decls, in order, as the generated file of pf: the
// declarations in chunks on as many goroutines as there are processors
// (each chunk a jennifer file with the same imports), then the header
// with the union of the chunks' imports, grouped as goimports does.
// Formatting declarations apart gives what formatting them together
// would, and formatting a large file is most of the generator's own work.
func (e *emitter) render(pf *pkgFile, decls []jen.Code) ([]byte, error) {
	n := max(1, min(goruntime.GOMAXPROCS(0), len(decls)/minChunk))
	bounds := chunkBounds(len(decls), n)
	n = len(bounds) - 1
	chunks := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		lo, hi := bounds[i], bounds[i+1]
		wg.Go(func() { chunks[i], errs[i] = e.renderChunk(pf, decls[lo:hi]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Split each chunk into its import specs and its declarations.
	specs := map[string]string{} // spec text by import path
	var bodies [][]byte
	for _, src := range chunks {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		end := f.Name.End()
		for _, imp := range f.Imports {
			specs[imp.Path.Value] = string(src[fset.Position(imp.Pos()).Offset:fset.Position(imp.End()).Offset])
		}
		if len(f.Decls) > 0 {
			end = f.Decls[len(f.Decls)-1].End()
		}
		bodies = append(bodies, bytes.TrimSpace(src[fset.Position(end).Offset:]))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\npackage %s\n\nimport (\n", Header, pf.Types.Name())
	for _, path := range slices.Sorted(maps.Keys(specs)) {
		b.WriteString(specs[path] + "\n")
	}
	b.WriteString(")\n")
	head, err := imports.Process(pf.Path, b.Bytes(), &imports.Options{FormatOnly: true, Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, err
	}
	out := append(head, '\n')
	out = append(out, bytes.Join(bodies, []byte("\n\n"))...)
	return append(out, '\n'), nil
}

// chunkBounds splits m declarations into at most n chunks of about equal
// work, returning the n+1 bounds (fewer when chunks would be empty).
// Register, the first declaration, weighs as much as all the wrappers
// together: it holds every component's definition.
func chunkBounds(m, n int) []int {
	weight := func(i int) int {
		if i == 0 {
			return max(1, m-1)
		}
		return 1
	}
	left := max(1, m-1) + m - 1 // work not yet in a closed chunk
	bounds := []int{0}
	acc := 0 // work of the open chunk
	for i := range m {
		acc += weight(i)
		chunks := n - len(bounds) + 1 // the open one and those after it
		if chunks > 1 && i+1 < m && acc*chunks >= left {
			bounds = append(bounds, i+1)
			left -= acc
			acc = 0
		}
	}
	return append(bounds, m)
}

// minChunk is the fewest declarations worth a goroutine of their own.
const minChunk = 32

func (e *emitter) renderChunk(pf *pkgFile, decls []jen.Code) ([]byte, error) {
	f := jen.NewFilePathName(pf.Types.Path(), pf.Types.Name())
	for _, path := range slices.Sorted(maps.Keys(e.imports)) {
		if e.aliased[path] {
			f.ImportAlias(path, e.imports[path])
		} else {
			f.ImportName(path, e.imports[path])
		}
	}
	for i, d := range decls {
		if i > 0 {
			f.Line()
		}
		f.Add(d)
	}
	var b bytes.Buffer
	if err := f.Render(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// importName records the name under which path is imported: its package
// name, unless the annotated package declares that name itself.
func (e *emitter) importName(path, name string) {
	if _, ok := e.imports[path]; ok {
		return
	}
	taken := func(n string) bool {
		if e.pkg.Scope().Lookup(n) != nil {
			return true
		}
		for _, other := range e.imports {
			if other == n {
				return true
			}
		}
		return false
	}
	alias := name
	if taken(alias) {
		alias = "mcpauth" + name
	}
	for i := 2; taken(alias); i++ {
		alias = "mcpauth" + name + strconv.Itoa(i)
	}
	e.imports[path] = alias
	e.aliased[path] = alias != name
}

// qual refers to a package-level name of package p.
func (e *emitter) qual(p *types.Package, name string) *jen.Statement {
	if p != e.pkg {
		e.importName(p.Path(), p.Name())
	}
	return jen.Qual(p.Path(), name)
}

// multi lays out a list one item per line.
func multi(open, close string, items ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: open, Close: close, Separator: ",", Multi: true}, items...)
}

func field(name string, value jen.Code) jen.Code {
	return jen.Id(name).Op(":").Add(value)
}

// register emits the registration of c.
func (e *emitter) register(g *jen.Group, srv string, c *component) {
	var def jen.Code
	var add string
	switch c.Kind {
	case kindTool:
		add = "AddTool"
		items := []jen.Code{field("Name", jen.Lit(c.Name))}
		if c.Title != "" {
			items = append(items, field("Title", jen.Lit(c.Title)))
		}
		if c.Description != "" {
			items = append(items, field("Description", jen.Lit(c.Description)))
		}
		items = append(items, field("RawInputSchema", jen.Qual("encoding/json", "RawMessage").Call(rawString(c.Schema))))
		var hints []jen.Code
		if c.Title != "" {
			hints = append(hints, field("Title", jen.Lit(c.Title)))
		}
		for _, h := range []struct {
			set  bool
			name string
		}{
			{c.Hints.ReadOnly, "ReadOnlyHint"},
			{c.Hints.Destructive, "DestructiveHint"},
			{c.Hints.Idempotent, "IdempotentHint"},
			{c.Hints.OpenWorld, "OpenWorldHint"},
		} {
			if h.set {
				hints = append(hints, field(h.name, jen.Qual(mcpPath, "ToBoolPtr").Call(jen.True())))
			}
		}
		if len(hints) > 0 {
			items = append(items, field("Annotations", jen.Qual(mcpPath, "ToolAnnotation").Add(multi("{", "}", hints...))))
		}
		def = jen.Qual(mcpPath, "Tool").Add(multi("{", "}", items...))
	case kindResource:
		add = "AddResource"
		opts := []jen.Code{jen.Lit(c.URI), jen.Lit(c.Name)}
		if c.Title != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithResourceTitle").Call(jen.Lit(c.Title)))
		}
		if c.Description != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithResourceDescription").Call(jen.Lit(c.Description)))
		}
		opts = append(opts, jen.Qual(mcpPath, "WithMIMEType").Call(jen.Lit(c.MIME)))
		def = jen.Qual(mcpPath, "NewResource").Add(multi("(", ")", opts...))
	case kindTemplate:
		add = "AddResourceTemplate"
		opts := []jen.Code{jen.Lit(c.URI), jen.Lit(c.Name)}
		if c.Title != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithTemplateTitle").Call(jen.Lit(c.Title)))
		}
		if c.Description != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithTemplateDescription").Call(jen.Lit(c.Description)))
		}
		opts = append(opts, jen.Qual(mcpPath, "WithTemplateMIMEType").Call(jen.Lit(c.MIME)))
		def = jen.Qual(mcpPath, "NewResourceTemplate").Add(multi("(", ")", opts...))
	case kindPrompt:
		add = "AddPrompt"
		opts := []jen.Code{jen.Lit(c.Name)}
		if c.Title != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithPromptTitle").Call(jen.Lit(c.Title)))
		}
		if c.Description != "" {
			opts = append(opts, jen.Qual(mcpPath, "WithPromptDescription").Call(jen.Lit(c.Description)))
		}
		for _, a := range c.Args {
			argOpts := []jen.Code{jen.Lit(a.Name)}
			if a.Required {
				argOpts = append(argOpts, jen.Qual(mcpPath, "RequiredArgument").Call())
			}
			if a.Description != "" {
				argOpts = append(argOpts, jen.Qual(mcpPath, "ArgumentDescription").Call(jen.Lit(a.Description)))
			}
			opts = append(opts, jen.Qual(mcpPath, "WithArgument").Call(argOpts...))
		}
		def = jen.Qual(mcpPath, "NewPrompt").Add(multi("(", ")", opts...))
	}
	var handler jen.Code = jen.Id(e.wrappers[c])
	if c.Kind == kindTool && len(c.callChecks()) > 0 {
		add, handler = "AddToolCall", jen.Id(e.wrappers[c]).Call()
	}
	args := []jen.Code{def, handler}
	for _, t := range c.Auth {
		if t.Check != nil && t.Check.Call != nil {
			continue // see callOptions
		}
		if t.Scopes != nil {
			args = append(args, rt("WithScopes").Call(lits(t.Scopes)...))
			continue
		}
		// The term as written names the check in decisions.
		args = append(args, rt("WithRule").Call(jen.Lit(t.String()), e.authCheck(t)))
	}
	args = append(args, e.callOptions(c)...)
	if len(c.Tags) > 0 {
		args = append(args, rt("WithTags").Call(lits(c.Tags)...))
	}
	g.Id(srv).Dot(add).Call(args...)
}

func lits(ss []string) []jen.Code {
	out := make([]jen.Code, len(ss))
	for i, s := range ss {
		out[i] = jen.Lit(s)
	}
	return out
}

// rawString writes s as a raw string literal; a backquote in s, which
// only JSON string contents can hold, is escaped the JSON way.
func rawString(s string) jen.Code {
	return jen.Op("`" + strings.ReplaceAll(s, "`", `\u0060`) + "`")
}

// check emits a check expression as runtime.WithRule takes it.
func (e *emitter) check(ce *checkExpr) jen.Code {
	x := e.expr(ce)
	if !ce.Direct {
		x = e.rt("Check").Call(x)
	}
	if ce.MayPanic {
		// Evaluated once, when Register runs; a panic names the annotation.
		return e.rt("CheckAt").Call(jen.Lit(ce.Pos), jen.Lit(ce.Text), jen.Func().Params().Add(e.rt("Checker")).Block(jen.Return(x)))
	}
	return x
}

// expr emits a check expression as written, its references to other
// packages qualified with the generated file's imports.
func (e *emitter) expr(ce *checkExpr) *jen.Statement {
	x := jen.Null()
	for _, p := range ce.Parts {
		if p.Path == "" {
			x.Op(p.Text)
			continue
		}
		x.Add(e.qualPath(p.Path, p.Pkg, p.Text))
	}
	return x
}

func (e *emitter) qualPath(path, pkgName, name string) *jen.Statement {
	e.importName(path, pkgName)
	return jen.Qual(path, name)
}

func wrapperName(c *component) string {
	switch c.Kind {
	case kindTool:
		return "mcpauthTool" + exported(c.Func)
	case kindPrompt:
		return "mcpauthPrompt" + exported(c.Func)
	}
	return "mcpauthResource" + exported(c.Func)
}

// wrapper emits the handler mcp-go calls for c: it decodes the request,
// calls the annotated function and encodes its result.
func (e *emitter) wrapper(c *component) *jen.Statement {
	e.l = e.localsFor(c)
	if c.Kind == kindTool && len(c.callChecks()) > 0 {
		return e.toolCallWrapper(c)
	}
	ctx := jen.Id(e.l.ctx).Qual("context", "Context")
	var req, result jen.Code
	switch c.Kind {
	case kindTool:
		req = jen.Id(e.l.req).Qual(mcpPath, "CallToolRequest")
		result = jen.Params(jen.Op("*").Qual(mcpPath, "CallToolResult"), jen.Error())
	case kindResource, kindTemplate:
		req = jen.Id(e.l.req).Qual(mcpPath, "ReadResourceRequest")
		result = jen.Params(jen.Index().Qual(mcpPath, "ResourceContents"), jen.Error())
	case kindPrompt:
		req = jen.Id(e.l.req).Qual(mcpPath, "GetPromptRequest")
		result = jen.Params(jen.Op("*").Qual(mcpPath, "GetPromptResult"), jen.Error())
	}
	return jen.Commentf("%s serves the %s %s with %s.", e.wrappers[c], c.Kind, c.Name, c.Func).Line().
		Func().Id(e.wrappers[c]).Params(ctx, req).Add(result).BlockFunc(func(g *jen.Group) {
		callArgs := e.decode(g, c)
		if c.Ctx {
			callArgs = append([]jen.Code{jen.Id(e.l.ctx)}, callArgs...)
		}
		e.result(g, c, jen.Id(c.Func).Call(callArgs...))
	})
}

// decode emits the decoding of the request's arguments and returns the
// arguments of the call to the annotated function.
func (e *emitter) decode(g *jen.Group, c *component) []jen.Code {
	if c.Kind == kindResource || c.Kind == kindTemplate {
		var args []jen.Code
		for _, a := range c.Args {
			args = append(args, rt("TemplateVar").Call(jen.Id(e.l.req), jen.Lit(a.Name)))
		}
		return args
	}
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
	if c.Kind == kindTool {
		g.If(jen.Id(e.l.res).Op(":=").Add(rt("BindArguments")).Call(bindArgs...), jen.Id(e.l.res).Op("!=").Nil()).Block(
			jen.Return(jen.Id(e.l.res), jen.Nil()),
		)
	} else {
		g.If(jen.Id(e.l.err).Op(":=").Add(rt("BindPromptArguments")).Call(bindArgs...), jen.Id(e.l.err).Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Id(e.l.err)),
		)
	}
	return call
}

// result emits the return of the wrapper: the annotated function's
// result converted by the runtime adapter of its kind and result type.
// The call goes straight into the adapter, unless the adapter also needs
// the request (resources).
func (e *emitter) result(g *jen.Group, c *component, call *jen.Statement) {
	var adapter string
	switch c.Result {
	case resultTextPtr:
		// A nil *string is empty text.
		adapter = "TextResult"
		switch c.Kind {
		case kindPrompt:
			adapter = "PromptText"
		case kindResource, kindTemplate:
			adapter = "TextContents"
		}
		args := func(text jen.Code) []jen.Code {
			if c.Kind == kindResource || c.Kind == kindTemplate {
				return []jen.Code{jen.Id(e.l.req), jen.Lit(c.MIME), text, jen.Id(e.l.err)}
			}
			return []jen.Code{text, jen.Id(e.l.err)}
		}
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.If(jen.Id(e.l.out).Op("==").Nil()).Block(jen.Return(rt(adapter).Call(args(jen.Lit(""))...)))
		g.Return(rt(adapter).Call(args(jen.Op("*").Id(e.l.out))...))
		return
	case resultToolResultValue:
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.Return(rt("ToolResult").Call(jen.Op("&").Id(e.l.out), jen.Id(e.l.err)))
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
	switch c.Kind {
	case kindTool:
		switch c.Result {
		case resultText:
			adapter = "TextResult"
		case resultToolResult:
			adapter = "ToolResult"
		default:
			adapter = "StructuredResult"
		}
	case kindPrompt:
		switch c.Result {
		case resultText:
			adapter = "PromptText"
		default:
			adapter = "PromptMessages"
		}
	default:
		switch c.Result {
		case resultText:
			adapter = "TextContents"
		case resultBlob:
			adapter = "BlobContents"
		default:
			adapter = "JSONContents"
		}
		g.List(jen.Id(e.l.out), jen.Id(e.l.err)).Op(":=").Add(call)
		g.Return(rt(adapter).Call(jen.Id(e.l.req), jen.Lit(c.MIME), jen.Id(e.l.out), jen.Id(e.l.err)))
		return
	}
	g.Return(rt(adapter).Call(call))
}

// rt refers to a name of the runtime package.
func rt(name string) *jen.Statement { return jen.Qual(runtimePath, name) }

// rt refers to a name of the backend's runtime package.
func (e *emitter) rt(name string) *jen.Statement { return jen.Qual(e.rtPath, name) }

// typ emits a Go type.
func (e *emitter) typ(t types.Type) jen.Code {
	switch t := t.(type) {
	case *types.Alias:
		if t.Obj().Pkg() == nil {
			return jen.Id(t.Obj().Name())
		}
		return e.qual(t.Obj().Pkg(), t.Obj().Name()).Add(e.typeArgs(t.TypeArgs()))
	case *types.Named:
		if t.Obj().Pkg() == nil {
			return jen.Id(t.Obj().Name())
		}
		return e.qual(t.Obj().Pkg(), t.Obj().Name()).Add(e.typeArgs(t.TypeArgs()))
	case *types.Basic:
		return jen.Id(t.Name())
	case *types.Pointer:
		return jen.Op("*").Add(e.typ(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(e.typ(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(e.typ(t.Elem()))
	case *types.Map:
		return jen.Map(e.typ(t.Key())).Add(e.typ(t.Elem()))
	case *types.Interface:
		return jen.Interface()
	case *types.Struct:
		var fields []jen.Code
		for i := range t.NumFields() {
			f := t.Field(i)
			var fc *jen.Statement
			if f.Embedded() {
				fc = jen.Add(e.typ(f.Type()))
			} else {
				fc = jen.Id(f.Name()).Add(e.typ(f.Type()))
			}
			if tag := t.Tag(i); tag != "" {
				if strings.Contains(tag, "`") {
					fc.Op(strconv.Quote(tag))
				} else {
					fc.Op("`" + tag + "`")
				}
			}
			fields = append(fields, fc)
		}
		return jen.Struct(fields...)
	}
	// Validation lets no other type through.
	panic("mcpauthgen: cannot emit type " + t.String())
}

func (e *emitter) typeArgs(l *types.TypeList) jen.Code {
	if l.Len() == 0 {
		return jen.Null()
	}
	var args []jen.Code
	for i := range l.Len() {
		args = append(args, e.typ(l.At(i)))
	}
	return jen.Types(args...)
}
