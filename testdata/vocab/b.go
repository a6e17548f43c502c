package vocab

// A second file adds to the vocabulary; a scope may be listed again. A
// line with a mistake still declares its valid scopes, so that audit is
// not reported where it is used.
//
//mcp:scopes admin read
//mcp:scopes audit audit

// Another file's vocabulary applies here too.
//
//mcp:tool auth=scopes(raed,write)
func Elsewhere() (string, error) { return "", nil }
