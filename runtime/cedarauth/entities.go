package cedarauth

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// The entity types and actions of the model (see the package doc). The
// generator writes the same names into the schema it derives.
const (
	PrincipalType types.EntityType = "Principal"
	ToolType      types.EntityType = "Tool"
	ResourceType  types.EntityType = "Resource"
	PromptType    types.EntityType = "Prompt"
	ActionType    types.EntityType = "Action"

	// The action groups: every tool's action is in CallTool, every
	// resource's in ReadResource, every prompt's in GetPrompt.
	CallTool     types.String = "call_tool"
	ReadResource types.String = "read_resource"
	GetPrompt    types.String = "get_prompt"
)

// ActionID returns the id of the action of using the component of kind k
// named name (tools, prompts) or declared with uri (resources, resource
// templates): "tool:NAME", "prompt:NAME", "resource:URI".
func ActionID(k authz.Kind, name, uri string) types.String {
	switch k {
	case authz.KindTool:
		return types.String("tool:" + name)
	case authz.KindPrompt:
		return types.String("prompt:" + name)
	default:
		return types.String("resource:" + uri)
	}
}

// component is the entity of one component and the entity of its action,
// with the policies that can apply to it; built once per component.
type component struct {
	resource types.Entity
	action   types.Entity
	group    types.Entity
	// policies are the policies whose scope and resource conditions do
	// not rule this component out, whoever asks in whatever context.
	policies []idPolicy
	// listing are those of policies that never read the context, which
	// decide a list as they decide a call; slow are those that do, which
	// a list partially evaluates.
	listing, slow []idPolicy

	// tags are the component's tags; other is the component of the same
	// kind and name (URI) with other tags, asked about later (see
	// Authorizer.component).
	tags  []string
	other atomic.Pointer[component]
}

func newComponent(c *authz.Component) *component {
	tags := make([]types.Value, len(c.Tags))
	for i, t := range c.Tags {
		tags[i] = types.String(t)
	}
	attrs := types.RecordMap{
		"name": types.String(c.Name),
		"tags": types.NewSet(tags...),
	}
	var typ types.EntityType
	var id, group types.String
	switch c.Kind {
	case authz.KindTool:
		typ, id, group = ToolType, types.String(c.Name), CallTool
	case authz.KindPrompt:
		typ, id, group = PromptType, types.String(c.Name), GetPrompt
	default:
		typ, id, group = ResourceType, types.String(c.URI), ReadResource
		attrs["uri"] = types.String(c.URI)
		attrs["template"] = types.Boolean(c.Kind == authz.KindResourceTemplate)
	}
	groupUID := types.NewEntityUID(ActionType, group)
	return &component{
		tags:     slices.Clone(c.Tags),
		resource: types.Entity{UID: types.NewEntityUID(typ, id), Attributes: types.NewRecord(attrs)},
		action: types.Entity{
			UID:     types.NewEntityUID(ActionType, ActionID(c.Kind, c.Name, c.URI)),
			Parents: types.NewEntityUIDSet(groupUID),
		},
		group: types.Entity{UID: groupUID},
	}
}

// principal is the entity of a token. Its id is the token's "sub" claim
// when that is a non-empty string, else its client id; a request without a
// token is the principal with the empty id, no scopes and no tags.
func principalEntity(tok *authz.AccessToken) types.Entity {
	var sub, client string
	var scopes []types.Value
	tags := types.RecordMap{}
	if tok != nil {
		client = tok.ClientID
		sub, _ = tok.Claims["sub"].(string)
		scopes = make([]types.Value, len(tok.Scopes))
		for i, s := range tok.Scopes {
			scopes[i] = types.String(s)
		}
		for k, v := range tok.Claims {
			if s, ok := claimString(v); ok {
				tags[types.String(k)] = types.String(s)
			}
		}
	}
	id := sub
	if id == "" {
		id = client
	}
	e := types.Entity{
		UID: types.NewEntityUID(PrincipalType, types.String(id)),
		Attributes: types.NewRecord(types.RecordMap{
			"sub":       types.String(sub),
			"client_id": types.String(client),
			"scopes":    types.NewSet(scopes...),
		}),
	}
	e.Tags = types.NewRecord(tags)
	return e
}

// withStore adds to e what the server's entity for the same principal
// says: its parents, and its tags, which take precedence over claims.
func withStore(e types.Entity, store types.EntityGetter) types.Entity {
	if store == nil {
		return e
	}
	known, ok := store.Get(e.UID)
	if !ok {
		return e
	}
	e.Parents = known.Parents
	if known.Tags.Len() > 0 {
		tags := e.Tags.Map()
		if tags == nil {
			tags = types.RecordMap{}
		}
		for k, v := range known.Tags.All() {
			tags[k] = v
		}
		e.Tags = types.NewRecord(tags)
	}
	return e
}

// claimString is a claim's value as a principal tag: a string as it is,
// a boolean as "true" or "false", a number in decimal, anything else (a
// list, an object) as its JSON text. A null claim is no tag.
func claimString(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// contextRecord is the Cedar context of a request with arguments args, as
// JSON decodes them (ints too): strings, booleans, integral numbers (as Long), lists
// (as sets) and objects (as records). Other numbers, and nulls, are left
// out: Cedar has no floating-point type, and the schema the generator
// derives leaves float fields out of the context. A number decoded as a
// float64 of magnitude 2^53 or more is an error: float64 no longer carries every integer
// there, so the context could hold another number than the one the handler
// decodes from the request's JSON text (or none at all, beyond int64),
// which would let a call dodge a policy on that argument. The record
// returned with the error leaves such numbers out.
func contextRecord(args map[string]any) (types.Record, error) {
	if len(args) == 0 {
		return types.Record{}, nil
	}
	var err error
	m := make(types.RecordMap, len(args))
	for k, v := range args {
		cv, ok, e := cedarValue(v)
		if e != nil && err == nil {
			err = fmt.Errorf("argument %q: %w", k, e)
		}
		if ok {
			m[types.String(k)] = cv
		}
	}
	return types.NewRecord(m), err
}

// contextOf is the Cedar context of the request ac describes (see
// contextRecord). A prompt's argument given as null is the empty string:
// mcp-go decodes a prompt's arguments as strings, and hands its handler ""
// for null.
func contextOf(ac authz.AuthContext) (types.Record, error) {
	args := ac.Arguments
	if ac.Component != nil && ac.Component.Kind == authz.KindPrompt {
		cloned := false
		for k, v := range ac.Arguments {
			if v == nil {
				if !cloned {
					args, cloned = maps.Clone(ac.Arguments), true
				}
				args[k] = ""
			}
		}
	}
	return contextRecord(args)
}

// maxExact is 2^53: below it in magnitude, a float64 is the one integer
// that decodes to it; from it on, several do.
const maxExact = 1 << 53

func cedarValue(v any) (types.Value, bool, error) {
	switch v := v.(type) {
	case string:
		return types.String(v), true, nil
	case bool:
		return types.Boolean(v), true, nil
	case float64:
		if math.Abs(v) >= maxExact {
			return nil, false, fmt.Errorf("the number %g is 2^53 or beyond, where its decoded value may differ from the request's", v)
		}
		if v == math.Trunc(v) {
			return types.Long(int64(v)), true, nil
		}
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return types.Long(n), true, nil
		}
	case int:
		return types.Long(v), true, nil
	case int64:
		return types.Long(v), true, nil
	case []any:
		var err error
		vals := make([]types.Value, 0, len(v))
		for _, e := range v {
			cv, ok, ee := cedarValue(e)
			if ee != nil && err == nil {
				err = ee
			}
			if ok {
				vals = append(vals, cv)
			}
		}
		return types.NewSet(vals...), true, err
	case map[string]any:
		r, err := contextRecord(v)
		return r, true, err
	}
	return nil, false, nil
}

// entities is what one decision sees: the principal, the component and
// its actions, then the server's entities.
type entities struct {
	principal *types.Entity // nil while building a component's policies
	comp      *component
	store     types.EntityGetter
}

func (e *entities) Get(uid types.EntityUID) (types.Entity, bool) {
	switch {
	case e.principal != nil && uid == e.principal.UID:
		return *e.principal, true
	case uid == e.comp.resource.UID:
		return e.comp.resource, true
	case uid == e.comp.action.UID:
		return e.comp.action, true
	case uid == e.comp.group.UID:
		return e.comp.group, true
	case e.store != nil:
		return e.store.Get(uid)
	}
	return types.Entity{}, false
}

// principalCache holds the principal entity of the last token decided
// on, so that a list, which asks about every component with one token,
// builds it once.
type principalCache struct {
	tok    *authz.AccessToken
	client string
	scopes []string
	claims int
	entity types.Entity
}

// holds reports whether c was built from tok as it is now: the same
// object, with the same client id, scopes and number of claims.
func (c *principalCache) holds(tok *authz.AccessToken) bool {
	if c == nil || c.tok != tok {
		return false
	}
	if tok == nil {
		return true
	}
	return c.client == tok.ClientID && slices.Equal(c.scopes, tok.Scopes) && c.claims == len(tok.Claims)
}
