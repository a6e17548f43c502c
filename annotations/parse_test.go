package annotations

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// base is where the test lines sit: line 3 of x.go, from column 1.
var base = Pos{Filename: "x.go", Line: 3, Column: 1}

// at returns the position in line of sub's first byte, or of the byte
// after "|" when sub holds one ("check(|f" is the "f"). sub must occur in
// line exactly once.
func at(line, sub string) Pos {
	mark := strings.Index(sub, "|")
	if mark < 0 {
		mark = 0
	} else {
		sub = sub[:mark] + sub[mark+1:]
	}
	i := strings.Index(line, sub)
	if i < 0 || strings.Count(line, sub) != 1 {
		panic(fmt.Sprintf("%q must occur once in %q", sub, line))
	}
	return Pos{Filename: base.Filename, Line: base.Line, Column: base.Column + i + mark}
}

func word(line, text, sub string) Word { return Word{Text: text, Pos: at(line, sub)} }

func value(line, text, key string) Value {
	return Value{Text: text, Pos: at(line, key+"="), Set: true}
}

func flag(line, name string) Flag { return Flag{Set: true, Pos: at(line, " |"+name)} }

func scopesTerm(line, sub string, scopes ...Word) AuthTerm {
	return AuthTerm{Kind: TermScopes, Pos: at(line, sub), Scopes: scopes}
}

func checkTerm(line, sub string, expr Word) AuthTerm {
	return AuthTerm{Kind: TermCheck, Pos: at(line, sub), Expr: expr}
}

func rolesTerm(line, sub string, roles ...Word) AuthTerm {
	return AuthTerm{Kind: TermRoles, Pos: at(line, sub), Roles: roles}
}

func anyTerm(line, sub string, terms ...AuthTerm) AuthTerm {
	return AuthTerm{Kind: TermAny, Pos: at(line, sub), Terms: terms}
}

func TestParse(t *testing.T) {
	type test struct {
		name string
		line string
		want func(l string) Line
	}
	tests := []test{
		{
			name: "spec tool with scopes, tags and a flag",
			line: `//mcp:tool auth=scopes(admin) tags=admin,destructive destructive`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "admin", "(|admin")),
					}},
					Tags:        []Word{word(l, "admin", "=|admin"), word(l, "destructive", ",|destructive")},
					Destructive: flag(l, "destructive"),
				}
			},
		},
		{
			name: "spec tool with name, scopes and a check",
			line: `//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Name: value(l, "update_record", "name"),
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "write", "(|write")),
						checkTerm(l, "check(", word(l, "ownsRecord", "ownsRecord")),
					}},
					Tags: []Word{word(l, "write", "=|write")},
				}
			},
		},
		{
			name: "roles and a nested any",
			line: `//mcp:tool auth=roles(admin,ops),any(roles(owner),check(isOwner),any(scopes(a),scopes(b)))`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						rolesTerm(l, "roles(admin", word(l, "admin", "(|admin"), word(l, "ops", "ops")),
						anyTerm(l, "any(roles",
							rolesTerm(l, "roles(owner", word(l, "owner", "owner")),
							checkTerm(l, "check(", word(l, "isOwner", "isOwner")),
							anyTerm(l, "any(scopes",
								scopesTerm(l, "scopes(a", word(l, "a", "(|a)")),
								scopesTerm(l, "scopes(b", word(l, "b", "(|b)")),
							),
						),
					}},
				}
			},
		},
		{
			name: "role vocabulary",
			line: `//mcp:roles admin user // comment`,
			want: func(l string) Line {
				return &Roles{Pos: base, Words: []Word{word(l, "admin", "admin"), word(l, "user", "user")}}
			},
		},
		{
			name: "spec resource",
			line: `//mcp:resource uri=secret://data mime=text/plain auth=scopes(read)`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					URI:  value(l, "secret://data", "uri"),
					MIME: value(l, "text/plain", "mime"),
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "read", "read")),
					}},
				}
			},
		},
		{
			name: "spec resource template with a trailing comment",
			line: `//mcp:resource uri=users://{id}/profile auth=scopes(read)     // a resource template`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					URI: value(l, "users://{id}/profile", "uri"),
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "read", "(|read")),
					}},
					URIVars: []Word{word(l, "id", "{|id")},
				}
			},
		},
		{
			name: "spec prompt",
			line: `//mcp:prompt auth=scopes(admin)`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "admin", "admin")),
					}},
				}
			},
		},
		{
			name: "bare tool",
			line: `//mcp:tool`,
			want: func(string) Line { return &Directive{Kind: KindTool, Pos: base} },
		},
		{
			name: "bare prompt with trailing blanks",
			line: "//mcp:prompt \t ",
			want: func(string) Line { return &Directive{Kind: KindPrompt, Pos: base} },
		},
		{
			name: "every flag, quoted title and description with escapes",
			line: `//mcp:tool readonly idempotent openworld title="Delete all" description="Removes \"every\" record.\tReally."`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Title:       value(l, "Delete all", "title"),
					Description: value(l, "Removes \"every\" record.\tReally.", "description"),
					ReadOnly:    flag(l, "readonly"),
					Idempotent:  flag(l, "idempotent"),
					OpenWorld:   flag(l, "openworld"),
				}
			},
		},
		{
			name: "raw strings keep backslashes and quotes",
			line: "//mcp:prompt description=`a \"b\" \\n (c)` title=`T`",
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Description: value(l, `a "b" \n (c)`, "description"),
					Title:       value(l, "T", "title"),
				}
			},
		},
		{
			name: "empty quoted description and title",
			line: `//mcp:prompt description="" title=""`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Description: value(l, "", "description"),
					Title:       value(l, "", "title"),
				}
			},
		},
		{
			name: "columns count bytes after multi-byte text",
			line: `//mcp:tool description="héllo wörld" name=x`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Name:        Value{Text: "x", Pos: Pos{Filename: "x.go", Line: 3, Column: 40}, Set: true},
					Description: value(l, "héllo wörld", "description"),
				}
			},
		},
		{
			name: "name with every allowed character",
			line: `//mcp:tool name=My-tool.v2_x`,
			want: func(l string) Line {
				return &Directive{Kind: KindTool, Pos: base, Name: value(l, "My-tool.v2_x", "name")}
			},
		},
		{
			name: "quoted name",
			line: `//mcp:prompt name="greet"`,
			want: func(l string) Line {
				return &Directive{Kind: KindPrompt, Pos: base, Name: value(l, "greet", "name")}
			},
		},
		{
			name: "checks in order, nested calls, selectors and literals with commas",
			line: `//mcp:tool auth=check(minLevel(5)),scopes(a,b),check(policy.IsOwner),check(f("a, b)"))`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						checkTerm(l, "check(minLevel", word(l, "minLevel(5)", "minLevel")),
						scopesTerm(l, "scopes(", word(l, "a", "(|a,"), word(l, "b", ",|b)")),
						checkTerm(l, "check(policy", word(l, "policy.IsOwner", "policy")),
						checkTerm(l, "check(f", word(l, `f("a, b)")`, "f(")),
					}},
				}
			},
		},
		{
			name: "blanks inside the parentheses of a bare auth value",
			line: `//mcp:tool auth=scopes(a, b),check( a || b ),check(func(ac runtime.AuthContext) bool { return ac.Token != nil }) name=x`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Name: value(l, "x", "name"),
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "a", "(|a,"), word(l, "b", " |b)")),
						checkTerm(l, "check( a", word(l, "a || b", "check( |a")),
						checkTerm(l, "check(func", word(l, "func(ac runtime.AuthContext) bool { return ac.Token != nil }", "func(")),
					}},
				}
			},
		},
		{
			name: "rune and raw string literals inside check",
			line: "//mcp:tool auth=check(sep(')')),check(re(`[)(] x`))",
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						checkTerm(l, "check(sep", word(l, "sep(')')", "sep(")),
						checkTerm(l, "check(re", word(l, "re(`[)(] x`)", "re(")),
					}},
				}
			},
		},
		{
			name: "composite literals and index expressions inside check",
			line: `//mcp:tool auth=check(anyOf([]string{"a", "b"}[0:1]...))`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						checkTerm(l, "check(", word(l, `anyOf([]string{"a", "b"}[0:1]...)`, "anyOf")),
					}},
				}
			},
		},
		{
			name: "quoted auth value: blanks between terms, positions inside the literal",
			line: `//mcp:tool auth="scopes(read, write), check( ownsRecord )"`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "read", "read"), word(l, "write", "write")),
						checkTerm(l, "check(", word(l, "ownsRecord", "ownsRecord")),
					}},
				}
			},
		},
		{
			name: "escapes in a quoted auth value map to their columns",
			line: `//mcp:tool auth="\x73copes(a),check(f(\"x\"))"`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, `\x73`, word(l, "a", "(|a")),
						checkTerm(l, "check(", word(l, `f("x")`, "f(")),
					}},
				}
			},
		},
		{
			name: "raw string auth value",
			line: "//mcp:prompt auth=`scopes(a, b)`",
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "a", "(|a"), word(l, "b", " |b")),
					}},
				}
			},
		},
		{
			name: "raw string scopes split on commas only",
			line: "//mcp:prompt auth=`scopes(a,b)`",
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "a", "(|a"), word(l, "b", ",|b")),
					}},
				}
			},
		},
		{
			name: "public",
			line: `//mcp:resource uri=config://app auth=public`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					URI:  value(l, "config://app", "uri"),
					Auth: &Auth{Pos: at(l, "auth="), Public: true},
				}
			},
		},
		{
			name: "scopes with URL and colon characters",
			line: `//mcp:tool auth=scopes(repo:read,https://www.googleapis.com/auth/drive,a=b)`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(",
							word(l, "repo:read", "repo:read"),
							word(l, "https://www.googleapis.com/auth/drive", "https"),
							word(l, "a=b", "a=b")),
					}},
				}
			},
		},
		{
			name: "quoted tags with blanks around them",
			line: `//mcp:prompt tags=" ab , c"`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindPrompt, Pos: base,
					Tags: []Word{word(l, "ab", "ab"), word(l, "c", ", |c")},
				}
			},
		},
		{
			name: "uri template with every operator and modifier",
			line: `//mcp:resource uri=files://{+path}/{id}{?version,format}{#frag}{/seg*}{;p:3}{.ext}{&q}{x.y}{%41b} name=files`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					Name: value(l, "files", "name"),
					URI:  value(l, "files://{+path}/{id}{?version,format}{#frag}{/seg*}{;p:3}{.ext}{&q}{x.y}{%41b}", "uri"),
					URIVars: []Word{
						word(l, "path", "path"),
						word(l, "id", "{|id"),
						word(l, "version", "version"),
						word(l, "format", "format"),
						word(l, "frag", "frag"),
						word(l, "seg", "seg"),
						word(l, "p", "{;|p"),
						word(l, "ext", "ext"),
						word(l, "q", "{&|q"),
						word(l, "x.y", "x.y"),
						word(l, "%41b", "%41b"),
					},
				}
			},
		},
		{
			name: "quoted uri template",
			line: `//mcp:resource uri="db://{table}/{id}"`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					URI:     value(l, "db://{table}/{id}", "uri"),
					URIVars: []Word{word(l, "table", "table"), word(l, "id", "{|id")},
				}
			},
		},
		{
			name: "resource with every key",
			line: `//mcp:resource name=profile uri=users://{id} mime="application/json; charset=utf-8" title=Profile description="A user's profile." auth=scopes(read) tags=users`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					Name:        value(l, "profile", "name"),
					URI:         value(l, "users://{id}", "uri"),
					MIME:        value(l, "application/json; charset=utf-8", "mime"),
					Title:       value(l, "Profile", "title"),
					Description: value(l, "A user's profile.", "description"),
					Auth: &Auth{Pos: at(l, "auth="), Terms: []AuthTerm{
						scopesTerm(l, "scopes(", word(l, "read", "read")),
					}},
					Tags:    []Word{word(l, "users", "tags=|users")},
					URIVars: []Word{word(l, "id", "id")},
				}
			},
		},
		{
			name: "tabs between terms",
			line: "//mcp:tool\tname=t\t\treadonly",
			want: func(l string) Line {
				return &Directive{
					Kind: KindTool, Pos: base,
					Name:     value(l, "t", "name"),
					ReadOnly: Flag{Set: true, Pos: at(l, "readonly")},
				}
			},
		},
		{
			name: "a double slash inside a value is not a comment",
			line: `//mcp:resource uri=http://example.com/x description=//x // comment`,
			want: func(l string) Line {
				return &Directive{
					Kind: KindResource, Pos: base,
					URI:         value(l, "http://example.com/x", "uri"),
					Description: value(l, "//x", "description"),
				}
			},
		},
		{
			name: "scopes line",
			line: `//mcp:scopes read write admin repo:read`,
			want: func(l string) Line {
				return &Scopes{Pos: base, Words: []Word{
					word(l, "read", " |read "),
					word(l, "write", "write"),
					word(l, "admin", "admin"),
					word(l, "repo:read", "repo:read"),
				}}
			},
		},
		{
			name: "scopes line with tabs and a trailing comment",
			line: "//mcp:scopes\tread\twrite // the vocabulary",
			want: func(l string) Line {
				return &Scopes{Pos: base, Words: []Word{word(l, "read", "read"), word(l, "write", "write")}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := Parse(tt.line, base)
			if len(errs) > 0 {
				t.Fatalf("Parse(%q): unexpected errors:\n%v", tt.line, errs)
			}
			if diff := cmp.Diff(tt.want(tt.line), got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

func TestParsePositionsFollowBase(t *testing.T) {
	// A directive written after a tab, as in an indented comment.
	got, errs := Parse(`//mcp:tool name=x auth=scopes(a)`, Pos{Filename: "dir/f.go", Line: 40, Column: 2})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := func(col int) Pos { return Pos{Filename: "dir/f.go", Line: 40, Column: col} }
	want := &Directive{
		Kind: KindTool, Pos: p(2),
		Name: Value{Text: "x", Pos: p(13), Set: true},
		Auth: &Auth{Pos: p(20), Terms: []AuthTerm{
			{Kind: TermScopes, Pos: p(25), Scopes: []Word{{Text: "a", Pos: p(32)}}},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}

	_, errs = Parse(`//mcp:tool nmae=x`, Pos{Line: 7, Column: 9})
	if want := `7:20: unknown key "nmae"; did you mean "name"?`; errorLines(errs) != want {
		t.Errorf("without a file name: got %q, want %q", errorLines(errs), want)
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`//mcp:tool`, `//mcp:tool`},
		{`//mcp:tool destructive tags=b,a auth=scopes(x) name=n`, `//mcp:tool name=n auth=scopes(x) tags=b,a destructive`},
		{`//mcp:tool openworld idempotent destructive`, `//mcp:tool destructive idempotent openworld`},
		{`//mcp:resource auth=public uri=a://b mime=text/plain // c`, `//mcp:resource uri=a://b mime=text/plain auth=public`},
		{`//mcp:prompt description="a b" title=` + "`t`", `//mcp:prompt title=t description="a b"`},
		{`//mcp:prompt description="" title="\"x"`, `//mcp:prompt title="\"x" description=""`},
		{`//mcp:tool auth="scopes(a, b), check( f(\"x\") )" tags=" a ,c"`, `//mcp:tool auth=scopes(a,b),check(f("x")) tags=a,c`},
		{`//mcp:tool auth=check(f("a b")),check(g)`, `//mcp:tool auth=check(f("a b")),check(g)`},
		{"//mcp:scopes\ta  b // c", `//mcp:scopes a b`},
		{"//mcp:roles admin  user", `//mcp:roles admin user`},
		{`//mcp:tool auth=scopes(a),any(roles(x,y),check(f("a,b")),any(scopes(b),roles(z)))`, `//mcp:tool auth=scopes(a),any(roles(x,y),check(f("a,b")),any(scopes(b),roles(z)))`},
		{`//mcp:tool auth="any( roles(x) , scopes(a, b) )"`, `//mcp:tool auth=any(roles(x),scopes(a,b))`},
	}
	for _, tt := range tests {
		l, errs := Parse(tt.in, base)
		if len(errs) > 0 {
			t.Errorf("Parse(%q): %v", tt.in, errs)
			continue
		}
		if got := l.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDirective(t *testing.T) {
	for text, want := range map[string]bool{
		"//mcp:tool":           true,
		"//mcp:":               true,
		"//mcp:tools name=x":   true,
		"// mcp:tool":          false,
		"//go:generate x":      false,
		"/*mcp:tool*/":         false,
		"//MCP:tool":           false,
		"":                     false,
		"// DeleteAllData ...": false,
	} {
		if got := IsDirective(text); got != want {
			t.Errorf("IsDirective(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindTool: "tool", KindResource: "resource", KindPrompt: "prompt", 0: "Kind(0)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
	for k, want := range map[TermKind]string{TermScopes: "scopes", TermCheck: "check", 7: "TermKind(7)"} {
		if got := k.String(); got != want {
			t.Errorf("TermKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func TestPosString(t *testing.T) {
	for _, tt := range []struct {
		pos  Pos
		want string
	}{
		{Pos{Filename: "a.go", Line: 3, Column: 7}, "a.go:3:7"},
		{Pos{Filename: "a.go", Line: 3, Column: 0}, "a.go:3"},
		{Pos{Filename: "", Line: 3, Column: 7}, "3:7"},
		{Pos{Filename: "a.go", Line: 0, Column: 0}, "a.go"},
		{Pos{}, "-"},
	} {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
}

// TestDocExamples keeps the package documentation honest.
func TestDocExamples(t *testing.T) {
	for _, line := range []string{
		`//mcp:tool auth=scopes(admin) tags=admin,destructive destructive`,
		`//mcp:tool name=update_record auth=scopes(write),check(ownsRecord) tags=write`,
		`//mcp:resource uri=users://{id}/profile mime=application/json auth=scopes(read)`,
		`//mcp:prompt title="Admin help" auth=check(minLevel(5))`,
		`//mcp:scopes read write admin`,
		`//mcp:resource uri=users://{id}/profile auth=scopes(read) // a resource template`,
		`//mcp:tool auth=check(minLevel(5)),scopes(a,b)`,
		`//mcp:tool auth=check(hasRole("site admin"))`,
		`//mcp:tool auth=check(f(")")) description="Deletes: everything."`,
		`//mcp:resource uri=secret://data`,
		`//mcp:resource uri=files://{+path}{?version,format}`,
		`//mcp:tool auth=check(policy.IsOwner),check(minLevel(5))`,
		`//mcp:tool auth=check(inGroup("a, b)"))`,
		`//mcp:tool auth=public`,
	} {
		if _, errs := Parse(line, base); len(errs) > 0 {
			t.Errorf("Parse(%q): %v", line, errs)
		}
	}

	bare, errs := Parse(`//mcp:tool auth=scopes(read,write),check(ownsRecord) tags=a,b`, base)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	quoted, errs := Parse(`//mcp:tool auth="scopes(read, write), check(ownsRecord)" tags="a, b"`, base)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if diff := cmp.Diff(bare, quoted, cmpopts.IgnoreTypes(Pos{})); diff != "" {
		t.Errorf("bare and quoted forms differ (-bare +quoted):\n%s", diff)
	}
}
