package annotations

import (
	"path"
	"strings"
)

// Policies is a parsed //mcp:policies line: a Cedar policy file, which the
// generator validates against the schema of the package's components, and
// optionally a Cedar schema file declaring the server's own entity types.
//
//	//mcp:policies policies/notes.cedar
//	//mcp:policies notes.cedar entities.cedarschema
type Policies struct {
	Pos  Pos  // of the "//" that starts the line
	File Word // slash-separated, relative to the package directory
	// Schema is the schema file, relative like File; Text is "" when the
	// line names none.
	Schema Word
}

func (*Policies) line() {}

// String returns the line in canonical form: "//mcp:policies FILE".
func (p *Policies) String() string {
	if p.Schema.Text != "" {
		return prefix + "policies " + p.File.Text + " " + p.Schema.Text
	}
	return prefix + "policies " + p.File.Text
}

// policies parses the rest of a //mcp:policies line from offset i.
func (p *parser) policies(i int) *Policies {
	l := &Policies{Pos: p.at(0)}
	n := 0
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		end := p.plainEnd(i)
		w := p.text[i:end]
		n++
		ext, what := ".cedar", "policy file"
		if n == 2 {
			ext, what = ".cedarschema", "schema file"
		}
		switch {
		case n > 2:
			p.errorf(i, "policies line names a policy file and a schema file; %q is one too many", w)
		case !strings.HasSuffix(w, ext) || len(w) == len(ext):
			p.errorf(i, "%s %q must end in %s", what, w, ext)
		case path.IsAbs(w) || strings.Contains(w, `\`) || path.Clean(w) != w || strings.HasPrefix(w, "../"):
			p.errorf(i, "%s %q must be a clean slash-separated path inside the package directory", what, w)
		case n == 1:
			l.File = Word{Text: w, Pos: p.at(i)}
		default:
			l.Schema = Word{Text: w, Pos: p.at(i)}
		}
		i = end
	}
	if n == 0 {
		p.err(0, "policies line needs a file: //mcp:policies FILE.cedar [SCHEMA.cedarschema]")
	}
	return l
}
