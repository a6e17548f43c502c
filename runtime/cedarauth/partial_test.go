package cedarauth

import (
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/batch"
	"github.com/cedar-policy/cedar-go/x/exp/eval"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// partialOf parses one policy and partially evaluates it for the tool
// "t" (tagged "x") as principal "p" with context ctx.
func partialOf(t *testing.T, src string, principal, ctx types.Value) (*ast.Policy, bool) {
	t.Helper()
	list, err := cedar.NewPolicyListFromBytes("", []byte(src))
	if err != nil || len(list) != 1 {
		t.Fatalf("%s: %v", src, err)
	}
	comp := newComponent(&authz.Component{Kind: authz.KindTool, Name: "t", Tags: []string{"x"}})
	p := principalEntity(&authz.AccessToken{ClientID: "p", Scopes: []string{"s"}})
	env := eval.Env{
		Entities:  &entities{principal: &p, comp: comp},
		Principal: principal,
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   ctx,
	}
	return eval.PartialPolicy(env, (*ast.Policy)(list[0].AST()))
}

var me = types.NewEntityUID(PrincipalType, "p")

// The assumptions listed at the top of partial.go, by number.
func TestPartialAssumption1RuledOut(t *testing.T) {
	for _, src := range []string{
		`permit (principal, action == Action::"tool:other", resource);`,
		`permit (principal == Principal::"q", action, resource);`,
		`permit (principal, action, resource is Prompt);`,
		`permit (principal, action, resource) when { resource.tags.contains("y") };`,
		`permit (principal, action, resource) when { principal.scopes.contains("t") };`,
	} {
		if _, keep := partialOf(t, src, me, batch.Ignore()); keep {
			t.Errorf("%s: kept", src)
		}
	}
	if _, keep := partialOf(t, `permit (principal, action in Action::"call_tool", resource) when { resource.tags.contains("x") };`, me, batch.Ignore()); !keep {
		t.Error("a policy that applies was dropped")
	}
}

func TestPartialAssumption2VariableKept(t *testing.T) {
	p, keep := partialOf(t, `permit (principal, action, resource) when { principal.scopes.contains("s") };`, eval.Variable("principal"), eval.Variable("context"))
	if !keep || len(p.Conditions) != 1 {
		t.Errorf("condition on a variable principal: keep=%v %+v", keep, p)
	}
}

func TestPartialAssumption3IgnoredContext(t *testing.T) {
	p, keep := partialOf(t, `permit (principal, action, resource) when { context.n > 1 && principal.scopes.contains("s") };`, me, batch.Ignore())
	if !keep || len(p.Conditions) != 0 {
		t.Errorf("permit on the context: keep=%v %+v", keep, p)
	}
	if _, keep := partialOf(t, `forbid (principal, action, resource) when { context.n > 1 };`, me, batch.Ignore()); keep {
		t.Error("a forbid on the context was kept")
	}
	if p, keep := partialOf(t, `forbid (principal, action, resource) when { principal.scopes.contains("s") };`, me, batch.Ignore()); !keep || len(p.Conditions) != 0 {
		t.Errorf("a forbid that holds in every context: keep=%v %+v", keep, p)
	}
}

func TestPartialAssumption4Errors(t *testing.T) {
	p, keep := partialOf(t, `permit (principal, action, resource) when { principal.getTag("missing") == "x" };`, me, batch.Ignore())
	if !keep {
		t.Fatal("a failing condition was dropped")
	}
	if _, failed := partialError(p); !failed {
		t.Errorf("a failing condition is not a partial error: %+v", p)
	}
	p, _ = partialOf(t, `permit (principal, action, resource);`, me, batch.Ignore())
	if _, failed := partialError(p); failed {
		t.Error("an unconditional permit reads as an error")
	}
}
