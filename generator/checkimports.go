package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// A check expression may name a package that the directive's file does
// not import, when no code of that file uses it: Go would reject the
// import as unused, and only the generated file needs it. The package is
// found among those the annotated package depends on, by name; the
// generated file imports it.

// checkImporting type-checks text, a check expression whose identifier
// name is undefined in the directive's file, as if that file also
// imported the one package named name among the package's dependencies.
// It returns the expression, parsed in the package's file set, and its
// type information, or false when there is no such package, or several,
// or the expression is still wrong (the caller reports the first error).
func (v *validator) checkImporting(text string, at token.Pos, name string) (ast.Expr, *types.Info, bool) {
	if strings.Contains(name, ".") {
		return nil, nil, false
	}
	deps := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if _, ok := deps[imp.Path()]; !ok {
				deps[imp.Path()] = imp
				walk(imp)
			}
		}
	}
	walk(v.pkg.Types)
	var found *types.Package
	for _, p := range deps {
		if p.Name() == name {
			if found != nil {
				return nil, nil, false // ambiguous
			}
			found = p
		}
	}
	if found == nil {
		return nil, nil, false
	}
	var file *ast.File
	for _, f := range v.pkg.Syntax {
		if f.FileStart <= at && at < f.FileEnd {
			file = f
		}
	}
	if file == nil {
		return nil, nil, false
	}
	var src strings.Builder
	fmt.Fprintf(&src, "package %s\n\n", v.pkg.Types.Name())
	for _, imp := range file.Imports {
		if imp.Name != nil {
			src.WriteString("import " + imp.Name.Name + " " + imp.Path.Value + "\n")
		} else {
			src.WriteString("import " + imp.Path.Value + "\n")
		}
	}
	fmt.Fprintf(&src, "import %s %s\n\nvar _ = ", name, strconv.Quote(found.Path()))
	src.WriteString(text)
	src.WriteString("\n")
	f, err := parser.ParseFile(v.pkg.Fset, "", src.String(), parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, false
	}
	gd, ok := f.Decls[len(f.Decls)-1].(*ast.GenDecl)
	if !ok || len(gd.Specs) != 1 {
		return nil, nil, false
	}
	expr := gd.Specs[0].(*ast.ValueSpec).Values[0]
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	failed := false
	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if p, ok := deps[path]; ok {
				return p, nil
			}
			return nil, fmt.Errorf("package %s is not a dependency", path)
		}),
		Error: func(err error) {
			if te, ok := err.(types.Error); !ok || !te.Soft {
				failed = true
			}
		},
	}
	_ = types.NewChecker(conf, v.pkg.Fset, v.pkg.Types, info).Files([]*ast.File{f})
	if failed {
		return nil, nil, false
	}
	return expr, info, true
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
