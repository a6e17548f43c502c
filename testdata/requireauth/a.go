// Package requireauth is generated with Config.RequireAuth: its golden
// errors.txt lists every component without auth=, of every kind. It has
// no //mcp:scopes vocabulary, so any scope goes.
package requireauth

import "github.com/mcpauthgen/mcpauthgen/runtime"

func allow(runtime.AuthContext) bool { return true }

// DeleteAll has no auth=.
//
//mcp:tool name=delete_all destructive
func DeleteAll() (string, error) { return "", nil }

// Health is public on purpose.
//
//mcp:tool auth=public
func Health() (string, error) { return "ok", nil }

// Anything takes scopes no vocabulary lists.
//
//mcp:tool auth=scopes(anything:goes,Read.Write)
func Anything() (string, error) { return "", nil }

// Checked has a check only.
//
//mcp:tool auth=check(allow)
func Checked() (string, error) { return "", nil }

// Help has no auth=.
//
//mcp:prompt title=Help
func Help() (string, error) { return "", nil }
