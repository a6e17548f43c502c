package runtime

import (
	"context"
	"errors"
	"testing"
)

func TestCheckAt(t *testing.T) {
	ok := CheckAt("a.go:3:20", "f()", func() Checker {
		return AuthCheck(func(context.Context, AuthContext) (bool, error) { return true, nil })
	})
	if allowed, err := ok.Check(context.Background(), AuthContext{}); !allowed || err != nil {
		t.Errorf("check = %v, %v; want the evaluated check", allowed, err)
	}

	var nilMap map[string]int
	got := func() (r any) {
		defer func() { r = recover() }()
		CheckAt("policy.go:12:23", "minLevel(5)", func() Checker {
			nilMap["x"] = 1 // panics: assignment to entry in nil map
			return nil
		})
		return nil
	}()
	err, isErr := got.(error)
	const want = "policy.go:12:23: check(minLevel(5)) panicked when Register ran: assignment to entry in nil map"
	if !isErr || err.Error() != want {
		t.Fatalf("panic %v, want the error %q", got, want)
	}
	var re interface{ RuntimeError() }
	if !errors.As(err, &re) {
		t.Error("the runtime error is not wrapped")
	}

	got = func() (r any) {
		defer func() { r = recover() }()
		CheckAt("b.go:1:2", "g()", func() Checker { panic("no config") })
		return nil
	}()
	if err, ok := got.(error); !ok || err.Error() != "b.go:1:2: check(g()) panicked when Register ran: no config" {
		t.Errorf("panic %v", got)
	}
}
