// Package porting is a server ported from mcp-go, where its input schemas
// were reflected with github.com/invopop/jsonschema at run time. Its
// argument structs and their tags are copied as they were, and the
// package's //mcp:schema line keeps the schemas it published: only fields
// tagged jsonschema:"required" are required, and objects refuse unknown
// properties. Its writing tools are tagged write, so that a command-line
// switch can remove them on every transport (see examples/cmd/porting).
package porting

//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen

//mcp:schema invopop required=tags

import (
	"context"
	"fmt"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// New returns the server; opts are passed to runtime.NewServer, for
// example runtime.WithExcludeTags("write").
func New(opts ...runtime.Option) *runtime.Server {
	s := runtime.NewServer("Porting Server", "1.0.0", opts...)
	Register(s)
	return s
}

// ListAlertRulesParams are the arguments of list_alert_rules.
type ListAlertRulesParams struct {
	Page  int    `json:"page,omitempty" jsonschema:"default=1,minimum=1,description=The page number to return"`
	Limit int    `json:"limit,omitempty" jsonschema:"default=100,minimum=1,maximum=1000,description=The maximum number of results to return"`
	Label string `json:"label,omitempty" jsonschema:"description=Only rules with this label (name=value)"`
	State string `json:"state,omitempty" jsonschema:"enum=firing,enum=pending,enum=normal,description=Only rules in this state"`
}

// Rule is an alert rule.
type Rule struct {
	UID   string `json:"uid"`
	Title string `json:"title"`
	State string `json:"state"`
}

// ListAlertRules lists alert rules.
//
//mcp:tool auth=scopes(read) tags=read readonly
func ListAlertRules(ctx context.Context, p ListAlertRulesParams) ([]Rule, error) {
	rules := []Rule{{"r1", "CPU high", "firing"}, {"r2", "Disk full", "normal"}}
	var out []Rule
	for _, r := range rules {
		if p.State == "" || r.State == p.State {
			out = append(out, r)
		}
	}
	return out, nil
}

// UpdateDashboardParams are the arguments of update_dashboard.
type UpdateDashboardParams struct {
	UID       string            `json:"uid" jsonschema:"required,description=The UID of the dashboard"`
	Operation string            `json:"operation" jsonschema:"required,enum=replace,enum=patch,description=How to apply the change"`
	Title     string            `json:"title" jsonschema:"description=A new title"`
	Panels    []Panel           `json:"panels,omitempty" jsonschema:"description=Panels to set"`
	Tags      []string          `json:"tags,omitempty" jsonschema:"uniqueItems=true,maxItems=10"`
	Variables map[string]string `json:"variables,omitempty"`
	Overwrite bool              `json:"overwrite,omitempty" jsonschema:"default=false"`
}

// Panel is a dashboard panel.
type Panel struct {
	ID    int    `json:"id" jsonschema:"required,minimum=1"`
	Type  string `json:"type" jsonschema:"required,enum=graph,enum=table,enum=stat"`
	Title string `json:"title,omitempty"`
}

// UpdateDashboard changes a dashboard.
//
//mcp:tool auth=scopes(write) tags=write destructive
func UpdateDashboard(ctx context.Context, p UpdateDashboardParams) (string, error) {
	title := p.Title
	if title == "" {
		title = "(unchanged)"
	}
	return fmt.Sprintf("dashboard %s: %s, title %s, %d panels", p.UID, p.Operation, title, len(p.Panels)), nil
}

// CreateAnnotation adds an annotation to a dashboard.
//
//mcp:tool auth=scopes(write) tags=write
func CreateAnnotation(ctx context.Context, dashboardUID string, text string) (string, error) {
	return "annotated " + dashboardUID, nil
}

// ReviewArgs are the arguments of the review prompt: prompt arguments
// follow the same tags, for descriptions and required ones.
type ReviewArgs struct {
	UID   string `json:"uid" jsonschema:"required,description=The dashboard to review"`
	Focus string `json:"focus" jsonschema_description:"What to look at"`
}

// Review asks for a review of a dashboard.
//
//mcp:prompt auth=scopes(read) tags=read
func Review(ctx context.Context, a ReviewArgs) (string, error) {
	return "Review dashboard " + a.UID + ", looking at " + a.Focus, nil
}
