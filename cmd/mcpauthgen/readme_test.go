package main

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestREADMEReportSample checks that the sample report in README.md is what
// the command prints for the example it names.
func TestREADMEReportSample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "`go run ./cmd/mcpauthgen -report ./examples/componentauth` prints:\n\n```markdown\n"
	_, rest, ok := strings.Cut(string(readme), intro)
	if !ok {
		t.Fatalf("README.md has no sample introduced by %q", intro)
	}
	sample, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("README.md: the sample report's code block does not end")
	}
	code, stdout, stderr := runCLI(t, "-report", "../../examples/componentauth")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if d := cmp.Diff(sample, stdout); d != "" {
		t.Errorf("README sample differs from the report (-README +actual):\n%s", d)
	}
}
