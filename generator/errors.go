package generator

import (
	"fmt"
	"go/scanner"
	"go/token"
	"strings"
)

// Error is a mistake in an annotation or a handler, at the position of the
// offending text: the term or key of a directive, the directive itself, or
// the parameter or result of a handler. Its Error method returns
// "file:line:col: message".
type Error = scanner.Error

// ErrorList is every annotation and validation error of a run, sorted by
// position. Generate returns one when nothing could be generated because
// of mistakes in the annotated packages; the CLI exits 1 for it and prints
// every error, one per line.
type ErrorList = scanner.ErrorList

// LoadError reports that packages could not be loaded or type-checked, so
// that no annotation could be validated. The CLI exits 2 for it.
type LoadError struct {
	Errs []error
}

// Error returns the load errors, one per line.
func (e *LoadError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the underlying errors.
func (e *LoadError) Unwrap() []error { return e.Errs }

// errs collects errors during validation.
type errs struct {
	fset *token.FileSet
	list ErrorList
}

func (e *errs) at(pos token.Position, format string, args ...any) {
	e.list.Add(pos, fmt.Sprintf(format, args...))
}

func (e *errs) atPos(pos token.Pos, format string, args ...any) {
	e.at(e.fset.Position(pos), format, args...)
}
