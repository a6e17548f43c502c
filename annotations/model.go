package annotations

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of component a directive declares.
type Kind int

// The component kinds. The zero Kind is invalid.
const (
	KindTool     Kind = iota + 1 // //mcp:tool
	KindResource                 // //mcp:resource (a resource template when its uri= has variables)
	KindPrompt                   // //mcp:prompt
)

// String returns the directive word of k: "tool", "resource" or "prompt".
func (k Kind) String() string {
	switch k {
	case KindTool:
		return "tool"
	case KindResource:
		return "resource"
	case KindPrompt:
		return "prompt"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Line is the result of parsing one directive line: a *Directive for
// //mcp:tool, //mcp:resource and //mcp:prompt, a *Scopes for //mcp:scopes,
// a *Roles for //mcp:roles, a *Tags for //mcp:tags, a *Schema for
// //mcp:schema or a *Policies for //mcp:policies.
// Callers tell them apart with a type switch.
type Line interface {
	// String returns the line in canonical form; parsing it gives back
	// the same model, positions aside.
	String() string
	line()
}

// Directive is a parsed //mcp:tool, //mcp:resource or //mcp:prompt line.
//
// A key that is absent leaves its field unset (Value.Set false, Auth nil,
// Tags nil, Flag.Set false). The generator supplies the defaults: the name
// is SnakeCase of the function name, the description is the doc comment.
type Directive struct {
	Kind Kind
	Pos  Pos // of the "//" that starts the line

	Name        Value // name=: a valid MCP name (see CheckName)
	URI         Value // uri=: resources only, required there
	Description Value // description=: may be "" when written as description=""
	Title       Value // title=
	MIME        Value // mime=: resources only, a type/subtype media type

	Auth *Auth  // auth=; nil when the key is absent
	Tags []Word // tags=, in the order written

	// Tool annotation hints, tools only.
	ReadOnly    Flag // readonly
	Destructive Flag // destructive
	Idempotent  Flag // idempotent
	OpenWorld   Flag // openworld

	// URIVars are the variables of the uri= template in the order they
	// appear, each positioned at its name ("id" in "users://{id}").
	// A resource with URIVars is a resource template.
	URIVars []Word
}

func (*Directive) line() {}

// Value is the value of a key=value term.
type Value struct {
	Text string // decoded: a quoted value is unquoted
	Pos  Pos    // of the key, where errors about the whole value point
	Set  bool   // the key was given
}

// Word is a piece of text with the position of its first byte: a tag,
// a scope, a check expression or a URI template variable.
type Word struct {
	Text string
	Pos  Pos
}

// Flag is a bare flag such as readonly.
type Flag struct {
	Set bool
	Pos Pos // of the flag, when Set
}

// Auth is the value of auth=: checks that must all pass, in order.
type Auth struct {
	Pos    Pos        // of the auth key
	Public bool       // auth=public: explicitly no checks; Terms is empty
	Terms  []AuthTerm // in the order written
}

// TermKind is the kind of an AuthTerm.
type TermKind int

// The auth term kinds. The zero TermKind is invalid.
const (
	TermScopes TermKind = iota + 1 // scopes(a,b,…)
	TermCheck                      // check(EXPR)
	TermRoles                      // roles(a,b,…)
	TermAny                        // any(t1,t2,…)
)

// String returns "scopes", "check", "roles" or "any".
func (k TermKind) String() string {
	switch k {
	case TermScopes:
		return "scopes"
	case TermCheck:
		return "check"
	case TermRoles:
		return "roles"
	case TermAny:
		return "any"
	}
	return "TermKind(" + strconv.Itoa(int(k)) + ")"
}

// AuthTerm is one comma-separated term of auth=.
type AuthTerm struct {
	Kind TermKind
	Pos  Pos // of the term's first byte ("s" of "scopes(")

	// Scopes are the scopes of scopes(…), each positioned at its first
	// byte; at least one, no duplicates.
	Scopes []Word

	// Roles are the roles of roles(…), as Scopes.
	Roles []Word

	// Terms are the terms of any(…), in the order written; at least two,
	// none of them public.
	Terms []AuthTerm

	// Expr is the expression of check(…), verbatim but trimmed of
	// blanks, positioned at its first byte. It is syntactically a Go
	// expression without comments; the generator type-checks it. In a
	// bare auth= value, byte i of Expr.Text is at column Expr.Pos.Column+i;
	// in a quoted one, escapes may break that correspondence.
	Expr Word
}

// Scopes is a parsed //mcp:scopes line: a package's scope vocabulary.
type Scopes struct {
	Pos   Pos    // of the "//" that starts the line
	Words []Word // at least one, no duplicates, in the order written
}

func (*Scopes) line() {}

// Roles is a parsed //mcp:roles line: a package's role vocabulary.
type Roles struct {
	Pos   Pos    // of the "//" that starts the line
	Words []Word // at least one, no duplicates, in the order written
}

func (*Roles) line() {}

// String returns the line in canonical form: "//mcp:roles a b c".
func (r *Roles) String() string {
	if len(r.Words) == 0 {
		return prefix + "roles"
	}
	return prefix + "roles " + joinWords(r.Words, " ")
}

// Tags is a parsed //mcp:tags line: a tag vocabulary.
type Tags struct {
	Pos   Pos    // of the "//" that starts the line
	Words []Word // at least one, no duplicates, in the order written
}

func (*Tags) line() {}

// String returns the directive in canonical form: "//mcp:tags a b c".
func (t *Tags) String() string {
	if len(t.Words) == 0 {
		return prefix + "tags"
	}
	return prefix + "tags " + joinWords(t.Words, " ")
}

// String returns the directive in canonical form: keys in the order name,
// uri, mime, title, description, auth, tags, then flags; values bare when
// that parses back to the same text, else as Go string literals.
func (d *Directive) String() string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(d.Kind.String())
	value := func(key string, v Value) {
		if v.Set {
			fmt.Fprintf(&b, " %s=%s", key, quoteIfNeeded(v.Text))
		}
	}
	value("name", d.Name)
	value("uri", d.URI)
	value("mime", d.MIME)
	value("title", d.Title)
	value("description", d.Description)
	if d.Auth != nil {
		b.WriteString(" auth=")
		b.WriteString(d.Auth.String())
	}
	if len(d.Tags) > 0 {
		tags := make([]string, len(d.Tags))
		for i, t := range d.Tags {
			tags[i] = t.Text
		}
		b.WriteString(" tags=")
		b.WriteString(quoteIfNeeded(strings.Join(tags, ",")))
	}
	for _, f := range []struct {
		name string
		flag Flag
	}{
		{"readonly", d.ReadOnly},
		{"destructive", d.Destructive},
		{"idempotent", d.Idempotent},
		{"openworld", d.OpenWorld},
	} {
		if f.flag.Set {
			b.WriteString(" ")
			b.WriteString(f.name)
		}
	}
	return b.String()
}

// String returns the auth= value: "public", or the terms joined by commas.
func (a *Auth) String() string {
	if a.Public {
		return "public"
	}
	terms := make([]string, len(a.Terms))
	for i, t := range a.Terms {
		terms[i] = t.String()
	}
	return strings.Join(terms, ",")
}

// String returns the term as written in canonical form:
// "scopes(a,b)", "roles(a,b)", "check(EXPR)" or "any(t1,t2)".
func (t AuthTerm) String() string {
	switch t.Kind {
	case TermScopes:
		return "scopes(" + joinWords(t.Scopes, ",") + ")"
	case TermRoles:
		return "roles(" + joinWords(t.Roles, ",") + ")"
	case TermCheck:
		return "check(" + t.Expr.Text + ")"
	case TermAny:
		terms := make([]string, len(t.Terms))
		for i, u := range t.Terms {
			terms[i] = u.String()
		}
		return "any(" + strings.Join(terms, ",") + ")"
	}
	return t.Kind.String()
}

// String returns the line in canonical form: "//mcp:scopes a b c".
func (s *Scopes) String() string {
	if len(s.Words) == 0 {
		return prefix + "scopes"
	}
	return prefix + "scopes " + joinWords(s.Words, " ")
}

func joinWords(ws []Word, sep string) string {
	texts := make([]string, len(ws))
	for i, w := range ws {
		texts[i] = w.Text
	}
	return strings.Join(texts, sep)
}

// quoteIfNeeded returns s bare when a bare value reads back as s,
// else as a Go string literal.
func quoteIfNeeded(s string) string {
	if s == "" || s[0] == '"' || s[0] == '`' {
		return strconv.Quote(s)
	}
	for i := 0; i < len(s); i++ {
		if isBlank(s[i]) {
			return strconv.Quote(s)
		}
	}
	return s
}
