// Package cedarauth decides MCP authorization with Cedar policies
// (github.com/cedar-policy/cedar-go): a middleware that lets a security
// review read a policy file instead of code.
//
//	set, err := cedarauth.ParsePolicies("policies.cedar", src)
//	...
//	az := cedarauth.New(set, cedarauth.WithEntities(store))
//	s := runtime.NewServer("notes", "1.0.0", runtime.WithMiddleware(az.Middleware()))
//
// # Entity model
//
// Every decision is a Cedar request: principal, action, resource, context.
//
// The principal is the caller's token, an entity of type Principal whose id
// is the token's "sub" claim when that is a non-empty string, else its
// client id. A request without a token is Principal::"" with no scopes and
// no tags. Its attributes:
//
//	sub       String       the "sub" claim, or ""
//	client_id String       AccessToken.ClientID
//	scopes    Set<String>  AccessToken.Scopes
//
// and its tags (principal.hasTag("k"), principal.getTag("k")) are the
// token's claims, each as a String: a string as it is, a boolean as "true"
// or "false", a number in decimal, a list or an object as its JSON text.
// When the server's entities (WithEntities) hold an entity with the same
// uid, its parents become the principal's (principal in Group::"admins")
// and its tags are added, taking precedence over claims: that is how a
// server states facts the token does not carry, such as who owns what.
//
// The resource is the component, an entity of type Tool or Prompt (id: the
// name) or Resource (id: the URI or template as declared), with attributes
//
//	name     String       the MCP name
//	tags     Set<String>  the component's tags
//	uri      String       Resource only: the URI or template
//	template Bool         Resource only: whether it is a template
//
// Components have no parents: the server's entities are not asked about
// them, so group components with tags rather than with resource in G.
//
// The action is the use of one component: Action::"tool:NAME" for calling
// a tool, Action::"resource:URI" for reading a resource or a template's
// resources, Action::"prompt:NAME" for getting a prompt. Each is in its
// group, Action::"call_tool", Action::"read_resource" or
// Action::"get_prompt", so that
//
//	permit (principal, action in Action::"call_tool", resource) ...
//
// covers every tool. Actions are per component because Cedar types the
// context per action: the context of a component's action is a record of
// its arguments.
//
// The context is the request's arguments (authz.AuthContext.Arguments): a
// tools/call's or prompts/get's arguments, or the variables a read binds in
// a resource template. Strings, booleans, integral numbers (Long), lists
// (Set) and objects (records) are kept; other numbers and nulls are left
// out, since Cedar has no floating-point type (a prompt's argument given as
// null is the empty string, as its handler receives it). A call with a number of
// magnitude 2^53 or more is denied: the arguments hold numbers as float64,
// which from there on may differ from the number the handler decodes. A
// request without arguments has the empty record as context.
//
// mcpauthgen -cedar-schema prints this model as a Cedar schema for the
// annotated components of a package, with each action's context typed from
// the Go input type, and //mcp:policies FILE.cedar validates a policy file
// against it when generating. The server's own entity types (the groups a
// principal is in, say) are declared in a schema file named on the same
// line (//mcp:policies FILE.cedar OWN.cedarschema); the principal may be a
// member of any of them.
//
// # Decisions
//
// Cedar's semantics: a request is permitted when some permit policy holds
// and no forbid policy does (forbid wins; no permit means deny). A policy
// that fails to evaluate (reading a tag the principal lacks, say) is
// ignored, as Cedar ignores it.
//
// A request that uses a component (tools/call, resources/read,
// prompts/get) is decided with its full context. A denial is a middleware
// denial: "Authorization failed for tool 'X': insufficient permissions"
// (resource 'URI', prompt 'X').
//
// A list shows a component when some context could let the principal use
// it: when some permit policy can hold and no forbid policy holds whatever
// the context. Policies that never read the context are evaluated as for a
// call. The others are partially evaluated with cedar-go's experimental
// partial evaluation (x/exp/eval), the context a variable: what does not
// depend on the context is evaluated (context.n > 1 &&
// principal.scopes.contains("pay") becomes context.n > 1 && false for a
// principal without the scope), and the residual is read in three values
// (holds in every context, in none, in some), a part that reads the
// context being unknown. The answer errs towards listing only where the
// context parts contradict each other (context.n > 1 && context.n < 0 is
// taken as possible); the call is decided exactly. cedar-go's batch.Ignore
// was not used: it drops the whole of a permit condition that reads the
// context, principal part included. The experimental package is pinned with
// the module (cedar-go v1.9.2), and what this package assumes of it is
// tested by name.
//
// # Cost
//
// The policies that can apply to a component, given its action and
// resource whoever asks, are found once per component, on its first
// decision (and split into those that read the context and those that do
// not, and leaving out of lists the forbids that read the context in a way
// some context always escapes, such as context.amount > 1000); each
// decision evaluates only those. Nothing is cached per
// principal and component. The principal entity is
// built once per token object (a list asks about every component with one
// token); the server's entities are read on every decision.
//
// # Monitor mode
//
// With Monitor the Authorizer decides and reports (OnDecision, and a log
// line per denial) but never denies, so a policy set can be tried on live
// traffic before it is enforced.
package cedarauth
