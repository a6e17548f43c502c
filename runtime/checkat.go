package runtime

import "fmt"

// CheckAt evaluates the expression of an annotation's check(…) term, which
// generated code wraps in eval, and returns its check. Generated Register
// functions call it for every expression that could panic (a call, a
// method value), once, when Register runs. A panic while evaluating it is
// raised again as an error that names the annotation's position ("file.go:line:col")
// and expression, instead of a line of generated code; the original panic
// value is wrapped when it is an error.
func CheckAt(pos, expr string, eval func() Checker) Checker {
	defer func() {
		if r := recover(); r != nil {
			if err, ok := r.(error); ok {
				panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %w", pos, expr, err))
			}
			panic(fmt.Errorf("%s: check(%s) panicked when Register ran: %v", pos, expr, r))
		}
	}()
	return eval()
}
