// Package autherror shows checks that deny with a message for the client:
// a middleware check returning *runtime.AuthorizationError has its message
// passed through verbatim, while any other failure stays masked.
package autherror

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"errors"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server, with requireVerifiedEmail as server-wide rule.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	opts = append([]runtime.Option{runtime.WithMiddleware(runtime.AuthMiddleware(runtime.Check(requireVerifiedEmail)).Named("check(requireVerifiedEmail)"))}, opts...)
	s := runtime.NewServer("Authorization Error Server", "1.0.0", opts...)
	Register(s)
	return s
}

// requireVerifiedEmail denies, with a message the client sees, callers
// whose email is not verified.
func requireVerifiedEmail(ac runtime.AuthContext) (bool, error) {
	if ac.Token == nil {
		return false, nil
	}
	if ac.Token.Claims["email_verified"] != true {
		return false, &runtime.AuthorizationError{Message: "Please verify your email address before using this server"}
	}
	return true, nil
}

// quotaService fails: its error must never reach the client.
func quotaService(ac runtime.AuthContext) (bool, error) {
	return false, errors.New("quota backend at 10.1.2.3:6379 timed out")
}

// SendNewsletter sends the newsletter.
//
//mcp:tool
func SendNewsletter(ctx context.Context) (string, error) {
	return "newsletter sent", nil
}

// BulkExport exports everything; its quota check is broken.
//
//mcp:tool auth=check(quotaService)
func BulkExport(ctx context.Context) (string, error) {
	return "exported", nil
}
