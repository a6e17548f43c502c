package jwtauth

import (
	"context"
	"crypto/sha256"
	"maps"
	"slices"
	"sort"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// keycloakClaims are the claims of an access token as Keycloak issues it
// (roles nested in realm_access and resource_access, lists of origins),
// the shape whose nested values the cache now copies.
func keycloakClaims() map[string]any {
	return jwtClaims(map[string]any{
		"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(),
		"jti": "0f8e5d2c-6a1b-4f7e-9c3d-2b1a0e9f8d7c", "typ": "Bearer", "azp": "mcp-client",
		"sid": "4c7b8a9e-1d2f-4e3a-8b5c-6d7e8f9a0b1c", "acr": "1",
		"allowed-origins": []any{"https://app.example", "https://admin.example"},
		"realm_access":    map[string]any{"roles": []any{"offline_access", "uma_authorization", "default-roles-mcp"}},
		"resource_access": map[string]any{
			"account": map[string]any{"roles": []any{"manage-account", "view-profile"}},
			"mcp":     map[string]any{"roles": []any{"editor", "viewer"}},
		},
		"email_verified": true, "name": "Alice Example", "preferred_username": "alice",
		"given_name": "Alice", "family_name": "Example", "email": "alice@example.com",
	})
}

// shallowClone is how the cache copied tokens before it copied them deep:
// its own Scopes and top-level Claims, nested maps and slices shared.
func shallowClone(t *authz.AccessToken) *authz.AccessToken {
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	c.Claims = maps.Clone(t.Claims)
	return &c
}

// previousHit is VerifyToken's cache hit as it was before the cache
// copied tokens deep: the same checks, hash and look-up, then the shallow
// copy.
func previousHit(v *Verifier, raw string) *authz.AccessToken {
	if raw == "" || len(raw) > maxTokenSize {
		return nil
	}
	now := v.now()
	sum := sha256.Sum256([]byte(raw))
	v.cache.mu.RLock()
	t, ok := v.cache.entries[sum]
	v.cache.mu.RUnlock()
	if !ok || t.Expired(now) {
		return nil
	}
	return shallowClone(t)
}

// BenchmarkJWTCacheHitCopy compares a cached verification of a Keycloak
// access token, which hands out a deep copy of the cached token, with the
// same hit handing out the shallow copy it handed out before (the
// baseline). The two alternate within each iteration, so that load
// elsewhere weighs on both alike; the benchmark reports each one's median
// time and the ratio of the medians (deep/shallow).
func BenchmarkJWTCacheHitCopy(b *testing.B) {
	key := jwtRSAKey()
	raw := signJWT(b, jose.RS256, key, "", keycloakClaims())
	v := newJWTTestVerifier(b, Config{PublicKey: &key.PublicKey})
	ctx := context.Background()
	if _, err := v.VerifyToken(ctx, raw); err != nil { // fills the cache
		b.Fatal(err)
	}
	if previousHit(v, raw) == nil {
		b.Fatal("no cache hit")
	}
	var deep, shallow []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := v.VerifyToken(ctx, raw); err != nil {
			b.Fatal(err)
		}
		deep = append(deep, time.Since(start))
		start = time.Now()
		if previousHit(v, raw) == nil {
			b.Fatal("no cache hit")
		}
		shallow = append(shallow, time.Since(start))
	}
	md, ms := median(deep), median(shallow)
	b.ReportMetric(float64(ms.Nanoseconds()), "shallow-ns/hit")
	b.ReportMetric(float64(md.Nanoseconds()), "deep-ns/hit")
	b.ReportMetric(float64(md)/float64(ms), "ratio")
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}
