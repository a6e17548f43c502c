// Package cedarown names schema files of its own entity types that are
// not valid: one does not parse, one declares an action, one redeclares
// the principal.
package cedarown

import "context"

//mcp:policies p.cedar syntax.cedarschema
//mcp:policies p.cedar actions.cedarschema
//mcp:policies p.cedar principal.cedarschema
//mcp:policies p.cedar missing.cedarschema

// Ping answers.
//
//mcp:tool
func Ping(ctx context.Context) (string, error) { return "pong", nil }
