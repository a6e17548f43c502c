package mistakes

import "context"

// Near misses used to make a component vanish.
//
// mcp:tool auth=public
func Spaced() (string, error) { return "", nil }

// Upper case.
//
// MCP:tool auth=public
func Upper() (string, error) { return "", nil }

// Misspelt.
//
//mpc:prompt auth=public
func Misspelt() (string, error) { return "", nil }

// A blank before the colon.
//
// mcp :resource uri=x://spaced auth=public
func SpacedColon() (string, error) { return "", nil }

// Prose is not a directive: MCP: tool that does nothing.
//
//mcp:tool auth=public
func Prose() (string, error) { return "", nil }

// Hints that contradict each other.
//
//mcp:tool auth=public readonly destructive
func Hints() (string, error) { return "", nil }

// Smart quotes from a word processor.
//
//mcp:tool auth=public description=“Say hello”
func Smart() (string, error) { return "", nil }

// Single quotes.
//
//mcp:tool auth=public title='Hello'
func Single() (string, error) { return "", nil }

// A broken directive does not hide the handler's own mistakes.
//
//mcp:tool nmae=broken auth=public
func Broken(ctx context.Context, n int, ctx2 context.Context) error { return nil }
