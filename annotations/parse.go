package annotations

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const prefix = "//mcp:"

var (
	kindWords = []string{"backend", "policies", "prompt", "resource", "roles", "schema", "scopes", "tags", "tool"}
	keyWords  = []string{"auth", "description", "mime", "name", "tags", "title", "uri"}
	flagWords = []string{"destructive", "idempotent", "openworld", "readonly"}
	termWords = []string{"scopes", "roles", "check", "any", "public"}
)

// IsDirective reports whether the comment text is a directive line, that
// is, starts with "//mcp:". Parse reports every mistake in such a line,
// including an unknown kind.
func IsDirective(text string) bool { return strings.HasPrefix(text, prefix) }

// Parse parses one directive line. text is the whole comment as in
// ast.Comment.Text ("//mcp:tool name=x ..."); pos is the position of its
// first byte. The position of a byte of text is pos with the byte's offset
// added to the column.
//
// The result is a *Directive, *Scopes, *Roles, *Tags, *Schema or
// *Backend, and nil only when the line is not a directive or its kind is
// unknown. Parse goes on after a mistake and returns every error of the
// line, sorted by position; when there are errors, the result is a best
// effort and must not be used to generate code.
func Parse(text string, pos Pos) (Line, ErrorList) {
	p := &parser{text: text, pos: pos}
	var l Line
	if !IsDirective(text) {
		p.err(0, "not an //mcp: directive")
		return nil, p.errs
	}
	i := len(prefix)
	end := p.plainEnd(i)
	switch kind := text[i:end]; kind {
	case "tool":
		l = p.directive(KindTool, end)
	case "resource":
		l = p.directive(KindResource, end)
	case "prompt":
		l = p.directive(KindPrompt, end)
	case "scopes":
		s := &Scopes{Pos: p.at(0)}
		s.Words = p.vocabulary("scope", checkScope, end)
		l = s
	case "roles":
		r := &Roles{Pos: p.at(0)}
		r.Words = p.vocabulary("role", checkRole, end)
		l = r
	case "policies":
		l = p.policies(end)
	case "tags":
		t := &Tags{Pos: p.at(0)}
		t.Words = p.vocabulary("tag", checkTag, end)
		l = t
	case "schema":
		l = p.schema(end)
	case "backend":
		l = p.backend(end)
	case "":
		p.err(i, "missing directive kind after //mcp: (want tool, resource, prompt, scopes, roles, tags, schema, policies or backend)")
	default:
		p.unknown(i, "directive kind", kind, kindWords)
	}
	p.errs.Sort()
	return l, p.errs
}

type parser struct {
	text    string
	pos     Pos
	errs    ErrorList
	matches map[int]match // see match
}

// at returns the position of byte off of the line.
func (p *parser) at(off int) Pos {
	return Pos{Filename: p.pos.Filename, Line: p.pos.Line, Column: p.pos.Column + off}
}

func (p *parser) err(off int, msg string) {
	p.errs = append(p.errs, &Error{Pos: p.at(off), Msg: msg})
}

func (p *parser) errorf(off int, format string, args ...any) {
	p.err(off, fmt.Sprintf(format, args...))
}

// unknown reports an unknown word, with a suggestion when one is close.
func (p *parser) unknown(off int, what, word string, known []string) {
	if s := Suggest(word, known); s != "" {
		p.errorf(off, "unknown %s %q; did you mean %q?", what, word, s)
		return
	}
	p.errorf(off, "unknown %s %q (known: %s)", what, word, strings.Join(known, ", "))
}

// next skips blanks from i and returns where the next term starts, or
// len(text) at the end of the line or at a trailing "//" comment.
func (p *parser) next(i int) int {
	for i < len(p.text) && isBlank(p.text[i]) {
		i++
	}
	if strings.HasPrefix(p.text[i:], "//") {
		return len(p.text)
	}
	return i
}

// plainEnd returns the offset of the first blank at or after i, or len(text).
func (p *parser) plainEnd(i int) int {
	for i < len(p.text) && !isBlank(p.text[i]) {
		i++
	}
	return i
}

// termEnd returns where the term starting at i ends: at the first blank
// outside parentheses when they balance, else at the first blank.
func (p *parser) termEnd(i int) int {
	end, e := p.balancedEnd(i)
	if e != nil {
		return p.plainEnd(i)
	}
	return end
}

// balancedEnd is walk(text[i:]) stopping at the first blank at depth 0,
// with line offsets. It remembers which ")" closes each "(", so that
// scanning every term of a line stays linear even when nothing balances.
func (p *parser) balancedEnd(i int) (int, *lexErr) {
	t := p.text
	for j := i; j < len(t); j++ {
		switch c := t[j]; {
		case isBlank(c):
			return j, nil
		case c == ')':
			return j, &lexErr{j, msgUnexpectedParen}
		case c == '(':
			close, e := p.match(j)
			if e != nil {
				return len(t), e
			}
			j = close
		}
	}
	return len(t), nil
}

type match struct {
	close int
	err   *lexErr
}

// match returns the offset of the ")" that closes the "(" at text[k],
// skipping string and rune literals, or the error walk would report.
func (p *parser) match(k int) (int, *lexErr) {
	if m, ok := p.matches[k]; ok {
		return m.close, m.err
	}
	if p.matches == nil {
		p.matches = make(map[int]match)
	}
	t := p.text
	m := match{close: -1, err: &lexErr{k, msgMissingParen}}
scan:
	for j := k + 1; j < len(t); j++ {
		switch c := t[j]; c {
		case ')':
			m = match{close: j}
			break scan
		case '(':
			close, e := p.match(j)
			if e != nil {
				m.err = e
				break scan
			}
			j = close
		case '"', '\'', '`':
			q := skipLiteral(t, j)
			if q < 0 {
				m.err = &lexErr{j, unterminated(c)}
				break scan
			}
			j = q
		}
	}
	p.matches[k] = m
	return m.close, m.err
}

func (p *parser) directive(kind Kind, i int) *Directive {
	d := &Directive{Kind: kind, Pos: p.at(0)}
	seen := make(map[string]bool)
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		i = p.term(d, seen, i)
	}
	if kind == KindResource && !seen["uri"] {
		p.err(0, "resource needs uri=")
	}
	return d
}

func isKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// term parses the term at start and returns where it ends.
func (p *parser) term(d *Directive, seen map[string]bool, start int) int {
	t := p.text
	k := start
	for k < len(t) && isKeyByte(t[k]) {
		k++
	}
	key := t[start:k]
	switch {
	case k < len(t) && t[k] == '=':
		if key == "" {
			p.err(start, `missing key before "="`)
			_, end, _, _ := p.value(k+1, true, true)
			return end
		}
		return p.keyValue(d, seen, key, start, k+1)
	case k == len(t) || isBlank(t[k]):
		p.flag(d, seen, key, start)
		return k
	}
	end := p.termEnd(start)
	word := t[start:end]
	if strings.HasPrefix(word, "scopes(") || strings.HasPrefix(word, "roles(") || strings.HasPrefix(word, "check(") || strings.HasPrefix(word, "any(") {
		p.errorf(start, "invalid term %q; did you mean auth=%s?", word, word)
	} else {
		p.errorf(start, "invalid term %q: want key=value or a flag", word)
	}
	return end
}

// flagOf returns the field of the flag called name, or nil.
func (d *Directive) flagOf(name string) *Flag {
	switch name {
	case "readonly":
		return &d.ReadOnly
	case "destructive":
		return &d.Destructive
	case "idempotent":
		return &d.Idempotent
	case "openworld":
		return &d.OpenWorld
	}
	return nil
}

func (p *parser) flag(d *Directive, seen map[string]bool, name string, off int) {
	f := d.flagOf(name)
	switch {
	case f == nil && slices.Contains(keyWords, name):
		p.errorf(off, "key %q needs a value", name)
	case f == nil && name == "public":
		p.errorf(off, "unknown flag %q; did you mean auth=public?", name)
	case f == nil:
		p.unknown(off, "flag", name, flagWords)
	case d.Kind != KindTool:
		p.errorf(off, "%q is not valid on a %s", name, d.Kind)
	case seen[name]:
		p.errorf(off, "duplicate flag %q", name)
	case name == "destructive" && seen["readonly"] || name == "readonly" && seen["destructive"]:
		p.errorf(off, "%q contradicts %q: a read-only tool modifies nothing; keep one", name, map[string]string{"readonly": "destructive", "destructive": "readonly"}[name])
	default:
		seen[name] = true
		*f = Flag{Set: true, Pos: p.at(off)}
	}
}

// validOn reports whether the key may appear on a directive of kind k.
func validOn(key string, k Kind) bool {
	switch key {
	case "uri", "mime":
		return k == KindResource
	}
	return true
}

// keyValue parses the value of key (at keyOff), which starts at valOff,
// and returns where it ends.
func (p *parser) keyValue(d *Directive, seen map[string]bool, key string, keyOff, valOff int) int {
	known := slices.Contains(keyWords, key)
	v, end, quoted, ok := p.value(valOff, !known || key == "auth", !known)
	switch {
	case !known && slices.Contains(flagWords, key):
		p.errorf(keyOff, "flag %q takes no value", key)
		return end
	case !known:
		p.unknown(keyOff, "key", key, keyWords)
		return end
	case !validOn(key, d.Kind):
		p.errorf(keyOff, "%q is not valid on a %s", key, d.Kind)
		return end
	case seen[key]:
		p.errorf(keyOff, "duplicate key %q", key)
		return end
	}
	seen[key] = true
	if !ok {
		return end
	}
	if v.s == "" && !(quoted && (key == "description" || key == "title")) {
		p.errorf(keyOff, "key %q needs a value", key)
		return end
	}
	val := Value{Text: v.s, Pos: p.at(keyOff), Set: true}
	switch key {
	case "name":
		if err := CheckName(v.s); err != nil {
			p.err(keyOff, err.Error())
			break
		}
		d.Name = val
	case "uri":
		p.uri(d, val, keyOff, v)
	case "mime":
		if !validMIME(v.s) {
			p.errorf(keyOff, "invalid mime type %q: want type/subtype, as in text/plain", v.s)
			break
		}
		d.MIME = val
	case "title":
		d.Title = val
	case "description":
		d.Description = val
	case "auth":
		d.Auth = p.auth(keyOff, v)
	case "tags":
		d.Tags = p.tags(v)
	}
	return end
}

// value scans the value starting at off: a Go string literal, or a bare run
// of non-blank bytes in which, when parens is set, blanks inside balanced
// parentheses (and inside string literals within them) don't end the value.
// When such a value does not balance, it ends at the first blank and,
// unless lenient, the imbalance is reported. value returns the decoded
// value, the offset after it, whether it was quoted and whether it can be
// used (false after a reported error).
func (p *parser) value(off int, parens, lenient bool) (v seg, end int, quoted, ok bool) {
	t := p.text
	if q, closer := wrongQuote(t[off:]); q != "" {
		// A value quoted the wrong way: report it at the quote and skip
		// to the matching closer, so that its words are not taken for terms.
		end = len(t)
		if j := strings.Index(t[off+len(q):], closer); j >= 0 {
			end = off + len(q) + j + len(closer)
			end = p.plainEnd(end)
		}
		body := strings.TrimSuffix(t[off+len(q):end], closer)
		p.errorf(off, "values are quoted with straight double quotes, not %s: write %s", q, strconv.Quote(body))
		return seg{}, end, true, false
	}
	if off < len(t) && (t[off] == '"' || t[off] == '`') {
		j := skipLiteral(t, off)
		if j < 0 {
			p.err(off, unterminated(t[off]))
			return seg{}, len(t), true, false
		}
		v, e := unquote(t[off:j+1], off)
		end = j + 1
		if end < len(t) && !isBlank(t[end]) {
			e2 := p.plainEnd(end)
			p.errorf(end, "unexpected %q after string literal", t[end:e2])
			end = e2
		}
		if e != nil {
			p.err(e.off, e.msg)
			return seg{}, end, true, false
		}
		return v, end, true, true
	}
	pend := p.plainEnd(off)
	if parens {
		end, e := p.balancedEnd(off)
		if e == nil {
			return seg{s: t[off:end], base: off}, end, false, true
		}
		if !lenient {
			p.err(e.off, e.msg)
			switch e.msg {
			case msgUnexpectedParen:
				// Everything before the stray ")" balanced: end after it.
				end = p.plainEnd(e.off)
			case msgMissingParen:
				// End where a blank is not inside a literal, so that the
				// terms after the mistake are still parsed.
				end = off + blankEnd(t[off:])
			default: // an unterminated literal
				end = pend
			}
			return seg{}, end, false, false
		}
	}
	return seg{s: t[off:pend], base: off}, pend, false, true
}

// splitList splits g at every sep byte and trims the items. It returns the
// items and the line offsets of the separators.
func splitList(g seg, sep byte) (items []seg, seps []int) {
	var at []int
	for i := 0; i < len(g.s); i++ {
		if g.s[i] == sep {
			at = append(at, i)
		}
	}
	return splitAt(g, at)
}

// splitAt splits g at the separators at the given indexes of g.s and trims
// the items. It returns the items and the line offsets of the separators.
func splitAt(g seg, at []int) (items []seg, seps []int) {
	start := 0
	for _, i := range at {
		items = append(items, g.sub(start, i).trim())
		seps = append(seps, g.at(i))
		start = i + 1
	}
	return append(items, g.from(start).trim()), seps
}

// emptyAt returns where to report that item i of a list is empty: at the
// separator after it, else at the one before it, else at the item.
func emptyAt(items []seg, seps []int, i int) int {
	switch {
	case i < len(seps):
		return seps[i]
	case i > 0:
		return seps[i-1]
	}
	return items[i].at(0)
}

func (p *parser) tags(v seg) []Word {
	var tags []Word
	items, seps := splitList(v, ',')
	seen := make(map[string]bool)
	for i, it := range items {
		switch {
		case it.s == "":
			p.err(emptyAt(items, seps, i), "empty tag in tags=")
		case checkTag(it.s) != "":
			p.err(it.at(0), checkTag(it.s))
		case seen[it.s]:
			p.errorf(it.at(0), "duplicate tag %q", it.s)
		default:
			seen[it.s] = true
			tags = append(tags, Word{Text: it.s, Pos: p.at(it.at(0))})
		}
	}
	return tags
}

// auth parses the value of auth=.
func (p *parser) auth(keyOff int, v seg) *Auth {
	a := &Auth{Pos: p.at(keyOff)}
	parts, seps, e := splitTerms(v)
	if e != nil { // only in a quoted value: a bare one was checked by value
		p.err(v.at(e.off), e.msg)
		return a
	}
	publicAt, terms := -1, 0
	for i, t := range parts {
		if t.s == "" {
			p.err(emptyAt(parts, seps, i), "empty term in auth=")
			continue
		}
		terms++
		if t.s == "public" {
			if publicAt < 0 {
				publicAt = t.at(0)
			}
			continue
		}
		if term, ok := p.authTerm(t); ok {
			a.Terms = append(a.Terms, term)
		}
	}
	if publicAt >= 0 {
		if terms > 1 {
			p.err(publicAt, `"public" cannot be combined with other auth terms`)
		} else {
			a.Public = true
		}
	}
	return a
}

// splitTerms splits g at its commas outside parentheses and string
// literals within them, and trims the items.
func splitTerms(g seg) (items []seg, seps []int, e *lexErr) {
	var commas []int
	_, e = walk(g.s, func(i int) bool {
		if g.s[i] == ',' {
			commas = append(commas, i)
		}
		return false
	})
	if e != nil {
		return nil, nil, e
	}
	items, seps = splitAt(g, commas)
	return items, seps, nil
}

// termNeeds says what each auth term with arguments takes, for the error
// about a term written without them.
var termNeeds = map[string]string{
	"scopes": "a list of scopes",
	"roles":  "a list of roles",
	"check":  "an expression",
	"any":    "a list of auth terms",
}

// authTerm parses one term of auth= or of any(...), t, which is not empty
// and not "public" (the callers judge that one).
func (p *parser) authTerm(t seg) (AuthTerm, bool) {
	j := 0
	for j < len(t.s) && isKeyByte(t.s[j]) {
		j++
	}
	name, rest := t.s[:j], t.from(j)
	needs, known := termNeeds[name]
	switch {
	case name == "public" && rest.s != "" && rest.s[0] == '(':
		p.err(t.at(0), `"public" takes no arguments`)
	case known && rest.s == "":
		p.errorf(t.at(0), "%q needs %s: %s(...)", name, needs, name)
	case known && rest.s[0] == '(':
		inner := rest.from(1)
		n, e := walk(inner.s, func(i int) bool { return inner.s[i] == ')' })
		if e != nil {
			p.err(inner.at(e.off), e.msg)
			return AuthTerm{}, false
		}
		if n == len(inner.s) {
			p.err(rest.at(0), msgMissingParen)
			return AuthTerm{}, false
		}
		if after := inner.from(n + 1); after.s != "" {
			p.errorf(after.at(0), "unexpected %q after %s(...)", after.s, name)
		}
		args := inner.sub(0, n)
		switch name {
		case "scopes":
			return p.wordsTerm(TermScopes, "scope", checkScope, t, args)
		case "roles":
			return p.wordsTerm(TermRoles, "role", checkRole, t, args)
		case "check":
			return p.checkTerm(t, args)
		default:
			return p.anyTerm(t, args)
		}
	default:
		switch s := Suggest(name, termWords); s {
		case "public":
			p.errorf(t.at(0), "unknown auth term %q; did you mean %q?", t.s, s)
		case "":
			p.errorf(t.at(0), "unknown auth term %q: want scopes(...), roles(...), check(...), any(...) or public", t.s)
		default:
			p.errorf(t.at(0), "unknown auth term %q; did you mean %s(...)?", t.s, s)
		}
	}
	return AuthTerm{}, false
}

// anyTerm parses any(args); t is the whole term.
func (p *parser) anyTerm(t, args seg) (AuthTerm, bool) {
	term := AuthTerm{Kind: TermAny, Pos: p.at(t.at(0))}
	items, seps, e := splitTerms(args)
	if e != nil {
		p.err(args.at(e.off), e.msg)
		return term, false
	}
	if len(items) == 1 && items[0].s == "" {
		p.err(t.at(0), "any() needs at least two auth terms: any(t1,t2,...)")
		return term, false
	}
	ok := true
	for i, it := range items {
		switch {
		case it.s == "":
			p.err(emptyAt(items, seps, i), "empty term in any(...)")
			ok = false
		case it.s == "public":
			p.err(it.at(0), `"public" cannot be a term of any(...): it would let everyone in; write auth=public instead`)
			ok = false
		default:
			sub, good := p.authTerm(it)
			if !good {
				ok = false
				continue
			}
			term.Terms = append(term.Terms, sub)
		}
	}
	if ok && len(term.Terms) == 1 {
		p.errorf(t.at(0), "any(...) with one term is that term alone: drop any(...) and write %s", term.Terms[0])
		return term, false
	}
	return term, ok
}

// wordsTerm parses scopes(args) or roles(args), whose items are each a
// what checked by check; t is the whole term.
func (p *parser) wordsTerm(kind TermKind, what string, check func(string) string, t, args seg) (AuthTerm, bool) {
	term := AuthTerm{Kind: kind, Pos: p.at(t.at(0))}
	items, seps := splitList(args, ',')
	if len(items) == 1 && items[0].s == "" {
		p.errorf(t.at(0), "%s() needs at least one %s", kind, what)
		return term, false
	}
	seen := make(map[string]bool)
	ok := true
	var words []Word
	for i, it := range items {
		switch {
		case it.s == "":
			p.errorf(emptyAt(items, seps, i), "empty %s in %s(...)", what, kind)
			ok = false
		case check(it.s) != "":
			p.err(it.at(0), check(it.s))
			ok = false
		case seen[it.s]:
			p.errorf(it.at(0), "duplicate %s %q", what, it.s)
			ok = false
		default:
			seen[it.s] = true
			words = append(words, Word{Text: it.s, Pos: p.at(it.at(0))})
		}
	}
	if kind == TermRoles {
		term.Roles = words
	} else {
		term.Scopes = words
	}
	return term, ok
}

// checkTerm parses check(args); t is the whole term.
func (p *parser) checkTerm(t, args seg) (AuthTerm, bool) {
	expr := args.trim()
	if expr.s == "" {
		p.err(t.at(0), "check() needs an expression")
		return AuthTerm{}, false
	}
	if e := checkExpr(expr.s); e != nil {
		p.err(expr.at(e.off), e.msg)
		return AuthTerm{}, false
	}
	return AuthTerm{
		Kind: TermCheck,
		Pos:  p.at(t.at(0)),
		Expr: Word{Text: expr.s, Pos: p.at(expr.at(0))},
	}, true
}

// vocabulary parses the rest of a //mcp:scopes or //mcp:tags line, from
// i: words checked by check, at least one, no duplicates.
func (p *parser) vocabulary(what string, check func(string) string, i int) []Word {
	var words []Word
	seen := make(map[string]bool)
	n := 0
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		end := p.plainEnd(i)
		w := p.text[i:end]
		n++
		switch msg := check(w); {
		case msg != "":
			p.err(i, msg)
		case seen[w]:
			p.errorf(i, "duplicate %s %q", what, w)
		default:
			seen[w] = true
			words = append(words, Word{Text: w, Pos: p.at(i)})
		}
		i = end
	}
	if n == 0 {
		p.errorf(0, "%ss line needs at least one %s", what, what)
	}
	return words
}

// wrongQuote reports whether s starts with a quote that does not quote
// a value: a single quote or a typographic quote, as word processors and
// chat clients write them. It returns the quote and the one that would
// close it, or "".
func wrongQuote(s string) (quote, closer string) {
	for _, q := range [][2]string{{"'", "'"}, {"\u201c", "\u201d"}, {"\u201d", "\u201d"}, {"\u2018", "\u2019"}, {"\u2019", "\u2019"}, {"\u201e", "\u201c"}, {"\u00ab", "\u00bb"}} {
		if strings.HasPrefix(s, q[0]) {
			return q[0], q[1]
		}
	}
	return "", ""
}

// NearMiss reports whether a comment that is not a directive looks like a
// mistyped one: a blank after "//" or before the colon, upper case, or a
// misspelt "mcp" ("// mcp:tool", "//MCP:tool", "//mpc:tool",
// "//mcp :tool"). It returns the directive meant, such as "//mcp:tool".
// Text such as "// MCP: tool that …", with a blank after the colon, is
// prose and not reported.
func NearMiss(text string) (string, bool) {
	rest, ok := strings.CutPrefix(text, "//")
	if !ok || IsDirective(text) {
		return "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	i := 0
	for i < len(rest) && isLetter(rest[i]) {
		i++
	}
	word, rest := rest[:i], strings.TrimLeft(rest[i:], " \t")
	rest, ok = strings.CutPrefix(rest, ":")
	if !ok || len(word) != 3 || editDistance(strings.ToLower(word), "mcp") > 1 {
		return "", false
	}
	i = 0
	for i < len(rest) && isLetter(rest[i]) {
		i++
	}
	kind := strings.ToLower(rest[:i])
	if !slices.Contains(kindWords, kind) || i < len(rest) && !isBlank(rest[i]) {
		return "", false
	}
	return prefix + kind, true
}
