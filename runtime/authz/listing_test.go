package authz_test

import (
	"context"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// TestListing: a middleware check can tell a list from a request that uses
// the component; component checks are not told.
func TestListing(t *testing.T) {
	var seen []bool
	record := func(ctx context.Context, _ authz.AuthContext) (bool, error) {
		seen = append(seen, authz.Listing(ctx))
		return true, nil
	}
	p := authz.NewPolicy(authz.AuthMiddleware(record))
	g := p.Guard(authz.Component{Kind: authz.KindTool, Name: "t"}, authz.WithAuth(record))
	ctx := context.Background()
	if !p.Listed(ctx, nil, &g.Component, g) {
		t.Fatal("not listed")
	}
	if msg := p.Refusal(ctx, nil, &g.Component, g, true, "t"); msg != "" {
		t.Fatalf("refused: %s", msg)
	}
	want := []bool{false, true, false, false} // component check, middleware; then the call
	if len(seen) != len(want) {
		t.Fatalf("checks saw %v, want %v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("check %d saw Listing %v, want %v", i, seen[i], want[i])
		}
	}
	if authz.Listing(ctx) {
		t.Error("a plain context reads as listing")
	}
}
