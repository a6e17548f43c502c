package errors

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func ownsRecord(ac runtime.AuthContext) bool { return true }

func minLevel(n int) runtime.AuthCheck { return nil }

func wrongShape(s string) bool { return false }

// CheckUndefined names a check that does not exist.
//
//mcp:tool auth=check(ownsRecrd)
func CheckUndefined() (string, error) { return "", nil }

// CheckQualified misspells a runtime function.
//
//mcp:tool auth=scopes(admin),check(runtime.RequireScope("admin"))
func CheckQualified() (string, error) { return "", nil }

// CheckShape names a function of the wrong shape.
//
//mcp:tool auth=check(wrongShape)
func CheckShape() (string, error) { return "", nil }

// CheckType names a type.
//
//mcp:tool auth=check(runtime.AuthCheck)
func CheckType() (string, error) { return "", nil }

// CheckNil is nil.
//
//mcp:tool auth=check(nil)
func CheckNil() (string, error) { return "", nil }

// CheckArg passes a string where an int goes.
//
//mcp:tool auth=check(minLevel("5"))
func CheckArg(ctx context.Context) (string, error) { return "", nil }

// almostChecker has a Check method of the wrong shape, and only on its
// pointer: neither value is a runtime.Checker.
type almostChecker struct{}

func (*almostChecker) Check(ctx context.Context, ac runtime.AuthContext) bool { return true }

// CheckAlmost names a value whose Check method is not a Checker's.
//
//mcp:tool auth=check(almostChecker{})
func CheckAlmost() (string, error) { return "", nil }

// ptrChecker is a Checker only through its pointer.
type ptrChecker struct{}

func (*ptrChecker) Check(ctx context.Context, ac runtime.AuthContext) (bool, error) {
	return true, nil
}

// CheckPtr names the value where the pointer is the Checker.
//
//mcp:tool auth=check(ptrChecker{})
func CheckPtr() (string, error) { return "", nil }
