package generator

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Error is a mistake in an annotation or a handler, at the position of the
// offending text: the term or key of a directive, the directive itself, or
// the parameter or result of a handler.
type Error struct {
	Pos token.Position
	Msg string
}

// Error returns "file:line:col: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every annotation and validation error of a run, sorted by
// position. Generate returns one when nothing could be generated because
// of mistakes in the annotated packages; the CLI exits 1 for it.
type ErrorList []*Error

// Error returns the errors, one per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors of l, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			strings.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
		)
	})
}

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
	e.list = append(e.list, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (e *errs) atPos(pos token.Pos, format string, args ...any) {
	e.at(e.fset.Position(pos), format, args...)
}
