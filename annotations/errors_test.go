package annotations

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Columns: "//mcp:tool " is 11 bytes, so a tool's first term is at column
// 12; a resource's at 16 and a prompt's at 14.
func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", 129)
	tests := []struct {
		line string
		want string // every error, one per line
	}{
		// Lines that are not directives, and kinds.
		{`// mcp:tool`, `x.go:3:1: not an //mcp: directive`},
		{`//mcp:tools`, `x.go:3:7: unknown directive kind "tools"; did you mean "tool"?`},
		{`//mcp:Prompt`, `x.go:3:7: unknown directive kind "Prompt"; did you mean "prompt"?`},
		{`//mcp:widget name=x`, `x.go:3:7: unknown directive kind "widget" (known: backend, policies, prompt, resource, roles, schema, scopes, tags, tool)`},
		{`//mcp:`, `x.go:3:7: missing directive kind after //mcp: (want tool, resource, prompt, scopes, roles, tags, schema, policies or backend)`},
		{`//mcp: tool`, `x.go:3:7: missing directive kind after //mcp: (want tool, resource, prompt, scopes, roles, tags, schema, policies or backend)`},

		// Keys and flags.
		{`//mcp:tool nmae=x`, `x.go:3:12: unknown key "nmae"; did you mean "name"?`},
		{`//mcp:tool Name=x`, `x.go:3:12: unknown key "Name"; did you mean "name"?`},
		{`//mcp:tool color=red`, `x.go:3:12: unknown key "color" (known: auth, description, mime, name, tags, title, uri)`},
		{`//mcp:tool atuh=check(f("a b"))`, `x.go:3:12: unknown key "atuh"; did you mean "auth"?`},
		{`//mcp:tool readonly=true`, `x.go:3:12: flag "readonly" takes no value`},
		{`//mcp:tool readnly`, `x.go:3:12: unknown flag "readnly"; did you mean "readonly"?`},
		{`//mcp:tool read-only`, `x.go:3:12: unknown flag "read-only"; did you mean "readonly"?`},
		{`//mcp:tool fast`, `x.go:3:12: unknown flag "fast" (known: destructive, idempotent, openworld, readonly)`},
		{`//mcp:tool public`, `x.go:3:12: unknown flag "public"; did you mean auth=public?`},
		{`//mcp:tool name=`, `x.go:3:12: key "name" needs a value`},
		{`//mcp:tool name`, `x.go:3:12: key "name" needs a value`},
		{`//mcp:tool name="" tags=""`, "x.go:3:12: key \"name\" needs a value\nx.go:3:20: key \"tags\" needs a value"},
		{`//mcp:tool name=a name=b`, `x.go:3:19: duplicate key "name"`},
		{`//mcp:tool readonly readonly`, `x.go:3:21: duplicate flag "readonly"`},
		{`//mcp:tool uri=a://b`, `x.go:3:12: "uri" is not valid on a tool`},
		{`//mcp:tool mime=text/plain`, `x.go:3:12: "mime" is not valid on a tool`},
		{`//mcp:prompt readonly`, `x.go:3:14: "readonly" is not valid on a prompt`},
		{`//mcp:resource uri=a:b openworld`, `x.go:3:24: "openworld" is not valid on a resource`},
		{`//mcp:resource name=r`, `x.go:3:1: resource needs uri=`},
		{`//mcp:tool =x`, `x.go:3:12: missing key before "="`},
		{`//mcp:tool a,b`, `x.go:3:12: invalid term "a,b": want key=value or a flag`},
		{`//mcp:tool check(f("a b"))`, `x.go:3:12: invalid term "check(f(\"a b\"))"; did you mean auth=check(f("a b"))?`},
		{`//mcp:tool "x"`, `x.go:3:12: invalid term "\"x\"": want key=value or a flag`},

		// String literals.
		{`//mcp:tool description="abc`, `x.go:3:24: unterminated string literal`},
		{`//mcp:tool description="a\qb"`, `x.go:3:26: invalid escape sequence in string literal`},
		{`//mcp:tool description="\u12"`, `x.go:3:25: invalid escape sequence in string literal`},
		{"//mcp:tool title=`abc", `x.go:3:18: unterminated raw string literal`},
		{`//mcp:tool title="a"b`, `x.go:3:21: unexpected "b" after string literal`},

		// Values.
		{`//mcp:tool name="a b"`, `x.go:3:12: invalid name "a b": character ' ' not allowed (want letters, digits, '_', '-' or '.')`},
		{`//mcp:tool name=héllo`, `x.go:3:12: invalid name "héllo": character 'é' not allowed (want letters, digits, '_', '-' or '.')`},
		{`//mcp:tool name=` + long, `x.go:3:12: invalid name "` + long + `": longer than 128 characters`},
		{`//mcp:resource uri=users`, `x.go:3:16: invalid uri "users": missing scheme, as in "file:///path"`},
		{`//mcp:resource uri="a://b c"`, `x.go:3:16: invalid uri "a://b c": contains a space or control character`},
		{`//mcp:resource uri=users://{id`, `x.go:3:28: unbalanced braces in uri: missing "}"`},
		{`//mcp:resource uri=users://{a{b}`, `x.go:3:28: unbalanced braces in uri: missing "}"`},
		{`//mcp:resource uri=users://id}`, `x.go:3:30: unbalanced braces in uri: unexpected "}"`},
		{`//mcp:resource uri=users://{}`, `x.go:3:28: empty template expression "{}" in uri`},
		{`//mcp:resource uri=users://{a-b}`, `x.go:3:29: invalid uri template variable "a-b"`},
		{`//mcp:resource uri=a://{x:0}`, `x.go:3:25: invalid uri template variable "x:0"`},
		{`//mcp:resource uri=a://{x.}`, `x.go:3:25: invalid uri template variable "x."`},
		{`//mcp:resource uri=a://{=x}`, `x.go:3:25: reserved operator '=' in uri template`},
		{`//mcp:resource uri=a://{a,}`, `x.go:3:27: empty variable in uri template`},
		{`//mcp:resource uri=a:b mime=text`, `x.go:3:24: invalid mime type "text": want type/subtype, as in text/plain`},
		{`//mcp:tool tags=a,,b`, `x.go:3:19: empty tag in tags=`},
		{`//mcp:tool tags=,a`, `x.go:3:17: empty tag in tags=`},
		{`//mcp:tool tags=a,a`, `x.go:3:19: duplicate tag "a"`},

		// auth=: structure.
		{`//mcp:tool auth=scopes(a),`, `x.go:3:26: empty term in auth=`},
		{`//mcp:tool auth=role(x)`, `x.go:3:17: unknown auth term "role(x)"; did you mean roles(...)?`},
		{`//mcp:tool auth=scope(a)`, `x.go:3:17: unknown auth term "scope(a)"; did you mean scopes(...)?`},
		{`//mcp:tool auth=Public`, `x.go:3:17: unknown auth term "Public"; did you mean "public"?`},
		{`//mcp:tool auth=public,scopes(a)`, `x.go:3:17: "public" cannot be combined with other auth terms`},
		{`//mcp:tool auth=public,public`, `x.go:3:17: "public" cannot be combined with other auth terms`},
		{`//mcp:tool auth=public(x)`, `x.go:3:17: "public" takes no arguments`},
		{`//mcp:tool auth=scopes`, `x.go:3:17: "scopes" needs a list of scopes: scopes(...)`},
		{`//mcp:tool auth=check`, `x.go:3:17: "check" needs an expression: check(...)`},
		{`//mcp:tool auth=scopes(a)x`, `x.go:3:26: unexpected "x" after scopes(...)`},
		{`//mcp:tool auth=check(f(x) name=y`, `x.go:3:22: unbalanced parentheses: missing ")"`},
		{`//mcp:tool auth=check(f("a b") readonly`, `x.go:3:22: unbalanced parentheses: missing ")"`},
		{`//mcp:tool auth=scopes(a)) name=y`, `x.go:3:26: unbalanced parentheses: unexpected ")"`},
		{`//mcp:tool auth=check("x)`, `x.go:3:23: unterminated string literal`},
		{`//mcp:tool auth="scopes(a"`, `x.go:3:24: unbalanced parentheses: missing ")"`},

		// auth=: scopes.
		{`//mcp:tool auth=scopes()`, `x.go:3:17: scopes() needs at least one scope`},
		{`//mcp:tool auth=scopes(a,,b)`, `x.go:3:26: empty scope in scopes(...)`},
		{`//mcp:tool auth=scopes(a,)`, `x.go:3:25: empty scope in scopes(...)`},
		{`//mcp:tool auth=scopes(a b)`, `x.go:3:24: invalid scope "a b": character ' ' not allowed`},
		{`//mcp:tool auth=scopes(a,a)`, `x.go:3:26: duplicate scope "a"`},
		{`//mcp:tool auth=scopes(é)`, `x.go:3:24: invalid scope "é": character 'é' not allowed`},

		// auth=: check expressions.
		{`//mcp:tool auth=check()`, `x.go:3:17: check() needs an expression`},
		{`//mcp:tool auth=check( )`, `x.go:3:17: check() needs an expression`},
		{`//mcp:tool auth=check(a b)`, `x.go:3:25: invalid check expression: unexpected b after the expression`},
		{`//mcp:tool auth=check(a,b)`, `x.go:3:24: invalid check expression: unexpected ',' after the expression`},
		{`//mcp:tool auth=check(1+)`, `x.go:3:25: invalid check expression: expected operand, found 'EOF'`},
		{`//mcp:tool auth=check(#)`, `x.go:3:23: invalid check expression: illegal character U+0023 '#'`},
		{`//mcp:tool auth=check(x.(type))`, `x.go:3:25: invalid check expression: use of .(type) outside type switch`},
		{`//mcp:tool auth=check(f /* x */)`, `x.go:3:25: comments are not allowed in check(...)`},
		{`//mcp:tool auth=check(m[0)`, `x.go:3:24: unbalanced brackets in check(...): missing "]"`},
		{`//mcp:tool auth=check(f(x]))`, `x.go:3:26: unbalanced brackets in check(...): unexpected "]"`},
		{`//mcp:tool auth="check(f(\"\\q\"))"`, `x.go:3:30: invalid check expression: unknown escape sequence`},

		// auth=: "|" is not OR.
		{`//mcp:tool auth=scopes(read|write)`, `x.go:3:24: invalid scope "read|write": character '|' not allowed; scopes(...) needs every scope it names; for one of several, write any(scopes(read),scopes(write))`},
		{`//mcp:tool auth=roles(admin|ops)`, `x.go:3:23: invalid role "admin|ops": character '|' not allowed; roles(...) needs every role it names; for one of several, write any(roles(admin),roles(ops))`},
		{`//mcp:scopes a|`, `x.go:3:14: invalid scope "a|": character '|' not allowed; scopes(...) needs every scope it names`},

		// auth=: roles.
		{`//mcp:tool auth=roles()`, `x.go:3:17: roles() needs at least one role`},
		{`//mcp:tool auth=roles`, `x.go:3:17: "roles" needs a list of roles: roles(...)`},
		{`//mcp:tool auth=roles(a,,b)`, `x.go:3:25: empty role in roles(...)`},
		{`//mcp:tool auth=roles(a b)`, `x.go:3:23: invalid role "a b": character ' ' not allowed`},
		{`//mcp:tool auth=roles(a,a)`, `x.go:3:25: duplicate role "a"`},

		// auth=: any.
		{`//mcp:tool auth=any()`, `x.go:3:17: any() needs at least two auth terms: any(t1,t2,...)`},
		{`//mcp:tool auth=any`, `x.go:3:17: "any" needs a list of auth terms: any(...)`},
		{`//mcp:tool auth=any(roles(admin))`, `x.go:3:17: any(...) with one term is that term alone: drop any(...) and write roles(admin)`},
		{`//mcp:tool auth=scopes(a),any(roles(b),public)`, `x.go:3:40: "public" cannot be a term of any(...): it would let everyone in; write auth=public instead`},
		{`//mcp:tool auth=any(roles(b),,check(f))`, `x.go:3:30: empty term in any(...)`},
		{`//mcp:tool auth=any(roles(b),scope(a))`, `x.go:3:30: unknown auth term "scope(a)"; did you mean scopes(...)?`},
		{`//mcp:tool auth=any(roles(b),any(scopes()))`, `x.go:3:34: scopes() needs at least one scope`},
		{`//mcp:tool auth=any(roles(b),any(check(f)))`, `x.go:3:30: any(...) with one term is that term alone: drop any(...) and write check(f)`},
		{`//mcp:tool auth=any(roles(b),check(f(x))`, `x.go:3:20: unbalanced parentheses: missing ")"`},
		{`//mcp:tool auth=any(roles(b),check(a b))`, `x.go:3:38: invalid check expression: unexpected b after the expression`},
		{`//mcp:tool auth=any(roles(b) x,check(f))`, `x.go:3:29: unexpected " x" after roles(...)`},

		// Role vocabulary lines.
		{`//mcp:roles`, `x.go:3:1: roles line needs at least one role`},
		{`//mcp:roles admin admin`, `x.go:3:19: duplicate role "admin"`},
		{`//mcp:roles admin,user`, `x.go:3:13: invalid role "admin,user": character ',' not allowed`},

		// Scope vocabulary lines.
		{`//mcp:scopes`, `x.go:3:1: scopes line needs at least one scope`},
		{`//mcp:scopes // none yet`, `x.go:3:1: scopes line needs at least one scope`},
		{`//mcp:scopes read read`, `x.go:3:19: duplicate scope "read"`},
		{`//mcp:scopes read,write`, `x.go:3:14: invalid scope "read,write": character ',' not allowed`},
		{`//mcp:scopes "read"`, `x.go:3:14: invalid scope "\"read\"": character '"' not allowed`},
		{`//mcp:scopes read it's`, `x.go:3:19: invalid scope "it's": character '\'' not allowed`},

		// Tag vocabulary lines and tags.
		{`//mcp:tags`, `x.go:3:1: tags line needs at least one tag`},
		{`//mcp:tags admin admin`, `x.go:3:18: duplicate tag "admin"`},
		{`//mcp:tags admin,write`, `x.go:3:12: invalid tag "admin,write": character ',' not allowed`},
		{`//mcp:tool tags="admin write"`, `x.go:3:18: invalid tag "admin write": tags cannot contain blanks; separate tags with commas: tags=admin,write`},
		{`//mcp:tool tags="a, b c"`, `x.go:3:21: invalid tag "b c": tags cannot contain blanks; separate tags with commas: tags=b,c`},
		{`//mcp:tool tags=a,(b)`, `x.go:3:19: invalid tag "(b)": character '(' not allowed`},
		{`//mcp:tool tags=a‘b`, `x.go:3:17: invalid tag "a‘b": character '‘' not allowed`},

		// Conflicting hints.
		{`//mcp:tool readonly destructive`, `x.go:3:21: "destructive" contradicts "readonly": a read-only tool modifies nothing; keep one`},
		{`//mcp:tool destructive idempotent readonly`, `x.go:3:35: "readonly" contradicts "destructive": a read-only tool modifies nothing; keep one`},

		// Quotes that do not quote.
		{`//mcp:tool description=“hello world” readonly`, `x.go:3:24: values are quoted with straight double quotes, not “: write "hello world"`},
		{`//mcp:tool description='hello world'`, `x.go:3:24: values are quoted with straight double quotes, not ': write "hello world"`},
		{`//mcp:tool title=‘Hi’ tags=a`, `x.go:3:18: values are quoted with straight double quotes, not ‘: write "Hi"`},
		{`//mcp:tool description=“open`, `x.go:3:24: values are quoted with straight double quotes, not “: write "open"`},

		// Several mistakes in one line: all of them, sorted by column.
		{
			`//mcp:resource nmae=x readonly auth=role(x) tags=a,,b`,
			strings.Join([]string{
				`x.go:3:1: resource needs uri=`,
				`x.go:3:16: unknown key "nmae"; did you mean "name"?`,
				`x.go:3:23: "readonly" is not valid on a resource`,
				`x.go:3:37: unknown auth term "role(x)"; did you mean roles(...)?`,
				`x.go:3:52: empty tag in tags=`,
			}, "\n"),
		},
		{
			`//mcp:tool auth=scope(a),check(),scopes(b,b) destructive=1 uri=x:y`,
			strings.Join([]string{
				`x.go:3:17: unknown auth term "scope(a)"; did you mean scopes(...)?`,
				`x.go:3:26: check() needs an expression`,
				`x.go:3:43: duplicate scope "b"`,
				`x.go:3:46: flag "destructive" takes no value`,
				`x.go:3:60: "uri" is not valid on a tool`,
			}, "\n"),
		},
	}
	seen := make(map[string]bool)
	for _, tt := range tests {
		if seen[tt.line] {
			t.Errorf("duplicate test line %q", tt.line)
		}
		seen[tt.line] = true
		_, errs := Parse(tt.line, base)
		if len(errs) == 0 {
			t.Errorf("Parse(%q): no errors, want:\n%s", tt.line, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, errorLines(errs)); diff != "" {
			t.Errorf("Parse(%q) errors mismatch (-want +got):\n%s", tt.line, diff)
		}
	}
	if len(tests) < 30 {
		t.Errorf("only %d error cases", len(tests))
	}
}

// errorLines returns the errors of l one per line, as the generator
// prints them.
func TestTagsBeyondASCII(t *testing.T) {
	l, errs := Parse(`//mcp:tool tags=données,π`, base)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := l.(*Directive).Tags; len(got) != 2 || got[0].Text != "données" || got[1].Text != "π" {
		t.Errorf("tags %v", got)
	}
}

func TestNearMiss(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"// mcp:tool auth=public", "//mcp:tool"},
		{"//MCP:tool", "//mcp:tool"},
		{"//Mcp:Resource uri=x://y", "//mcp:resource"},
		{"//mpc:prompt", "//mcp:prompt"},
		{"//mcp :tool", "//mcp:tool"},
		{"//  mcp :scopes read", "//mcp:scopes"},
		{"//mcq:tags a", "//mcp:tags"},
		{"//mcp:tool", ""},                // a directive, not a near miss
		{"// MCP: tool that deletes", ""}, // prose
		{"// mcp:toolbox", ""},            // not a kind
		{"//go:generate go tool mcpauthgen", ""},
		{"// mcpx:tool", ""},
		{"/* mcp:tool */", ""},
	} {
		got, ok := NearMiss(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("NearMiss(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
		}
	}
}

func errorLines(l ErrorList) string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}
