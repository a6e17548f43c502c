package annotations

import (
	"go/ast"
	goparser "go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

var closers = map[token.Token]token.Token{
	token.LPAREN: token.RPAREN,
	token.LBRACK: token.RBRACK,
	token.LBRACE: token.RBRACE,
}

// checkExpr checks that expr, the text inside check(...), is one Go
// expression without comments and with balanced brackets. The error's
// offset is within expr, its end included.
func checkExpr(expr string) *lexErr {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(expr))
	var first *lexErr
	var sc scanner.Scanner
	sc.Init(file, []byte(expr), func(pos token.Position, msg string) {
		if first == nil {
			first = &lexErr{pos.Offset, "invalid check expression: " + msg}
		}
	}, scanner.ScanComments)
	type open struct {
		off int
		tok token.Token
	}
	var stack []open
loop:
	for {
		pos, tok, _ := sc.Scan()
		if first != nil {
			return clamp(first, expr)
		}
		off := file.Offset(pos)
		switch tok {
		case token.EOF:
			break loop
		case token.COMMENT:
			return &lexErr{off, "comments are not allowed in check(...)"}
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, open{off, tok})
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if len(stack) == 0 || closers[stack[len(stack)-1].tok] != tok {
				return &lexErr{off, `unbalanced brackets in check(...): unexpected "` + tok.String() + `"`}
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		o := stack[len(stack)-1]
		return &lexErr{o.off, `unbalanced brackets in check(...): missing "` + closers[o.tok].String() + `"`}
	}
	x, err := goparser.ParseExprFrom(fset, "", expr, goparser.SkipObjectResolution)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			msg := list[0].Msg
			if found, ok := strings.CutPrefix(msg, "expected 'EOF', found "); ok {
				msg = "unexpected " + found + " after the expression"
			}
			return clamp(&lexErr{list[0].Pos.Offset, "invalid check expression: " + msg}, expr)
		}
		return &lexErr{0, "invalid check expression: " + err.Error()}
	}
	// go/parser accepts x.(type) anywhere; only a type switch may hold it.
	var bad *lexErr
	ast.Inspect(x, func(n ast.Node) bool {
		if ta, ok := n.(*ast.TypeAssertExpr); ok && ta.Type == nil && bad == nil {
			bad = &lexErr{fset.Position(ta.Lparen).Offset, "invalid check expression: use of .(type) outside type switch"}
		}
		return bad == nil
	})
	return bad
}

// clamp keeps e's offset within expr, its end included.
func clamp(e *lexErr, expr string) *lexErr {
	e.off = max(0, min(e.off, len(expr)))
	return e
}
