// Package sharedvocab declares the vocabularies that the packages below
// it, generated in the same run, are checked against.
package sharedvocab

//mcp:scopes read write
//mcp:tags admin

// Read reads.
//
//mcp:tool auth=scopes(read) tags=admin
func Read() (string, error) { return "", nil }
