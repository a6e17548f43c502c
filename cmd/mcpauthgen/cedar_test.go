package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCedarSchema: -cedar-schema prints the schema and writes nothing,
// even while a policy file is broken; generating then fails on the
// policy, at its position, and writes nothing.
func TestCedarSchema(t *testing.T) {
	dir := tempPkg(t, map[string]string{
		"p.go": "package p\n\nimport \"context\"\n\n//mcp:policies p.cedar\n\n" +
			"// Read reads.\n//\n//mcp:tool\nfunc Read(ctx context.Context, id string) (string, error) { return id, nil }\n",
		"p.cedar": "permit (principal, action == Action::\"tool:read\", resource)\nwhen { context.idd == \"x\" };\n",
	})
	code, stdout, stderr := runCLI(t, "-cedar-schema", dir)
	if code != 0 || !strings.Contains(stdout, "action \"tool:read\" in [\"call_tool\"] appliesTo {") || !strings.Contains(stdout, "\"id\": String,") {
		t.Errorf("-cedar-schema: exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, dir)
	want := "p.cedar:2:16: policy \"policy0\": attribute `idd` in context for Action::\"tool:read\" not found\n"
	if code != 1 || !strings.HasSuffix(stderr, want) {
		t.Errorf("generate: exit %d, stderr %q; want exit 1 ending with %q", code, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "mcpauth_gen.go")); !os.IsNotExist(err) {
		t.Error("a run with an invalid policy wrote a file")
	}
	if err := os.WriteFile(filepath.Join(dir, "p.cedar"), []byte("permit (principal, action == Action::\"tool:read\", resource)\nwhen { context.id == \"x\" };\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr = runCLI(t, dir); code != 0 {
		t.Errorf("generate with a valid policy: exit %d, %s", code, stderr)
	}
}

// TestREADMECedarErrors checks that the policy errors README.md shows are
// the generator's, as the cedar golden case records them.
func TestREADMECedarErrors(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../testdata/cedar/errors.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "nothing written:\n\n  ```\n")
	if !ok {
		t.Fatal("README.md has no sample of policy errors")
	}
	sample, _, _ := strings.Cut(rest, "  ```\n")
	n := 0
	for line := range strings.Lines(sample) {
		line = strings.TrimPrefix(line, "  ")
		n++
		if !strings.Contains(string(golden), line) {
			t.Errorf("README.md shows a policy error the generator does not give: %s", line)
		}
	}
	if n < 5 {
		t.Errorf("README.md shows %d policy errors", n)
	}
}

// TestCheckCatchesPolicyDrift: a tool renamed in Go after its policy was
// written fails -check, at the policy.
func TestCheckCatchesPolicyDrift(t *testing.T) {
	src := func(fn string) string {
		return "package p\n\nimport \"context\"\n\n//mcp:policies p.cedar\n\n" +
			"// " + fn + " reads.\n//\n//mcp:tool\nfunc " + fn + "(ctx context.Context, id string) (string, error) { return id, nil }\n"
	}
	dir := tempPkg(t, map[string]string{
		"p.go":    src("ReadNote"),
		"p.cedar": "permit (principal, action == Action::\"tool:read_note\", resource)\nwhen { context.id == \"x\" };\n",
	})
	if code, _, stderr := runCLI(t, dir); code != 0 {
		t.Fatalf("generate: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "-check", dir); code != 0 {
		t.Fatalf("-check after generating: exit %d, %s", code, stderr)
	}
	writeFile(t, filepath.Join(dir, "p.go"), src("FetchNote"))
	code, _, stderr := runCLI(t, "-check", dir)
	want := `p.cedar:1:38: policy "policy0": unknown action "tool:read_note": no annotated component declares it`
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("-check after the rename: exit %d, stderr %q; want exit 1 with %q", code, stderr, want)
	}
}
