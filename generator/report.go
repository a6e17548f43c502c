package generator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// ReportVersion is the version of the JSON form of AuthReport. It changes
// only when a field is renamed, removed or changes meaning; new fields may
// appear without it changing.
const ReportVersion = 1

// AuthReport is the authorization matrix of a set of packages: every
// annotated component with what its annotation asks of a caller. It is
// what mcpauthgen -report prints, as Markdown or as JSON (its json tags
// are the JSON schema).
//
// Packages are in import path order, and within each package components
// are sorted by kind (tool, resource, resource template, prompt), then MCP
// name, so the report only changes when authorization does.
type AuthReport struct {
	// Version is ReportVersion.
	Version int `json:"version"`
	// Token is set by ForToken: the scopes of the token each component's
	// Access is judged for.
	Token *ReportToken `json:"token,omitempty"`
	// Packages are the packages that have components.
	Packages []PackageReport `json:"packages"`
	// Notes say what the report cannot know, such as middleware.
	Notes []string `json:"notes"`
}

// ReportToken is the token ForToken judges access for.
type ReportToken struct {
	Scopes []string `json:"scopes"`
}

// PackageReport is one package of an AuthReport.
type PackageReport struct {
	Path string `json:"path"` // import path
	Name string `json:"name"` // package name
	// Vocabulary is the //mcp:scopes vocabulary the package is checked
	// against (that of its module in the run), in source order; absent
	// when there is none (any scope goes).
	Vocabulary []string `json:"vocabulary,omitempty"`
	// RoleVocabulary is the //mcp:roles vocabulary, likewise.
	RoleVocabulary []string          `json:"roleVocabulary,omitempty"`
	Components     []ComponentReport `json:"components"`
}

// The kinds of ComponentReport.Kind.
const (
	ReportTool             = "tool"
	ReportResource         = "resource"
	ReportResourceTemplate = "resource template"
	ReportPrompt           = "prompt"
)

// The values of ComponentReport.Access.
const (
	AccessVisible = "visible"          // the token has every required scope and there is no check
	AccessHidden  = "hidden"           // the token lacks a required scope
	AccessCheck   = "depends on check" // the token has every required scope; a check, roles or an any(…) decides
	// AccessArguments: the token has every required scope and nothing but
	// call checks has a say: the component is visible, and each call is
	// decided on its arguments.
	AccessArguments = "depends on arguments"
)

// ComponentReport is one component of a PackageReport.
type ComponentReport struct {
	// Kind is "tool", "resource", "resource template" or "prompt".
	Kind string `json:"kind"`
	// Name is the MCP name.
	Name string `json:"name"`
	// URI is the URI or URI template of a resource; absent otherwise.
	URI string `json:"uri,omitempty"`
	// Tags are the tags of tags=, in the order written.
	Tags []string `json:"tags"`
	// Scopes are the scopes a token needs: those of every scopes(…)
	// term, in the order written, each once.
	Scopes []string `json:"scopes"`
	// Roles are the roles a token needs: those of every roles(…) term
	// (not inside any(…)), in the order written, each once.
	Roles []string `json:"roles"`
	// Checks are the expressions of the check(…) terms (not inside
	// any(…)), as written, but for call checks.
	Checks []string `json:"checks"`
	// CallChecks are the expressions of the check(…) terms that are call
	// checks (they take the handler's arguments), as written: they decide
	// each call on its arguments and never hide the component. Absent when
	// there are none.
	CallChecks []string `json:"call_checks,omitempty"`
	// Any are the any(…) terms, each in canonical form, as written.
	Any []string `json:"any"`
	// Public is set by auth=public.
	Public bool `json:"public"`
	// Auth is the value of auth= in canonical form, its terms in the
	// order they run; "" when the annotation has no auth=.
	Auth string `json:"auth"`
	// File is the annotated file, slash-separated, relative to the root
	// of its module; Line is the line of the directive.
	File string `json:"file"`
	Line int    `json:"line"`
	// Access is set by ForToken: AccessVisible, AccessHidden,
	// AccessCheck or AccessArguments.
	Access string `json:"access,omitempty"`
}

// Notes of every report.
var reportNotes = []string{
	"Middleware (runtime.AuthMiddleware, with runtime.RestrictTag or any other check, added by runtime.WithMiddleware) is configured in Go code at run time and is not visible to the generator: it can deny what this report shows as allowed, never allow what it denies.",
	"Scopes are those of a component's scopes(...) terms: a token needs every one, matched exactly. Roles are those of its roles(...) terms, read from the token's claims as the server maps them (runtime.WithRoleClaims): a token needs every one. Checks are check(...) expressions as written; what they allow is known only at run time. Any lists the any(...) terms as written: one of the terms inside must pass. Scopes, roles and checks inside any(...) are not in the other columns.",
	"A component without auth= has no check of its own (-require-auth rejects it); auth=public says so on purpose.",
	"Over stdio there is no token and no check runs.",
}

// callNote is a note of reports with call checks.
const callNote = "A call-time check takes the handler's arguments: it never hides the component from a list, and decides each call on its arguments, after the other checks."

// Report loads and validates the packages matching patterns exactly as
// Generate does, and returns their authorization matrix instead of code.
// It writes nothing. Mistakes in annotations give an ErrorList, and
// packages that cannot be loaded a *LoadError, as for Generate.
func Report(cfg Config, patterns ...string) (*AuthReport, error) {
	r := &AuthReport{Version: ReportVersion, Packages: []PackageReport{}, Notes: slices.Clone(reportNotes)}
	pkgs, list, err := analyzeAll(&cfg, patterns)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return nil, list
	}
	calls := false
	for _, a := range pkgs {
		if a.File != nil {
			p := packageReport(a.Pkg, a.File)
			r.Packages = append(r.Packages, p)
			calls = calls || slices.ContainsFunc(p.Components, func(c ComponentReport) bool { return len(c.CallChecks) > 0 })
		}
	}
	if calls {
		r.Notes = append(r.Notes, callNote)
	}
	return r, nil
}

func packageReport(pkg *packages.Package, pf *pkgFile) PackageReport {
	p := PackageReport{Path: pkg.PkgPath, Name: pkg.Name, Vocabulary: pf.Vocabulary, RoleVocabulary: pf.Roles, Components: []ComponentReport{}}
	root := pkg.Dir
	if pkg.Module != nil && pkg.Module.Dir != "" {
		root = pkg.Module.Dir
	}
	for _, c := range pf.Components {
		cr := ComponentReport{
			Kind:   c.Kind.label(),
			Name:   c.Name,
			URI:    c.URI,
			Tags:   append([]string{}, c.Tags...),
			Scopes: []string{},
			Roles:  []string{},
			Checks: []string{},
			Any:    []string{},
			Public: c.Public,
			Auth:   c.AuthText,
			File:   filepath.Base(c.Pos.Filename),
			Line:   c.Pos.Line,
		}
		if rel, err := filepath.Rel(root, c.Pos.Filename); err == nil && filepath.IsLocal(rel) {
			cr.File = filepath.ToSlash(rel)
		}
		for _, t := range c.Auth {
			switch {
			case t.Check != nil && t.Check.Call != nil:
				cr.CallChecks = append(cr.CallChecks, t.Check.Text)
			case t.Check != nil:
				cr.Checks = append(cr.Checks, t.Check.Text)
			case t.Any != nil:
				cr.Any = append(cr.Any, t.String())
			}
			cr.Scopes = addNew(cr.Scopes, t.Scopes)
			cr.Roles = addNew(cr.Roles, t.Roles)
		}
		p.Components = append(p.Components, cr)
	}
	kinds := []string{ReportTool, ReportResource, ReportResourceTemplate, ReportPrompt}
	slices.SortStableFunc(p.Components, func(a, b ComponentReport) int {
		return cmp.Or(
			cmp.Compare(slices.Index(kinds, a.Kind), slices.Index(kinds, b.Kind)),
			strings.Compare(a.Name, b.Name),
		)
	})
	return p
}

// ForToken returns a copy of r that says, for every component, whether a
// token holding exactly scopes can see it, judging only from scopes:
// AccessHidden when scopes alone deny it (a required scope is missing, or
// every branch of an any(…) lacks one; whatever the other terms say,
// since every term must pass), AccessVisible when scopes alone admit it
// (no check(…) or roles(…) has a say), AccessCheck when checks or roles
// decide, and AccessArguments when scopes alone admit it but call checks
// decide each call. Middleware is not taken into account. It reads only
// the report's columns, so a report decoded from JSON is judged alike.
func (r *AuthReport) ForToken(scopes []string) *AuthReport {
	out := *r
	out.Token = &ReportToken{Scopes: append([]string{}, scopes...)}
	rule := "depends on check when a check(...) or roles(...) decides."
	if slices.Contains(r.Notes, callNote) {
		rule = "depends on check when a check(...) or roles(...) decides, depends on arguments when only call-time checks do (the component is visible; each call is decided on its arguments)."
	}
	out.Notes = append(slices.Clone(r.Notes), "Access is judged for a token with "+tokenPhrase(scopes, func(s string) string { return s })+
		", from scopes only: hidden when the token lacks a required scope (for an any(...), one in each of its terms), visible when it has them all and nothing else has a say, "+rule)
	out.Packages = make([]PackageReport, len(r.Packages))
	for i, p := range r.Packages {
		p.Components = slices.Clone(p.Components)
		for j := range p.Components {
			c := &p.Components[j]
			switch {
			case slices.ContainsFunc(c.Scopes, func(s string) bool { return !slices.Contains(scopes, s) }):
				c.Access = AccessHidden
			default:
				c.Access = [...]string{AccessHidden, AccessCheck, AccessVisible}[judgeReport(c, scopes)+1]
				if c.Access == AccessVisible && len(c.CallChecks) > 0 {
					c.Access = AccessArguments
				}
			}
		}
		out.Packages[i] = p
	}
	return &out
}

// JSON returns the report as indented JSON, with a final newline.
func (r *AuthReport) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Markdown returns the report as a Markdown document: a table per
// package, then the notes.
func (r *AuthReport) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Authorization report\n\n")
	if r.Token != nil {
		fmt.Fprintf(&b, "Access: for a token with %s (see the notes).\n\n", tokenPhrase(r.Token.Scopes, code))
	}
	if len(r.Packages) == 0 {
		b.WriteString("No annotated components.\n\n")
	}
	for _, p := range r.Packages {
		fmt.Fprintf(&b, "## %s\n\n", p.Path)
		if len(p.Vocabulary) > 0 {
			fmt.Fprintf(&b, "Scope vocabulary: %s.\n\n", codeList(p.Vocabulary))
		}
		if len(p.RoleVocabulary) > 0 {
			fmt.Fprintf(&b, "Role vocabulary: %s.\n\n", codeList(p.RoleVocabulary))
		}
		header := []string{"Kind", "Name", "URI", "Tags", "Scopes", "Roles", "Checks", "Any", "Public", "Source"}
		if r.Token != nil {
			header = append(header, "Access")
		}
		row(&b, header)
		sep := make([]string, len(header))
		for i := range sep {
			sep[i] = "---"
		}
		row(&b, sep)
		for _, c := range p.Components {
			public := ""
			switch {
			case c.Public:
				public = "yes"
			case c.Auth == "":
				public = "no auth="
			}
			cells := []string{
				c.Kind,
				c.Name,
				code(c.URI),
				codeList(c.Tags),
				codeList(c.Scopes),
				codeList(c.Roles),
				checksCell(c),
				codeList(c.Any),
				public,
				c.File + ":" + strconv.Itoa(c.Line),
			}
			if r.Token != nil {
				cells = append(cells, c.Access)
			}
			row(&b, cells)
		}
		b.WriteString("\n")
	}
	b.WriteString("Notes:\n\n")
	for _, n := range r.Notes {
		b.WriteString("- " + n + "\n")
	}
	return b.Bytes()
}

// checksCell lists a component's checks, then its call checks marked as
// such.
func checksCell(c ComponentReport) string {
	cells := []string{}
	if len(c.Checks) > 0 {
		cells = append(cells, codeList(c.Checks))
	}
	for _, x := range c.CallChecks {
		cells = append(cells, code(x)+" (call-time)")
	}
	return strings.Join(cells, ", ")
}

// row writes one table row, escaping the pipes of its cells.
func row(b *bytes.Buffer, cells []string) {
	b.WriteString("|")
	for _, c := range cells {
		if c != "" {
			b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`))
		}
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// code returns s as a Markdown code span ("" for ""), fenced with more
// backquotes than s holds in a row.
func code(s string) string {
	if s == "" {
		return ""
	}
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func codeList(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = code(s)
	}
	return strings.Join(out, ", ")
}

// tokenPhrase describes a token's scopes, each written with quote.
func tokenPhrase(scopes []string, quote func(string) string) string {
	quoted := make([]string, len(scopes))
	for i, s := range scopes {
		quoted[i] = quote(s)
	}
	switch len(scopes) {
	case 0:
		return "no scopes"
	case 1:
		return "exactly the scope " + quoted[0]
	}
	return "exactly the scopes " + strings.Join(quoted, ", ")
}
