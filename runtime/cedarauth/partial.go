package cedarauth

// This file is the one place that relies on cedar-go's experimental
// partial evaluation (x/exp/eval), which is outside cedar-go's
// compatibility promise. What it assumes, each tested by name in
// partial_test.go:
//
//  1. eval.PartialPolicy drops a policy (keep false) whose scope rules out
//     the known principal, action or resource, or one of whose conditions
//     evaluates to false.
//  2. With a Variable for a part of the request, a condition that reads it
//     is kept, and so is the policy.
//  3. The parts of a kept condition that do not read a Variable are
//     evaluated: context.n > 1 && principal.scopes.contains("x") becomes
//     context.n > 1 && false for a principal without the scope (and
//     cedar-go's && and || do not otherwise short-circuit a Variable).
//  4. A condition that fails to evaluate becomes a partial error
//     (eval.ToPartialError) where it failed.
//
// cedar-go also offers batch.Ignore for "in some context", but it drops a
// whole permit condition that reads the context, principal part included
// (context.n > 1 && principal.scopes.contains("x") would list the
// component for every principal), so lists use a Variable context and the
// three-valued reading of the residual below instead.

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/eval"
)

// prepare finds what comp's decisions need: the policies that can apply
// to it (those its action and resource do not rule out, whoever the
// principal and whatever the context), split for lists into those that
// never read the context, which a list evaluates as they are, and those
// that do, which it partially evaluates. Conditions that read the
// server's entities are not evaluated here (those may change): such a
// policy stays.
func prepare(policies []idPolicy, comp *component) {
	env := eval.Env{
		Entities:  &entities{comp: comp},
		Principal: eval.Variable("principal"),
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   eval.Variable("context"),
	}
	for _, p := range policies {
		if _, keep := eval.PartialPolicy(env, (*ast.Policy)(p.policy.AST())); !keep {
			continue
		}
		comp.policies = append(comp.policies, p)
		pa := (*ast.Policy)(p.policy.AST())
		switch {
		case !readsContext(pa):
			comp.listing = append(comp.listing, p)
		case pa.Effect == ast.EffectForbid && !mayHoldAlways(pa):
			// A forbid that some context always escapes never hides a
			// component: a list need not look at it.
		default:
			comp.slow = append(comp.slow, p)
		}
	}
}

// mayHoldAlways reports whether p's conditions might hold in every
// context for some principal. It answers false only when they cannot: a
// condition that requires a test of the context (context.amount > 1000,
// context has memo) to be true, or to be false, holds in some contexts and
// not in others. It takes any other part for possibly true and possibly
// false, so it may answer true for a condition that never holds; and it
// does not recognise a tautology over the context (context has x ||
// !(context has x)), for which it answers false: a list then shows a
// component that the forbid refuses every call of.
func mayHoldAlways(p *ast.Policy) bool {
	for _, c := range p.Conditions {
		if c.Condition == ast.ConditionWhen && !mayBe(c.Body, true) || c.Condition == ast.ConditionUnless && !mayBe(c.Body, false) {
			return false
		}
	}
	return true
}

// mayBe reports whether n might evaluate to want in every context, for
// some principal.
func mayBe(n ast.IsNode, want bool) bool {
	switch n := n.(type) {
	case ast.NodeValue:
		b, ok := n.Value.(types.Boolean)
		return ok && bool(b) == want
	case ast.NodeTypeAnd:
		if want {
			return mayBe(n.Left, true) && mayBe(n.Right, true)
		}
		return mayBe(n.Left, false) || mayBe(n.Right, false)
	case ast.NodeTypeOr:
		if want {
			return mayBe(n.Left, true) || mayBe(n.Right, true)
		}
		return mayBe(n.Left, false) && mayBe(n.Right, false)
	case ast.NodeTypeNot:
		return mayBe(n.Arg, !want)
	case ast.NodeTypeIfThenElse:
		return true
	}
	// A test: of the context, it holds in some contexts and fails in
	// others; of anything else, it may hold or not.
	return !readsContextNode(n)
}

// readsContext reports whether a condition of p mentions the context.
func readsContext(p *ast.Policy) bool {
	for _, c := range p.Conditions {
		if readsContextNode(c.Body) {
			return true
		}
	}
	return false
}

func readsContextNode(n ast.IsNode) bool {
	found := false
	ast.Inspect(ast.NewNode(n), func(n ast.IsNode) bool {
		if v, ok := n.(ast.NodeTypeVariable); ok && v.Name == "context" {
			found = true
		}
		return !found
	})
	return found
}

// listable decides a list: whether some context could let the principal
// of ents use its component. It could unless no permit can hold, or a
// forbid holds whatever the context. The diagnostic names the policies
// that decided (the forbids that hold in every context, or the permits
// that could hold) and those that could not be evaluated.
func listable(comp *component, ents *entities) (bool, cedar.Diagnostic) {
	// The policies that never read the context decide as they would for
	// any call.
	d, diag := cedar.Authorize(policyList(comp.listing), ents, cedar.Request{
		Principal: ents.principal.UID,
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   types.Record{},
	})
	var permits, forbids []cedar.DiagnosticReason
	if d == cedar.Allow {
		permits = diag.Reasons
	} else {
		forbids = diag.Reasons
	}
	if len(comp.slow) > 0 {
		env := eval.Env{
			Entities:  ents,
			Principal: ents.principal.UID,
			Action:    comp.action.UID,
			Resource:  comp.resource.UID,
			Context:   eval.Variable("context"),
		}
		for _, p := range comp.slow {
			residual, keep := eval.PartialPolicy(env, (*ast.Policy)(p.policy.AST()))
			if !keep {
				continue
			}
			holds := conditions(residual)
			if msg, failed := partialError(residual); failed && holds == never {
				diag.Errors = append(diag.Errors, cedar.DiagnosticError{PolicyID: p.id, Position: p.policy.Position(), Message: msg})
				continue
			}
			reason := cedar.DiagnosticReason{PolicyID: p.id, Position: p.policy.Position()}
			switch {
			case residual.Effect == ast.EffectForbid && holds == always:
				forbids = append(forbids, reason)
			case residual.Effect == ast.EffectPermit && holds != never:
				permits = append(permits, reason)
			}
		}
	}
	if len(forbids) > 0 {
		diag.Reasons = forbids
		return false, diag
	}
	diag.Reasons = permits
	return len(permits) > 0, diag
}

// truth is whether a residual condition holds for the known principal,
// action and resource: in every context, in none, or in some.
type truth int

const (
	never truth = iota
	sometimes
	always
)

// conditions is the truth of a residual policy's conditions together.
func conditions(p *ast.Policy) truth {
	t := always
	for _, c := range p.Conditions {
		ct := truthOf(c.Body)
		if c.Condition == ast.ConditionUnless {
			ct = not(ct)
		}
		t = and(t, ct)
	}
	return t
}

// truthOf reads a residual expression in three values: a part that still
// reads the context may be anything; a partial error never holds (Cedar
// skips a policy whose condition fails).
func truthOf(n ast.IsNode) truth {
	switch n := n.(type) {
	case ast.NodeValue:
		if b, ok := n.Value.(types.Boolean); ok && bool(b) {
			return always
		}
		return never // false, or not a boolean: an error
	case ast.NodeTypeAnd:
		return and(truthOf(n.Left), truthOf(n.Right))
	case ast.NodeTypeOr:
		l, r := truthOf(n.Left), truthOf(n.Right)
		switch {
		case l == always || r == always:
			return always
		case l == never && r == never:
			return never
		}
		return sometimes
	case ast.NodeTypeNot:
		return not(truthOf(n.Arg))
	case ast.NodeTypeIfThenElse:
		switch truthOf(n.If) {
		case always:
			return truthOf(n.Then)
		case never:
			if _, failed := eval.ToPartialError(n.If); failed {
				return never
			}
			return truthOf(n.Else)
		}
		if th, el := truthOf(n.Then), truthOf(n.Else); th == el {
			return th
		}
		return sometimes
	case ast.NodeTypeExtensionCall:
		if _, failed := eval.ToPartialError(n); failed {
			return never
		}
	}
	return sometimes
}

func and(a, b truth) truth {
	switch {
	case a == never || b == never:
		return never
	case a == always && b == always:
		return always
	}
	return sometimes
}

func not(t truth) truth { return always - t }

// partialError reports whether a residual policy has a condition that
// failed to evaluate as a whole, and its message.
func partialError(p *ast.Policy) (string, bool) {
	for _, c := range p.Conditions {
		if err, ok := eval.ToPartialError(c.Body); ok {
			return err.Error(), true
		}
	}
	return "", false
}

var _ types.EntityGetter = (*entities)(nil)
