package cedarnotes

import (
	"os"
	"testing"

	cedarschema "github.com/cedar-policy/cedar-go/x/exp/schema"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"
	"github.com/google/go-cmp/cmp"

	"github.com/mcpauthgen/mcpauthgen/generator"
	"github.com/mcpauthgen/mcpauthgen/internal/gosdktest"
	"github.com/mcpauthgen/mcpauthgen/runtime/authz"
	"github.com/mcpauthgen/mcpauthgen/runtime/cedarauth"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

// These tests are examples/cedarnotes's on the go-sdk: the same requests
// get the same answers.

// TestPoliciesAreTheOriginals: the twin is governed by the original's
// policy file, byte for byte (go:embed cannot reach outside the package,
// and the generator validates the copy against this package's components).
func TestPoliciesAreTheOriginals(t *testing.T) {
	orig, err := os.ReadFile("../../cedarnotes/notes.cedar")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(orig), string(policies)); diff != "" {
		t.Errorf("notes.cedar differs from examples/cedarnotes/notes.cedar (-original +copy):\n%s", diff)
	}
}

func token(sub string, claims map[string]any, scopes ...string) *gosdk.AccessToken {
	c := map[string]any{"sub": sub}
	for k, v := range claims {
		c[k] = v
	}
	return &gosdk.AccessToken{Token: sub, ClientID: "notes-app", Scopes: scopes, Claims: c}
}

var (
	alice     = token("alice", nil, "notes:write", "notes:read")
	bob       = token("bob", nil, "notes:write", "notes:read")
	reader    = token("carol", nil, "notes:read")
	admin     = token("root", nil, "notes:admin")
	suspended = token("alice", map[string]any{"suspended": true}, "notes:write", "notes:read")
)

func denied(tool string) string {
	return "Authorization failed for tool '" + tool + "': insufficient permissions"
}

func TestCedarNotesPolicies(t *testing.T) {
	s, _ := New(false)
	c := gosdktest.Connect(t, s)

	type seen struct{ Tools, Templates []string }
	for _, tc := range []struct {
		name string
		tok  *gosdk.AccessToken
		want seen
	}{
		// delete_note is listed for anyone: some note could be theirs.
		{"alice", alice, seen{[]string{"create_note", "delete_note", "list_notes"}, []string{"notes://{id}"}}},
		{"reader", reader, seen{[]string{"delete_note", "list_notes"}, []string{"notes://{id}"}}},
		{"admin", admin, seen{[]string{"delete_note", "purge_notes"}, []string{}}},
		{"suspended", suspended, seen{[]string{}, []string{}}},
		{"no token", nil, seen{[]string{"delete_note"}, []string{}}},
	} {
		tools, _, templates, _ := c.Visible(tc.tok)
		if diff := cmp.Diff(tc.want, seen{tools, templates}); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", tc.name, diff)
		}
	}

	call := func(tok *gosdk.AccessToken, tool string, args map[string]any) string {
		t.Helper()
		text, _, err := c.Call(tok, tool, args)
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		return text
	}
	if got := call(alice, "create_note", map[string]any{"title": "groceries"}); got != `{"id":"n1","owner":"alice","title":"groceries"}` {
		t.Fatalf("alice creates a note: %s", got)
	}
	if got := call(reader, "create_note", map[string]any{"title": "x"}); got != denied("create_note") {
		t.Errorf("reader creates a note: %s", got)
	}
	if got := call(bob, "create_note", map[string]any{"title": "x", "body": "for the ARCHIVE"}); got != denied("create_note") {
		t.Errorf("a body the policies forbid: %s", got)
	}
	// Only the owner deletes, and a suspended account not even that.
	for _, tok := range []*gosdk.AccessToken{bob, reader, admin, suspended, nil} {
		if got := call(tok, "delete_note", map[string]any{"id": "n1"}); got != denied("delete_note") {
			t.Errorf("%v deletes alice's note: %s", tok, got)
		}
	}
	if got := call(bob, "delete_note", map[string]any{"id": "n404"}); got != denied("delete_note") {
		t.Errorf("deleting a note nobody owns: %s", got)
	}
	if text, err := c.Read(reader, "notes://n1"); err != nil || text != `{"id":"n1","owner":"alice","title":"groceries"}` {
		t.Errorf("reader reads n1: %q %v", text, err)
	}
	if _, err := c.Read(admin, "notes://n1"); !gosdktest.ErrorContains(err, "Authorization failed for resource 'notes://n1': insufficient permissions") {
		t.Errorf("admin reads n1: %v", err)
	}
	if got := call(alice, "delete_note", map[string]any{"id": "n1"}); got != "deleted n1" {
		t.Errorf("alice deletes her note: %s", got)
	}
	// Gone, so no longer hers.
	if got := call(alice, "delete_note", map[string]any{"id": "n1"}); got != denied("delete_note") {
		t.Errorf("alice deletes n1 twice: %s", got)
	}
	if got := call(admin, "purge_notes", nil); got != "purged 0 notes" {
		t.Errorf("admin purges: %s", got)
	}
	if got := call(alice, "purge_notes", nil); got != denied("purge_notes") {
		t.Errorf("alice purges: %s", got)
	}
}

func TestCedarNotesMonitor(t *testing.T) {
	s, store := New(true)
	c := gosdktest.Connect(t, s)
	if diff := cmp.Diff([]string{"create_note", "delete_note", "list_notes", "purge_notes"}, c.Tools(suspended)); diff != "" {
		t.Errorf("monitor mode hides tools (-want +got):\n%s", diff)
	}
	if text, _, err := c.Call(suspended, "create_note", map[string]any{"title": "t"}); err != nil || text != `{"id":"n1","owner":"alice","title":"t"}` {
		t.Errorf("monitor mode denies: %q %v", text, err)
	}
	if _, ok := store.notes["n1"]; !ok {
		t.Error("the note was not created")
	}
}

// TestSchemaAgreement checks what the runtime builds against the schema the
// generator derives for this package: every entity and request the
// authorizer makes validates.
func TestSchemaAgreement(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the package from source")
	}
	text, err := generator.CedarSchema(generator.Config{}, ".")
	if err != nil {
		t.Fatal(err)
	}
	var s cedarschema.Schema
	if err := s.UnmarshalCedar(text); err != nil {
		t.Fatalf("the derived schema does not parse: %v\n%s", err, text)
	}
	resolved, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(resolved)
	_, store := New(false)
	store.add("alice", "t", "")
	set, err := cedarauth.ParsePolicies("notes.cedar", policies)
	if err != nil {
		t.Fatal(err)
	}
	az := cedarauth.New(set, cedarauth.WithEntities(store))
	for _, tc := range []struct {
		comp authz.Component
		args map[string]any
	}{
		{authz.Component{Kind: authz.KindTool, Name: "create_note"}, map[string]any{"title": "t", "body": "b"}},
		{authz.Component{Kind: authz.KindTool, Name: "create_note"}, map[string]any{"title": "t"}},
		{authz.Component{Kind: authz.KindTool, Name: "delete_note"}, map[string]any{"id": "n1"}},
		{authz.Component{Kind: authz.KindTool, Name: "list_notes"}, nil},
		{authz.Component{Kind: authz.KindTool, Name: "purge_notes", Tags: []string{"admin"}}, nil},
		{authz.Component{Kind: authz.KindResourceTemplate, Name: "read_note", URI: "notes://{id}"}, map[string]any{"id": "n1"}},
	} {
		for _, tok := range []*gosdk.AccessToken{alice, suspended, nil} {
			req, ents := az.Request(authz.AuthContext{Token: tok, Component: &tc.comp, Arguments: tc.args})
			if err := v.Request(req); err != nil {
				t.Errorf("%s %v: request %v does not validate: %v", tc.comp.Name, tc.args, req, err)
			}
			for uid, e := range ents {
				if uid.Type == cedarauth.ActionType {
					continue // actions are the schema's own
				}
				if err := v.Entity(e); err != nil {
					t.Errorf("%s: entity %v does not validate: %v", tc.comp.Name, uid, err)
				}
			}
		}
	}
	if _, ok := resolved.Entities[cedarauth.PrincipalType]; !ok {
		t.Error("the schema has no Principal")
	}
}
