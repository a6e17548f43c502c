// Package vocab declares its scope vocabulary over two files (and on
// a broken line); its golden errors.txt lists the scopes outside it.
package vocab

//mcp:scopes read write

// Scopes from the lines of both files.
//
//mcp:tool auth=scopes(read,admin),scopes(audit)
func Both() (string, error) { return "", nil }

// A misspelt scope, close to one of the vocabulary.
//
//mcp:tool auth=scopes(wrte)
func Misspelt() (string, error) { return "", nil }

// A scope far from every one.
//
//mcp:tool auth=scopes(read,billing)
func Unknown() (string, error) { return "", nil }

// A scope that differs in case only.
//
//mcp:resource uri=data://x auth=scopes(Admin)
func Case() (string, error) { return "", nil }

// In a quoted value, the column is that of the scope inside the literal.
//
//mcp:prompt auth="scopes(read, amdin)"
func Quoted() (string, error) { return "", nil }
