package generator

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
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
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedModule

// load loads the packages matching patterns, once.
func load(cfg Config, patterns []string) ([]*packages.Package, error) {
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	header := []byte(Header + "\n")
	mode := loadMode
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
	// broken is set when the line has mistakes: its component is not
	// generated, but its handler is still checked, so that one run
	// reports every mistake.
	broken bool
}

// placement says where a directive line sits.
type placement int

const (
	onFunc   placement = iota // in the doc comment of a top-level function
	onMethod                  // in the doc comment of a method
	onDecl                    // in the doc comment of another declaration, spec or field
	loose                     // in any other comment
)

// findDirectives parses every //mcp: line of the package's files, in file
// and position order, and reports syntax errors, near misses such as
// "// mcp:tool", and directives in files whose code the generated file
// cannot rely on.
func findDirectives(pkg *packages.Package, output string, e *errs) []*directive {
	fset := pkg.Fset
	var out []*directive
	for _, f := range pkg.Syntax {
		name := fset.File(f.FileStart).Name()
		if filepath.Base(name) == output {
			continue
		}
		constraint := fileConstraint(f, name)
		owners := docOwners(f)
		for _, g := range f.Comments {
			for _, c := range g.List {
				if !annotations.IsDirective(c.Text) {
					if want, ok := annotations.NearMiss(c.Text); ok {
						e.atPos(c.Slash, "%q is not a directive; did you mean %s? (no blank after //, lower case)", nearMissText(c.Text, want), want)
					}
					continue
				}
				p := fset.Position(c.Slash)
				line, lerrs := annotations.Parse(c.Text, p)
				e.list = append(e.list, lerrs...)
				if line == nil {
					continue
				}
				d := &directive{line: line, pos: c.Slash, broken: len(lerrs) > 0}
				if dir, ok := line.(*annotations.Directive); ok && constraint != "" {
					e.atPos(c.Slash, "//mcp:%s in a file %s: the generated file is built on every platform; move the handler to a file without build constraints", dir.Kind, constraint)
					continue
				}
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
	unreadFiles(pkg, output, e)
	// Source order, whatever order the files came in.
	slices.SortFunc(out, func(a, b *directive) int {
		pa, pb := fset.Position(a.pos), fset.Position(b.pos)
		return cmp.Or(strings.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset))
	})
	return out
}

// nearMissText returns the text of a near-miss directive up to its kind,
// for messages: "//MCP:tool" of "//MCP:tool auth=public".
func nearMissText(text, want string) string {
	colon := strings.IndexByte(text, ':')
	kind := strings.TrimPrefix(want, "//mcp:")
	if i := strings.Index(strings.ToLower(text[colon:]), kind); colon >= 0 && i >= 0 {
		return text[:colon+i+len(kind)]
	}
	return text
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

// fileConstraint describes the build constraint of a file that is part
// of the build here but may not be elsewhere: a //go:build line or a
// GOOS/GOARCH file name suffix; "" when it has none.
func fileConstraint(f *ast.File, filename string) string {
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if constraint.IsGoBuild(c.Text) || constraint.IsPlusBuild(c.Text) {
				return "with the build constraint " + strings.TrimPrefix(c.Text, "//")
			}
		}
	}
	if suffix := platformSuffix(filepath.Base(filename)); suffix != "" {
		return "named for " + suffix + " only"
	}
	return ""
}

// platformSuffix returns the GOOS, GOARCH or GOOS_GOARCH suffix of a Go
// file name, as go/build reads it, or "".
func platformSuffix(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".go"), "_test")
	parts := strings.Split(name, "_")
	n := len(parts)
	if n >= 3 && knownOS[parts[n-2]] && knownArch[parts[n-1]] {
		return parts[n-2] + "_" + parts[n-1]
	}
	if n >= 2 && (knownOS[parts[n-1]] || knownArch[parts[n-1]]) {
		return parts[n-1]
	}
	return ""
}

// The GOOS and GOARCH values go/build recognises in file names
// (internal/syslist).
var (
	knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
		"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos")
	knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
		"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
		"riscv64", "s390", "s390x", "sparc", "sparc64", "wasm")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// unreadFiles reports //mcp: lines, and near misses, in the package's
// files that the build leaves out here: _test.go files, which the
// generated file cannot call into, and files excluded by build
// constraints. The loader does not parse them; they are read only when
// they mention "mcp" at all.
func unreadFiles(pkg *packages.Package, output string, e *errs) {
	var files []string
	files = append(files, pkg.IgnoredFiles...)
	if tests, err := filepath.Glob(filepath.Join(pkg.Dir, "*_test.go")); err == nil && pkg.Dir != "" {
		files = append(files, tests...)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	for _, name := range files {
		if filepath.Base(name) == output || !strings.HasSuffix(name, ".go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil || !bytes.Contains(bytes.ToLower(src), []byte("mcp")) {
			continue
		}
		f, err := parser.ParseFile(pkg.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		why := "a _test.go file, which the generated file cannot use; move it to a file without the _test suffix"
		if !strings.HasSuffix(name, "_test.go") {
			why = "a file excluded by build constraints; the generated file is built on every platform, so move it to a file without constraints"
		}
		_ = err // a syntax error elsewhere in the file does not hide its comments
		for _, g := range f.Comments {
			for _, c := range g.List {
				switch want, near := annotations.NearMiss(c.Text); {
				case annotations.IsDirective(c.Text):
					kind, _, _ := strings.Cut(strings.TrimPrefix(c.Text, "//mcp:"), " ")
					e.atPos(c.Slash, "//mcp:%s is in %s", kind, why)
				case near:
					e.atPos(c.Slash, "%q is not a directive; did you mean %s? (no blank after //, lower case)", nearMissText(c.Text, want), want)
				}
			}
		}
	}
}

func sourceName(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
