package errors

import "context"

// OnlyError returns no value.
//
//mcp:tool
func OnlyError(ctx context.Context) error { return nil }

// NoError returns no error.
//
//mcp:tool
func NoError() (string, string) { return "", "" }

// Unnamed has an unnamed parameter.
//
//mcp:tool
func Unnamed(context.Context, string, int) (string, error) { return "", nil }

// Variadic is variadic.
//
//mcp:tool
func Variadic(a string, rest ...string) (string, error) { return "", nil }

// LateContext takes its context second.
//
//mcp:tool
func LateContext(a string, ctx context.Context) (string, error) { return "", nil }

// Channel takes a channel.
//
//mcp:tool
func Channel(ctx context.Context, a string, c chan int) (string, error) { return "", nil }

// Node is a tree.
type Node struct {
	Name     string  `json:"name"`
	Children []*Node `json:"children"`
}

// Recursive takes a recursive type.
//
//mcp:tool
func Recursive(root Node) (string, error) { return "", nil }

// Key is a struct map key.
type Key struct{ A int }

// MapKey takes a map with struct keys.
//
//mcp:tool
func MapKey(ctx context.Context, m map[Key]string, n int) (string, error) { return "", nil }

// FuncResult returns a function.
//
//mcp:tool
func FuncResult() (func(), error) { return nil, nil }

// SameArg names one argument twice.
//
//mcp:tool
func SameArg(userID string, userId string) (string, error) { return "", nil }

// Dup is a tool.
//
//mcp:tool name=dup
func Dup1() (string, error) { return "", nil }

// Dup is a tool again.
//
//mcp:tool name=dup
func Dup2() (string, error) { return "", nil }
