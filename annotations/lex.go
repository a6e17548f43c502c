package annotations

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// isBlank reports whether c separates terms. The documented separators are
// spaces and tabs; the other ASCII white space is treated alike so that no
// value can contain it unquoted.
func isBlank(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\v', '\f':
		return true
	}
	return false
}

// seg is a piece of a value together with where each of its bytes sits in
// the line, so that errors deep inside a value get exact columns, even in a
// decoded string literal.
type seg struct {
	s    string
	base int   // line offset of s[0], when offs is nil
	offs []int // line offset of each byte of s, plus one for the end
}

// at returns the line offset of s[i]; i may be len(s).
func (g seg) at(i int) int {
	if g.offs == nil {
		return g.base + i
	}
	return g.offs[i]
}

func (g seg) sub(i, j int) seg {
	if g.offs == nil {
		return seg{s: g.s[i:j], base: g.base + i}
	}
	return seg{s: g.s[i:j], offs: g.offs[i : j+1]}
}

func (g seg) from(i int) seg { return g.sub(i, len(g.s)) }

// trim removes blanks at both ends.
func (g seg) trim() seg {
	i, j := 0, len(g.s)
	for i < j && isBlank(g.s[i]) {
		i++
	}
	for j > i && isBlank(g.s[j-1]) {
		j--
	}
	return g.sub(i, j)
}

// lexErr is a problem at byte off of the text being scanned.
type lexErr struct {
	off int
	msg string
}

const (
	msgUnexpectedParen = `unbalanced parentheses: unexpected ")"`
	msgMissingParen    = `unbalanced parentheses: missing ")"`
)

// walk scans s, tracking parentheses and skipping Go string and rune
// literals inside them (at depth 0 quotes are ordinary bytes). For each byte
// at depth 0 it first calls stop, if not nil; walk returns the index where
// stop said true, or len(s). It fails on an unmatched ")" (at it), an
// unterminated literal (at its quote) or an unclosed "(" (at the innermost).
func walk(s string, stop func(i int) bool) (int, *lexErr) {
	var open []int
	for i := 0; i < len(s); i++ {
		if len(open) == 0 && stop != nil && stop(i) {
			return i, nil
		}
		switch c := s[i]; c {
		case '(':
			open = append(open, i)
		case ')':
			if len(open) == 0 {
				return i, &lexErr{i, msgUnexpectedParen}
			}
			open = open[:len(open)-1]
		case '"', '\'', '`':
			if len(open) == 0 {
				continue
			}
			j := skipLiteral(s, i)
			if j < 0 {
				return len(s), &lexErr{i, unterminated(c)}
			}
			i = j
		}
	}
	if len(open) > 0 {
		return len(s), &lexErr{open[len(open)-1], msgMissingParen}
	}
	return len(s), nil
}

// blankEnd returns the index of the first blank in s that is not inside a
// string or rune literal within parentheses, or len(s).
func blankEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isBlank(c):
			return i
		case c == '(':
			depth++
		case c == ')':
			depth = max(0, depth-1)
		case depth > 0 && (c == '"' || c == '\'' || c == '`'):
			j := skipLiteral(s, i)
			if j < 0 {
				return len(s)
			}
			i = j
		}
	}
	return len(s)
}

// skipLiteral returns the index of the quote that closes the literal
// opening at s[i], or -1.
func skipLiteral(s string, i int) int {
	q := s[i]
	if q == '`' {
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			return -1
		}
		return i + 1 + j
	}
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return -1
}

func unterminated(q byte) string {
	switch q {
	case '`':
		return "unterminated raw string literal"
	case '\'':
		return "unterminated rune literal"
	}
	return "unterminated string literal"
}

// unquote decodes the Go string literal lit (interpreted or raw, quotes
// included, its closing quote present), which sits at line offset off.
// The result maps each decoded byte to the escape or character it came
// from, so positions inside the value stay exact.
func unquote(lit string, off int) (seg, *lexErr) {
	want, err := strconv.Unquote(lit)
	body := lit[1 : len(lit)-1]
	var b []byte
	var offs []int
	if lit[0] == '`' {
		for i := 0; i < len(body); i++ {
			if body[i] != '\r' { // strconv.Unquote drops carriage returns from raw strings
				b = append(b, body[i])
				offs = append(offs, off+1+i)
			}
		}
	} else {
		for rest := body; rest != ""; {
			at := off + 1 + len(body) - len(rest)
			if rest[0] == '\n' {
				return seg{}, &lexErr{at, "newline in string literal"}
			}
			r, multibyte, tail, e := strconv.UnquoteChar(rest, '"')
			if e != nil {
				return seg{}, &lexErr{at, "invalid escape sequence in string literal"}
			}
			n := len(b)
			if r < utf8.RuneSelf || !multibyte {
				b = append(b, byte(r))
			} else {
				b = utf8.AppendRune(b, r)
			}
			for range len(b) - n {
				offs = append(offs, at)
			}
			rest = tail
		}
	}
	if err != nil {
		return seg{}, &lexErr{off, "invalid string literal"}
	}
	if string(b) != want {
		// Cannot happen: the loop above is strconv.Unquote's. Stay safe anyway.
		offs = make([]int, len(want)+1)
		for i := range offs {
			offs[i] = off
		}
		return seg{s: want, offs: offs}, nil
	}
	offs = append(offs, off+len(lit)-1)
	return seg{s: want, offs: offs}, nil
}
