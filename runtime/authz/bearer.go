package authz

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// MetadataPathPrefix is where RFC 9728 protected resource metadata lives:
// the metadata of the resource at path P is served at
// MetadataPathPrefix + P.
const MetadataPathPrefix = "/.well-known/oauth-protected-resource"

// ScopeRequirer is implemented by token verifiers that require scopes of
// every token (jwtauth.Config.RequiredScopes, say). Since no request
// succeeds without them, a server publishes them in scopes_supported too.
type ScopeRequirer interface {
	RequiredScopes() []string
}

// Authenticate verifies the bearer token of r with v. When r carries none
// (or another scheme) or v refuses it, it answers the request and returns
// false: 401 with a challenge naming the URL metadataURL returns
// (error="invalid_token" added when a token was sent), or 403 with
// error="insufficient_scope" when v returned an *InsufficientScopeError, or
// 503 with Retry-After when v could not judge the token
// (ErrVerifierUnavailable). v's error is logged, never sent. metadataURL is
// called only to answer a challenge. The token returned always has the raw
// bearer token in Token: when v leaves Token empty, a copy gets it.
func Authenticate(w http.ResponseWriter, r *http.Request, v TokenVerifier, metadataURL func() string) (*AccessToken, bool) {
	tok, status, _ := VerifyBearer(w, r, v, metadataURL)
	return tok, status == 0
}

// VerifyBearer is Authenticate that says how it refused: the status it
// answered (0 when it did not) and the rule of the decision,
// RuleBearerMissing, RuleBearerInvalid, RuleBearerInsufficientScope or
// RuleBearerUnavailable.
func VerifyBearer(w http.ResponseWriter, r *http.Request, v TokenVerifier, metadataURL func() string) (tok *AccessToken, status int, rule string) {
	raw, ok := BearerToken(r.Header.Get("Authorization"))
	if !ok {
		Challenge(w, http.StatusUnauthorized, metadataURL())
		return nil, http.StatusUnauthorized, RuleBearerMissing
	}
	tok, err := v.VerifyToken(r.Context(), raw)
	if err == nil && tok != nil {
		if tok.Token == "" {
			// The raw token identifies the caller when nothing else in the
			// token does (session binding), as the static verifier's map
			// key does; the verifier's own value is left alone.
			t := *tok
			t.Token = raw
			tok = &t
		}
		return tok, 0, ""
	}
	if err == nil {
		err = errors.New("verifier returned no token and no error")
	}
	if errors.Is(err, ErrVerifierUnavailable) {
		verifierUnavailable(w, r, err)
		return nil, http.StatusServiceUnavailable, RuleBearerUnavailable
	}
	slog.Default().InfoContext(r.Context(), "mcpauthgen: bearer token refused", slog.Any("error", err))
	var scopeErr *InsufficientScopeError
	if errors.As(err, &scopeErr) {
		params := []string{`error="insufficient_scope"`}
		if sc := ScopeParam(scopeErr.Required); sc != "" {
			params = append(params, `scope="`+sc+`"`)
		}
		Challenge(w, http.StatusForbidden, metadataURL(), params...)
		return nil, http.StatusForbidden, RuleBearerInsufficientScope
	}
	Challenge(w, http.StatusUnauthorized, metadataURL(), `error="invalid_token"`, `error_description="`+invalidTokenDescription+`"`)
	return nil, http.StatusUnauthorized, RuleBearerInvalid
}

// invalidTokenDescription is the only error_description clients get for a
// refused token: whatever the verifier found is for the logs.
const invalidTokenDescription = "The access token is invalid or expired"

// BearerToken extracts the token of an "Authorization: Bearer" header; the
// scheme is matched case-insensitively (RFC 7235).
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// Challenge answers status (401 or 403) with the WWW-Authenticate header
// of RFC 6750 and RFC 9728: the given auth-params, then resource_metadata
// naming metadataURL. The body is the status text and nothing else.
func Challenge(w http.ResponseWriter, status int, metadataURL string, params ...string) {
	params = append(params, `resource_metadata="`+metadataURL+`"`)
	w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
	http.Error(w, http.StatusText(status), status)
}

// ScopeParam is the scope parameter of an insufficient_scope challenge:
// the scopes space-separated, leaving out any that could not appear in a
// quoted string unescaped (RFC 6749 section 3.3 allows none such).
func ScopeParam(scopes []string) string {
	valid := make([]string, 0, len(scopes))
	for _, sc := range scopes {
		if ValidScope(sc) {
			valid = append(valid, sc)
		}
	}
	return strings.Join(valid, " ")
}

// ValidScope reports whether s is a scope-token of RFC 6749 section 3.3,
// which can be quoted in a WWW-Authenticate header as is.
func ValidScope(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
