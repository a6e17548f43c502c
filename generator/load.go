package generator

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// loadMode is every bit of package information the generator uses:
// names and files to place the output, syntax for the directives and doc
// comments, types to validate handlers and checks. Dependencies come from
// export data.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes

// load loads the packages matching patterns, once.
func load(cfg Config, patterns []string) ([]*packages.Package, error) {
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	header := []byte(Header + "\n")
	mode := loadMode
	if cfg.module {
		mode |= packages.NeedModule
	}
	pcfg := &packages.Config{
		Mode: mode,
		Dir:  cfg.Dir,
		// The generator reads declarations only, so function bodies are
		// dropped before type checking, which makes it much cheaper. The
		// package's own generated file is reduced to its package clause:
		// after the annotations change it may no longer compile, and it is
		// about to be replaced anyway.
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			mode := parser.ParseComments | parser.SkipObjectResolution
			if filepath.Base(filename) == cfg.Output && bytes.HasPrefix(src, header) {
				mode = parser.PackageClauseOnly
			}
			f, err := parser.ParseFile(fset, filename, src, mode)
			if f != nil {
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok {
						fd.Body = nil
					}
				}
			}
			return f, err
		},
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, &LoadError{Errs: []error{err}}
	}
	var loadErrs []error
	for _, p := range pkgs {
		for _, e := range p.Errors {
			// Type errors are judged later, when a component depends on
			// them: a package that calls the not yet generated Register
			// function, or whose generated file is stale, must still be
			// generated. The same goes for the compiler's report on the
			// package itself ("# path" and its errors), which go list
			// gives when it builds the export data the loader asks for:
			// the package's own type check, from source, supersedes it.
			if e.Kind == packages.TypeError || e.Kind == packages.ListError && strings.HasPrefix(e.Msg+"\n", "# "+p.PkgPath+"\n") {
				continue
			}
			loadErrs = append(loadErrs, loadError(e))
		}
	}
	if len(loadErrs) > 0 {
		return nil, &LoadError{Errs: loadErrs}
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	return pkgs, nil
}

// loadError formats a packages.Error as file:line:col: message, or just
// the message when it has no position.
func loadError(e packages.Error) error {
	if e.Pos == "" || e.Pos == "-" {
		return errors.New(e.Msg)
	}
	return fmt.Errorf("%s: %s", e.Pos, e.Msg)
}

// directive is an //mcp: line found in a package, with the declaration
// whose doc comment holds it.
type directive struct {
	line  annotations.Line
	pos   token.Pos
	place placement
	fn    *ast.FuncDecl // the function or method whose doc holds the line
}

// placement says where a directive line sits.
type placement int

const (
	onFunc   placement = iota // in the doc comment of a top-level function
	onMethod                  // in the doc comment of a method
	onDecl                    // in the doc comment of another declaration, spec or field
	loose                     // in any other comment
)

// findDirectives parses every //mcp: line of the files, in file and
// position order, and reports syntax errors.
func findDirectives(fset *token.FileSet, files []*ast.File, output string, e *errs) []*directive {
	var out []*directive
	for _, f := range files {
		name := fset.File(f.FileStart).Name()
		if filepath.Base(name) == output {
			continue
		}
		owners := docOwners(f)
		for _, g := range f.Comments {
			for _, c := range g.List {
				if !annotations.IsDirective(c.Text) {
					continue
				}
				p := fset.Position(c.Slash)
				line, lerrs := annotations.Parse(c.Text, annotations.Pos{Filename: p.Filename, Line: p.Line, Column: p.Column})
				for _, le := range lerrs {
					e.at(token.Position{Filename: le.Pos.Filename, Line: le.Pos.Line, Column: le.Pos.Column}, "%s", le.Msg)
				}
				if _, vocab := line.(*annotations.Scopes); line == nil || len(lerrs) > 0 && !vocab {
					// A broken line says nothing reliable about its
					// function: its mistakes are all there is to report.
					// A broken //mcp:scopes line still lists its valid,
					// distinct scopes, which keeps the vocabulary check
					// from reporting scopes the line meant to declare.
					continue
				}
				d := &directive{line: line, pos: c.Slash}
				switch o := owners[g].(type) {
				case *ast.FuncDecl:
					d.fn = o
					if o.Recv != nil {
						d.place = onMethod
					}
				case nil:
					d.place = loose
				default:
					d.place = onDecl
				}
				out = append(out, d)
			}
		}
	}
	// Source order, whatever order the files came in.
	slices.SortFunc(out, func(a, b *directive) int {
		pa, pb := fset.Position(a.pos), fset.Position(b.pos)
		return cmp.Or(strings.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset))
	})
	return out
}

// docOwners maps the doc comments of a file's declarations to the
// declaration (or spec or field) they document.
func docOwners(f *ast.File) map[*ast.CommentGroup]ast.Node {
	m := make(map[*ast.CommentGroup]ast.Node)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				m[d.Doc] = d
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				m[d.Doc] = d
			}
			for _, s := range d.Specs {
				var doc *ast.CommentGroup
				switch s := s.(type) {
				case *ast.TypeSpec:
					doc = s.Doc
				case *ast.ValueSpec:
					doc = s.Doc
				case *ast.ImportSpec:
					doc = s.Doc
				}
				if doc != nil {
					m[doc] = s
				}
			}
		}
	}
	// Struct fields and interface methods.
	ast.Inspect(f, func(n ast.Node) bool {
		if fl, ok := n.(*ast.Field); ok && fl.Doc != nil {
			m[fl.Doc] = fl
		}
		return true
	})
	return m
}

// fieldDocs maps the position of each struct field name (and of each
// embedded field's type) in files to the field's documentation: its doc
// comment, else its line comment.
func fieldDocs(files []*ast.File) map[token.Pos]string {
	m := make(map[token.Pos]string)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fl := range st.Fields.List {
				doc := fl.Doc.Text()
				if doc == "" {
					doc = fl.Comment.Text()
				}
				doc = strings.TrimSpace(doc)
				if doc == "" {
					continue
				}
				if len(fl.Names) == 0 {
					m[embeddedPos(fl.Type)] = doc
				}
				for _, n := range fl.Names {
					m[n.Pos()] = doc
				}
			}
			return true
		})
	}
	return m
}

// embeddedPos returns the position go/types gives an embedded field: that
// of its type name.
func embeddedPos(x ast.Expr) token.Pos {
	for {
		switch t := x.(type) {
		case *ast.StarExpr:
			x = t.X
		case *ast.SelectorExpr:
			return t.Sel.Pos()
		case *ast.IndexExpr:
			x = t.X
		case *ast.IndexListExpr:
			x = t.X
		default:
			return x.Pos()
		}
	}
}

func sourceName(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
