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

// label names the component in logs: the URI for resources, the name
// otherwise, as records hold them (RecordedURI, RecordedName: a component
// a middleware decides about can be the URI a client asked for, of any
// length, its password redacted).
func (c *Component) label() string {
	if c.Kind == KindResource || c.Kind == KindResourceTemplate {
		return RecordedURI(c.URI)
	}
	return RecordedName(c.Name)
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

// A Checker decides whether a request may see and use a component. Check
// returns false to deny. An *AuthorizationError denies with a message
// meant for the client; any other error denies and is logged, never shown.
//
// Every place that takes checks (WithAuth, AuthMiddleware, RunAuthChecks,
// AnyOf, WithCallChecks) takes Checkers: an AuthCheck, one of the
// built-in checks (ScopeCheck, RoleCheck, AnyCheck), or a type of the
// program's own. A Checker that is also a fmt.Stringer is named by its
// String method in decisions.
type Checker interface {
	Check(ctx context.Context, ac AuthContext) (bool, error)
}

// AuthCheck is a check written as a plain function. It is a Checker, as
// an http.HandlerFunc is an http.Handler: a function literal, or a factory
// returning one, becomes a check by conversion, AuthCheck(f), or through
// Check, which also accepts the shorter shapes.
type AuthCheck func(ctx context.Context, ac AuthContext) (bool, error)

// Check calls c(ctx, ac).
func (c AuthCheck) Check(ctx context.Context, ac AuthContext) (bool, error) { return c(ctx, ac) }

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
// that always denies. Check calls the function itself: a named type's
// methods play no part, so a function type that is also a Checker (has
// its own Check method) is passed as it is where its method should
// decide, as check(…) in an annotation does.
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
func RunAuthChecks(ctx context.Context, ac AuthContext, checks ...Checker) (bool, error) {
	ok, _, _, authErr := runChain(ctx, ac, checks)
	if authErr != nil {
		return false, authErr
	}
	return ok, nil
}

// runCheck calls one check, turning a panic into a logged denial.
func runCheck(ctx context.Context, ac AuthContext, check Checker) (bool, error) {
	ok, _, err := runCheckRecover(ctx, ac, check)
	return ok, err
}

// runCheckRecover calls one check, turning a panic into a logged denial
// (panicked set). A ScopeCheck, the most common check, which can neither
// panic nor fail, is decided without a deferred recover or a call through
// the interface.
func runCheckRecover(ctx context.Context, ac AuthContext, check Checker) (ok, panicked bool, err error) {
	if sc, isScope := check.(ScopeCheck); isScope {
		return sc.allows(ac.Token, ac.Component), false, nil
	}
	return runCheckDeferred(ctx, ac, check)
}

func runCheckDeferred(ctx context.Context, ac AuthContext, check Checker) (ok, panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			logCheckFailure(ctx, ac, check, "panic", r)
			ok, panicked, err = false, true, nil
		}
	}()
	ok, err = check.Check(ctx, ac)
	return ok, false, err
}

func asAuthorizationError(err error) (*AuthorizationError, bool) {
	var authErr *AuthorizationError
	ok := errors.As(err, &authErr)
	return authErr, ok
}

func logCheckFailure(ctx context.Context, ac AuthContext, check Checker, what string, cause any) {
	attrs := []any{slog.String("check", checkName(check)), slog.Any(what, cause)}
	if c := ac.Component; c != nil {
		attrs = append(attrs, slog.String("component", c.Kind.String()+" "+c.label()))
	}
	slog.Default().WarnContext(ctx, "mcpauthgen: authorization check failed; access denied", attrs...)
}

// checkName names a check for logs: a function by its name as the Go
// runtime knows it, a Stringer by its String, any other (and a Stringer
// whose String is empty) by its type.
func checkName(check Checker) string {
	switch c := check.(type) {
	case nil:
		return "<nil>"
	case AuthCheck:
		if c == nil {
			return "<nil>"
		}
		if f := goruntime.FuncForPC(reflect.ValueOf(c).Pointer()); f != nil {
			return f.Name()
		}
		return "<unknown>"
	case fmt.Stringer:
		if text := stringOf(c); text != "" {
			return text
		}
	}
	return fmt.Sprintf("%T", check)
}

// stringOf returns s.String(), or s's type when String panics (a
// program's Stringer may be written for other uses than ours).
func stringOf(s fmt.Stringer) (text string) {
	defer func() {
		if recover() != nil {
			text = fmt.Sprintf("%T", s)
		}
	}()
	return s.String()
}
