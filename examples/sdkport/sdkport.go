// Package sdkport is a server ported from the official Go SDK
// (github.com/modelcontextprotocol/go-sdk), whose input schemas
// github.com/google/jsonschema-go inferred at run time, with the jsonschema
// tag as a property's description. Its argument structs are copied as they
// were, and the package's //mcp:schema line keeps the schemas it published.
package sdkport

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:schema gosdk

import (
	"context"
	"fmt"
	"time"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("SDK Port Server", "1.0.0", opts...)
	Register(s)
	return s
}

// SearchArgs are the arguments of search.
type SearchArgs struct {
	Query  string     `json:"query" jsonschema:"the search query"`
	Limit  *int       `json:"limit,omitempty" jsonschema:"how many results, 10 when absent"`
	Since  *time.Time `json:"since,omitempty" jsonschema:"only results after this time"`
	Kinds  []string   `json:"kinds,omitempty" jsonschema:"result kinds to include"`
	Page   int32      `json:"page,omitempty"`
	Filter Filter     `json:"filter" jsonschema:"what results must match"`
	Cursor *string    `json:"cursor" jsonschema:"where to continue, null for the start"`
}

// Filter narrows a search.
type Filter struct {
	Owner string `json:"owner,omitempty" jsonschema:"the owner's login"`
	Stars uint16 `json:"stars,omitempty" jsonschema:"at least this many stars"`
}

// Hit is a search result.
type Hit struct {
	Name string `json:"name"`
}

// Search searches.
//
//mcp:tool auth=scopes(read) tags=read readonly
func Search(ctx context.Context, args SearchArgs) ([]Hit, error) {
	limit := 10
	if args.Limit != nil {
		limit = *args.Limit
	}
	from := "start"
	if args.Cursor != nil {
		from = *args.Cursor
	}
	return []Hit{{Name: fmt.Sprintf("%s (limit %d, owner %q, from %s)", args.Query, limit, args.Filter.Owner, from)}}, nil
}
