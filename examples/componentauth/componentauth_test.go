package componentauth

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func TestComponentAuth(t *testing.T) {
	c := mcptest.Connect(t, New())
	reader := mcptest.Token("reader", "read")
	writer := mcptest.Token("writer", "write")
	admin := mcptest.Token("admin", "admin")
	for _, tc := range []struct {
		tok                                  *runtime.AccessToken
		tools, resources, templates, prompts []string
	}{
		{nil, []string{}, []string{}, []string{}, []string{}},
		{reader, []string{}, []string{"data://secret"}, []string{"users://{id}/profile"}, []string{}},
		{writer, []string{"protected_tool"}, []string{}, []string{}, []string{}},
		{admin, []string{}, []string{}, []string{}, []string{"admin_prompt"}},
	} {
		tools, resources, templates, prompts := c.Visible(tc.tok)
		got := [][]string{tools, resources, templates, prompts}
		if diff := cmp.Diff([][]string{tc.tools, tc.resources, tc.templates, tc.prompts}, got); diff != "" {
			t.Errorf("%v sees (-want +got):\n%s", tc.tok, diff)
		}
	}

	if text, _, err := c.Call(writer, "protected_tool", map[string]any{"note": "hi"}); err != nil || text != "saved: hi" {
		t.Errorf("protected_tool as writer: %q %v", text, err)
	}
	if got, err := c.Read(reader, "data://secret"); err != nil || got != "the secret is 42" {
		t.Errorf("data://secret as reader: %q %v", got, err)
	}
	if got, err := c.Read(reader, "users://7/profile"); err != nil || got != `{"id":"7","name":"user 7"}` {
		t.Errorf("users://7/profile as reader: %q %v", got, err)
	}
	if got, err := c.Prompt(admin, "admin_prompt", map[string]string{"topic": "the move"}); err != nil || got != "Draft an announcement to all staff about the move." {
		t.Errorf("admin_prompt as admin: %q %v", got, err)
	}

	// Denied access answers as for a component that does not exist.
	for _, tc := range []struct {
		err  error
		want string
	}{
		{callErr(c.Call(reader, "protected_tool", map[string]any{"note": "x"})), "tool 'protected_tool' not found: tool not found"},
		{second(c.Read(writer, "data://secret")), "handler not found for resource URI 'data://secret': resource not found"},
		{second(c.Read(writer, "users://7/profile")), "handler not found for resource URI 'users://7/profile': resource not found"},
		{second(c.Prompt(reader, "admin_prompt", map[string]string{"topic": "x"})), "prompt 'admin_prompt' not found: prompt not found"},
	} {
		if !mcptest.ErrorContains(tc.err, tc.want) {
			t.Errorf("got %v, want %q", tc.err, tc.want)
		}
	}
}

func second[A any](_ A, err error) error { return err }

func callErr(_ string, _ bool, err error) error { return err }
