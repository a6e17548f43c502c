// Package decl declares the vocabularies that its sibling package use,
// generated in the same run, is checked against.
package decl

//mcp:scopes read write
//mcp:tags admin

// Read reads.
//
//mcp:tool auth=scopes(read) tags=admin
func Read() (string, error) { return "", nil }
