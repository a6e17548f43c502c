package cedarauth

import (
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/eval"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// partialOf parses one policy and partially evaluates it for the tool
// "t" (tagged "x") as principal (the entity of a token with scope "s", or
// a Variable) with the context a Variable.
func partialOf(t *testing.T, src string, principal types.Value) (*ast.Policy, bool) {
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
		Context:   eval.Variable("context"),
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
		`permit (principal, action, resource) when { principal.scopes.contains("t") && context.n > 1 };`,
	} {
		if _, keep := partialOf(t, src, me); keep {
			t.Errorf("%s: kept", src)
		}
	}
	if _, keep := partialOf(t, `permit (principal, action in Action::"call_tool", resource) when { resource.tags.contains("x") };`, me); !keep {
		t.Error("a policy that applies was dropped")
	}
}

func TestPartialAssumption2VariableKept(t *testing.T) {
	for _, tc := range []struct {
		src       string
		principal types.Value
	}{
		{`permit (principal, action, resource) when { principal.scopes.contains("s") };`, eval.Variable("principal")},
		{`forbid (principal, action, resource) when { context.n > 1 };`, me},
	} {
		p, keep := partialOf(t, tc.src, tc.principal)
		if !keep || len(p.Conditions) != 1 {
			t.Errorf("%s: keep=%v %+v", tc.src, keep, p)
		}
	}
}

func TestPartialAssumption3KnownPartsEvaluated(t *testing.T) {
	p, keep := partialOf(t, `permit (principal, action, resource) when { context.n > 1 && principal.scopes.contains("t") };`, me)
	if !keep {
		t.Fatal("dropped")
	}
	and, ok := p.Conditions[0].Body.(ast.NodeTypeAnd)
	if !ok {
		t.Fatalf("residual %#v", p.Conditions[0].Body)
	}
	if v, ok := and.Right.(ast.NodeValue); !ok || v.Value != types.False {
		t.Errorf("the principal's part was not evaluated: %#v", and.Right)
	}
	if got := conditions(p); got != never {
		t.Errorf("truth %v, want never", got)
	}
}

func TestPartialAssumption4Errors(t *testing.T) {
	p, keep := partialOf(t, `permit (principal, action, resource) when { principal.getTag("missing") == "x" };`, me)
	if !keep {
		t.Fatal("a failing condition was dropped")
	}
	if _, failed := partialError(p); !failed {
		t.Errorf("a failing condition is not a partial error: %+v", p)
	}
	p, _ = partialOf(t, `permit (principal, action, resource) when { context.n > 1 || principal.getTag("missing") == "x" };`, me)
	if got := conditions(p); got != sometimes {
		t.Errorf("context || error: truth %v, want sometimes", got)
	}
}

// TestTruth reads residuals in three values, as lists use them.
func TestTruth(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want truth
	}{
		{`permit (principal, action, resource);`, always},
		{`permit (principal, action, resource) when { context.n > 1 };`, sometimes},
		{`permit (principal, action, resource) unless { context.n > 1 };`, sometimes},
		{`permit (principal, action, resource) when { context.n > 1 && principal.scopes.contains("s") };`, sometimes},
		{`permit (principal, action, resource) when { context.n > 1 || principal.scopes.contains("s") };`, always},
		{`permit (principal, action, resource) when { context.n > 1 || principal.scopes.contains("t") };`, sometimes},
		{`permit (principal, action, resource) when { !(context.n > 1 || principal.scopes.contains("s")) };`, never},
		{`permit (principal, action, resource) when { if context.n > 1 then principal.scopes.contains("s") else true };`, always},
		{`permit (principal, action, resource) when { if context.n > 1 then principal.scopes.contains("t") else true };`, sometimes},
		{`permit (principal, action, resource) when { context.n > 1 } unless { principal.scopes.contains("s") };`, never},
	} {
		p, keep := partialOf(t, tc.src, me)
		got := never
		if keep {
			got = conditions(p)
		}
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestMayHoldAlways(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`forbid (principal, action, resource);`, true},
		{`forbid (principal, action, resource) when { principal.hasTag("frozen") };`, true},
		{`forbid (principal, action, resource) when { context has text && context.text like "*X*" };`, false},
		{`forbid (principal, action, resource) when { context.n > 1 || principal.hasTag("frozen") };`, true},
		{`forbid (principal, action, resource) when { context.n > 1 && principal.hasTag("frozen") };`, false},
		{`forbid (principal, action, resource) unless { context has ok };`, false},
		{`forbid (principal, action, resource) unless { context has ok && principal.hasTag("trusted") };`, true},
		{`forbid (principal, action, resource) when { !(context has ok) };`, false},
		{`forbid (principal, action, resource) when { if context has ok then true else principal.hasTag("x") };`, true},
	} {
		list, err := cedar.NewPolicyListFromBytes("", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := mayHoldAlways((*ast.Policy)(list[0].AST())); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.src, got, tc.want)
		}
	}
}
