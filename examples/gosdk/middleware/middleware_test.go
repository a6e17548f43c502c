package middleware

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
)

// TestServerLevelMiddleware is examples/middleware's test on the go-sdk:
// the same lists and the same explicit denials.
func TestServerLevelMiddleware(t *testing.T) {
	c := gosdktest.Connect(t, New())
	api := gosdktest.Token("app", "api")
	other := gosdktest.Token("other", "read")

	tools, resources, _, prompts := c.Visible(api)
	if diff := cmp.Diff([][]string{{"shout"}, {"status://service"}, {"greeting"}}, [][]string{tools, resources, prompts}); diff != "" {
		t.Errorf("api token sees (-want +got):\n%s", diff)
	}
	tools, resources, _, prompts = c.Visible(other)
	if len(tools)+len(resources)+len(prompts) != 0 {
		t.Errorf("token without api sees %v %v %v", tools, resources, prompts)
	}
	if text, _, err := c.Call(api, "shout", map[string]any{"text": "hi"}); err != nil || text != "HI" {
		t.Errorf("shout as api: %q %v", text, err)
	}
	text, isErr, err := c.Call(other, "shout", map[string]any{"text": "hi"})
	if err != nil || !isErr || text != "Authorization failed for tool 'shout': insufficient permissions" {
		t.Errorf("shout without api: %q isError=%v %v", text, isErr, err)
	}
	text, isErr, err = c.Call(other, "whisper", nil)
	if err != nil || !isErr || text != "Authorization failed for tool 'whisper': not found or not authorized" {
		t.Errorf("missing tool: %q isError=%v %v", text, isErr, err)
	}
	if _, err := c.Read(other, "status://service"); !gosdktest.ErrorContains(err, "Authorization failed for resource 'status://service': insufficient permissions") {
		t.Errorf("status without api: %v", err)
	}
	if _, err := c.Prompt(other, "greeting", map[string]string{"name": "x"}); !gosdktest.ErrorContains(err, "Authorization failed for prompt 'greeting': insufficient permissions") {
		t.Errorf("greeting without api: %v", err)
	}
	if got, err := c.Prompt(api, "greeting", map[string]string{"name": "x"}); err != nil || got != "Say hello to x." {
		t.Errorf("greeting as api: %q %v", got, err)
	}
}
