// Package policy holds checks and types that the advanced golden case
// uses from another package.
package policy

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// Rule is a named check type: the generated code passes IsOwner to
// runtime.Check as it is.
type Rule func(runtime.AuthContext) bool

// IsOwner passes for tokens with the owner claim.
var IsOwner Rule = func(ac runtime.AuthContext) bool {
	return ac.Token != nil && ac.Token.Claims["owner"] == true
}

// InGroup returns a check for membership of group.
func InGroup(group string) func(context.Context, runtime.AuthContext) (bool, error) {
	return func(ctx context.Context, ac runtime.AuthContext) (bool, error) {
		return ac.Token != nil && ac.Token.Claims["group"] == group, nil
	}
}

// Page selects a page of results.
type Page struct {
	// Offset is where the page starts.
	Offset uint `json:"offset"`
	Size   int  `json:"size,omitempty"`
}
