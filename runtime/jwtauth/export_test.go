package jwtauth

import (
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// SignJWT signs claims with key under alg, naming kid when not empty: the
// token minting of the package's own tests, for the HTTP tests.
func SignJWT(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	return signJWT(t, alg, key, kid, claims)
}
