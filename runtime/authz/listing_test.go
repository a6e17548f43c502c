package authz

import (
	"context"
	"testing"
)

// TestListingContextMarksOnce: a list marks its context once, and Listed
// then adds nothing per item; middleware checks see the mark either way.
func TestListingContextMarksOnce(t *testing.T) {
	var sawListing bool
	p := NewPolicy(AuthMiddleware(AuthCheck(func(ctx context.Context, _ AuthContext) (bool, error) {
		sawListing = Listing(ctx)
		return true, nil
	})))
	tok, comp := &AccessToken{Scopes: []string{"read"}}, &Component{Kind: KindTool, Name: "t"}
	ctx := context.Background()
	if !p.Listed(ctx, tok, comp, nil) || !sawListing {
		t.Fatalf("Listed on an unmarked context: middleware saw Listing %v", sawListing)
	}
	marked := p.ListingContext(ctx)
	if !Listing(marked) || p.ListingContext(marked) != marked {
		t.Fatal("ListingContext does not mark once")
	}
	if NewPolicy().ListingContext(ctx) != ctx {
		t.Error("a policy without middleware marks the context")
	}
	perItem := testing.AllocsPerRun(100, func() { p.Listed(ctx, tok, comp, nil) })
	once := testing.AllocsPerRun(100, func() { p.Listed(marked, tok, comp, nil) })
	if once >= perItem {
		t.Errorf("Listed allocates %v per item on a marked context, %v on an unmarked one: the mark is not reused", once, perItem)
	}
}
