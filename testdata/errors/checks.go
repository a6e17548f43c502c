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
