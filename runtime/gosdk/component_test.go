package gosdk_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

func TestComponentAuthLists(t *testing.T) {
	url := serve(t, authorized(fixture(nil)))
	for _, tc := range []struct {
		token                                string
		tools, resources, templates, prompts []string
	}{
		{"nobody-token",
			[]string{"public_tool", "tagged_tool", "whoami"},
			[]string{"public://info"}, []string{}, []string{"public_prompt"}},
		{"reader-token",
			[]string{"public_tool", "read_tool", "tagged_tool", "whoami"},
			[]string{"public://info", "secret://data"}, []string{"users://{id}/profile"}, []string{"public_prompt"}},
		{"admin-token",
			[]string{"admin_tool", "public_tool", "read_tool", "tagged_tool", "whoami", "write_tool"},
			[]string{"admin://config", "public://info", "secret://data"}, []string{"users://{id}/profile"},
			[]string{"admin_prompt", "public_prompt"}},
	} {
		s := mcpwire.Connect(t, url, tc.token)
		for _, l := range []struct {
			method, key string
			want        []string
		}{
			{"tools/list", "tools", tc.tools},
			{"resources/list", "resources", tc.resources},
			{"resources/templates/list", "resourceTemplates", tc.templates},
			{"prompts/list", "prompts", tc.prompts},
		} {
			got, cursor := mcpwire.Names(t, s.Call(l.method, nil), l.key)
			if diff := cmp.Diff(l.want, got); diff != "" || cursor != "" {
				t.Errorf("%s %s (-want +got):\n%s (cursor %q)", tc.token, l.method, diff, cursor)
			}
		}
	}
}

// TestHiddenAnswersLikeMissing compares, byte for byte, what a caller gets
// for a component hidden from it with what a go-sdk server without the
// runtime answers for a component it does not have.
func TestHiddenAnswersLikeMissing(t *testing.T) {
	requests := []struct {
		method string
		params map[string]any
	}{
		{"tools/call", map[string]any{"name": "admin_tool", "arguments": map[string]any{}}},
		{"tools/call", map[string]any{"name": "read_tool"}},
		{"tools/call", map[string]any{"name": "no_such_tool"}},
		{"prompts/get", map[string]any{"name": "admin_prompt"}},
		{"prompts/get", map[string]any{"name": "no_such_prompt"}},
		{"resources/read", map[string]any{"uri": "secret://data"}},
		{"resources/read", map[string]any{"uri": "admin://config"}},
		{"resources/read", map[string]any{"uri": "users://7/profile"}},
		{"resources/read", map[string]any{"uri": "nothing://here"}},
	}
	ours := mcpwire.Connect(t, serve(t, authorized(fixture(nil))), "nobody-token")
	theirs := mcpwire.Connect(t, serve(t, bareHandler(bare(nil))), "")
	for _, r := range requests {
		got, want := ours.Call(r.method, r.params), theirs.Call(r.method, r.params)
		if !bytes.Equal(got, want) {
			t.Errorf("%s %v: hidden and missing answers differ:\nhidden:  %s\nmissing: %s", r.method, r.params, got, want)
		}
	}
}

// TestHiddenAnswersLikeAbsent compares, on one server, a hidden
// component's answer with an absent one's whose name differs only where
// the name is written.
func TestHiddenAnswersLikeAbsent(t *testing.T) {
	s := mcpwire.Connect(t, serve(t, authorized(fixture(nil))), "reader-token")
	for _, tc := range []struct {
		method, key, hidden, absent string
	}{
		{"tools/call", "name", "admin_tool", "absen_tool"},
		{"prompts/get", "name", "admin_prompt", "absent_promp"},
		{"resources/read", "uri", "admin://config", "absen://config"},
	} {
		hidden := s.Call(tc.method, map[string]any{tc.key: tc.hidden})
		absent := s.Call(tc.method, map[string]any{tc.key: tc.absent})
		absent = bytes.ReplaceAll(absent, []byte(tc.absent), []byte(tc.hidden))
		// The ids differ by one.
		absent = bytes.Replace(absent, []byte(`"id":`+strconv.Itoa(s.Next-1)), []byte(`"id":`+strconv.Itoa(s.Next-2)), 1)
		if !bytes.Equal(hidden, absent) {
			t.Errorf("%s: hidden %s\nabsent %s", tc.method, hidden, absent)
		}
	}
}

func TestDirectAccess(t *testing.T) {
	url := serve(t, authorized(fixture(nil)))
	admin := mcpwire.Connect(t, url, "admin-token")
	var res mcp.CallToolResult
	mcpwire.Result(t, admin.Call("tools/call", map[string]any{"name": "admin_tool"}), &res)
	if res.IsError || res.Content[0].(*mcp.TextContent).Text != "admin_tool for admin [read write admin]" {
		t.Errorf("admin_tool: %+v", res)
	}
	var read mcp.ReadResourceResult
	mcpwire.Result(t, admin.Call("resources/read", map[string]any{"uri": "users://7/profile"}), &read)
	if c := read.Contents[0]; c.Text != "user_profile users://7/profile for admin [read write admin]" || c.URI != "users://7/profile" {
		t.Errorf("template read: %+v", c)
	}
	var prompt mcp.GetPromptResult
	mcpwire.Result(t, admin.Call("prompts/get", map[string]any{"name": "admin_prompt"}), &prompt)
	if got := prompt.Messages[0].Content.(*mcp.TextContent).Text; got != "admin_prompt for admin [read write admin]" {
		t.Errorf("admin_prompt: %q", got)
	}
}

func TestPaginationWithHiddenItems(t *testing.T) {
	opts := &mcp.ServerOptions{PageSize: 2}
	url := serve(t, authorized(fixture(opts)))
	pages := func(s *mcpwire.Session) [][]string {
		var out [][]string
		cursor := ""
		for {
			params := map[string]any{}
			if cursor != "" {
				params["cursor"] = cursor
			}
			var page []string
			page, cursor = mcpwire.Names(t, s.Call("tools/list", params), "tools")
			out = append(out, page)
			if cursor == "" {
				return out
			}
		}
	}
	if diff := cmp.Diff([][]string{{"public_tool", "read_tool"}, {"tagged_tool", "whoami"}}, pages(mcpwire.Connect(t, url, "reader-token"))); diff != "" {
		t.Errorf("reader's pages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"public_tool", "tagged_tool"}, {"whoami"}}, pages(mcpwire.Connect(t, url, "nobody-token"))); diff != "" {
		t.Errorf("nobody's pages (-want +got):\n%s", diff)
	}

	// A caller who sees everything gets the SDK's pages, cursors
	// included, byte for byte; a bad cursor gets the SDK's answer.
	full := bare(opts)
	for name, scope := range map[string]string{"admin_tool": "admin", "read_tool": "read", "write_tool": "write"} {
		tool := textTool(name)
		tool.Meta = mcp.Meta{"authorization": map[string]any{"scopes": []string{scope}}}
		full.AddTool(tool, textHandler(name))
	}
	mcp.AddTool(full, &mcp.Tool{Name: "whoami"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return nil, nil, nil
	})
	ours := mcpwire.Connect(t, url, "admin-token")
	theirs := mcpwire.Connect(t, serve(t, bareHandler(full)), "")
	ourCursor, theirCursor := "", ""
	for i := 0; ; i++ {
		got := ours.Call("tools/list", map[string]any{"cursor": ourCursor})
		want := theirs.Call("tools/list", map[string]any{"cursor": theirCursor})
		// The runtime marks lists private; the SDK leaves them public.
		want = bytes.Replace(want, []byte(`"cacheScope":"public"`), []byte(`"cacheScope":"private"`), 1)
		// A cursor is a gob encoding, whose type ids depend on what the
		// process encoded before: compare what they name.
		_, ourCursor = mcpwire.Names(t, got, "tools")
		_, theirCursor = mcpwire.Names(t, want, "tools")
		if gosdk.DecodeCursor(ourCursor) != gosdk.DecodeCursor(theirCursor) {
			t.Errorf("page %d: cursor names %q, the SDK's %q", i, gosdk.DecodeCursor(ourCursor), gosdk.DecodeCursor(theirCursor))
		}
		got = bytes.Replace(got, []byte(ourCursor), nil, 1)
		want = bytes.Replace(want, []byte(theirCursor), nil, 1)
		if !bytes.Equal(got, want) {
			t.Fatalf("page %d differs from the SDK's:\nours:   %s\ntheirs: %s", i, got, want)
		}
		if ourCursor == "" {
			break
		}
	}
	for _, bad := range []string{"!!!", "bm90IGdvYg==", "x"} {
		got, want := ours.Call("tools/list", map[string]any{"cursor": bad}), theirs.Call("tools/list", map[string]any{"cursor": bad})
		if !bytes.Equal(got, want) {
			t.Errorf("cursor %q: ours %s, the SDK's %s", bad, got, want)
		}
	}
}

func TestTemplateRoutesToFirstVisible(t *testing.T) {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "t", Version: "1"}, nil)
	// Both match docs://a/b; the first in template order is hidden from
	// readers.
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "docs://{a}/b", Name: "admin_docs", MIMEType: "text/admin"},
		readHandler("admin_docs"), gosdk.WithScopes("admin"))
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "docs://{x}/{y}", Name: "docs", MIMEType: "text/plain"},
		readHandler("docs"), gosdk.WithScopes("read"))
	url := serve(t, authorized(srv))
	for token, want := range map[string]string{
		"reader-token": "docs docs://a/b for reader [read]",
		"admin-token":  "admin_docs docs://a/b for admin [read write admin]",
	} {
		var res mcp.ReadResourceResult
		mcpwire.Result(t, mcpwire.Connect(t, url, token).Call("resources/read", map[string]any{"uri": "docs://a/b"}), &res)
		wantMIME := map[string]string{"reader-token": "text/plain", "admin-token": "text/admin"}[token]
		if c := res.Contents[0]; c.Text != want || c.MIMEType != wantMIME {
			t.Errorf("%s: got %q (%s), want %q (%s)", token, c.Text, c.MIMEType, want, wantMIME)
		}
	}
}

func TestDuplicatePanics(t *testing.T) {
	srv := gosdk.NewServer(&mcp.Implementation{Name: "t", Version: "1"}, nil)
	srv.AddTool(textTool("x"), textHandler("x"))
	defer func() {
		if r := recover(); r != `gosdk: a tool with name "x" is already registered` {
			t.Errorf("recovered %v", r)
		}
	}()
	srv.AddTool(textTool("x"), textHandler("x"))
}

func TestListsAreNotPubliclyCacheable(t *testing.T) {
	// Even a server told to mark everything public.
	opts := &mcp.ServerOptions{SetCacheable: func(_ context.Context, _ mcp.Request, c *mcp.Cacheable) { c.CacheScope = "public" }}
	s := mcpwire.Connect(t, serve(t, authorized(fixture(opts))), "admin-token")
	for _, r := range []struct {
		method string
		params any
	}{
		{"tools/list", nil}, {"prompts/list", nil}, {"resources/list", nil}, {"resources/templates/list", nil},
		{"resources/read", map[string]any{"uri": "public://info"}},
	} {
		var res struct {
			CacheScope *string `json:"cacheScope"`
		}
		mcpwire.Result(t, s.Call(r.method, r.params), &res)
		if res.CacheScope == nil || *res.CacheScope != "private" {
			t.Errorf("%s: cacheScope %v, want private", r.method, res.CacheScope)
		}
	}
}
