package cedarauth

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Request returns the Cedar request a decision about ac is made with (its
// context from ac.Arguments, as for a call), and the entities the runtime
// adds to the server's: the principal, the component, its action and the
// action's group. With them a decision can be replayed outside the server,
// with the Cedar CLI say, or checked against the schema mcpauthgen
// -cedar-schema prints.
func (a *Authorizer) Request(ac authz.AuthContext) (cedar.Request, types.EntityMap) {
	comp := newComponent(ac.Component)
	principal := withStore(principalEntity(ac.Token), a.store)
	ents := types.EntityMap{}
	for _, e := range []types.Entity{principal, comp.resource, comp.action, comp.group} {
		ents[e.UID] = e
	}
	// A number Check refuses as inexact is left out (see contextRecord).
	context, _ := contextOf(ac)
	return cedar.Request{
		Principal: principal.UID,
		Action:    comp.action.UID,
		Resource:  comp.resource.UID,
		Context:   context,
	}, ents
}
