package notes

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

type decisions struct {
	mu  sync.Mutex
	got []runtime.Decision
}

func (d *decisions) hook(_ context.Context, dec runtime.Decision) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.got = append(d.got, dec)
}

func (d *decisions) take() []runtime.Decision {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.got
	d.got = nil
	return out
}

// TestDecisionsNameTheCallCheck checks, on the generated server, that
// every denial by a call check (in a tool's handler, or at the entry for
// a prompt or a template) is one decision naming the check as the
// annotation wrote it, and that an allowed call with call checks is one
// allowed decision.
func TestDecisionsNameTheCallCheck(t *testing.T) {
	var rec decisions
	c := mcptest.Connect(t, New(runtime.WithDecisionHook(rec.hook)))
	a := create(t, c, alice, "buy milk")
	b := create(t, c, bob, "call mum")
	rec.take()

	call := func(name string) runtime.Rule {
		return runtime.Rule{Layer: runtime.LayerCall, Text: name}
	}
	nobody := mcptest.Token("carol")
	tool := func(name string) runtime.Decision {
		return runtime.Decision{Method: "tools/call", Kind: runtime.KindTool, Name: name, Target: name}
	}
	for _, tc := range []struct {
		name string
		do   func()
		tok  *runtime.AccessToken
		want runtime.Decision
	}{
		{"tool call check", func() { c.Call(bob, "update_note", map[string]any{"id": a, "text": "pwned"}) }, bob,
			with(tool("update_note"), false, call("check(ownsNote)"))},
		{"tool call check, named parameter", func() { c.Call(alice, "delete_note", map[string]any{"id": b}) }, alice,
			with(tool("delete_note"), false, call("check(ownsID)"))},
		{"template call check", func() { c.Read(bob, "notes://"+a) }, bob,
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResourceTemplate, Name: "note", URI: "notes://{id}", Target: "notes://" + a, Rule: call("check(ownsID)")}},
		{"prompt call check", func() { c.Prompt(alice, "summarize_note", map[string]string{"id": b}) }, alice,
			runtime.Decision{Method: "prompts/get", Kind: runtime.KindPrompt, Name: "summarize_note", Target: "summarize_note", Rule: call("check(ownsID)")}},
		{"component scopes before the call check", func() { c.Call(nobody, "update_note", map[string]any{"id": a, "text": "x"}) }, nobody,
			with(tool("update_note"), false, runtime.Rule{Layer: runtime.LayerComponent, Text: "scopes(notes)"})},
		{"allowed through the call check", func() { c.Call(alice, "update_note", map[string]any{"id": a, "text": "buy oat milk"}) }, alice,
			with(tool("update_note"), true, runtime.Rule{})},
		{"allowed read", func() { c.Read(alice, "notes://"+a) }, alice,
			runtime.Decision{Method: "resources/read", Kind: runtime.KindResourceTemplate, Name: "note", URI: "notes://{id}", Target: "notes://" + a, Allowed: true}},
	} {
		tc.do()
		got := rec.take()
		if len(got) != 1 {
			t.Errorf("%s: %d decisions, want 1: %+v", tc.name, len(got), got)
			continue
		}
		want := tc.want
		want.ClientID = tc.tok.ClientID
		if diff := cmp.Diff(want, got[0], cmpopts.IgnoreFields(runtime.Decision{}, "Time", "Duration", "SessionID")); diff != "" {
			t.Errorf("%s: decision (-want +got):\n%s", tc.name, diff)
		}
	}
}

func with(d runtime.Decision, allowed bool, rule runtime.Rule) runtime.Decision {
	d.Allowed, d.Rule = allowed, rule
	return d
}
