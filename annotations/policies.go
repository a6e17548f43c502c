package annotations

import (
	"path"
	"strings"
)

// Policies is a parsed //mcp:policies line: a Cedar policy file, which the
// generator validates against the schema of the package's components.
//
//	//mcp:policies policies/notes.cedar
type Policies struct {
	Pos  Pos  // of the "//" that starts the line
	File Word // slash-separated, relative to the package directory
}

func (*Policies) line() {}

// String returns the line in canonical form: "//mcp:policies FILE".
func (p *Policies) String() string { return prefix + "policies " + p.File.Text }

// policies parses the rest of a //mcp:policies line from offset i.
func (p *parser) policies(i int) *Policies {
	l := &Policies{Pos: p.at(0)}
	n := 0
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		end := p.plainEnd(i)
		w := p.text[i:end]
		n++
		switch {
		case n > 1:
			p.errorf(i, "policies line names one file; %q is one too many", w)
		case !strings.HasSuffix(w, ".cedar") || len(w) == len(".cedar"):
			p.errorf(i, "policy file %q must end in .cedar", w)
		case path.IsAbs(w) || strings.Contains(w, `\`) || path.Clean(w) != w || strings.HasPrefix(w, "../"):
			p.errorf(i, "policy file %q must be a clean slash-separated path inside the package directory", w)
		default:
			l.File = Word{Text: w, Pos: p.at(i)}
		}
		i = end
	}
	if n == 0 {
		p.err(0, "policies line needs a file: //mcp:policies FILE.cedar")
	}
	return l
}
