package annotations

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePolicies(t *testing.T) {
	line, errs := Parse("//mcp:policies policies/notes.cedar // the notes rules", base)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := &Policies{Pos: base, File: Word{Text: "policies/notes.cedar", Pos: Pos{Filename: base.Filename, Line: base.Line, Column: base.Column + 15}}}
	if diff := cmp.Diff(want, line); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := line.String(); got != "//mcp:policies policies/notes.cedar" {
		t.Errorf("String() = %q", got)
	}
	line, errs = Parse("//mcp:policies notes.cedar own.cedarschema", base)
	if l, ok := line.(*Policies); len(errs) > 0 || !ok || l.Schema.Text != "own.cedarschema" || l.Schema.Pos.Column != base.Column+27 || l.String() != "//mcp:policies notes.cedar own.cedarschema" {
		t.Errorf("with a schema file: %+v %v", line, errs)
	}
	for _, tc := range []struct{ line, want string }{
		{"//mcp:policies", `x.go:3:1: policies line needs a file: //mcp:policies FILE.cedar [SCHEMA.cedarschema]`},
		{"//mcp:policies notes.txt", `x.go:3:16: policy file "notes.txt" must end in .cedar`},
		{"//mcp:policies a.cedar b.cedar", `x.go:3:24: schema file "b.cedar" must end in .cedarschema`},
		{"//mcp:policies a.cedar b.cedarschema c", `x.go:3:38: policies line names a policy file and a schema file; "c" is one too many`},
		{"//mcp:policies a.cedar ../b.cedarschema", `x.go:3:24: schema file "../b.cedarschema" must be a clean slash-separated path inside the package directory`},
		{"//mcp:policies ../up.cedar", `x.go:3:16: policy file "../up.cedar" must be a clean slash-separated path inside the package directory`},
		{"//mcp:policies /etc/x.cedar", `x.go:3:16: policy file "/etc/x.cedar" must be a clean slash-separated path inside the package directory`},
		{"//mcp:policies a//b.cedar", `x.go:3:16: policy file "a//b.cedar" must be a clean slash-separated path inside the package directory`},
	} {
		_, errs := Parse(tc.line, base)
		if got := errorLines(errs); got != tc.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tc.line, got, tc.want)
		}
	}
}
