package parity_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
)

// completer completes every argument of any prompt or template on the
// mcp-go backend, as a provider written without authorization in mind
// would; complete is its go-sdk counterpart.
type completer struct{}

func (completer) CompletePromptArgument(_ context.Context, name string, _ mcpgo.CompleteArgument, _ mcpgo.CompleteContext) (*mcpgo.Completion, error) {
	return &mcpgo.Completion{Values: []string{"value of " + name}}, nil
}

func (completer) CompleteResourceArgument(_ context.Context, uri string, _ mcpgo.CompleteArgument, _ mcpgo.CompleteContext) (*mcpgo.Completion, error) {
	return &mcpgo.Completion{Values: []string{"value of " + uri}}, nil
}

func complete(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{"value of " + req.Params.Ref.Name + req.Params.Ref.URI}}}, nil
}

// recorder is a decision hook that keeps what it hears.
type recorder struct {
	mu  sync.Mutex
	got []authz.Decision
}

func (r *recorder) hook(_ context.Context, d authz.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, d)
}

func (r *recorder) take() []authz.Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

// hooked is a setup's server on each backend (in the order of backends),
// with the recorder of its decisions.
type hooked [2]struct {
	url string
	rec *recorder
}

// hookedServers returns a function that serves a setup on both backends,
// once per setup for t, with decision hooks.
func hookedServers(t *testing.T) func(setup) *hooked {
	servers := map[string]*hooked{}
	return func(su setup) *hooked {
		key := fmt.Sprint(su.id, len(su.middleware), su.stepUp)
		if s, ok := servers[key]; ok {
			return s
		}
		s := new(hooked)
		for i, b := range backends {
			s[i].rec = new(recorder)
			su := su
			su.hook = s[i].rec.hook
			ts := httptest.NewServer(b.build(su))
			t.Cleanup(ts.Close)
			s[i].url = ts.URL
		}
		servers[key] = s
		return s
	}
}

// withNoted has middleware that decides as a policy engine would and
// notes the ids of the policies that decided (authz.PolicyNotes): every
// resource template is denied, by policies naming it; everything else is
// permitted by "allow-rest".
var withNoted = setup{id: "noted", calls: true, middleware: []authz.Middleware{authz.AuthMiddleware(authz.AuthCheck(
	func(ctx context.Context, ac authz.AuthContext) (bool, error) {
		if ac.Component.Kind == authz.KindResourceTemplate {
			authz.PolicyNotesFrom(ctx).Note("deny-template", "template:"+ac.Component.URI)
			return false, nil
		}
		authz.PolicyNotesFrom(ctx).Note("allow-rest")
		return true, nil
	})).Named("noter")}}

// withNotedThenRestricted adds, after withNoted's middleware, one that
// restricts components tagged admin to the admin scope: a request the
// first permits (noting "allow-rest") and the second denies names no
// policies, since none decided the denial.
var withNotedThenRestricted = setup{id: "noted-restricted", calls: true, middleware: append(slices.Clone(withNoted.middleware), restrictAdmin)}

// TestParityDecisions sends the same requests to both backends and
// compares the decisions their hooks hear: one per request that targets
// a component (none for a target that does not exist), one per list with
// the counts of the whole catalog, whichever page is asked for. Both must
// also match want, the decisions as Decision.String writes them. Time,
// Duration and the session's ID differ between servers; each decision of
// a session carries its ID on both.
func TestParityDecisions(t *testing.T) {
	const (
		mcpgoBackend = 0
		gosdkBackend = 1
	)
	paged := setup{id: "paged", pageSize: 2}
	const nextPage = "<next>" // the cursor of the first page's answer
	completion := func(typ, key, value string) map[string]any {
		return map[string]any{"ref": map[string]any{"type": typ, key: value}, "argument": map[string]any{"name": "id", "value": ""}}
	}
	name := func(n string) map[string]any { return map[string]any{"name": n} }
	uri := func(u string) map[string]any { return map[string]any{"uri": u} }
	cases := []struct {
		name   string
		setup  setup
		token  string
		method string
		params map[string]any
		want   []string
	}{
		{"tools/list", setup{}, "reader", "tools/list", nil, []string{"tools/list client=reader: allowed, 4 visible, 3 hidden"}},
		{"tools/list without scopes", setup{}, "nobody", "tools/list", nil, []string{"tools/list client=nobody: allowed, 3 visible, 4 hidden"}},
		{"prompts/list", setup{}, "reader", "prompts/list", nil, []string{"prompts/list client=reader: allowed, 2 visible, 1 hidden"}},
		{"resources/list", setup{}, "reader", "resources/list", nil, []string{"resources/list client=reader: allowed, 2 visible, 1 hidden"}},
		{"templates/list", setup{}, "reader", "resources/templates/list", nil, []string{"resources/templates/list client=reader: allowed, 2 visible, 1 hidden"}},
		{"tools/list paged", paged, "reader", "tools/list", nil, []string{"tools/list client=reader: allowed, 4 visible, 3 hidden"}},
		{"tools/list second page", paged, "reader", "tools/list", map[string]any{"cursor": nextPage}, []string{"tools/list client=reader: allowed, 4 visible, 3 hidden"}},
		{"tools/list invalid cursor", paged, "reader", "tools/list", map[string]any{"cursor": "bad"}, []string{"tools/list client=reader: allowed, 4 visible, 3 hidden"}},
		{"tools/list middleware", withMW, "writer", "tools/list", nil, []string{"tools/list client=writer: allowed, 3 visible, 4 hidden"}},

		{"call allowed", setup{}, "reader", "tools/call", name("read_tool"), []string{`tools/call tool "read_tool" client=reader: allowed`}},
		{"call hidden", setup{}, "reader", "tools/call", name("write_tool"), []string{`tools/call tool "write_tool" client=reader: denied by component scopes(write)`}},
		{"call custom check", setup{}, "reader", "tools/call", name("owned"), []string{`tools/call tool "owned" client=reader: denied by component check #1`}},
		{"call missing", setup{}, "reader", "tools/call", name("absent_tool"), nil},
		{"call middleware", withMW, "writer", "tools/call", name("tagged_tool"), []string{`tools/call tool "tagged_tool" client=writer: denied by middleware[0] restrict_tag(admin: admin)`}},
		{"call middleware message", withMW, "writer", "tools/call", name("invoice"), []string{`tools/call tool "invoice" client=writer: denied by middleware[1] check #1`}},
		{"prompt allowed", setup{}, "reader", "prompts/get", name("public_prompt"), []string{`prompts/get prompt "public_prompt" client=reader: allowed`}},
		{"prompt hidden", setup{}, "reader", "prompts/get", name("admin_prompt"), []string{`prompts/get prompt "admin_prompt" client=reader: denied by component scopes(admin)`}},

		{"read allowed", setup{}, "reader", "resources/read", uri("secret://data"), []string{`resources/read resource "secret://data" client=reader: allowed`}},
		{"read hidden", setup{}, "reader", "resources/read", uri("admin://config"), []string{`resources/read resource "admin://config" client=reader: denied by component scopes(admin)`}},
		{"read without scopes", setup{}, "nobody", "resources/read", uri("secret://data"), []string{`resources/read resource "secret://data" client=nobody: denied by component scopes(read)`}},
		{"read template", setup{}, "reader", "resources/read", uri("users://7/profile"), []string{`resources/read resource template "users://7/profile" client=reader: allowed`}},
		{"read template shadowed", setup{}, "reader", "resources/read", uri("docs://a/b"), []string{`resources/read resource template "docs://a/b" client=reader: allowed`}},
		{"read template hidden", setup{}, "nobody", "resources/read", uri("docs://a/b"), []string{`resources/read resource template "docs://a/b" client=nobody: denied by component scopes(admin)`}},
		{"read missing", setup{}, "reader", "resources/read", uri("absent://x"), nil},
		{"read middleware", withMW, "writer", "resources/read", uri("admin://config"), []string{`resources/read resource "admin://config" client=writer: denied by component scopes(admin)`}},

		{"complete prompt", setup{}, "reader", "completion/complete", completion("ref/prompt", "name", "public_prompt"), []string{`completion/complete prompt "public_prompt" client=reader: allowed`}},
		{"complete hidden prompt", setup{}, "reader", "completion/complete", completion("ref/prompt", "name", "admin_prompt"), []string{`completion/complete prompt "admin_prompt" client=reader: denied by component scopes(admin)`}},
		{"complete template", setup{}, "reader", "completion/complete", completion("ref/resource", "uri", "users://{id}/profile"), []string{`completion/complete resource template "users://{id}/profile" client=reader: allowed`}},
		{"complete hidden template", setup{}, "nobody", "completion/complete", completion("ref/resource", "uri", "users://{id}/profile"), []string{`completion/complete resource template "users://{id}/profile" client=nobody: denied by component scopes(read)`}},
		{"complete middleware", withMW, "writer", "completion/complete", completion("ref/prompt", "name", "admin_prompt"), []string{`completion/complete prompt "admin_prompt" client=writer: denied by component scopes(admin)`}},

		{"subscribe", setup{}, "reader", "resources/subscribe", uri("secret://data"), []string{`resources/subscribe resource "secret://data" client=reader: allowed`}},
		{"subscribe hidden", setup{}, "reader", "resources/subscribe", uri("admin://config"), []string{`resources/subscribe resource "admin://config" client=reader: denied by component scopes(admin)`}},
		{"unsubscribe", setup{}, "reader", "resources/unsubscribe", uri("users://7/profile"), []string{`resources/unsubscribe resource template "users://7/profile" client=reader: allowed`}},
		{"subscribe middleware", withMW, "writer", "resources/subscribe", uri("admin://config"), []string{`resources/subscribe resource "admin://config" client=writer: denied by component scopes(admin)`}},

		{"call check denies tool", withCalls, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "writer"}}, []string{`tools/call tool "note_tool" client=reader: denied by call check(callersOwn)`}},
		{"call check passes tool", withCalls, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "reader"}}, []string{`tools/call tool "note_tool" client=reader: allowed`}},
		{"call check denies template", withCalls, "reader", "resources/read", uri("notes://writer"), []string{`resources/read resource template "notes://writer" client=reader: denied by call check #2`}},
		{"call check denies template, middleware", withCallsMW, "reader", "resources/read", uri("notes://writer"), []string{`resources/read resource template "notes://writer" client=reader: denied by call check #2`}},
		{"call check denies prompt", withCalls, "reader", "prompts/get", map[string]any{"name": "note_prompt", "arguments": map[string]any{"id": "locked"}}, []string{`prompts/get prompt "note_prompt" client=reader: denied by call check #1`}},

		// A Cedar policy set as middleware names the policies that decided:
		// the permits of an allowed request, the forbids of a denial. A
		// list asks about every component and names none.
		{"cedar: tools/list", withCedar, "reader", "tools/list", nil, []string{"tools/list client=reader: allowed, 3 visible, 4 hidden"}},
		{"cedar: call permitted", withCedar, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "read"}}, []string{`tools/call tool "public_tool" client=reader: allowed by policies=all`}},
		{"cedar: call forbidden by context", withCedar, "reader", "tools/call", map[string]any{"name": "public_tool", "arguments": map[string]any{"mode": "delete"}}, []string{`tools/call tool "public_tool" client=reader: denied by middleware[0] cedar policies=no-delete`}},
		{"cedar: call forbidden by tag", withCedar, "reader", "tools/call", name("tagged_tool"), []string{`tools/call tool "tagged_tool" client=reader: denied by middleware[0] cedar policies=admin-tag`}},
		{"cedar: call denied by the component", withCedar, "reader", "tools/call", name("write_tool"), []string{`tools/call tool "write_tool" client=reader: denied by component scopes(write)`}},
		{"cedar: call missing", withCedar, "reader", "tools/call", name("absent_tool"), nil},
		{"cedar: prompt permitted", withCedar, "reader", "prompts/get", name("public_prompt"), []string{`prompts/get prompt "public_prompt" client=reader: allowed by policies=all`}},
		{"cedar: read permitted", withCedar, "reader", "resources/read", uri("secret://data"), []string{`resources/read resource "secret://data" client=reader: allowed by policies=all`}},
		{"cedar: template read permitted", withCedar, "reader", "resources/read", uri("users://7/profile"), []string{`resources/read resource template "users://7/profile" client=reader: allowed by policies=all`}},
		{"cedar: subscribe permitted", withCedar, "reader", "resources/subscribe", uri("secret://data"), []string{`resources/subscribe resource "secret://data" client=reader: allowed by policies=all`}},
		{"cedar: complete permitted", withCedar, "reader", "completion/complete", completion("ref/prompt", "name", "public_prompt"), []string{`completion/complete prompt "public_prompt" client=reader: allowed by policies=all`}},
		// A read tries every matching component: the decision names the
		// policies noted for the one that decided (the first match), not
		// those of a later match.
		{"noted, then a built-in denies: no policies", withNotedThenRestricted, "writer", "tools/call", name("tagged_tool"), []string{`tools/call tool "tagged_tool" client=writer: denied by middleware[1] restrict_tag(admin: admin)`}},
		{"noted, then a built-in passes: the noted policies", withNotedThenRestricted, "admin", "tools/call", name("tagged_tool"), []string{`tools/call tool "tagged_tool" client=admin: allowed by policies=allow-rest`}},
		{"noted: template read denied", withNoted, "admin", "resources/read", uri("docs://a/b"), []string{`resources/read resource template "docs://a/b" client=admin: denied by middleware[0] noter policies=deny-template,template:docs://{a}/b`}},
		{"noted: read permitted", withNoted, "reader", "resources/read", uri("secret://data"), []string{`resources/read resource "secret://data" client=reader: allowed by policies=allow-rest`}},
		{"noted: call denied by a call check", withNoted, "reader", "tools/call", map[string]any{"name": "note_tool", "arguments": map[string]any{"id": "writer"}}, []string{`tools/call tool "note_tool" client=reader: denied by call check(callersOwn)`}},
		{"forbid-docs: read", withForbidDocs, "admin", "resources/read", uri("docs://a/b"), []string{`resources/read resource template "docs://a/b" client=admin: denied by middleware[0] forbid(docs://{a}/b)`}},
		{"forbid-docs: subscribe", withForbidDocs, "admin", "resources/subscribe", uri("docs://a/b"), []string{`resources/subscribe resource template "docs://a/b" client=admin: denied by middleware[0] forbid(docs://{a}/b)`}},
		// A match its own checks passed over leaves no policy ids behind.
		{"noting: read served by a later match", withNoting, "reader", "resources/read", uri("noted://a/x"), []string{`resources/read resource template "noted://a/x" client=reader: allowed`}},
		{"noting: subscribe served by a later match", withNoting, "reader", "resources/subscribe", uri("noted://a/x"), []string{`resources/subscribe resource template "noted://a/x" client=reader: allowed`}},
		{"forbid-docs: read by a caller the template hides from", withForbidDocs, "reader", "resources/read", uri("docs://a/b"), []string{`resources/read resource template "docs://a/b" client=reader: allowed`}},
	}
	serve := hookedServers(t)
	ignore := cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got [2][]authz.Decision
			for i, s := range serve(c.setup) {
				sess := mcpwire.Connect(t, s.url, c.token)
				params := c.params
				if params["cursor"] == nextPage {
					var first struct {
						Result struct {
							NextCursor string `json:"nextCursor"`
						} `json:"result"`
					}
					if err := json.Unmarshal(sess.Call(c.method, nil), &first); err != nil || first.Result.NextCursor == "" {
						t.Fatalf("%s: no second page (%v)", backends[i].name, err)
					}
					params = map[string]any{"cursor": first.Result.NextCursor}
				}
				s.rec.take()
				sess.Call(c.method, params)
				got[i] = s.rec.take()
				for _, d := range got[i] {
					if d.SessionID != sess.ID {
						t.Errorf("%s: session %q, want %q", backends[i].name, d.SessionID, sess.ID)
					}
				}
			}
			if diff := cmp.Diff(got[mcpgoBackend], got[gosdkBackend], ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%s", diff)
			}
			var strs []string
			for _, d := range got[gosdkBackend] {
				strs = append(strs, d.String())
			}
			if diff := cmp.Diff(c.want, strs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decisions (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParityDecisionsHTTP: a request the HTTP layer refuses is one
// decision with its status on both backends, naming the session the
// request named.
func TestParityDecisionsHTTP(t *testing.T) {
	serve := hookedServers(t)
	stepUp := setup{id: "stepup", stepUp: true}
	cases := []struct {
		name  string
		setup setup
		// send sends the request to url, once a session of reader is
		// open there.
		send func(t *testing.T, url string, reader *mcpwire.Session)
		want string
	}{
		{"no token", setup{}, func(t *testing.T, url string, _ *mcpwire.Session) {
			post(t, url, "", "", `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, http.StatusUnauthorized)
		}, "HTTP 401: denied by http bearer(missing)"},
		{"invalid token", setup{}, func(t *testing.T, url string, reader *mcpwire.Session) {
			post(t, url, "Bearer forged", reader.ID, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, http.StatusUnauthorized)
		}, "HTTP 401: denied by http bearer(invalid)"},
		{"another's session", setup{}, func(t *testing.T, url string, reader *mcpwire.Session) {
			post(t, url, "Bearer writer", reader.ID, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, http.StatusNotFound)
		}, "tools/list client=writer: denied by http session(principal), 0 visible, 0 hidden (HTTP 404)"},
		{"step-up", stepUp, func(t *testing.T, url string, reader *mcpwire.Session) {
			post(t, url, "Bearer reader", reader.ID, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"write_tool"}}`, http.StatusForbidden)
		}, `tools/call tool "write_tool" client=reader: denied by component scopes(write) (HTTP 403)`},
	}
	ignore := cmpopts.IgnoreFields(authz.Decision{}, "Time", "Duration", "SessionID")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got [2][]authz.Decision
			for i, s := range serve(c.setup) {
				reader := mcpwire.Connect(t, s.url, "reader")
				s.rec.take()
				c.send(t, s.url, reader)
				got[i] = s.rec.take()
				for _, d := range got[i] {
					if d.SessionID != reader.ID && c.name != "no token" {
						t.Errorf("%s: session %q, want %q", backends[i].name, d.SessionID, reader.ID)
					}
				}
			}
			if diff := cmp.Diff(got[0], got[1], ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decisions (-mcp-go +go-sdk):\n%s", diff)
			}
			if len(got[1]) != 1 || got[1][0].String() != c.want {
				t.Errorf("decisions %v, want [%s]", got[1], c.want)
			}
		})
	}
}

// post sends body to url with the authorization and session headers
// given ("" for none) and expects status.
func post(t *testing.T, url, authorization, session, body string, status int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", mcpwire.ProtocolVersion)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != status {
		t.Errorf("status %d, want %d", resp.StatusCode, status)
	}
}
