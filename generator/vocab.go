package generator

import (
	"slices"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// vocabularies are the scopes and tags declared by the //mcp:scopes and
// //mcp:tags lines of every package of a run: a vocabulary declared once,
// anywhere, serves every package generated with it.
type vocabularies struct {
	scopes []string // in the order found; nil when none is declared
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
