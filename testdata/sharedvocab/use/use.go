// Package use declares no vocabulary of its own.
package use

// Write has a misspelt scope and tag.
//
//mcp:tool auth=scopes(wrte) tags=admn
func Write() (string, error) { return "", nil }
