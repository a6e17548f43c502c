package generator

import (
	"go/token"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// authTerms validates the terms of auth= (or, when inAny is set, of an
// any(…) among them) and returns them for emission: scopes and roles
// against the vocabularies, check expressions with go/types. at is the
// directive's position. A term with an error is left out; the error stops
// the run.
func (v *validator) authTerms(terms []annotations.AuthTerm, at token.Pos, inAny bool) []authTerm {
	var out []authTerm
	for _, t := range terms {
		switch t.Kind {
		case annotations.TermScopes:
			var scopes []string
			for _, s := range t.Scopes {
				scopes = append(scopes, s.Text)
				v.vocab.checkScope(v.e, s)
			}
			out = append(out, authTerm{Scopes: scopes})
		case annotations.TermRoles:
			var roles []string
			for _, r := range t.Roles {
				roles = append(roles, r.Text)
				v.vocab.checkRole(v.e, r)
			}
			out = append(out, authTerm{Roles: roles})
		case annotations.TermCheck:
			ce := v.check(t.Expr, at)
			if ce != nil && ce.Call != nil && inAny {
				v.e.at(t.Expr.Pos, "%s", anyCallMessage(ce.Text))
				continue
			}
			if ce != nil {
				out = append(out, authTerm{Check: ce})
			}
		case annotations.TermAny:
			out = append(out, authTerm{Any: v.authTerms(t.Terms, at, true)})
		}
	}
	return out
}

// anyCallMessage explains why the call check expr cannot be a term of
// any(…). An alternative is judged whenever the component is, lists
// included, where there are no arguments; a call check runs only on a
// call, after the other checks, so it can neither stand in for them nor
// be skipped by them. The way out is one call check that tests the
// alternatives itself.
func anyCallMessage(expr string) string {
	return "check(" + expr + "): call checks cannot be alternatives in any(...): a call check reads the handler's arguments, which exist only when the component is called, and never decides whether it is listed; " +
		"write check(" + expr + ") outside any(...), as a term of auth= of its own, or move the alternatives into one call check that tests them itself (roles with ac.HasRole, scopes with ac.Token.HasScope)"
}

// checkExprs returns the check expressions among terms, those inside
// any(…) included, in the order written.
func checkExprs(terms []authTerm) []*checkExpr {
	var out []*checkExpr
	for _, t := range terms {
		if t.Check != nil {
			out = append(out, t.Check)
		}
		out = append(out, checkExprs(t.Any)...)
	}
	return out
}

// authCheck emits a term as a runtime.Checker: runtime.RequireScopes,
// runtime.RequireRoles, the check expression, or runtime.AnyOf of its
// terms.
func (e *emitter) authCheck(t authTerm) jen.Code {
	switch {
	case t.Scopes != nil:
		return e.rt("RequireScopes").Call(lits(t.Scopes)...)
	case t.Roles != nil:
		return e.rt("RequireRoles").Call(lits(t.Roles)...)
	case t.Check != nil:
		return e.check(t.Check)
	}
	terms := make([]jen.Code, len(t.Any))
	for i, u := range t.Any {
		terms[i] = e.authCheck(u)
	}
	return e.rt("AnyOf").Call(terms...)
}

// String returns the term in canonical form, as annotations prints it.
func (t authTerm) String() string {
	switch {
	case t.Scopes != nil:
		return "scopes(" + strings.Join(t.Scopes, ",") + ")"
	case t.Roles != nil:
		return "roles(" + strings.Join(t.Roles, ",") + ")"
	case t.Check != nil:
		return "check(" + t.Check.Text + ")"
	}
	terms := make([]string, len(t.Any))
	for i, u := range t.Any {
		terms[i] = u.String()
	}
	return "any(" + strings.Join(terms, ",") + ")"
}

// judgeReport says what a token holding exactly scopes gets from the
// terms of c, whose Scopes it holds, from scopes alone: -1 denied, 1
// admitted, 0 when a check(…) or roles(…) decides.
func judgeReport(c *ComponentReport, scopes []string) int {
	out := 1
	if len(c.Roles) > 0 || len(c.Checks) > 0 {
		out = 0
	}
	for _, s := range c.Scopes {
		if !slices.Contains(scopes, s) {
			return -1
		}
	}
	for _, text := range c.Any {
		l, errs := annotations.Parse("//mcp:tool auth="+text, annotations.Pos{})
		d, ok := l.(*annotations.Directive)
		if len(errs) > 0 || !ok || d.Auth == nil || len(d.Auth.Terms) != 1 {
			out = min(out, 0) // not an any(…) this version reads
			continue
		}
		out = min(out, judgeTerm(d.Auth.Terms[0], scopes))
	}
	return out
}

// judgeTerm judges one term as judgeReport does.
func judgeTerm(t annotations.AuthTerm, scopes []string) int {
	switch t.Kind {
	case annotations.TermScopes:
		for _, s := range t.Scopes {
			if !slices.Contains(scopes, s.Text) {
				return -1
			}
		}
		return 1
	case annotations.TermAny:
		out := -1
		for _, u := range t.Terms {
			out = max(out, judgeTerm(u, scopes))
		}
		return out
	}
	return 0
}

// addNew appends the words of add that list lacks.
func addNew(list, add []string) []string {
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
