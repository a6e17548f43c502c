package runtime_test

import (
	"context"
	"fmt"
	"regexp"
	goruntime "runtime"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestDuplicateRegistrationPanics: a second component of one kind and name
// (or URI) panics at registration, naming both registrations' positions;
// the first stays as it was.
func TestDuplicateRegistrationPanics(t *testing.T) {
	tool := func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { return nil, nil }
	prompt := func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) { return nil, nil }
	read := func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) { return nil, nil }
	for _, tc := range []struct {
		name string
		add  func(s *runtime.Server)
		want string
	}{
		{"tool", func(s *runtime.Server) { s.AddTool(mcp.NewTool("t"), tool, runtime.WithScopes("a")) }, `tool "t"`},
		{"prompt", func(s *runtime.Server) { s.AddPrompt(mcp.NewPrompt("p"), prompt) }, `prompt "p"`},
		{"resource", func(s *runtime.Server) { s.AddResource(mcp.NewResource("r://x", "r"), read) }, `resource "r://x"`},
		{"template", func(s *runtime.Server) { s.AddResourceTemplate(mcp.NewResourceTemplate("r://{id}", "r"), read) }, `resource template "r://{id}"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := runtime.NewServer("dup", "1.0.0")
			tc.add(s) // first
			var msg string
			func() {
				defer func() { msg = fmt.Sprint(recover()) }()
				tc.add(s) // second
			}()
			re := regexp.MustCompile(`^runtime: ` + regexp.QuoteMeta(tc.want) + ` registered at \S+duplicate_test.go:(\d+) is already registered at \S+duplicate_test.go:(\d+)$`)
			m := re.FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("panic %q, want it to match %s", msg, re)
			}
			_ = m
		})
	}
	// The two positions are the two call sites.
	s := runtime.NewServer("dup", "1.0.0")
	s.AddTool(mcp.NewTool("t"), tool)
	_, _, first, _ := goruntime.Caller(0)
	var msg string
	func() {
		defer func() { msg = fmt.Sprint(recover()) }()
		s.AddTool(mcp.NewTool("t"), tool)
	}()
	want := fmt.Sprintf(`duplicate_test.go:%d is already registered at \S+duplicate_test.go:%d$`, first+4, first-1)
	if !regexp.MustCompile(want).MatchString(msg) {
		t.Errorf("panic %q, want it to end %s", msg, want)
	}
}
