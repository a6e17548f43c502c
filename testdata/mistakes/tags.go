package mistakes

import "github.com/mcpauthgen/mcpauthgen/runtime"

//mcp:tags admin destructive write
//mcp:scopes read write admin

// A misspelt tag would escape RestrictTag("admin", …).
//
//mcp:tool auth=scopes(admin) tags=admn,destructive
func DropDatabase() (string, error) { return "", nil }

// A tag far from every one.
//
//mcp:tool auth=scopes(read) tags=billing
func Invoice() (string, error) { return "", nil }

// Literals in runtime.RequireScopes and runtime.RestrictTag are checked too.
//
//mcp:tool auth=check(runtime.RequireScopes("read","wirte")),check(runtime.RestrictTag("admn","admin"))
func Literals() (string, error) { return "", nil }

// Tags with blanks.
//
//mcp:tool auth=public tags="admin write"
func Blank() (string, error) { return "", nil }
