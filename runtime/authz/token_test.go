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
