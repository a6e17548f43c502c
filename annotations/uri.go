package annotations

import (
	"mime"
	"strings"
)

// uri checks the value of uri= and records it with its template variables.
func (p *parser) uri(d *Directive, val Value, keyOff int, v seg) {
	if msg := checkURI(v.s); msg != "" {
		p.errorf(keyOff, "invalid uri %q: %s", v.s, msg)
		return
	}
	n := len(p.errs)
	vars := p.templateVars(v)
	if len(p.errs) > n {
		return
	}
	d.URI = val
	d.URIVars = vars
}

// checkURI checks that s starts with a scheme and holds no blanks or
// control characters, and returns what is wrong, or "".
func checkURI(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return "contains a space or control character"
		}
	}
	i := 0
	for i < len(s) && (isLetter(s[i]) || i > 0 && (isDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' {
		return `missing scheme, as in "file:///path"`
	}
	return ""
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// templateVars returns the variables of the RFC 6570 template v in order,
// reporting malformed expressions.
func (p *parser) templateVars(v seg) []Word {
	var vars []Word
	s := v.s
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '}':
			p.err(v.at(i), `unbalanced braces in uri: unexpected "}"`)
		case '{':
			j := i + 1
			for j < len(s) && s[j] != '}' && s[j] != '{' {
				j++
			}
			if j == len(s) || s[j] == '{' {
				p.err(v.at(i), `unbalanced braces in uri: missing "}"`)
				i = j - 1
				continue
			}
			vars = append(vars, p.templateExpr(v, i, j)...)
			i = j
		}
	}
	return vars
}

// templateExpr parses the expression between the braces at v.s[open] and
// v.s[close]: an optional operator, then comma-separated variables, each
// with an optional :length prefix or * explode modifier.
func (p *parser) templateExpr(v seg, open, close int) []Word {
	i := open + 1
	if i == close {
		p.err(v.at(open), `empty template expression "{}" in uri`)
		return nil
	}
	switch c := v.s[i]; {
	case strings.IndexByte("+#./;?&", c) >= 0:
		i++
	case strings.IndexByte("=,!@|", c) >= 0:
		p.errorf(v.at(i), "reserved operator %q in uri template", c)
		return nil
	}
	var vars []Word
	for start := i; start <= close; {
		end := start
		for end < close && v.s[end] != ',' {
			end++
		}
		spec := v.s[start:end]
		name := spec
		if k := strings.IndexAny(spec, ":*"); k >= 0 {
			name = spec[:k]
		}
		switch {
		case spec == "":
			p.err(v.at(start), "empty variable in uri template")
		case !validVarName(name) || !validModifier(spec[len(name):]):
			p.errorf(v.at(start), "invalid uri template variable %q", spec)
		default:
			vars = append(vars, Word{Text: name, Pos: p.at(v.at(start))})
		}
		start = end + 1
	}
	return vars
}

// validVarName reports whether s is an RFC 6570 varname:
// varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded.
func validVarName(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isLetter(c) || isDigit(c) || c == '_':
		case c == '.' && s[i+1] != '.':
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// validModifier reports whether s is "", "*" or ":" and a max-length
// from 1 to 9999.
func validModifier(s string) bool {
	if s == "" || s == "*" {
		return true
	}
	if s[0] != ':' || len(s) < 2 || len(s) > 5 || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// validMIME reports whether s is a media type "type/subtype", with
// optional parameters.
func validMIME(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	return err == nil && strings.Contains(mt, "/")
}
