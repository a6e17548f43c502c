// Package gosdkbasic is basic on the go-sdk backend: the same components
// and handler shapes, registered on a gosdk.Server.
package gosdkbasic

import (
	"context"
	"errors"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

// DeleteAllData removes every record. Use with care.
//
//mcp:tool auth=scopes(admin) tags=admin,destructive destructive
func DeleteAllData(ctx context.Context) (string, error) {
	return "deleted", nil
}

// UpdateInput is what update_record takes.
type UpdateInput struct {
	// ID is the record to update.
	ID    string `json:"id"`
	Title string `json:"title,omitempty" jsonschema:"description=the new title"`
	Count int    `json:"count"` // how many copies
	Tags  []string
	Notes *string `json:"notes"`
	Skip  string  `json:"-"`
	inner int
}

// Record is a stored record.
type Record struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Count int    `json:"count"`
}

// UpdateRecord changes a record.
//
//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write idempotent
func UpdateRecord(ctx context.Context, in UpdateInput) (*Record, error) {
	if in.ID == "missing" {
		return nil, errors.New("no record missing")
	}
	return &Record{ID: in.ID, Title: in.Title, Count: in.Count}, nil
}

// ownsRecord lets writers with the owner claim through.
func ownsRecord(ac gosdk.AuthContext) bool {
	return ac.Token != nil && ac.Token.Claims["owner"] == true
}

// Search finds records.
//
//mcp:tool readonly openworld title="Search records" auth=public
func Search(query string, limit *int, since *time.Time) ([]Record, error) {
	n := 2
	if limit != nil {
		n = *limit
	}
	var out []Record
	for i := range n {
		out = append(out, Record{ID: query, Count: i})
	}
	return out, nil
}

// Raw returns a result of its own making.
//
//mcp:tool auth=check(minLevel(5))
func Raw(ctx context.Context, p *RawInput) (*mcp.CallToolResult, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "raw " + p.Mode}}}, nil
}

// RawInput selects the mode.
type RawInput struct {
	Mode string `json:"mode"`
}

// minLevel returns a check requiring the level claim to be at least n.
func minLevel(n int) gosdk.AuthCheck {
	return func(ctx context.Context, ac gosdk.AuthContext) (bool, error) {
		if ac.Token == nil {
			return false, nil
		}
		lvl, _ := ac.Token.Claims["level"].(float64)
		return int(lvl) >= n, nil
	}
}
