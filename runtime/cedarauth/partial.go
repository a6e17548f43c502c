package cedarauth

// This file is the one place that relies on cedar-go's experimental
// partial evaluation (x/exp/eval, with the Ignore value of x/exp/batch),
// which is outside cedar-go's compatibility promise. What it assumes, each
// tested by name in partial_test.go:
//
//  1. eval.PartialPolicy drops a policy (keep false) whose scope rules out
//     the known principal, action or resource, or one of whose conditions
//     evaluates to false.
//  2. With a Variable for a part of the request, a condition that reads it
//     is kept as it was written.
//  3. With batch.Ignore() as the context, a permit's condition that reads
//     the context is dropped (it could hold) and a forbid with such a
//     condition is dropped (it could fail): what remains are the policies
//     that hold in every context.
//  4. A condition that fails to evaluate is kept as a partial error
//     (eval.ToPartialError), and nothing else is.

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/batch"
	"github.com/cedar-policy/cedar-go/x/exp/eval"
)

// relevant returns the policies that can apply to comp: those its action
// and resource do not rule out whoever the principal and whatever the
// context. Conditions that read the server's entities are not evaluated
// here (those may change), so such a policy stays.
func relevant(policies []idPolicy, comp *component) []idPolicy {
	env := eval.Env{
		Entities:  &entities{comp: comp},
		Principal: eval.Variable("principal"),
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   eval.Variable("context"),
	}
	var out []idPolicy
	for _, p := range policies {
		if _, keep := eval.PartialPolicy(env, (*ast.Policy)(p.policy.AST())); keep {
			out = append(out, p)
		}
	}
	return out
}

// listable decides a list: whether some context could let the principal
// of ents use its component. It could unless no permit can hold, or a
// forbid holds whatever the context. The diagnostic names the policies
// that decided (the forbids that hold in every context, or the permits
// that could hold) and those that could not be evaluated.
func listable(comp *component, ents *entities) (bool, cedar.Diagnostic) {
	env := eval.Env{
		Entities:  ents,
		Principal: ents.principal.UID,
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   batch.Ignore(),
	}
	var diag cedar.Diagnostic
	var permits, forbids []cedar.DiagnosticReason
	for _, p := range comp.policies {
		residual, keep := eval.PartialPolicy(env, (*ast.Policy)(p.policy.AST()))
		if !keep {
			continue
		}
		if msg, failed := partialError(residual); failed {
			diag.Errors = append(diag.Errors, cedar.DiagnosticError{PolicyID: p.id, Position: p.policy.Position(), Message: msg})
			continue
		}
		reason := cedar.DiagnosticReason{PolicyID: p.id, Position: p.policy.Position()}
		if residual.Effect == ast.EffectForbid {
			if len(residual.Conditions) == 0 {
				forbids = append(forbids, reason)
			}
			continue
		}
		permits = append(permits, reason)
	}
	if len(forbids) > 0 {
		diag.Reasons = forbids
		return false, diag
	}
	diag.Reasons = permits
	return len(permits) > 0, diag
}

// partialError reports whether a residual policy has a condition that
// failed to evaluate, and its message.
func partialError(p *ast.Policy) (string, bool) {
	for _, c := range p.Conditions {
		if err, ok := eval.ToPartialError(c.Body); ok {
			return err.Error(), true
		}
	}
	return "", false
}

var _ types.EntityGetter = (*entities)(nil)
