package annotations

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSchema(t *testing.T) {
	pos := Pos{Filename: "x.go", Line: 3, Column: 1}
	tests := []struct {
		line string
		want *Schema
	}{
		{`//mcp:schema invopop`, &Schema{Pos: pos, Convention: Word{"invopop", Pos{Filename: "x.go", Line: 3, Column: 14}}}},
		{`//mcp:schema gosdk additionalProperties=true // open objects`, &Schema{Pos: pos,
			Convention:           Word{"gosdk", Pos{Filename: "x.go", Line: 3, Column: 14}},
			AdditionalProperties: Value{Text: "true", Pos: Pos{Filename: "x.go", Line: 3, Column: 20}, Set: true}}},
		{`//mcp:schema invopop  required=tags additionalProperties=false`, &Schema{Pos: pos,
			Convention:           Word{"invopop", Pos{Filename: "x.go", Line: 3, Column: 14}},
			Required:             Value{Text: "tags", Pos: Pos{Filename: "x.go", Line: 3, Column: 23}, Set: true},
			AdditionalProperties: Value{Text: "false", Pos: Pos{Filename: "x.go", Line: 3, Column: 37}, Set: true}}},
	}
	for _, tt := range tests {
		got, errs := Parse(tt.line, pos)
		if len(errs) > 0 {
			t.Errorf("Parse(%q): %v", tt.line, errs)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.line, diff)
		}
		if s := got.String(); s != canonical(tt.line) {
			t.Errorf("String() = %q", s)
		}
	}
}

func canonical(line string) string {
	switch line {
	case `//mcp:schema gosdk additionalProperties=true // open objects`:
		return `//mcp:schema gosdk additionalProperties=true`
	case `//mcp:schema invopop  required=tags additionalProperties=false`:
		return `//mcp:schema invopop required=tags additionalProperties=false`
	}
	return line
}

// Columns: "//mcp:schema " is 13 bytes, so the convention is at column 14.
func TestParseSchemaErrors(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{`//mcp:schema`, `x.go:3:1: schema line needs a convention: invopop or gosdk`},
		{`//mcp:schema invopo`, `x.go:3:14: unknown schema convention "invopo"; did you mean "invopop"?`},
		{`//mcp:schema jsonschema`, `x.go:3:14: unknown schema convention "jsonschema" (known: gosdk, invopop)`},
		{`//mcp:schema required=tags`, `x.go:3:14: missing schema convention before "required=tags" (want invopop or gosdk)`},
		{`//mcp:schema invopop gosdk`, `x.go:3:22: unexpected "gosdk": the convention is given once, first`},
		{`//mcp:schema invopop requird=tags`, `x.go:3:22: unknown schema key "requird"; did you mean "required"?`},
		{`//mcp:schema invopop required=tag`, `x.go:3:22: invalid required="tag": want shape, json or tags`},
		{`//mcp:schema invopop additionalProperties=no`, `x.go:3:22: invalid additionalProperties="no": want true or false`},
		{`//mcp:schema invopop required=tags required=json`, `x.go:3:36: duplicate key "required"`},
		{`//mcp:schema gosdk required=tags`, `x.go:3:20: required=tags needs the invopop convention: gosdk has no "required" tag`},
	}
	for _, tt := range tests {
		_, errs := Parse(tt.line, Pos{Filename: "x.go", Line: 3, Column: 1})
		if diff := cmp.Diff(tt.want, errs.Error()); diff != "" {
			t.Errorf("Parse(%q) errors (-want +got):\n%s", tt.line, diff)
		}
	}
}
