package cedarauth

import (
	"cmp"
	"context"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// Authorizer decides with a Cedar policy set. Build one with New and put it
// on a server with Middleware; it is safe for concurrent use.
type Authorizer struct {
	policies []idPolicy // sorted by id
	store    types.EntityGetter
	monitor  bool
	hook     func(context.Context, Decision)

	comps   sync.Map                       // compKey -> *component, chained by tags
	compsMu sync.Mutex                     // held while a component is added
	last    atomic.Pointer[principalCache] // the principal of the last token
}

type idPolicy struct {
	id     cedar.PolicyID
	policy *cedar.Policy
}

// policyList is a cedar.PolicyIterator over a component's policies.
type policyList []idPolicy

func (l policyList) All() iter.Seq2[cedar.PolicyID, *cedar.Policy] {
	return func(yield func(cedar.PolicyID, *cedar.Policy) bool) {
		for _, p := range l {
			if !yield(p.id, p.policy) {
				return
			}
		}
	}
}

// Option configures an Authorizer.
type Option func(*Authorizer)

// WithEntities gives the policies the server's entities: groups a
// principal is in, records a condition reads, or a principal's own
// entity, whose parents and tags are added to those the token gives (see
// the package doc). store is consulted on every decision, so it may be a
// live view of a database.
func WithEntities(store types.EntityGetter) Option {
	return func(a *Authorizer) { a.store = store }
}

// Monitor makes the Authorizer evaluate and report without enforcing:
// every decision is made and reported (to the hook of OnDecision, and a
// denial it would have made is logged with log/slog: at level Info for a
// call, at Debug for each component a list would have left out), and
// every request and list goes through as if the policies permitted it.
// It is the way to try a policy set on live traffic before enforcing it.
func Monitor() Option {
	return func(a *Authorizer) { a.monitor = true }
}

// OnDecision calls hook with every decision the Authorizer makes, in the
// goroutine of the request. A list asks about each component, so hook is
// called once per component listed or left out. Without a hook no
// Decision is built.
func OnDecision(hook func(context.Context, Decision)) Option {
	return func(a *Authorizer) { a.hook = hook }
}

// Decision is what the policies decided about one component for one
// request.
type Decision struct {
	// Listing is true when the request lists components: the decision is
	// whether the policies could permit the principal to use the
	// component in some context.
	Listing bool
	// Kind, Name and URI are the component's.
	Kind      authz.Kind
	Name, URI string
	// Principal is the principal's entity.
	Principal types.EntityUID
	// Action is the component's action.
	Action types.EntityUID
	// Allowed is what the policies decided; in monitor mode the request
	// goes through whatever it is.
	Allowed bool
	// Enforced is false in monitor mode.
	Enforced bool
	// Policies are the ids of the policies that decided, sorted: the
	// forbid policies that denied or, when allowed, the permit policies
	// that allowed. A denial because no policy permits (Cedar's default)
	// names none.
	Policies []string
	// Errors are the policies that could not be evaluated, as
	// "id: message"; Cedar ignores them when deciding.
	Errors []string
}

// New returns an Authorizer that decides with policies (ParsePolicies
// reads a policy document). The policy set is read once, here; changing it
// afterwards changes nothing.
func New(policies *cedar.PolicySet, opts ...Option) *Authorizer {
	a := &Authorizer{}
	for id, p := range policies.All() {
		a.policies = append(a.policies, idPolicy{id, p})
	}
	slices.SortFunc(a.policies, func(x, y idPolicy) int { return cmp.Compare(x.id, y.id) })
	for _, opt := range opts {
		opt(a)
	}
	return a
}

// Middleware returns the Authorizer as server-wide middleware
// (runtime.WithMiddleware), on top of each component's own checks. In a
// server's decisions (runtime.Decision) its rule is named "cedar", with the
// ids of the policies that decided (Rule.Policies).
func (a *Authorizer) Middleware() authz.Middleware {
	return authz.AuthMiddleware(a).Named("cedar")
}

// policyIDs are the ids of the policies that decided, sorted.
func policyIDs(diag cedar.Diagnostic) []string {
	var ids []string
	for _, r := range diag.Reasons {
		ids = append(ids, string(r.PolicyID))
	}
	slices.Sort(ids)
	return ids
}

// Check makes the Authorizer an authz.Checker: when listing (authz.Listing),
// whether some context could permit the principal to use the component;
// otherwise whether the policies permit the request with its arguments as
// context. In monitor mode it always passes.
func (a *Authorizer) Check(ctx context.Context, ac authz.AuthContext) (bool, error) {
	if ac.Component == nil {
		return false, nil
	}
	comp := a.component(ac.Component)
	principal := a.principal(ac.Token)
	ents := &entities{principal: &principal, comp: comp, store: a.store}
	listing := authz.Listing(ctx)
	var allowed bool
	var diag cedar.Diagnostic
	if listing {
		allowed, diag = listable(comp, ents)
	} else if context, err := contextOf(ac); err != nil {
		// The context cannot say what the handler would decode: deny.
		diag.Errors = []cedar.DiagnosticError{{Message: "context: " + err.Error()}}
	} else {
		var d cedar.Decision
		d, diag = cedar.Authorize(policyList(comp.policies), ents, cedar.Request{
			Principal: principal.UID,
			Action:    comp.action.UID,
			Resource:  comp.resource.UID,
			Context:   context,
		})
		allowed = d == cedar.Allow
	}
	if notes := authz.PolicyNotesFrom(ctx); notes != nil && !listing {
		// The server reports decisions: name the policies that decided.
		notes.Note(policyIDs(diag)...)
	}
	if a.hook == nil && (allowed || !a.monitor) {
		return allowed, nil
	}
	d := Decision{
		Listing:   listing,
		Kind:      ac.Component.Kind,
		Name:      ac.Component.Name,
		URI:       ac.Component.URI,
		Principal: principal.UID,
		Action:    comp.action.UID,
		Allowed:   allowed,
		Enforced:  !a.monitor,
	}
	d.Policies = policyIDs(diag)
	for _, e := range diag.Errors {
		d.Errors = append(d.Errors, string(e.PolicyID)+": "+e.Message)
	}
	slices.Sort(d.Errors)
	if a.hook != nil {
		a.hook(ctx, d)
	}
	if a.monitor {
		if !allowed {
			// A list asks about every component: its denials are
			// logged at Debug, a call's at Info.
			level := slog.LevelInfo
			if listing {
				level = slog.LevelDebug
			}
			slog.Default().Log(ctx, level, "cedarauth: monitor mode: the policies deny; let through",
				slog.Bool("listing", listing),
				slog.String("component", ac.Component.Kind.String()),
				slog.String("action", d.Action.String()),
				slog.String("principal", d.Principal.String()),
				slog.Any("policies", d.Policies))
		}
		return true, nil
	}
	return allowed, nil
}

type compKey struct {
	kind      authz.Kind
	name, uri string
}

// component returns the entities of c and the policies that can apply to
// it, computed the first time c is asked about. Components of one kind and
// name (URI) with other tags, which servers sharing the Authorizer may
// have, are kept apart.
func (a *Authorizer) component(c *authz.Component) *component {
	key := compKey{c.Kind, c.Name, c.URI}
	v, ok := a.comps.Load(key)
	if ok {
		if comp := v.(*component).withTags(c.Tags); comp != nil {
			return comp
		}
	}
	comp := newComponent(c)
	prepare(a.policies, comp)
	a.compsMu.Lock()
	defer a.compsMu.Unlock()
	v, ok = a.comps.LoadOrStore(key, comp)
	if !ok {
		return comp
	}
	last := v.(*component)
	for ; ; last = last.other.Load() {
		if slices.Equal(last.tags, comp.tags) {
			return last
		}
		if last.other.Load() == nil {
			break
		}
	}
	last.other.Store(comp)
	return comp
}

// withTags returns the component of the chain from comp whose tags are
// tags, or nil.
func (comp *component) withTags(tags []string) *component {
	for ; comp != nil; comp = comp.other.Load() {
		if slices.Equal(comp.tags, tags) {
			return comp
		}
	}
	return nil
}

// principal returns the entity of tok: what the token says is reused from
// the last decision when tok is the same token object, unchanged (a list
// asks about every component with one token); what the server's entities
// add is read on every decision.
func (a *Authorizer) principal(tok *authz.AccessToken) types.Entity {
	if c := a.last.Load(); c.holds(tok) {
		return withStore(c.entity, a.store)
	}
	e := principalEntity(tok)
	c := &principalCache{tok: tok, entity: e}
	if tok != nil {
		c.client, c.scopes, c.claims = tok.ClientID, slices.Clone(tok.Scopes), len(tok.Claims)
	}
	a.last.Store(c)
	return withStore(e, a.store)
}
