package annotations

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBackend(t *testing.T) {
	pos := Pos{Filename: "x.go", Line: 3, Column: 1}
	for _, tc := range []struct {
		line string
		want *Backend
		errs []string
	}{
		{`//mcp:backend gosdk`, &Backend{Pos: pos, Name: Word{"gosdk", Pos{Filename: "x.go", Line: 3, Column: 15}}}, nil},
		{`//mcp:backend  mcpgo // the default`, &Backend{Pos: pos, Name: Word{"mcpgo", Pos{Filename: "x.go", Line: 3, Column: 16}}}, nil},
		{`//mcp:backend`, &Backend{Pos: pos}, []string{"x.go:3:1: backend line needs a backend: mcpgo or gosdk"}},
		{`//mcp:backend go-sdk`, &Backend{Pos: pos}, []string{`x.go:3:15: unknown backend "go-sdk"; did you mean "gosdk"?`}},
		{`//mcp:backend gosdk mcpgo`, &Backend{Pos: pos, Name: Word{"gosdk", Pos{Filename: "x.go", Line: 3, Column: 15}}},
			[]string{`x.go:3:21: unexpected "mcpgo": a package has one backend`}},
	} {
		got, errs := Parse(tc.line, pos)
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		if diff := cmp.Diff(tc.errs, msgs); diff != "" {
			t.Errorf("Parse(%q) errors (-want +got):\n%s", tc.line, diff)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.line, diff)
		}
		if len(tc.errs) == 0 {
			if s := got.String(); s != "//mcp:backend "+tc.want.Name.Text {
				t.Errorf("String() = %q", s)
			}
		}
	}
}
