package annotations

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParse checks that Parse never panics, is deterministic, keeps every
// position on the line, and that a line without errors survives a round
// trip through String. Seeds live in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add(`//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write`)
	f.Add(`//mcp:resource uri=users://{id}/profile auth=scopes(read) // template`)
	f.Add(`//mcp:scopes read write admin`)
	f.Fuzz(func(t *testing.T, text string) {
		pos := Pos{Filename: "f.go", Line: 7, Column: 5}
		l, errs := Parse(text, pos)

		// The memoised scan of a line agrees with walk, from the start and
		// from wherever a term could start.
		scan := &parser{text: text}
		for i, starts := 0, 0; i < len(text) && starts < 64; i++ {
			if i > 0 && !isBlank(text[i-1]) {
				continue
			}
			starts++
			wantEnd, wantErr := walk(text[i:], func(j int) bool { return isBlank(text[i+j]) })
			if wantErr != nil {
				wantErr.off += i
			}
			gotEnd, gotErr := scan.balancedEnd(i)
			if gotEnd != i+wantEnd || !cmp.Equal(gotErr, wantErr, cmp.AllowUnexported(lexErr{})) {
				t.Fatalf("balancedEnd(%q, %d) = %d, %v; walk says %d, %v", text, i, gotEnd, gotErr, i+wantEnd, wantErr)
			}
		}

		l2, errs2 := Parse(text, pos)
		if diff := cmp.Diff(l, l2); diff != "" {
			t.Fatalf("Parse(%q) is not deterministic (-first +second):\n%s", text, diff)
		}
		if diff := cmp.Diff(errs, errs2); diff != "" {
			t.Fatalf("Parse(%q) errors are not deterministic (-first +second):\n%s", text, diff)
		}

		onLine := func(what string, p Pos) {
			t.Helper()
			if p.Filename != pos.Filename || p.Line != pos.Line || p.Column < pos.Column || p.Column > pos.Column+len(text) {
				t.Fatalf("Parse(%q): %s at %v, outside the line", text, what, p)
			}
		}
		for _, e := range errs {
			onLine("error "+e.Msg, e.Pos)
			if e.Msg == "" || !utf8.ValidString(e.Msg) && utf8.ValidString(text) {
				t.Fatalf("Parse(%q): bad message %q", text, e.Msg)
			}
		}
		if !slices.IsSortedFunc(errs, func(a, b *Error) int { return a.Pos.Column - b.Pos.Column }) {
			t.Fatalf("Parse(%q): errors not sorted:\n%v", text, errs)
		}
		if !IsDirective(text) {
			if l != nil || len(errs) != 1 {
				t.Fatalf("Parse(%q) of a non-directive = %v, %v", text, l, errs)
			}
			return
		}
		if len(errs) > 0 {
			return
		}
		if l == nil {
			t.Fatalf("Parse(%q) = nil without errors", text)
		}
		for _, w := range positions(l) {
			onLine("model position", w)
		}
		checkInvariants(t, text, l)

		// Round trip: the canonical form parses to the same model.
		canon := l.String()
		l3, errs3 := Parse(canon, pos)
		if len(errs3) > 0 {
			t.Fatalf("Parse(%q).String() = %q, which does not parse:\n%v", text, canon, errs3)
		}
		if diff := cmp.Diff(l, l3, cmpopts.IgnoreTypes(Pos{})); diff != "" {
			t.Fatalf("round trip of %q through %q changed the model (-before +after):\n%s", text, canon, diff)
		}
		if again := l3.String(); again != canon {
			t.Fatalf("String is not stable: %q, then %q", canon, again)
		}
	})
}

// positions returns every position recorded in l.
func positions(l Line) []Pos {
	var ps []Pos
	words := func(ws []Word) {
		for _, w := range ws {
			ps = append(ps, w.Pos)
		}
	}
	switch l := l.(type) {
	case *Scopes:
		ps = append(ps, l.Pos)
		words(l.Words)
	case *Schema:
		ps = append(ps, l.Pos, l.Convention.Pos)
		for _, v := range []Value{l.Required, l.AdditionalProperties} {
			if v.Set {
				ps = append(ps, v.Pos)
			}
		}
	case *Directive:
		ps = append(ps, l.Pos)
		for _, v := range []Value{l.Name, l.URI, l.Description, l.Title, l.MIME} {
			if v.Set {
				ps = append(ps, v.Pos)
			}
		}
		for _, f := range []Flag{l.ReadOnly, l.Destructive, l.Idempotent, l.OpenWorld} {
			if f.Set {
				ps = append(ps, f.Pos)
			}
		}
		words(l.Tags)
		words(l.URIVars)
		if l.Auth != nil {
			ps = append(ps, l.Auth.Pos)
			var terms func([]AuthTerm)
			terms = func(ts []AuthTerm) {
				for _, term := range ts {
					ps = append(ps, term.Pos)
					words(term.Scopes)
					words(term.Roles)
					if term.Kind == TermCheck {
						ps = append(ps, term.Expr.Pos)
					}
					terms(term.Terms)
				}
			}
			terms(l.Auth.Terms)
		}
	case *Roles:
		ps = append(ps, l.Pos)
		words(l.Words)
	}
	return ps
}

// checkInvariants checks what an error-free parse promises.
func checkInvariants(t *testing.T, text string, l Line) {
	t.Helper()
	fail := func(what string) {
		t.Helper()
		t.Fatalf("Parse(%q) without errors, but %s: %#v", text, what, l)
	}
	switch l := l.(type) {
	case *Roles:
		if len(l.Words) == 0 {
			fail("no roles")
		}
		for _, w := range l.Words {
			if checkRole(w.Text) != "" || w.Text == "" {
				fail("an invalid role")
			}
		}
	case *Scopes:
		if len(l.Words) == 0 {
			fail("no scopes")
		}
		for _, w := range l.Words {
			if checkScope(w.Text) != "" || w.Text == "" {
				fail("an invalid scope")
			}
		}
	case *Schema:
		if !slices.Contains(schemaConventions, l.Convention.Text) {
			fail("an unknown convention")
		}
		if l.Required.Set && !slices.Contains(requiredRules, l.Required.Text) || l.Required.Text == "tags" && l.Convention.Text != "invopop" {
			fail("an invalid required rule")
		}
		if l.AdditionalProperties.Set && l.AdditionalProperties.Text != "true" && l.AdditionalProperties.Text != "false" {
			fail("an invalid additionalProperties")
		}
	case *Directive:
		if l.Kind == KindResource && !l.URI.Set {
			fail("a resource without uri")
		}
		if l.Kind != KindResource && (l.URI.Set || l.MIME.Set || len(l.URIVars) > 0) {
			fail("uri or mime outside a resource")
		}
		if l.Kind != KindTool && (l.ReadOnly.Set || l.Destructive.Set || l.Idempotent.Set || l.OpenWorld.Set) {
			fail("a flag outside a tool")
		}
		if l.Name.Set && CheckName(l.Name.Text) != nil {
			fail("an invalid name")
		}
		for _, tag := range l.Tags {
			if tag.Text == "" {
				fail("an empty tag")
			}
		}
		if a := l.Auth; a != nil {
			if a.Public == (len(a.Terms) > 0) {
				fail("auth both or neither public and with terms")
			}
			var terms func(ts []AuthTerm)
			terms = func(ts []AuthTerm) {
				for _, term := range ts {
					switch term.Kind {
					case TermScopes:
						if len(term.Scopes) == 0 {
							fail("scopes() without scopes")
						}
						for _, w := range term.Scopes {
							if checkScope(w.Text) != "" || w.Text == "" {
								fail("an invalid scope")
							}
						}
					case TermRoles:
						if len(term.Roles) == 0 {
							fail("roles() without roles")
						}
						for _, w := range term.Roles {
							if checkRole(w.Text) != "" || w.Text == "" {
								fail("an invalid role")
							}
						}
					case TermCheck:
						if term.Expr.Text == "" || checkExpr(term.Expr.Text) != nil {
							fail("an invalid check expression")
						}
					case TermAny:
						if len(term.Terms) < 2 {
							fail("any() with fewer than two terms")
						}
						terms(term.Terms)
					default:
						fail("an auth term of no kind")
					}
				}
			}
			terms(a.Terms)
		}
	default:
		fail("an unknown line type")
	}
}
