package runtime_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

// TestComponentAuthLists checks which components each token sees, in all
// four lists, for scopes that are a subset, a superset or none of what
// components require.
func TestComponentAuthLists(t *testing.T) {
	c := connect(t, fixture())
	for _, tc := range []struct {
		name                                 string
		tok                                  *runtime.AccessToken
		tools, resources, templates, prompts []string
	}{
		{
			name:      "no token",
			tok:       nil,
			tools:     []string{"public_tool", "tagged_tool", "whoami"},
			resources: []string{"public://info"},
			templates: []string{},
			prompts:   []string{"public_prompt"},
		},
		{
			name:      "token without scopes",
			tok:       &runtime.AccessToken{ClientID: "nobody"},
			tools:     []string{"public_tool", "tagged_tool", "whoami"},
			resources: []string{"public://info"},
			templates: []string{},
			prompts:   []string{"public_prompt"},
		},
		{
			name:      "read",
			tok:       tokRead,
			tools:     []string{"public_tool", "read_tool", "tagged_tool", "whoami"},
			resources: []string{"public://info", "secret://data"},
			templates: []string{"users://{id}/profile"},
			prompts:   []string{"public_prompt"},
		},
		{
			name:      "read write",
			tok:       tokWrite,
			tools:     []string{"public_tool", "read_tool", "tagged_tool", "whoami", "write_tool"},
			resources: []string{"public://info", "secret://data"},
			templates: []string{"users://{id}/profile"},
			prompts:   []string{"public_prompt"},
		},
		{
			name:      "superset with admin",
			tok:       &runtime.AccessToken{ClientID: "root", Scopes: []string{"admin", "read", "write", "extra"}},
			tools:     []string{"admin_tool", "public_tool", "read_tool", "tagged_tool", "whoami", "write_tool"},
			resources: []string{"admin://config", "public://info", "secret://data"},
			templates: []string{"users://{id}/profile"},
			prompts:   []string{"admin_prompt", "public_prompt"},
		},
		{
			name:      "scopes match exactly, case included",
			tok:       &runtime.AccessToken{Scopes: []string{"READ", "Admin"}},
			tools:     []string{"public_tool", "tagged_tool", "whoami"},
			resources: []string{"public://info"},
			templates: []string{},
			prompts:   []string{"public_prompt"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tools, resources, templates, prompts := listAll(t, c, as(tc.tok))
			if diff := cmp.Diff(tc.tools, sorted(tools)); diff != "" {
				t.Errorf("tools (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.resources, sorted(resources)); diff != "" {
				t.Errorf("resources (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.templates, sorted(templates)); diff != "" {
				t.Errorf("templates (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.prompts, sorted(prompts)); diff != "" {
				t.Errorf("prompts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHiddenAnswersLikeMissing compares, byte for byte without the id, the
// answer for a component the caller may not use with the answer for one
// that does not exist.
func TestHiddenAnswersLikeMissing(t *testing.T) {
	c := connect(t, fixture())
	anon := as(nil)
	for _, tc := range []struct {
		name            string
		method          string
		hidden, missing map[string]any
	}{
		{"tools/call", "tools/call", map[string]any{"name": "admin_tool"}, map[string]any{"name": "no_tool"}},
		{"prompts/get", "prompts/get", map[string]any{"name": "admin_prompt"}, map[string]any{"name": "no_prompt"}},
		{"resources/read", "resources/read", map[string]any{"uri": "secret://data"}, map[string]any{"uri": "secret://nothing"}},
		{"resources/read template", "resources/read", map[string]any{"uri": "users://42/profile"}, map[string]any{"uri": "people://42/profile"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hidden := rawCall(t, c, anon, tc.method, tc.hidden)
			missing := rawCall(t, c, anon, tc.method, tc.missing)
			// The answers name what was asked for; with that replaced they
			// must be identical.
			for _, v := range tc.missing {
				missing = replaceAll(missing, v.(string), tc.hidden[firstKey(tc.hidden)].(string))
			}
			if hidden != missing {
				t.Errorf("hidden and missing answers differ:\nhidden:  %s\nmissing: %s", hidden, missing)
			}
			t.Logf("answer: %s", hidden)
			if !contains(hidden, `"error"`) {
				t.Errorf("hidden answer is not an error: %s", hidden)
			}
		})
	}
}

// TestDirectAccess checks calls, reads and gets for allowed and denied
// callers, and that handlers see the caller's token.
func TestDirectAccess(t *testing.T) {
	c := connect(t, fixture())
	t.Run("tools", func(t *testing.T) {
		for _, tc := range []struct {
			tok     *runtime.AccessToken
			tool    string
			want    string
			wantErr string
		}{
			{nil, "public_tool", "public_tool ok", ""},
			{nil, "read_tool", "", "tool 'read_tool' not found: tool not found"},
			{tokRead, "read_tool", "read_tool ok", ""},
			{tokRead, "write_tool", "", "tool 'write_tool' not found: tool not found"},
			{tokWrite, "write_tool", "write_tool ok", ""},
			{tokWrite, "admin_tool", "", "tool 'admin_tool' not found: tool not found"},
			{tokAdmin, "admin_tool", "admin_tool ok", ""},
			{nil, "whoami", "anonymous", ""},
			{tokWrite, "whoami", "writer [read write]", ""},
		} {
			res, err := callTool(c, as(tc.tok), tc.tool)
			if got := errText(err); !contains(got, tc.wantErr) || (tc.wantErr == "") != (err == nil) {
				t.Errorf("%s as %s: error %q, want %q", tc.tool, describeToken(tc.tok), got, tc.wantErr)
				continue
			}
			if err == nil && resultText(res) != tc.want {
				t.Errorf("%s as %s: %q, want %q", tc.tool, describeToken(tc.tok), resultText(res), tc.want)
			}
		}
	})
	t.Run("resources", func(t *testing.T) {
		for _, tc := range []struct {
			tok     *runtime.AccessToken
			uri     string
			want    string
			wantErr string
		}{
			{nil, "public://info", "public://info for anonymous", ""},
			{nil, "secret://data", "", "handler not found for resource URI 'secret://data': resource not found"},
			{tokRead, "secret://data", "secret://data for reader [read]", ""},
			{tokRead, "admin://config", "", "handler not found for resource URI 'admin://config': resource not found"},
			{tokAdmin, "admin://config", "admin://config for admin [read write admin]", ""},
			{nil, "users://7/profile", "", "handler not found for resource URI 'users://7/profile': resource not found"},
			{tokRead, "users://7/profile", "profile 7 for reader [read]", ""},
		} {
			got, err := readResource(c, as(tc.tok), tc.uri)
			if e := errText(err); !contains(e, tc.wantErr) || (tc.wantErr == "") != (err == nil) {
				t.Errorf("%s as %s: error %q, want %q", tc.uri, describeToken(tc.tok), e, tc.wantErr)
				continue
			}
			if got != tc.want {
				t.Errorf("%s as %s: %q, want %q", tc.uri, describeToken(tc.tok), got, tc.want)
			}
		}
	})
	t.Run("prompts", func(t *testing.T) {
		got, err := getPrompt(c, as(tokAdmin), "admin_prompt")
		if err != nil || got != "admin_prompt for admin [read write admin]" {
			t.Errorf("admin_prompt as admin: %q, %v", got, err)
		}
		_, err = getPrompt(c, as(tokWrite), "admin_prompt")
		if want := "prompt 'admin_prompt' not found: prompt not found"; !contains(errText(err), want) {
			t.Errorf("admin_prompt as writer: error %q, want %q", errText(err), want)
		}
	})
}

// TestEmptyAuthAllows checks that a component registered with an empty
// check list is open to everyone, as an empty chain allows.
func TestEmptyAuthAllows(t *testing.T) {
	srv := runtime.NewServer("t", "1")
	tool, h := textTool("open")
	srv.AddTool(tool, h, runtime.WithAuth())
	c := connect(t, srv)
	if got := toolNames(t, c, as(nil)); !cmp.Equal(got, []string{"open"}) {
		t.Errorf("tools = %v", got)
	}
	if res, err := callTool(c, as(nil), "open"); err != nil || resultText(res) != "open ok" {
		t.Errorf("call: %v %v", resultText(res), err)
	}
}

// TestPaginationWithHiddenItems checks that lists are filtered before they
// are paged: every page but the last is full and no hidden item shows up,
// whatever the token.
func TestPaginationWithHiddenItems(t *testing.T) {
	srv := runtime.NewServer("t", "1", runtime.WithServerOptions(serverWithPaginationLimit(3)))
	var wantAdmin, wantAnon []string
	for i := range 20 {
		name := fmt.Sprintf("tool_%02d", i)
		tool, h := textTool(name)
		var opts []runtime.ComponentOption
		if i%3 != 0 {
			opts = append(opts, runtime.WithScopes("admin"))
		} else {
			wantAnon = append(wantAnon, name)
		}
		wantAdmin = append(wantAdmin, name)
		srv.AddTool(tool, h, opts...)
		uri := fmt.Sprintf("res://%02d", i)
		srv.AddResource(mcp.NewResource(uri, fmt.Sprintf("res_%02d", i)), nil, opts...)
	}
	c := connect(t, srv)
	for _, tc := range []struct {
		tok  *runtime.AccessToken
		want []string
	}{{nil, wantAnon}, {tokAdmin, wantAdmin}} {
		var got []string
		var cursor mcp.Cursor
		for page := 0; ; page++ {
			req := mcp.ListToolsRequest{}
			req.Params.Cursor = cursor
			res, err := c.ListToolsByPage(as(tc.tok), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.NextCursor != "" && len(res.Tools) != 3 {
				t.Errorf("%s: tools page %d has %d items, want a full page of 3", describeToken(tc.tok), page, len(res.Tools))
			}
			got = append(got, names(res.Tools, func(x mcp.Tool) string { return x.Name })...)
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: paged tools (-want +got):\n%s", describeToken(tc.tok), diff)
		}

		got, cursor = nil, ""
		for page := 0; ; page++ {
			req := mcp.ListResourcesRequest{}
			req.Params.Cursor = cursor
			res, err := c.ListResourcesByPage(as(tc.tok), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.NextCursor != "" && len(res.Resources) != 3 {
				t.Errorf("%s: resources page %d has %d items, want a full page of 3", describeToken(tc.tok), page, len(res.Resources))
			}
			got = append(got, names(res.Resources, func(x mcp.Resource) string { return replaceAll(x.URI, "res://", "tool_") })...)
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: paged resources (-want +got):\n%s", describeToken(tc.tok), diff)
		}
	}
}
