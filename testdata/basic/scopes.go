package basic

// The package's scope vocabulary: scopes(…) may name only these.
//
//mcp:scopes read write admin
