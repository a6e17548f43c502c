package annotations

import (
	"go/scanner"
	"go/token"
)

// Pos is a position in a source file, as reported in errors: a
// go/token.Position, whose Line and Column are 1-based (Column counts
// bytes) and whose String is "file:line:col".
type Pos = token.Position

// Error is a mistake in a directive, at the position of the offending
// text: the key, the term, the scope or the expression, or the directive's
// "//" for mistakes about the whole line. Its Error method returns
// "file:line:col: msg".
type Error = scanner.Error

// ErrorList is a list of errors, sorted by position once Parse returns
// it. Print every error with scanner.PrintError, or range over the list.
type ErrorList = scanner.ErrorList
