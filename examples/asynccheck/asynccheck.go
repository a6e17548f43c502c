// Package asynccheck shows a context-aware check: it asks a service (here
// an in-memory stand-in for a revocation list behind the network) and
// honours the request's context, as FastMCP's async checks do.
package asynccheck

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

import (
	"context"
	"sync"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server.
// opts are added to the server's own (a decision hook, say).
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Async Check Server", "1.0.0", opts...)
	Register(s)
	return s
}

// Revocations is the revocation service the check consults.
var Revocations = &revocationList{revoked: map[string]bool{}}

type revocationList struct {
	mu      sync.Mutex
	revoked map[string]bool
}

// Revoke marks a client as revoked.
func (r *revocationList) Revoke(clientID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.revoked[clientID] = true
}

// IsRevoked asks whether clientID was revoked. It fails when ctx has ended.
func (r *revocationList) IsRevoked(ctx context.Context, clientID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.revoked[clientID], nil
}

// notRevoked passes for callers whose client has not been revoked. An error
// from the service denies; it is logged, never shown to the client.
func notRevoked(ctx context.Context, ac runtime.AuthContext) (bool, error) {
	if ac.Token == nil {
		return false, nil
	}
	revoked, err := Revocations.IsRevoked(ctx, ac.Token.ClientID)
	return !revoked, err
}

// TransferFunds moves money between accounts.
//
//mcp:tool auth=scopes(payments),check(notRevoked) destructive
func TransferFunds(ctx context.Context, in Transfer) (Receipt, error) {
	return Receipt{From: in.From, To: in.To, Cents: in.Cents, Status: "done"}, nil
}

// Transfer is what to move where.
type Transfer struct {
	// From is the account to debit.
	From string `json:"from"`
	// To is the account to credit.
	To string `json:"to"`
	// Cents is the amount, in cents.
	Cents int `json:"cents"`
}

// Receipt confirms a transfer.
type Receipt struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Cents  int    `json:"cents"`
	Status string `json:"status"`
}
