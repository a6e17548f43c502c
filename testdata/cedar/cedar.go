// Package cedar holds Cedar policy files with one class of mistake each,
// validated against the schema of the components below.
package cedar

import "context"

//mcp:policies syntax.cedar
//mcp:policies names.cedar
//mcp:policies context.cedar
//mcp:policies principal.cedar
//mcp:policies ids.cedar
//mcp:policies missing.cedar
//mcp:policies valid.cedar own.cedarschema

// Transfer is what transfer takes.
type Transfer struct {
	From   string            `json:"from"`
	Amount int               `json:"amount"`
	Memo   *string           `json:"memo,omitempty"`
	Labels []string          `json:"labels,omitempty"`
	Rate   float64           `json:"rate,omitempty"`
	Meta   map[string]string `json:"meta,omitempty"`
}

// TransferFunds moves money.
//
//mcp:tool tags=finance,write
func TransferFunds(ctx context.Context, in Transfer) (string, error) { return "", nil }

// Balance is an account's balance.
//
//mcp:resource uri=accounts://{id}/balance tags=finance
func Balance(ctx context.Context, id string) (string, error) { return "", nil }

// Audit is a prompt.
//
//mcp:prompt tags=admin
func Audit(ctx context.Context, period string) (string, error) { return "", nil }

//mcp:scopes payments
