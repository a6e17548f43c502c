// Package keycloakroles is a team wiki served to a Keycloak realm: roles
// come from the realm (realm_access.roles) and from the server's own
// client (resource_access.wiki-mcp.roles), and one tool lets in either an
// admin or the owner of the wiki, with any(…).
package keycloakroles

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"fmt"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// ClientID is the Keycloak client of this server; its client roles count
// alongside the realm roles.
const ClientID = "wiki-mcp"

//mcp:roles admin editor reader

// New returns the server of the wiki owned by the Keycloak user whose
// subject ("sub") is owner.
func New(owner string) *runtime.Server {
	s := runtime.NewServer("Team wiki", "1.0.0",
		runtime.WithRoleClaims(runtime.KeycloakRoleClaims(ClientID)...))
	wikiOwner = owner
	Register(s)
	return s
}

// wikiOwner is the subject of the wiki's owner (one wiki per process).
var wikiOwner string

// isOwner passes for the wiki's owner.
func isOwner(ac runtime.AuthContext) bool {
	return ac.Token != nil && wikiOwner != "" && ac.Token.Claims["sub"] == wikiOwner
}

// ReadPage returns a page. Readers (a realm role) may read.
//
//mcp:tool auth=roles(reader) readonly
func ReadPage(ctx context.Context, title string) (string, error) {
	return "# " + title, nil
}

// EditPage changes a page: editors only (a client role), with the
// wiki:write scope as well.
//
//mcp:tool auth=scopes(wiki:write),roles(editor)
func EditPage(ctx context.Context, title, text string) (string, error) {
	return fmt.Sprintf("saved %q (%d bytes)", title, len(text)), nil
}

// DeleteWiki deletes the whole wiki: an admin, or the wiki's owner.
//
//mcp:tool auth=any(roles(admin),check(isOwner)) destructive
func DeleteWiki(ctx context.Context) (string, error) {
	return "wiki deleted", nil
}

// Export exports the wiki for a reader holding wiki:read, or for anyone
// holding wiki:write: the scopes inside any(…) are not required of every
// caller, so the tool's _meta names none, and a denied caller is not
// asked to step up.
//
//mcp:tool auth=roles(reader),any(scopes(wiki:read),scopes(wiki:write))
func Export(ctx context.Context) (string, error) {
	return "wiki.zip", nil
}
