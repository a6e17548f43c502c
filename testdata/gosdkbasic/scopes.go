package gosdkbasic

// The package's scope vocabulary: scopes(…) may name only these.
//
//mcp:scopes read write admin

//mcp:backend gosdk
