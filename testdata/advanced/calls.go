package advanced

import (
	"context"
	"strings"

	. "github.com/mcpauthgen/mcpauthgen/runtime"
)

// Call checks of every binding: a subset of named parameters in another
// order, a factory, an input struct taken by value where the handler takes
// a pointer, an optional prompt argument, and a check named like the
// generated code's local variable.

// maxAmount returns a call check that refuses amounts over max. Its
// parameters are named in the result type: they bind by name.
func maxAmount(max int) func(_ AuthContext, amount int) bool {
	return func(_ AuthContext, amount int) bool { return amount <= max }
}

// fromSelf passes when the account moved from is the caller's; it takes
// the handler's parameters out of order and with a context.
func fromSelf(ctx context.Context, ac AuthContext, amount int, from string) (bool, error) {
	if from == "frozen" {
		return false, &AuthorizationError{Message: "account frozen is frozen"}
	}
	return ac.Token != nil && from == ac.Token.ClientID, nil
}

// check is named like the variable generated code holds a call check in.
func check(ac AuthContext, to string) bool { return to != "nowhere" }

// Transfer moves an amount between accounts.
//
//mcp:tool auth=check(fromSelf),check(maxAmount(100)),check(check)
func Transfer(ctx context.Context, from, to string, amount int) (string, error) {
	return from + "->" + to, nil
}

// BriefInput is the input of brief.
type BriefInput struct {
	Topic    string  `json:"topic"`
	Audience *string `json:"audience,omitempty"`
}

func briefAllowed(ac AuthContext, in BriefInput) bool {
	return !strings.Contains(in.Topic, "secret") && (in.Audience == nil || *in.Audience != "press")
}

// Brief asks for a briefing.
//
//mcp:prompt auth=check(briefAllowed)
func Brief(in *BriefInput) (string, error) { return "brief on " + in.Topic, nil }

func toneAllowed(ac AuthContext, tone *string) bool { return tone == nil || *tone != "rude" }

// Reply asks for a reply in a tone.
//
//mcp:prompt auth=check(toneAllowed)
func Reply(text string, tone *string) (string, error) { return "reply to " + text, nil }
