// Package tokenaccess is examples/tokenaccess on the official go-sdk:
// handlers read the caller's token with gosdk.AccessTokenFromContext.
package tokenaccess

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:backend gosdk

import (
	"context"
	"fmt"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// New returns the server.
func New() *gosdk.Server {
	s := gosdk.NewServer(&mcp.Implementation{Name: "Token Access Server", Version: "1.0.0"}, nil)
	Register(s)
	return s
}

// Identity is who is calling.
type Identity struct {
	ClientID string   `json:"client_id"`
	Scopes   []string `json:"scopes"`
	Subject  string   `json:"subject,omitempty"`
}

// Whoami tells the caller who the server thinks it is.
//
//mcp:tool readonly
func Whoami(ctx context.Context) (Identity, error) {
	tok := gosdk.AccessTokenFromContext(ctx)
	if tok == nil {
		return Identity{ClientID: "anonymous", Scopes: []string{}}, nil
	}
	sub, _ := tok.Claims["sub"].(string)
	return Identity{ClientID: tok.ClientID, Scopes: slices.Sorted(slices.Values(tok.Scopes)), Subject: sub}, nil
}

// MyNotes lists the caller's own notes.
//
//mcp:resource uri=notes://mine auth=scopes(notes)
func MyNotes(ctx context.Context) (string, error) {
	return fmt.Sprintf("notes of %s", gosdk.AccessTokenFromContext(ctx).ClientID), nil
}

// Personalize greets the caller by name.
//
//mcp:prompt
func Personalize(ctx context.Context) (string, error) {
	who := "stranger"
	if tok := gosdk.AccessTokenFromContext(ctx); tok != nil {
		who = tok.ClientID
	}
	return "Greet " + who + " warmly.", nil
}
