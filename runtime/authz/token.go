package authz

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"
)

// AccessToken is a verified bearer token: who is calling and what it may do.
// It is what FastMCP calls AccessToken and what get_access_token() returns.
type AccessToken struct {
	// Token is the raw bearer token as the client sent it.
	Token string
	// ClientID identifies the client the token was issued to.
	ClientID string
	// Scopes are the scopes granted to the token. Checks compare them
	// exactly, case included.
	Scopes []string
	// ExpiresAt is when the token stops being valid; the zero time means it
	// does not expire.
	ExpiresAt time.Time
	// Resource is the protected resource the token was issued for (RFC 8707),
	// if the issuer said.
	Resource string
	// Claims holds every claim of the token, for checks that need more than
	// scopes.
	Claims map[string]any
}

// HasScope reports whether t grants scope. A nil token grants nothing.
func (t *AccessToken) HasScope(scope string) bool {
	if t == nil {
		return false
	}
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// Expired reports whether t has an expiry that lies before now.
func (t *AccessToken) Expired(now time.Time) bool {
	return t != nil && !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

type tokenKey struct{}

// ContextWithAccessToken returns a copy of ctx that carries t. Handlers and
// checks called with the returned context see t through
// AccessTokenFromContext. Tests and in-process clients use it to act as a
// given caller.
func ContextWithAccessToken(ctx context.Context, t *AccessToken) context.Context {
	return context.WithValue(ctx, tokenKey{}, t)
}

// AccessTokenFromContext returns the access token of the request being
// served, or nil when the request carries none (stdio, or HTTP without a
// verifier). It is the Go form of FastMCP's get_access_token().
func AccessTokenFromContext(ctx context.Context) *AccessToken {
	t, _ := ctx.Value(tokenKey{}).(*AccessToken)
	return t
}

// TokenVerifier turns a raw bearer token into an AccessToken, or refuses it.
// An error means the token is not valid, unless it wraps
// ErrVerifierUnavailable (the verifier could not tell); its text is logged,
// never sent to the client.
type TokenVerifier interface {
	VerifyToken(ctx context.Context, raw string) (*AccessToken, error)
}

// ErrInvalidToken is returned, or wrapped with the reason, by the verifiers
// of this module for a token they do not accept. Authenticate (and so
// runtime.HTTPHandler) answers any verifier error other than
// *InsufficientScopeError with 401 and error="invalid_token", whatever its
// text.
var ErrInvalidToken = errors.New("invalid token")

// InsufficientScopeError is returned by a TokenVerifier for a token that is
// valid but lacks scopes the verifier requires. Authenticate answers it with
// 403 and WWW-Authenticate: Bearer error="insufficient_scope", naming
// Required (RFC 6750 section 3.1).
type InsufficientScopeError struct {
	// Required are the scopes a token needs, all of them.
	Required []string
	// Missing are the scopes of Required the token lacks.
	Missing []string
}

func (e *InsufficientScopeError) Error() string {
	lacks := e.Missing
	if len(lacks) == 0 {
		lacks = e.Required
	}
	return "token lacks required scopes: " + strings.Join(lacks, " ")
}

// NewStaticTokenVerifier returns a verifier that accepts exactly the tokens
// of the map, keyed by their raw value, for development and tests. A token
// whose Token field is empty gets its map key; a token whose ExpiresAt has
// passed is refused like an unknown one. Lookups compare in constant time, so
// response timing does not tell how much of a guess was right.
func NewStaticTokenVerifier(tokens map[string]AccessToken) TokenVerifier {
	v := &staticVerifier{now: time.Now}
	for raw, t := range tokens {
		if t.Token == "" {
			t.Token = raw
		}
		v.tokens = append(v.tokens, staticToken{raw: []byte(raw), token: t})
	}
	return v
}

type staticToken struct {
	raw   []byte
	token AccessToken
}

type staticVerifier struct {
	tokens []staticToken
	now    func() time.Time
}

func (v *staticVerifier) VerifyToken(_ context.Context, raw string) (*AccessToken, error) {
	var found *AccessToken
	given := []byte(raw)
	// Every token is compared, so the time taken does not depend on which
	// one matched or how much of a wrong token was right.
	for i := range v.tokens {
		if subtle.ConstantTimeCompare(v.tokens[i].raw, given) == 1 {
			found = &v.tokens[i].token
		}
	}
	if found == nil || found.Expired(v.now()) {
		return nil, ErrInvalidToken
	}
	return found.Clone(), nil // a handler may change its token
}
