package cedarauth_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcptest"
	"github.com/mcpauthgen/mcpauthgen/runtime"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
)

const testPolicies = `
@id("write")
permit (principal, action == Action::"tool:create_note", resource)
when { principal.scopes.contains("notes:write") };

@id("delete-own")
permit (principal, action == Action::"tool:delete_note", resource)
when { principal.hasTag(context.id) && principal.getTag(context.id) == "owner" };

@id("read")
permit (principal, action in [Action::"read_resource", Action::"get_prompt"], resource)
when { principal.scopes.contains("notes:read") };

@id("admin")
permit (principal, action, resource)
when { resource.tags.contains("admin") && principal in Group::"admins" };

@id("suspended")
forbid (principal, action, resource)
when { principal.hasTag("suspended") && principal.getTag("suspended") == "true" };

@id("big-notes")
forbid (principal, action == Action::"tool:create_note", resource)
when { context has size && context.size > 1000 };
`

func ok(text string) func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	return func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(text), nil
	}
}

// newServer returns a server under the test policies, with the entities
// store and options given.
func newServer(t *testing.T, opts ...cedarauth.Option) *runtime.Server {
	t.Helper()
	return newServerWith(t, nil, opts...)
}

// newServerWith is newServer with server options too.
func newServerWith(t *testing.T, srvOpts []runtime.Option, opts ...cedarauth.Option) *runtime.Server {
	t.Helper()
	set, err := cedarauth.ParsePolicies("test.cedar", []byte(testPolicies))
	if err != nil {
		t.Fatal(err)
	}
	store := types.EntityMap{
		types.NewEntityUID("Principal", "alice"): {
			UID:  types.NewEntityUID("Principal", "alice"),
			Tags: types.NewRecord(types.RecordMap{"n1": types.String("owner")}),
		},
		types.NewEntityUID("Principal", "root"): {
			UID:     types.NewEntityUID("Principal", "root"),
			Parents: types.NewEntityUIDSet(types.NewEntityUID("Group", "admins")),
		},
	}
	az := cedarauth.New(set, append([]cedarauth.Option{cedarauth.WithEntities(store)}, opts...)...)
	s := runtime.NewServer("notes", "1", append(srvOpts, runtime.WithMiddleware(az.Middleware()))...)
	s.AddTool(mcp.NewTool("create_note"), ok("created"))
	s.AddTool(mcp.NewTool("delete_note"), ok("deleted"))
	s.AddTool(mcp.NewTool("reset"), ok("reset"), runtime.WithTags("admin"))
	s.AddTool(mcp.NewTool("unused"), ok("never"))
	s.AddResourceTemplate(mcp.NewResourceTemplate("notes://{id}", "note"),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "a note"}}, nil
		})
	s.AddPrompt(mcp.NewPrompt("summary"), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("sum"))}), nil
	})
	return s
}

func token(sub string, claims map[string]any, scopes ...string) *runtime.AccessToken {
	c := map[string]any{"sub": sub}
	for k, v := range claims {
		c[k] = v
	}
	return &runtime.AccessToken{Token: sub + "-token", ClientID: "app", Scopes: scopes, Claims: c}
}

var (
	alice     = token("alice", nil, "notes:write", "notes:read")
	bob       = token("bob", nil, "notes:read")
	root      = token("root", nil)
	suspended = token("alice", map[string]any{"suspended": true}, "notes:write", "notes:read")
)

// TestLists: a component is listed when some context could permit it for
// the principal; forbids that hold in every context hide it.
func TestLists(t *testing.T) {
	c := mcptest.Connect(t, newServer(t))
	type seen struct{ Tools, Templates, Prompts []string }
	for _, tc := range []struct {
		name string
		tok  *runtime.AccessToken
		want seen
	}{
		// delete_note is listed for everyone: some id could be theirs.
		{"alice", alice, seen{[]string{"create_note", "delete_note"}, []string{"notes://{id}"}, []string{"summary"}}},
		{"bob", bob, seen{[]string{"delete_note"}, []string{"notes://{id}"}, []string{"summary"}}},
		{"root", root, seen{[]string{"delete_note", "reset"}, []string{}, []string{}}},
		{"suspended", suspended, seen{[]string{}, []string{}, []string{}}},
		{"no token", nil, seen{[]string{"delete_note"}, []string{}, []string{}}},
	} {
		tools, _, templates, prompts := c.Visible(tc.tok)
		if diff := cmp.Diff(tc.want, seen{tools, templates, prompts}); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestCalls: calls are decided with their arguments as context; forbid
// wins; no permit means deny; a denial is the middleware's explicit
// message.
func TestCalls(t *testing.T) {
	c := mcptest.Connect(t, newServer(t))
	denied := func(tool string) string {
		return "Authorization failed for tool '" + tool + "': insufficient permissions"
	}
	for _, tc := range []struct {
		name string
		tok  *runtime.AccessToken
		tool string
		args map[string]any
		want string
	}{
		{"write", alice, "create_note", map[string]any{"title": "t", "size": 10}, "created"},
		{"write, no arguments", alice, "create_note", nil, "created"},
		{"forbid on an argument", alice, "create_note", map[string]any{"size": 1001}, denied("create_note")},
		{"no permit", bob, "create_note", map[string]any{"size": 10}, denied("create_note")},
		{"owner", alice, "delete_note", map[string]any{"id": "n1"}, "deleted"},
		{"not the owner", alice, "delete_note", map[string]any{"id": "n2"}, denied("delete_note")},
		{"not the owner either", bob, "delete_note", map[string]any{"id": "n1"}, denied("delete_note")},
		// Listed, but without an id no policy permits the call.
		{"no id", alice, "delete_note", nil, denied("delete_note")},
		{"id of the wrong type", alice, "delete_note", map[string]any{"id": 1}, denied("delete_note")},
		{"group member", root, "reset", nil, "reset"},
		{"not in the group", alice, "reset", nil, denied("reset")},
		{"forbid wins", suspended, "delete_note", map[string]any{"id": "n1"}, denied("delete_note")},
		{"no policy names it", root, "unused", nil, denied("unused")},
		{"no token", nil, "delete_note", map[string]any{"id": "n1"}, denied("delete_note")},
	} {
		text, _, err := c.Call(tc.tok, tc.tool, tc.args)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if text != tc.want {
			t.Errorf("%s: %s answered %q, want %q", tc.name, tc.tool, text, tc.want)
		}
	}
	if _, err := c.Read(bob, "notes://n7"); err != nil {
		t.Errorf("bob reads a note: %v", err)
	}
	if _, err := c.Read(root, "notes://n7"); !mcptest.ErrorContains(err, "Authorization failed for resource 'notes://n7': insufficient permissions") {
		t.Errorf("root reads a note: %v", err)
	}
	if _, err := c.Prompt(suspended, "summary", nil); !mcptest.ErrorContains(err, "Authorization failed for prompt 'summary': insufficient permissions") {
		t.Errorf("suspended gets the prompt: %v", err)
	}
}

// TestEntitiesAreLive: the server's entities are read on every decision,
// even for the same token object.
func TestEntitiesAreLive(t *testing.T) {
	set, err := cedarauth.ParsePolicies("test.cedar", []byte(testPolicies))
	if err != nil {
		t.Fatal(err)
	}
	store := &liveStore{m: types.EntityMap{}}
	s := runtime.NewServer("notes", "1", runtime.WithMiddleware(cedarauth.New(set, cedarauth.WithEntities(store)).Middleware()))
	s.AddTool(mcp.NewTool("delete_note"), ok("deleted"))
	c := mcptest.Connect(t, s)
	call := func() string {
		text, _, err := c.Call(alice, "delete_note", map[string]any{"id": "n9"})
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	if got := call(); got != "Authorization failed for tool 'delete_note': insufficient permissions" {
		t.Errorf("before alice owns n9: %q", got)
	}
	uid := types.NewEntityUID("Principal", "alice")
	store.set(types.Entity{UID: uid, Tags: types.NewRecord(types.RecordMap{"n9": types.String("owner")})})
	if got := call(); got != "deleted" {
		t.Errorf("after alice owns n9: %q", got)
	}
}

type liveStore struct {
	mu sync.Mutex
	m  types.EntityMap
}

func (s *liveStore) set(e types.Entity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[e.UID] = e
}

func (s *liveStore) Get(uid types.EntityUID) (types.Entity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[uid]
	return e, ok
}

// TestMonitor: monitor mode decides and reports, and denies nothing.
func TestMonitor(t *testing.T) {
	var mu sync.Mutex
	var got []string
	hook := func(_ context.Context, d cedarauth.Decision) {
		mu.Lock()
		defer mu.Unlock()
		if d.Enforced {
			t.Errorf("monitor mode reports an enforced decision: %+v", d)
		}
		what := "call"
		if d.Listing {
			what = "list"
		}
		got = append(got, strings.Join([]string{what, d.Name, d.Principal.String(), allowedWord(d.Allowed), strings.Join(d.Policies, "+")}, " "))
	}
	var logs bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	c := mcptest.Connect(t, newServer(t, cedarauth.Monitor(), cedarauth.OnDecision(hook)))
	if diff := cmp.Diff([]string{"create_note", "delete_note", "reset", "unused"}, c.Tools(suspended)); diff != "" {
		t.Errorf("monitor mode hides tools (-want +got):\n%s", diff)
	}
	if text, _, err := c.Call(suspended, "create_note", map[string]any{"size": 5000}); err != nil || text != "created" {
		t.Errorf("monitor mode: create_note answered %q, %v", text, err)
	}
	slices.Sort(got)
	want := []string{
		`call create_note Principal::"alice" deny big-notes+suspended`,
		`list create_note Principal::"alice" deny suspended`,
		`list delete_note Principal::"alice" deny suspended`,
		`list note Principal::"alice" deny suspended`,
		`list reset Principal::"alice" deny suspended`,
		`list summary Principal::"alice" deny suspended`,
		`list unused Principal::"alice" deny suspended`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}
	// Each denial it let through is logged: a call's at Info, a list's
	// at Debug.
	const msg = `msg="cedarauth: monitor mode: the policies deny; let through"`
	if n := strings.Count(logs.String(), "level=INFO "+msg); n != 1 {
		t.Errorf("%d call denials logged at Info, want 1:\n%s", n, logs.String())
	}
	if n := strings.Count(logs.String(), "level=DEBUG "+msg); n != len(want)-1 {
		t.Errorf("%d list denials logged at Debug, want %d:\n%s", n, len(want)-1, logs.String())
	}
}

func allowedWord(b bool) string {
	if b {
		return "allow"
	}
	return "deny"
}

// TestDecisionsName the policies that decided.
func TestDecisionsNamePolicies(t *testing.T) {
	var got []cedarauth.Decision
	c := mcptest.Connect(t, newServer(t, cedarauth.OnDecision(func(_ context.Context, d cedarauth.Decision) { got = append(got, d) })))
	if text, _, err := c.Call(alice, "delete_note", map[string]any{"id": "n1"}); err != nil || text != "deleted" {
		t.Fatalf("delete_note: %q %v", text, err)
	}
	if len(got) != 1 {
		t.Fatalf("one call gave %d decisions", len(got))
	}
	d := got[0]
	if d.Listing || !d.Allowed || !d.Enforced || d.Action.String() != `Action::"tool:delete_note"` || !slices.Equal(d.Policies, []string{"delete-own"}) {
		t.Errorf("decision: %+v", d)
	}
}

// TestListsReadLiveEntities: a policy whose conditions read the server's
// entities is evaluated on every list, so a change in the store shows at
// once.
func TestListsReadLiveEntities(t *testing.T) {
	set, err := cedarauth.ParsePolicies("flags.cedar", []byte(`
permit (principal, action, resource) when { Flags::"tools".open };
forbid (principal, action, resource) when { Flags::"tools".frozen };
`))
	if err != nil {
		t.Fatal(err)
	}
	flags := func(open, frozen bool) types.Entity {
		return types.Entity{UID: types.NewEntityUID("Flags", "tools"), Attributes: types.NewRecord(types.RecordMap{
			"open": types.Boolean(open), "frozen": types.Boolean(frozen),
		})}
	}
	store := &liveStore{m: types.EntityMap{}}
	s := runtime.NewServer("flags", "1", runtime.WithMiddleware(cedarauth.New(set, cedarauth.WithEntities(store)).Middleware()))
	s.AddTool(mcp.NewTool("t"), ok("t"))
	c := mcptest.Connect(t, s)
	for _, tc := range []struct {
		open, frozen bool
		want         []string
	}{
		{true, false, []string{"t"}},
		{false, false, []string{}},
		{true, true, []string{}},
		{true, false, []string{"t"}},
	} {
		store.set(flags(tc.open, tc.frozen))
		if diff := cmp.Diff(tc.want, c.Tools(alice)); diff != "" {
			t.Errorf("open=%v frozen=%v (-want +got):\n%s", tc.open, tc.frozen, diff)
		}
	}
}

// TestListsKeepThePrincipalsPart: a permit whose condition reads both the
// context and the principal lists its component only for principals it
// could permit, whatever the order of the two parts.
func TestListsKeepThePrincipalsPart(t *testing.T) {
	set, err := cedarauth.ParsePolicies("pay.cedar", []byte(`
permit (principal, action == Action::"tool:pay", resource)
when { context has amount && context.amount < 100 && principal.scopes.contains("pay") };
permit (principal, action == Action::"tool:refund", resource)
when { principal.scopes.contains("refund") || context has test };
forbid (principal, action, resource)
when { context has amount && context.amount > 1000 || principal.hasTag("frozen") };
`))
	if err != nil {
		t.Fatal(err)
	}
	s := runtime.NewServer("pay", "1", runtime.WithMiddleware(cedarauth.New(set).Middleware()))
	s.AddTool(mcp.NewTool("pay"), ok("paid"))
	s.AddTool(mcp.NewTool("refund"), ok("refunded"))
	c := mcptest.Connect(t, s)
	for _, tc := range []struct {
		name string
		tok  *runtime.AccessToken
		want []string
	}{
		{"payer", token("p", nil, "pay"), []string{"pay", "refund"}},
		{"no scope", token("n", nil), []string{"refund"}},
		{"frozen payer", token("f", map[string]any{"frozen": "yes"}, "pay"), []string{}},
	} {
		if diff := cmp.Diff(tc.want, c.Tools(tc.tok)); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.name, diff)
		}
	}
	payer := token("p", nil, "pay")
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"amount": 50}, "paid"},
		{map[string]any{"amount": 500}, "Authorization failed for tool 'pay': insufficient permissions"},
		{nil, "Authorization failed for tool 'pay': insufficient permissions"},
	} {
		if text, _, err := c.Call(payer, "pay", tc.args); err != nil || text != tc.want {
			t.Errorf("pay %v: %q %v, want %q", tc.args, text, err, tc.want)
		}
	}
}

// TestTemplateVariables: a read of a resource template is decided with the
// variables the URI binds as context.
func TestTemplateVariables(t *testing.T) {
	set, err := cedarauth.ParsePolicies("docs.cedar", []byte(`
permit (principal, action == Action::"resource:docs://{id}", resource) when { context.id == "public" };
permit (principal, action == Action::"prompt:ask", resource) when { context has topic && context.topic == "weather" };
`))
	if err != nil {
		t.Fatal(err)
	}
	s := runtime.NewServer("docs", "1", runtime.WithMiddleware(cedarauth.New(set).Middleware()))
	s.AddResourceTemplate(mcp.NewResourceTemplate("docs://{id}", "doc"),
		func(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, Text: "doc"}}, nil
		})
	s.AddPrompt(mcp.NewPrompt("ask", mcp.WithArgument("topic")), func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		return mcp.NewGetPromptResult("", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("ask"))}), nil
	})
	c := mcptest.Connect(t, s)
	if _, err := c.Read(bob, "docs://public"); err != nil {
		t.Errorf("docs://public: %v", err)
	}
	if _, err := c.Read(bob, "docs://secret"); !mcptest.ErrorContains(err, "Authorization failed for resource 'docs://secret': insufficient permissions") {
		t.Errorf("docs://secret: %v", err)
	}
	if _, err := c.Prompt(bob, "ask", map[string]string{"topic": "weather"}); err != nil {
		t.Errorf("ask about the weather: %v", err)
	}
	if _, err := c.Prompt(bob, "ask", map[string]string{"topic": "secrets"}); !mcptest.ErrorContains(err, "Authorization failed for prompt 'ask': insufficient permissions") {
		t.Errorf("ask about secrets: %v", err)
	}
}

func TestScopes(t *testing.T) {
	set, err := cedarauth.ParsePolicies("s.cedar", []byte(`
permit (principal, action, resource) when { principal.scopes.contains("b") };
permit (principal, action, resource) when { principal.scopes.containsAll(["c", "a"]) || principal.scopes.containsAny(["b", "d"]) };
permit (principal, action, resource) when { resource.tags.contains("not-a-scope") && context has x };
`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, cedarauth.New(set).Scopes()); diff != "" {
		t.Errorf("Scopes (-want +got):\n%s", diff)
	}
}

// TestServerDecisionsNamePolicies: the server's decisions (runtime.Decision)
// name the Cedar middleware "cedar" and the policies that decided: the
// forbid that denied, the permit that allowed; a denial because nothing
// permits names none; a list names none.
func TestServerDecisionsNamePolicies(t *testing.T) {
	var got []runtime.Decision
	hook := func(_ context.Context, d runtime.Decision) { got = append(got, d) }
	c := mcptest.Connect(t, newServerWith(t, []runtime.Option{runtime.WithDecisionHook(hook)}))
	for _, tc := range []struct {
		name    string
		tok     *runtime.AccessToken
		tool    string
		args    map[string]any
		allowed bool
		rule    runtime.Rule
	}{
		{"permit", alice, "delete_note", map[string]any{"id": "n1"}, true, runtime.Rule{Policies: []string{"delete-own"}}},
		{"forbid", suspended, "delete_note", map[string]any{"id": "n1"}, false,
			runtime.Rule{Layer: runtime.LayerMiddleware, Text: "cedar", Policies: []string{"suspended"}}},
		{"forbid on an argument", alice, "create_note", map[string]any{"size": 1001}, false,
			runtime.Rule{Layer: runtime.LayerMiddleware, Text: "cedar", Policies: []string{"big-notes"}}},
		{"no permit", bob, "create_note", nil, false, runtime.Rule{Layer: runtime.LayerMiddleware, Text: "cedar"}},
	} {
		got = nil
		c.Call(tc.tok, tc.tool, tc.args)
		if len(got) != 1 {
			t.Errorf("%s: %d decisions, want 1", tc.name, len(got))
			continue
		}
		if got[0].Allowed != tc.allowed || !cmp.Equal(got[0].Rule, tc.rule, cmpopts.EquateEmpty()) {
			t.Errorf("%s: allowed %v, rule %+v; want %v, %+v", tc.name, got[0].Allowed, got[0].Rule, tc.allowed, tc.rule)
		}
	}
	got = nil
	c.Tools(alice) // lists every kind
	if len(got) == 0 {
		t.Error("lists gave no decision")
	}
	for _, d := range got {
		if !strings.HasSuffix(d.Method, "/list") || d.Rule.Policies != nil {
			t.Errorf("a list: %v; want a list decision naming no policy", d)
		}
	}
}
