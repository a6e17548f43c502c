// Package tokenaccess reads the caller's token inside handlers with
// runtime.AccessTokenFromContext, FastMCP's get_access_token().
package tokenaccess

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"fmt"
	"slices"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Token Access Server", "1.0.0", opts...)
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
	tok := runtime.AccessTokenFromContext(ctx)
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
	return fmt.Sprintf("notes of %s", runtime.AccessTokenFromContext(ctx).ClientID), nil
}

// Personalize greets the caller by name.
//
//mcp:prompt
func Personalize(ctx context.Context) (string, error) {
	who := "stranger"
	if tok := runtime.AccessTokenFromContext(ctx); tok != nil {
		who = tok.ClientID
	}
	return "Greet " + who + " warmly.", nil
}
