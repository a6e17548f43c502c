package authz_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

func TestStaticTokenVerifier(t *testing.T) {
	v := authz.NewStaticTokenVerifier(map[string]authz.AccessToken{
		"dev-token":  {ClientID: "dev", Scopes: []string{"read"}},
		"named":      {Token: "explicit", ClientID: "named"},
		"expired":    {ClientID: "old", ExpiresAt: time.Now().Add(-time.Minute)},
		"still-good": {ClientID: "new", ExpiresAt: time.Now().Add(time.Hour)},
	})
	ctx := context.Background()
	for _, tc := range []struct {
		raw     string
		want    *authz.AccessToken
		wantErr bool
	}{
		{"dev-token", &authz.AccessToken{Token: "dev-token", ClientID: "dev", Scopes: []string{"read"}}, false},
		{"named", &authz.AccessToken{Token: "explicit", ClientID: "named"}, false},
		{"expired", nil, true},
		{"dev-toke", nil, true},
		{"dev-token ", nil, true},
		{"", nil, true},
	} {
		got, err := v.VerifyToken(ctx, tc.raw)
		if (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, authz.ErrInvalidToken)) {
			t.Errorf("%q: error %v", tc.raw, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.raw, diff)
		}
	}
	got, err := v.VerifyToken(ctx, "still-good")
	if err != nil || got.ClientID != "new" {
		t.Errorf("still-good: %v %v", got, err)
	}
	// Each call returns a copy: changing it changes nothing for the next.
	first, _ := v.VerifyToken(ctx, "dev-token")
	first.Scopes[0] = "admin"
	first.ClientID = "mallory"
	second, _ := v.VerifyToken(ctx, "dev-token")
	if second.ClientID != "dev" || second.Scopes[0] != "read" {
		t.Errorf("a verified token shares state with the verifier: %+v", second)
	}
}

// nestedClaims returns claims with every shape of nested value Clone
// copies: what a JSON decoder makes (map[string]any, []any) and what a
// token written in Go often holds ([]string, map[string]string).
func nestedClaims() map[string]any {
	return map[string]any{
		"sub":          "alice",
		"realm_access": map[string]any{"roles": []any{"viewer"}},
		"groups":       []any{"staff", map[string]any{"name": "ops"}},
		"roles":        []string{"viewer"},
		"labels":       map[string]string{"team": "ops"},
	}
}

// mutateNested changes every nested value of claims (as nestedClaims
// builds them) in place.
func mutateNested(claims map[string]any) {
	realm := claims["realm_access"].(map[string]any)
	realm["roles"].([]any)[0] = "admin"
	realm["extra"] = true
	groups := claims["groups"].([]any)
	groups[0] = "admins"
	groups[1].(map[string]any)["name"] = "root"
	claims["roles"].([]string)[0] = "admin"
	claims["labels"].(map[string]string)["team"] = "root"
}

func TestAccessTokenClone(t *testing.T) {
	orig := &authz.AccessToken{Token: "t", ClientID: "app", Scopes: []string{"read"}, Claims: nestedClaims()}
	c := orig.Clone()
	if diff := cmp.Diff(orig, c); diff != "" {
		t.Fatalf("clone differs (-orig +clone):\n%s", diff)
	}
	mutateNested(c.Claims)
	c.Scopes[0] = "admin"
	want := &authz.AccessToken{Token: "t", ClientID: "app", Scopes: []string{"read"}, Claims: nestedClaims()}
	if diff := cmp.Diff(want, orig); diff != "" {
		t.Errorf("changing the clone changed the original (-want +got):\n%s", diff)
	}
	if (*authz.AccessToken)(nil).Clone() != nil {
		t.Error("nil.Clone() is not nil")
	}
	if c := (&authz.AccessToken{}).Clone(); c.Claims != nil || c.Scopes != nil {
		t.Errorf("empty token cloned as %+v", c)
	}
}

// TestStaticTokenVerifierDeepCopies: changing a nested claim of a verified
// token changes nothing for the next verification of the same token.
func TestStaticTokenVerifierDeepCopies(t *testing.T) {
	v := authz.NewStaticTokenVerifier(map[string]authz.AccessToken{"tok": {ClientID: "app", Claims: nestedClaims()}})
	for i := range 2 {
		tok, err := v.VerifyToken(context.Background(), "tok")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(nestedClaims(), tok.Claims); diff != "" {
			t.Fatalf("verification %d: claims changed by an earlier request (-want +got):\n%s", i, diff)
		}
		mutateNested(tok.Claims)
	}
}
