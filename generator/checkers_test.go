package generator

import (
	"strings"
	"testing"
)

// checkerSources is a package whose check(…) terms are Checkers of every
// kind a program may write: values and pointers, an interface variable, a
// generic type, a function type with a Check method, a struct that
// embeds one, types of another package (one unexported, reached through a
// factory), inside any(…) and next to a call check. rt is the backend's
// runtime package ("runtime" or "gosdk"), imported from path.
func checkerSources(rt, path, backend string) map[string]string {
	r := strings.NewReplacer("RT", rt, "PATH", path, "BACKEND", backend)
	return map[string]string{
		"lib/lib.go": r.Replace(`package lib

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

type hidden struct{}

func (*hidden) Check(context.Context, authz.AuthContext) (bool, error) { return true, nil }

// New returns a Checker of an unexported type.
func New() *hidden { return &hidden{} }

// Gen is a generic Checker.
type Gen[T any] struct{ V T }

func (Gen[T]) Check(context.Context, authz.AuthContext) (bool, error) { return true, nil }
`),
		"app/app.go": r.Replace(`package app

BACKEND

import (
	"context"

	"PATH"

	"example.com/m/lib"
)

type value struct{}

func (value) Check(context.Context, RT.AuthContext) (bool, error) { return true, nil }

type pointer struct{ max int }

func (p *pointer) Check(context.Context, RT.AuthContext) (bool, error) { return p.max > 0, nil }

var quota = &pointer{max: 3}

var iface RT.Checker = value{}

type generic[T any] struct{}

func (generic[T]) Check(context.Context, RT.AuthContext) (bool, error) { return true, nil }

// rule is a function type that is a Checker too: its Check method decides.
type rule func(RT.AuthContext) bool

func (r rule) Check(_ context.Context, ac RT.AuthContext) (bool, error) { return !r(ac), nil }

var inverted rule = func(RT.AuthContext) bool { return false }

type embeds struct{ *pointer }

func owns(ac RT.AuthContext, id string) bool { return id != "" }

var _ = lib.New

//mcp:tool auth=check(value{}),check(quota),check(&pointer{max: 1}),check(iface)
func Plain() (string, error) { return "", nil }

//mcp:tool auth=check(generic[int]{}),check(inverted),check(embeds{quota}),check(lib.New()),check(lib.Gen[lib.Gen[int]]{})
func Kinds() (string, error) { return "", nil }

//mcp:tool auth=any(check(value{}),check(quota),roles(admin)),check(owns)
func Mixed(id string) (string, error) { return id, nil }

//mcp:prompt auth=check(quota),check(owns)
func Ask(id string) (string, error) { return id, nil }

//mcp:resource uri=x://{id} auth=check(&pointer{max: 1}),check(owns)
func Read(id string) (string, error) { return id, nil }
`),
	}
}

// TestCheckersCompile: every kind of Checker a check(…) may name is
// registered as it is (never through Check, even when its type is also a
// function of a check's shape), and the generated file builds, on both
// backends.
func TestCheckersCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	for _, b := range []struct{ rt, path, line string }{
		{"runtime", runtimePath, ""},
		{"gosdk", gosdkPath, "//mcp:backend gosdk"},
	} {
		t.Run(b.rt, func(t *testing.T) {
			src := generateAndVet(t, checkerSources(b.rt, b.path, b.line))
			for _, want := range []string{
				`WithRule("check(quota)", quota)`,
				`WithRule("check(iface)", iface)`,
				`WithRule("check(inverted)", inverted)`,
				`func() ` + b.rt + `.Checker {
		return lib.New()
	}`,
				b.rt + `.AnyOf(` + b.rt + `.CheckAt("app.go:`,
			} {
				if !strings.Contains(src, want) {
					t.Errorf("generated file lacks %s:\n%s", want, src)
				}
			}
			if strings.Contains(src, b.rt+".Check(inverted)") {
				t.Errorf("a function type with a Check method is wrapped in Check, which bypasses the method:\n%s", src)
			}
		})
	}
}
