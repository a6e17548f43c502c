package generator

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reportGoldens are the report's golden files under ../testdata/report,
// over the golden cases: the report as it is, and for a token with the
// scopes read and write.
var reportGoldens = []struct {
	name  string
	token []string // nil: no token
}{
	{"report", nil},
	{"report_read_write", []string{"read", "write"}},
}

// reportCases are the golden cases of the report; gosdkbasic's report is
// basic's (TestReportSameOnBothBackends).
var reportCases = []string{"basic", "advanced"}

func TestReportGolden(t *testing.T) {
	r, err := Report(Config{Dir: ".."}, casePatterns(reportCases)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Packages) != len(reportCases) {
		t.Fatalf("got %d packages, want one per case (%d)", len(r.Packages), len(reportCases))
	}
	for _, g := range reportGoldens {
		t.Run(g.name, func(t *testing.T) {
			r := r
			if g.token != nil {
				r = r.ForToken(g.token)
			}
			js, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("..", "testdata", "report")
			compareGolden(t, filepath.Join(dir, g.name+".md"), string(r.Markdown()))
			compareGolden(t, filepath.Join(dir, g.name+".json"), string(js))

			// The JSON reads back as the same report.
			var back AuthReport
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(r, &back); d != "" {
				t.Errorf("JSON round trip (-report +decoded):\n%s", d)
			}
		})
	}
}

// TestReportDeterministic: the report does not depend on the order in
// which files come, and ForToken leaves its receiver alone.
func TestReportDeterministic(t *testing.T) {
	first, err := Report(Config{Dir: ".."}, casePatterns(goldenCases)...)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Report(Config{Dir: "..", reverse: true}, casePatterns(goldenCases)...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("reversed files changed the report (-first +again):\n%s", d)
	}
	before := string(first.Markdown())
	first.ForToken([]string{"admin"})
	if after := string(first.Markdown()); after != before {
		t.Errorf("ForToken changed its receiver:\n%s", cmp.Diff(before, after))
	}
}

func TestReportEmpty(t *testing.T) {
	// testdata/policy has no annotations.
	r, err := Report(Config{Dir: ".."}, "./testdata/policy")
	if err != nil {
		t.Fatal(err)
	}
	md := string(r.Markdown())
	if len(r.Packages) != 0 || !strings.Contains(md, "\nNo annotated components.\n") {
		t.Errorf("got %d packages, Markdown:\n%s", len(r.Packages), md)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"packages": [],`) {
		t.Errorf("packages is not an empty list:\n%s", js)
	}
}

func TestForToken(t *testing.T) {
	comps := []ComponentReport{
		{Name: "open"},
		{Name: "public", Public: true, Auth: "public"},
		{Name: "read", Scopes: []string{"read"}},
		{Name: "read_write", Scopes: []string{"read", "write"}},
		{Name: "read_checked", Scopes: []string{"read"}, Checks: []string{"ok"}},
		{Name: "admin_checked", Scopes: []string{"admin"}, Checks: []string{"ok"}},
		{Name: "checked", Checks: []string{"ok"}},
	}
	r := &AuthReport{Packages: []PackageReport{{Components: comps}}}
	for _, tc := range []struct {
		token []string
		want  []string // Access per component
	}{
		{nil, []string{AccessVisible, AccessVisible, AccessHidden, AccessHidden, AccessHidden, AccessHidden, AccessCheck}},
		{[]string{"read"}, []string{AccessVisible, AccessVisible, AccessVisible, AccessHidden, AccessCheck, AccessHidden, AccessCheck}},
		{[]string{"write", "read"}, []string{AccessVisible, AccessVisible, AccessVisible, AccessVisible, AccessCheck, AccessHidden, AccessCheck}},
		{[]string{"READ", "Write"}, []string{AccessVisible, AccessVisible, AccessHidden, AccessHidden, AccessHidden, AccessHidden, AccessCheck}},
	} {
		got := r.ForToken(tc.token)
		var access []string
		for _, c := range got.Packages[0].Components {
			access = append(access, c.Access)
		}
		if d := cmp.Diff(tc.want, access); d != "" {
			t.Errorf("token %q (-want +got):\n%s", tc.token, d)
		}
	}
}

func TestMarkdownCells(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"x", "`x`"},
		{"a`b", "`` a`b ``"},
		{"``", "``` `` ```"},
	} {
		if got := code(tc.in); got != tc.want {
			t.Errorf("code(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	r := &AuthReport{Packages: []PackageReport{{Path: "p", Components: []ComponentReport{
		{Kind: ReportTool, Name: "t", Checks: []string{"any(a|b)"}, Auth: "check(any(a|b))", File: "p.go", Line: 3},
	}}}}
	if md := string(r.Markdown()); !strings.Contains(md, "| tool | t | | | | | `any(a\\|b)` | | | p.go:3 |\n") {
		t.Errorf("pipes in cells are not escaped:\n%s", md)
	}
}

// TestForTokenRolesAndAny: roles(…) leave access to run time; any(…) is
// judged from the scopes of its branches: hidden when every branch lacks
// a scope, visible when one branch has them all and nothing else has a
// say; call checks then make it depend on arguments, never visible.
func TestForTokenRolesAndAny(t *testing.T) {
	comps := []ComponentReport{
		{Name: "roles", Roles: []string{"admin"}},
		{Name: "read_roles", Scopes: []string{"read"}, Roles: []string{"admin"}},
		{Name: "any_scopes", Any: []string{"any(scopes(a),scopes(b,c))"}},
		{Name: "any_roles", Any: []string{"any(scopes(a),roles(admin))"}},
		{Name: "nested", Any: []string{"any(check(f(1,2)),any(scopes(a),scopes(b)))", "any(scopes(b),scopes(c))"}},
		{Name: "unreadable", Any: []string{"any(bogus)"}},
		{Name: "roles_call", Roles: []string{"admin"}, CallChecks: []string{"ownsID"}},
		{Name: "any_call", Any: []string{"any(scopes(a),scopes(b))"}, CallChecks: []string{"ownsID"}},
	}
	r := &AuthReport{Packages: []PackageReport{{Components: comps}}}
	for _, tc := range []struct {
		token []string
		want  []string // Access per component
	}{
		{nil, []string{AccessCheck, AccessHidden, AccessHidden, AccessCheck, AccessHidden, AccessCheck, AccessCheck, AccessHidden}},
		{[]string{"a"}, []string{AccessCheck, AccessHidden, AccessVisible, AccessVisible, AccessHidden, AccessCheck, AccessCheck, AccessArguments}},
		{[]string{"b"}, []string{AccessCheck, AccessHidden, AccessHidden, AccessCheck, AccessVisible, AccessCheck, AccessCheck, AccessArguments}},
		{[]string{"read", "b", "c"}, []string{AccessCheck, AccessCheck, AccessVisible, AccessCheck, AccessVisible, AccessCheck, AccessCheck, AccessArguments}},
		{[]string{"c"}, []string{AccessCheck, AccessHidden, AccessHidden, AccessCheck, AccessCheck, AccessCheck, AccessCheck, AccessHidden}},
	} {
		got := r.ForToken(tc.token)
		var access []string
		for _, c := range got.Packages[0].Components {
			access = append(access, c.Access)
		}
		if d := cmp.Diff(tc.want, access); d != "" {
			t.Errorf("token %q (-want +got):\n%s", tc.token, d)
		}
	}
}

// TestReportCallChecks: call checks are listed apart from the other checks
// and marked call-time, and for a token with the required scopes a
// component whose only checks are call checks depends on arguments.
func TestReportCallChecks(t *testing.T) {
	r, err := Report(Config{Dir: ".."}, "./examples/notes")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range r.ForToken([]string{"notes"}).Packages[0].Components {
		got[c.Name] = strings.Join(c.Checks, ",") + " | " + strings.Join(c.CallChecks, ",") + " | " + c.Access
	}
	want := map[string]string{
		"create_note":    " |  | visible",
		"list_notes":     " |  | visible",
		"update_note":    " | ownsNote | depends on arguments",
		"delete_note":    " | ownsID | depends on arguments",
		"note":           " | ownsID | depends on arguments",
		"summarize_note": " | ownsID | depends on arguments",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("checks | call checks | access (-want +got):\n%s", d)
	}
	if md := string(r.Markdown()); !strings.Contains(md, "| `ownsNote` (call-time) |") || !strings.Contains(md, callNote) {
		t.Errorf("the Markdown report does not mark call checks:\n%s", md)
	}
	if hidden := r.ForToken(nil).Packages[0].Components[0].Access; hidden != AccessHidden {
		t.Errorf("without the scope: %s", hidden)
	}
}
