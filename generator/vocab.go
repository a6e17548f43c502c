package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// vocabularies are the scopes and tags a package is checked against: those
// declared by the //mcp:scopes and //mcp:tags lines of every package of
// its module in the run. A vocabulary declared once serves every package
// that a "mcpauthgen ./..." run at the module root generates.
type vocabularies struct {
	scopes []string // in the order found; nil when none is declared
	roles  []string
	tags   []string
}

// add adds the words of the vocabulary lines among dirs. A broken line
// still declares its valid words, so that they are not reported where
// they are used.
func (v *vocabularies) add(dirs []*directive) {
	for _, d := range dirs {
		switch l := d.line.(type) {
		case *annotations.Scopes:
			v.scopes = addWords(v.scopes, l.Words)
		case *annotations.Roles:
			v.roles = addWords(v.roles, l.Words)
		case *annotations.Tags:
			v.tags = addWords(v.tags, l.Words)
		}
	}
}

func addWords(list []string, words []annotations.Word) []string {
	for _, w := range words {
		if !slices.Contains(list, w.Text) {
			list = append(list, w.Text)
		}
	}
	return list
}

// checkScope reports a scope outside a declared scope vocabulary.
func (v *vocabularies) checkScope(e *errs, w annotations.Word) {
	check(e, "scope", "//mcp:scopes", v.scopes, w)
}

// checkRole reports a role outside a declared role vocabulary.
func (v *vocabularies) checkRole(e *errs, w annotations.Word) {
	check(e, "role", "//mcp:roles", v.roles, w)
}

// checkTag reports a tag outside a declared tag vocabulary.
func (v *vocabularies) checkTag(e *errs, w annotations.Word) {
	check(e, "tag", "//mcp:tags", v.tags, w)
}

func check(e *errs, what, line string, vocab []string, w annotations.Word) {
	if len(vocab) == 0 || slices.Contains(vocab, w.Text) {
		return
	}
	if sg := annotations.Suggest(w.Text, vocab); sg != "" {
		e.at(w.Pos, "%s %q is not in the %s vocabulary; did you mean %q?", what, w.Text, line, sg)
		return
	}
	e.at(w.Pos, "%s %q is not in the %s vocabulary (%s)", what, w.Text, line, strings.Join(vocab, " "))
}

// checkLiterals checks the string literals passed to RequireScopes,
// RequireRoles and RestrictTag (of package runtime, gosdk or authz)
// within a check(…) expression against the vocabularies: RequireScopes
// takes scopes; RequireRoles roles; RestrictTag a tag, then scopes. at
// converts a position of expr to one in the directive.
func (v *vocabularies) checkLiterals(e *errs, expr ast.Expr, info *types.Info, at func(token.Pos) token.Position) {
	ast.Inspect(expr, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var id *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		}
		fn, _ := info.Uses[id].(*types.Func)
		if fn == nil || fn.Pkg() == nil || !slices.Contains([]string{runtimePath, gosdkPath, authzPath}, fn.Pkg().Path()) {
			return true
		}
		var tags int // leading arguments that are tags
		roles := false
		switch fn.Name() {
		case "RequireScopes":
		case "RequireRoles":
			roles = true
		case "RestrictTag":
			tags = 1
		default:
			return true
		}
		for i, a := range call.Args {
			lit, ok := ast.Unparen(a).(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			w := annotations.Word{Text: s, Pos: at(lit.Pos())}
			switch {
			case i < tags:
				v.checkTag(e, w)
			case roles:
				v.checkRole(e, w)
			default:
				v.checkScope(e, w)
			}
		}
		return true
	})
}
