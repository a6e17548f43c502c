package generator

import (
	"path/filepath"
	"testing"
)

// TestCedarSchemaGolden pins the schema derived from the cedar golden
// case: entity types, one action per component, and contexts typed from
// the Go input types (a float field and a map left out, a pointer or
// omitempty field optional, a slice a Set).
func TestCedarSchemaGolden(t *testing.T) {
	out, err := CedarSchema(Config{Dir: ".."}, "./testdata/cedar")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "testdata", "cedar"))
	compareGolden(t, filepath.Join(dir, "schema.cedarschema"), string(out))
	again, err := CedarSchema(Config{Dir: "..", reverse: true}, "./testdata/cedar")
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(out) {
		t.Error("the schema differs when the package's files are read in another order")
	}
}

func TestCedarQuote(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		`a"b\c`:       `"a\"b\\c"`,
		"tab\there":   `"tab\u{9}here"`,
		"naïve://{x}": `"naïve://{x}"`,
	} {
		if got := cedarQuote(in); got != want {
			t.Errorf("cedarQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
