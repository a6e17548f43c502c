package gosdkbasic

import (
	"context"
	"fmt"
)

// SecretData is the secret.
//
//mcp:resource uri=secret://data mime=text/plain auth=scopes(read)
func SecretData(ctx context.Context) (string, error) {
	return "s3cret", nil
}

// Profile is a user's public profile.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UserProfile is a user's profile.
//
//mcp:resource uri=users://{id}/profile auth=scopes(read) // a resource template
func UserProfile(ctx context.Context, id string) (Profile, error) {
	if id == "0" {
		return Profile{}, fmt.Errorf("no user %s", id)
	}
	return Profile{ID: id, Name: "user " + id}, nil
}

// Logo is the logo.
//
//mcp:resource uri=static://logo.png mime=image/png title=Logo
func Logo() ([]byte, error) {
	return []byte{0x89, 'P', 'N', 'G'}, nil
}
