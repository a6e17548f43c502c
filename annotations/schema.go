package annotations

import (
	"slices"
	"strings"
)

// Schema is a parsed //mcp:schema line: the conventions by which a
// package's argument structs become input schemas.
//
//	//mcp:schema invopop required=tags
//	//mcp:schema gosdk additionalProperties=true
//
// A key that is absent leaves its Value unset; the generator supplies the
// convention's defaults.
type Schema struct {
	Pos        Pos  // of the "//" that starts the line
	Convention Word // "invopop" or "gosdk"

	// Required is required=: "shape", "json" or "tags" ("tags" with
	// invopop only).
	Required Value
	// AdditionalProperties is additionalProperties=: "false" or "true".
	AdditionalProperties Value
}

func (*Schema) line() {}

// The words of //mcp:schema lines.
var (
	schemaConventions = []string{"gosdk", "invopop"}
	schemaKeys        = []string{"additionalProperties", "required"}
	requiredRules     = []string{"json", "shape", "tags"}
)

// String returns the line in canonical form: the convention, then
// required= and additionalProperties= when set.
func (s *Schema) String() string {
	var b strings.Builder
	b.WriteString(prefix + "schema")
	if s.Convention.Text != "" {
		b.WriteString(" " + s.Convention.Text)
	}
	if s.Required.Set {
		b.WriteString(" required=" + s.Required.Text)
	}
	if s.AdditionalProperties.Set {
		b.WriteString(" additionalProperties=" + s.AdditionalProperties.Text)
	}
	return b.String()
}

// schema parses the rest of a //mcp:schema line, from i.
func (p *parser) schema(i int) *Schema {
	s := &Schema{Pos: p.at(0)}
	seen := make(map[string]bool)
	for i = p.next(i); i < len(p.text); i = p.next(i) {
		end := p.plainEnd(i)
		word := p.text[i:end]
		key, val, isKV := strings.Cut(word, "=")
		switch {
		case !isKV && s.Convention.Text == "" && !seen["convention"]:
			seen["convention"] = true
			if !slices.Contains(schemaConventions, word) {
				p.unknown(i, "schema convention", word, schemaConventions)
				break
			}
			s.Convention = Word{Text: word, Pos: p.at(i)}
		case !isKV && seen["convention"]:
			p.errorf(i, "unexpected %q: the convention is given once, first", word)
		case !isKV:
			p.errorf(i, "unexpected %q: want key=value", word)
		case !slices.Contains(schemaKeys, key):
			p.unknown(i, "schema key", key, schemaKeys)
		case seen[key]:
			p.errorf(i, "duplicate key %q", key)
		default:
			seen[key] = true
			v := Value{Text: val, Pos: p.at(i), Set: true}
			switch key {
			case "required":
				if !slices.Contains(requiredRules, val) {
					p.errorf(i, "invalid required=%q: want shape, json or tags", val)
					break
				}
				s.Required = v
			case "additionalProperties":
				if val != "true" && val != "false" {
					p.errorf(i, "invalid additionalProperties=%q: want true or false", val)
					break
				}
				s.AdditionalProperties = v
			}
		}
		if !seen["convention"] && isKV {
			seen["convention"] = true
			p.errorf(i, "missing schema convention before %q (want invopop or gosdk)", word)
		}
		i = end
	}
	switch {
	case !seen["convention"]:
		p.err(0, "schema line needs a convention: invopop or gosdk")
	case s.Convention.Text == "gosdk" && s.Required.Text == "tags":
		p.err(s.Required.Pos.Column-p.pos.Column, `required=tags needs the invopop convention: gosdk has no "required" tag`)
		s.Required = Value{}
	}
	return s
}
