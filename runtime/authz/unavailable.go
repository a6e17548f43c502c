package authz

import (
	"errors"
	"log/slog"
	"net/http"
)

// ErrVerifierUnavailable is returned, wrapped with the reason, by a
// TokenVerifier that could not decide whether a token is valid: the
// authorization server it asks did not answer in time, answered with an
// error, or answered something it could not read. Authenticate answers such
// a request with 503 Service Unavailable and a Retry-After header, without
// a WWW-Authenticate challenge: the token may well be valid, so the client
// should retry later rather than fetch a new one. Any other error is a bad
// token (401).
var ErrVerifierUnavailable = errors.New("token verifier unavailable")

// verifierRetryAfter is the Retry-After, in seconds, of a 503 answered for
// ErrVerifierUnavailable.
const verifierRetryAfter = "5"

// verifierUnavailable answers a request whose token the verifier could not
// judge (err wraps ErrVerifierUnavailable), and logs why at warning level.
func verifierUnavailable(w http.ResponseWriter, r *http.Request, err error) {
	slog.Default().WarnContext(r.Context(), "mcpauthgen: token verifier unavailable", slog.Any("error", err))
	w.Header().Set("Retry-After", verifierRetryAfter)
	http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
}
