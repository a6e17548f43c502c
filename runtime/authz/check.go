package authz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	goruntime "runtime"
	"slices"
)

// Kind is the kind of an MCP component.
type Kind int

const (
	KindTool Kind = iota + 1
	KindResource
	KindResourceTemplate
	KindPrompt
)

func (k Kind) String() string {
	switch k {
	case KindTool:
		return "tool"
	case KindResource:
		return "resource"
	case KindResourceTemplate:
		return "resource template"
	case KindPrompt:
		return "prompt"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Component describes the tool, resource, resource template or prompt a
// check is asked about, so that checks can decide on metadata.
type Component struct {
	Kind Kind
	// Name is the MCP name (for resources, the resource's name).
	Name string
	// URI is the resource URI or the template as declared; tools and
	// prompts have none.
	URI string
	// Tags are the component's tags, as RestrictTag sees them.
	Tags []string
	// Scopes are the scopes the component declares it requires (WithScopes),
	// published to clients and in reports. Checks do not read them: the
	// component's RequireScopes check enforces them.
	Scopes []string

	// roles is where the server that registered the component reads
	// roles (set by Policy.Guard), so that every check shown the
	// component reads them alike, whoever builds the AuthContext.
	roles *RoleClaims
}

// HasTag reports whether c carries tag.
func (c *Component) HasTag(tag string) bool {
	return c != nil && slices.Contains(c.Tags, tag)
}

// label names the component in messages: the URI for resources, the name
// otherwise.
func (c *Component) label() string {
	if c.Kind == KindResource || c.Kind == KindResourceTemplate {
		return c.URI
	}
	return c.Name
}

// AuthContext is what a check decides on: the caller's token (nil when the
// request carries none), the component being listed or accessed and, for a
// request that targets one component, its arguments.
type AuthContext struct {
	Token     *AccessToken
	Component *Component
	// Arguments are the arguments of a request that targets the component:
	// a tools/call's or a prompts/get's arguments as JSON decodes them
	// into a map[string]any (numbers are float64), or the template
	// variables of a resources/read (string values; a list variable's
	// values joined with commas). It is nil when listing, for a read of a
	// resource that is not a template, and when no check of the request may
	// read it (Guard.NeedsArguments). Checks must not modify it.
	Arguments map[string]any

	// roles is where the serving server reads roles (HasRole); nil for
	// the default mapping.
	roles *RoleClaims
}

// AuthCheck decides whether a request may see and use a component. It
// returns false to deny. An *AuthorizationError denies with a message meant
// for the client; any other error denies and is logged, never shown.
type AuthCheck func(ctx context.Context, ac AuthContext) (bool, error)

// CheckFunc lists the function shapes Check accepts: the four function
// types, and any named type of one of them (AuthCheck is one).
type CheckFunc interface {
	~func(AuthContext) bool |
		~func(AuthContext) (bool, error) |
		~func(context.Context, AuthContext) bool |
		~func(context.Context, AuthContext) (bool, error)
}

// Check adapts a function of any accepted shape to an AuthCheck:
//
//	func(AuthContext) bool
//	func(AuthContext) (bool, error)
//	func(context.Context, AuthContext) bool
//	func(context.Context, AuthContext) (bool, error)
//
// or of a named function type of one of these shapes, such as
// type Rule func(AuthContext) bool. A nil function gives a check
// that always denies.
func Check[F CheckFunc](f F) AuthCheck {
	v := any(f)
	if _, ok := v.(AuthCheck); !ok && reflect.TypeOf(v).Name() != "" {
		// A named type other than AuthCheck: convert it to its unnamed
		// shape, once, when the check is built.
		v = reflect.ValueOf(v).Convert(unnamed(reflect.TypeOf(v))).Interface()
	}
	switch f := v.(type) {
	case AuthCheck:
		if f != nil {
			return f
		}
	case func(context.Context, AuthContext) (bool, error):
		if f != nil {
			return f
		}
	case func(AuthContext) bool:
		if f != nil {
			return func(_ context.Context, ac AuthContext) (bool, error) { return f(ac), nil }
		}
	case func(AuthContext) (bool, error):
		if f != nil {
			return func(_ context.Context, ac AuthContext) (bool, error) { return f(ac) }
		}
	case func(context.Context, AuthContext) bool:
		if f != nil {
			return func(ctx context.Context, ac AuthContext) (bool, error) { return f(ctx, ac), nil }
		}
	}
	return denyAll
}

func denyAll(context.Context, AuthContext) (bool, error) { return false, nil }

// unnamed returns the unnamed function type of function type t.
func unnamed(t reflect.Type) reflect.Type {
	in := make([]reflect.Type, t.NumIn())
	for i := range in {
		in[i] = t.In(i)
	}
	out := make([]reflect.Type, t.NumOut())
	for i := range out {
		out[i] = t.Out(i)
	}
	return reflect.FuncOf(in, out, false)
}

// RequireScopes returns a check that passes when the token grants every one
// of scopes (exact match). A request without a token fails it. The scope list
// is copied once here; the check allocates nothing when it runs.
//
//go:noinline
func RequireScopes(scopes ...string) AuthCheck {
	want := slices.Clone(scopes)
	return func(_ context.Context, ac AuthContext) (bool, error) {
		if ac.Component == describing {
			describeInto(ac, "", want)
			return false, nil
		}
		return hasAllScopes(ac.Token, want), nil
	}
}

func hasAllScopes(t *AccessToken, want []string) bool {
	if t == nil {
		return false
	}
	for _, s := range want {
		if !slices.Contains(t.Scopes, s) {
			return false
		}
	}
	return true
}

// RestrictTag returns a check for server-wide rules: a component tagged tag
// requires every one of scopes; a component without the tag passes, even
// for a request without a token. It is FastMCP's restrict_tag.
//
//go:noinline
func RestrictTag(tag string, scopes ...string) AuthCheck {
	want := slices.Clone(scopes)
	return func(_ context.Context, ac AuthContext) (bool, error) {
		if ac.Component == describing {
			describeInto(ac, tag, want)
			return false, nil
		}
		if !ac.Component.HasTag(tag) {
			return true, nil
		}
		return hasAllScopes(ac.Token, want), nil
	}
}

// AuthorizationError denies access with a message for the client. Returned
// by a middleware check, its message reaches the client verbatim; returned
// by a component check it only denies (the component stays hidden).
type AuthorizationError struct {
	Message string
}

func (e *AuthorizationError) Error() string { return e.Message }

// RunAuthChecks runs checks in order and reports whether all of them pass
// (AND). It stops at the first check that denies; an empty list allows. An
// *AuthorizationError stops the chain and is returned. Any other error, and
// a panic, is logged with log/slog (with the check's name and the
// component) and counts as a denial: the returned error is nil, so nothing
// of its text can reach a client.
func RunAuthChecks(ctx context.Context, ac AuthContext, checks ...AuthCheck) (bool, error) {
	ok, _, _, authErr := runChain(ctx, ac, checks)
	if authErr != nil {
		return false, authErr
	}
	return ok, nil
}

// runCheck calls one check, turning a panic into a logged denial.
func runCheck(ctx context.Context, ac AuthContext, check AuthCheck) (bool, error) {
	ok, _, err := runCheckRecover(ctx, ac, check)
	return ok, err
}

// runCheckRecover calls one check, turning a panic into a logged denial
// (panicked set).
func runCheckRecover(ctx context.Context, ac AuthContext, check AuthCheck) (ok, panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			logCheckFailure(ctx, ac, check, "panic", r)
			ok, panicked, err = false, true, nil
		}
	}()
	ok, err = check(ctx, ac)
	return ok, false, err
}

func asAuthorizationError(err error) (*AuthorizationError, bool) {
	var authErr *AuthorizationError
	ok := errors.As(err, &authErr)
	return authErr, ok
}

func logCheckFailure(ctx context.Context, ac AuthContext, check AuthCheck, what string, cause any) {
	attrs := []any{slog.String("check", checkName(check)), slog.Any(what, cause)}
	if c := ac.Component; c != nil {
		attrs = append(attrs, slog.String("component", c.Kind.String()+" "+c.label()))
	}
	slog.Default().WarnContext(ctx, "mcpauthgen: authorization check failed; access denied", attrs...)
}

// checkName names a check's function for logs, as the Go runtime knows it.
func checkName(check AuthCheck) string {
	if check == nil {
		return "<nil>"
	}
	if f := goruntime.FuncForPC(reflect.ValueOf(check).Pointer()); f != nil {
		return f.Name()
	}
	return "<unknown>"
}
