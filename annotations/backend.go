package annotations

import "slices"

// Backend is a parsed //mcp:backend line: the MCP SDK a package's
// generated registration targets.
//
//	//mcp:backend gosdk
type Backend struct {
	Pos  Pos  // of the "//" that starts the line
	Name Word // "mcpgo" or "gosdk"; empty after an error
}

func (*Backend) line() {}

// Backends are the words of //mcp:backend lines: mcpgo for
// github.com/mark3labs/mcp-go, gosdk for the official
// github.com/modelcontextprotocol/go-sdk.
var Backends = []string{"gosdk", "mcpgo"}

// String returns the line in canonical form: "//mcp:backend gosdk".
func (b *Backend) String() string {
	if b.Name.Text == "" {
		return prefix + "backend"
	}
	return prefix + "backend " + b.Name.Text
}

// backend parses the rest of a //mcp:backend line, from i.
func (p *parser) backend(i int) *Backend {
	b := &Backend{Pos: p.at(0)}
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		end := p.plainEnd(i)
		word := p.text[i:end]
		switch {
		case b.Name.Text != "":
			p.errorf(i, "unexpected %q: a package has one backend", word)
		case !slices.Contains(Backends, word):
			p.unknown(i, "backend", word, Backends)
		default:
			b.Name = Word{Text: word, Pos: p.at(i)}
		}
		i = end
	}
	if b.Name.Text == "" && len(p.errs) == 0 {
		p.err(0, "backend line needs a backend: mcpgo or gosdk")
	}
	return b
}
