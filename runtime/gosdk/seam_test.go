package gosdk_test

// One test per assumption of seam.go about the go-sdk's internals, each
// run against the SDK alone and named after the assumption, so that an SDK
// upgrade that breaks one fails by name.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpauthgen/mcpauthgen/internal/mcpwire"
	"github.com/mcpauthgen/mcpauthgen/runtime/gosdk"
)

func newBare(opts *mcp.ServerOptions) *mcp.Server {
	return mcp.NewServer(&mcp.Implementation{Name: "bare", Version: "1"}, opts)
}

// errorAnswer is the JSON-RPC answer with id 1 carrying err, as the SDK
// writes it.
func errorAnswer(t *testing.T, err error) []byte {
	t.Helper()
	b, jerr := json.Marshal(err)
	if jerr != nil {
		t.Fatal(jerr)
	}
	return []byte(`{"jsonrpc":"2.0","id":1,"error":` + string(b) + `}`)
}

func TestSeam(t *testing.T) {
	t.Run("middleware-entry", func(t *testing.T) {
		srv := newBare(nil)
		srv.AddTool(textTool("t"), textHandler("t"))
		var mu sync.Mutex
		var seen []string
		srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
			return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
				mu.Lock()
				seen = append(seen, fmt.Sprintf("%s %T", method, req.GetParams()))
				mu.Unlock()
				if method == "tools/call" && req.(*mcp.CallToolRequest).Params.Name == "t" {
					return deniedResult("from middleware"), nil
				}
				return next(ctx, method, req)
			}
		})
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		if _, text := mcpwire.ToolText(t, s.Call("tools/call", map[string]any{"name": "t"})); text != "from middleware" {
			t.Errorf("middleware's result not the answer: %q", text)
		}
		mu.Lock()
		defer mu.Unlock()
		want := []string{"initialize *mcp.InitializeParams", "notifications/initialized *mcp.InitializedParams", "tools/call *mcp.CallToolParamsRaw"}
		if !equal(seen, want) {
			t.Errorf("middleware saw %v, want %v", seen, want)
		}
	})

	t.Run("missing-tool", func(t *testing.T) {
		s := mcpwire.Connect(t, serve(t, bareHandler(newBare(nil))), "")
		if got, want := s.Call("tools/call", map[string]any{"name": "x\"y"}), errorAnswer(t, gosdk.UnknownTool("x\"y")); !bytes.Equal(got, want) {
			t.Errorf("SDK answers %s, runtime %s", got, want)
		}
	})

	t.Run("missing-prompt", func(t *testing.T) {
		s := mcpwire.Connect(t, serve(t, bareHandler(newBare(nil))), "")
		if got, want := s.Call("prompts/get", map[string]any{"name": "p"}), errorAnswer(t, gosdk.UnknownPrompt("p")); !bytes.Equal(got, want) {
			t.Errorf("SDK answers %s, runtime %s", got, want)
		}
	})

	t.Run("missing-resource", func(t *testing.T) {
		s := mcpwire.Connect(t, serve(t, bareHandler(newBare(nil))), "")
		if got, want := s.Call("resources/read", map[string]any{"uri": "a://b"}), errorAnswer(t, mcp.ResourceNotFoundError("a://b")); !bytes.Equal(got, want) {
			t.Errorf("SDK answers %s, runtime %s", got, want)
		}
	})

	t.Run("list-pages", func(t *testing.T) {
		srv := newBare(&mcp.ServerOptions{PageSize: 2})
		for _, name := range []string{"c", "a", "e", "b", "d", "B"} {
			srv.AddTool(textTool(name), textHandler(name))
		}
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		var pages []string
		cursor := ""
		for {
			page, next := mcpwire.Names(t, s.Call("tools/list", map[string]any{"cursor": cursor}), "tools")
			pages = append(pages, strings.Join(page, " ")+" > "+gosdk.DecodeCursor(next))
			if cursor = next; cursor == "" {
				break
			}
		}
		if want := []string{"B a > a", "b c > c", "d e > "}; !equal(pages, want) {
			t.Errorf("pages %q, want %q", pages, want)
		}
		ours, err := gosdk.EncodeCursor("c")
		if err != nil {
			t.Fatal(err)
		}
		if page, _ := mcpwire.Names(t, s.Call("tools/list", map[string]any{"cursor": ours}), "tools"); !equal(page, []string{"d", "e"}) {
			t.Errorf("the page after a runtime cursor naming c: %v", page)
		}
		s.Next = 1
		if got, want := s.Call("tools/list", map[string]any{"cursor": "%%%"}), errorAnswer(t, gosdk.ErrInvalidCursor()); !bytes.Equal(got, want) {
			t.Errorf("bad cursor: SDK answers %s, runtime %s", got, want)
		}
		// The default page size.
		big := newBare(nil)
		for i := range mcp.DefaultPageSize + 1 {
			big.AddTool(textTool(fmt.Sprint(i)), textHandler(""))
		}
		page, next := mcpwire.Names(t, mcpwire.Connect(t, serve(t, bareHandler(big)), "").Call("tools/list", nil), "tools")
		if len(page) != mcp.DefaultPageSize || next == "" {
			t.Errorf("default page: %d items, cursor %q", len(page), next)
		}
	})

	t.Run("read-routing", func(t *testing.T) {
		srv := newBare(nil)
		read := func(name string) mcp.ResourceHandler {
			return func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
				return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{Text: name}}}, nil
			}
		}
		srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "docs://{x}/b"}, read("x/b"))
		srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "docs://{a}/{b}"}, read("a/b"))
		srv.AddResource(&mcp.Resource{URI: "docs://r/b"}, read("resource"))
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		for uri, want := range map[string]string{"docs://r/b": "resource", "docs://z/b": "a/b", "docs://z/c": "a/b"} {
			var res mcp.ReadResourceResult
			mcpwire.Result(t, s.Call("resources/read", map[string]any{"uri": uri}), &res)
			if res.Contents[0].Text != want {
				t.Errorf("%s read by %q, want %q", uri, res.Contents[0].Text, want)
			}
		}
	})

	t.Run("schema-inference", func(t *testing.T) {
		type in struct {
			Name  string   `json:"name" jsonschema:"who to greet"`
			Times *int     `json:"times,omitempty"`
			Tags  []string `json:"tags"`
		}
		type out struct {
			Greeting string `json:"greeting"`
		}
		h := func(context.Context, *mcp.CallToolRequest, in) (*mcp.CallToolResult, *out, error) {
			return nil, nil, nil
		}
		hAny := func(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
			return nil, nil, nil
		}
		theirs := newBare(nil)
		mcp.AddTool(theirs, &mcp.Tool{Name: "greet"}, h)
		mcp.AddTool(theirs, &mcp.Tool{Name: "anything"}, hAny)
		ours := gosdk.NewServer(&mcp.Implementation{Name: "bare", Version: "1"}, nil)
		gosdk.AddTool(ours, &mcp.Tool{Name: "greet"}, h)
		gosdk.AddTool(ours, &mcp.Tool{Name: "anything"}, hAny)
		want := mcpwire.Connect(t, serve(t, bareHandler(theirs)), "").Call("tools/list", nil)
		got := mcpwire.Connect(t, serve(t, ours.HTTPHandler()), "").Call("tools/list", nil)
		want = bytes.Replace(want, []byte(`"cacheScope":"public"`), []byte(`"cacheScope":"private"`), 1)
		if !bytes.Equal(got, want) {
			t.Errorf("listed tools differ:\nruntime: %s\nSDK:     %s", got, want)
		}
	})

	t.Run("subscribe-handler", func(t *testing.T) {
		type key struct{}
		seen := make(chan any, 1)
		srv := newBare(&mcp.ServerOptions{
			SubscribeHandler: func(ctx context.Context, req *mcp.SubscribeRequest) error {
				seen <- ctx.Value(key{})
				return nil
			},
			UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
		})
		srv.AddResource(&mcp.Resource{URI: "a://b"}, nil)
		srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
			return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
				return next(context.WithValue(ctx, key{}, method), method, req)
			}
		})
		conn := rawConnect(t, srv.Connect)
		conn.listen(1, "a://b")
		if got := <-seen; got != "subscriptions/listen" {
			t.Errorf("subscribe handler ran with the context of %v", got)
		}
	})

	t.Run("completion-refs", func(t *testing.T) {
		seen := make(chan string, 1)
		srv := newBare(&mcp.ServerOptions{CompletionHandler: func(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
			seen <- req.Params.Ref.Name
			return &mcp.CompleteResult{}, nil
		}})
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		s.Call("completion/complete", map[string]any{"ref": map[string]any{"type": "ref/prompt", "name": "nope"}, "argument": map[string]any{"name": "a", "value": ""}})
		if got := <-seen; got != "nope" {
			t.Errorf("completion handler got %q", got)
		}
	})

	t.Run("cacheable", func(t *testing.T) {
		var mu sync.Mutex
		var seen []string
		srv := newBare(&mcp.ServerOptions{SetCacheable: func(_ context.Context, req mcp.Request, c *mcp.Cacheable) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, fmt.Sprintf("%T %q", req, c.CacheScope))
		}})
		srv.AddResource(&mcp.Resource{URI: "a://b"}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{Text: "x"}}}, nil
		})
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		answer := s.Call("resources/list", nil)
		s.Call("resources/read", map[string]any{"uri": "a://b"})
		if !bytes.Contains(answer, []byte(`"cacheScope":"public"`)) {
			t.Errorf("unset cacheScope not answered public: %s", answer)
		}
		mu.Lock()
		defer mu.Unlock()
		want := []string{`*mcp.ServerRequest[*github.com/modelcontextprotocol/go-sdk/mcp.ListResourcesParams] ""`, `*mcp.ServerRequest[*github.com/modelcontextprotocol/go-sdk/mcp.ReadResourceParams] ""`}
		if !equal(seen, want) {
			t.Errorf("SetCacheable calls %q, want %q", seen, want)
		}
	})

	t.Run("token-info", func(t *testing.T) {
		srv := newBare(nil)
		srv.AddTool(textTool("who"), func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return deniedResult(req.Extra.TokenInfo.UserID), nil
		})
		verify := func(_ context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
			return &auth.TokenInfo{UserID: token}, nil
		}
		h := auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(bareHandler(srv))
		url := serve(t, h)
		s := mcpwire.Connect(t, url, "alice")
		if _, got := mcpwire.ToolText(t, s.Call("tools/call", map[string]any{"name": "who"})); got != "alice" {
			t.Errorf("TokenInfo.UserID in the handler: %q", got)
		}
		s.Token = "bob"
		resp, _ := s.Send(map[string]any{"jsonrpc": "2.0", "id": 9, "method": "tools/list"})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("another user's request in alice's session: %s", resp.Status)
		}
	})

	t.Run("typed-errors", func(t *testing.T) {
		srv := newBare(nil)
		mcp.AddTool(srv, &mcp.Tool{Name: "plain"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return nil, nil, fmt.Errorf("plain failure")
		})
		mcp.AddTool(srv, &mcp.Tool{Name: "wire"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			return nil, nil, &jsonrpc.Error{Code: 7, Message: "wire failure"}
		})
		s := mcpwire.Connect(t, serve(t, bareHandler(srv)), "")
		if isErr, text := mcpwire.ToolText(t, s.Call("tools/call", map[string]any{"name": "plain"})); !isErr || text != "plain failure" {
			t.Errorf("a plain error: isError=%v %q", isErr, text)
		}
		if e := mcpwire.ErrorOf(t, s.Call("tools/call", map[string]any{"name": "wire"})); e == nil || e.Code != 7 || e.Message != "wire failure" {
			t.Errorf("a *jsonrpc.Error: %+v", e)
		}
	})

	t.Run("notify-sending", func(t *testing.T) {
		srv := newBare(nil)
		srv.AddTool(textTool("first"), textHandler("first"))
		seen := make(chan *mcp.ServerSession, 4)
		srv.AddSendingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
			return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
				if method == "notifications/tools/list_changed" {
					seen <- req.GetSession().(*mcp.ServerSession)
					return nil, nil // dropped
				}
				return next(ctx, method, req)
			}
		})
		ct, st := mcp.NewInMemoryTransports()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ss, err := srv.Connect(ctx, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan struct{}, 4)
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{
			ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { got <- struct{}{} },
		}).Connect(ctx, ct, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		srv.AddTool(textTool("second"), textHandler("second"))
		select {
		case s := <-seen:
			if s != ss {
				t.Error("the notification's session is not the client's")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("tools/list_changed did not pass the sending middleware")
		}
		select {
		case <-got:
			t.Error("the client got a notification the middleware dropped")
		case <-time.After(200 * time.Millisecond):
		}
	})

	t.Run("connect-context", func(t *testing.T) {
		type key struct{}
		seen := make(chan any, 1)
		srv := newBare(nil)
		srv.AddTool(textTool("t"), func(ctx context.Context, _ *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			seen <- ctx.Value(key{})
			return deniedResult(""), nil
		})
		ct, st := mcp.NewInMemoryTransports()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if _, err := srv.Connect(context.WithValue(ctx, key{}, "given"), st, nil); err != nil {
			t.Fatal(err)
		}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil).Connect(ctx, ct, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "t"}); err != nil {
			t.Fatal(err)
		}
		if got := <-seen; got != "given" {
			t.Errorf("the handler's context does not derive from Connect's: %v", got)
		}
	})

	t.Run("session-unknown", func(t *testing.T) {
		url := serve(t, bareHandler(newBare(nil)))
		s := mcpwire.Connect(t, url, "")
		if s.ID == "" {
			t.Error("no Mcp-Session-Id in the initialize response")
		}
		s.ID = "no-such-session"
		resp, body := s.Send(map[string]any{"jsonrpc": "2.0", "id": 9, "method": "tools/list"})
		rec := newRecorder()
		gosdk.UnknownSession(rec)
		if resp.StatusCode != rec.code || string(body) != strings.TrimSpace(rec.body.String()) || resp.Header.Get("Content-Type") != rec.Header().Get("Content-Type") {
			t.Errorf("SDK answers %s %q (%s); runtime %d %q (%s)", resp.Status, body, resp.Header.Get("Content-Type"), rec.code, rec.body.String(), rec.Header().Get("Content-Type"))
		}
	})
}

func deniedResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

// rawConn is the client end of an in-memory connection, speaking raw
// JSON-RPC.
type rawConn struct {
	t    *testing.T
	ctx  context.Context
	conn mcp.Connection
}

func rawConnect(t *testing.T, connect func(context.Context, mcp.Transport, *mcp.ServerSessionOptions) (*mcp.ServerSession, error)) *rawConn {
	t.Helper()
	ct, st := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := connect(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	conn, err := ct.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t, ctx, conn}
}

// listen sends subscriptions/listen (protocol 2026-07-28) for uri and
// returns the first message that comes back.
func (c *rawConn) listen(id int64, uri string) jsonrpc.Message {
	c.t.Helper()
	params, _ := json.Marshal(map[string]any{
		"_meta": map[string]any{
			"io.modelcontextprotocol/protocolVersion":    "2026-07-28",
			"io.modelcontextprotocol/clientCapabilities": map[string]any{},
		},
		"notifications": map[string]any{"resourceSubscriptions": []string{uri}},
	})
	reqID, _ := jsonrpc.MakeID(float64(id))
	if err := c.conn.Write(c.ctx, &jsonrpc.Request{ID: reqID, Method: "subscriptions/listen", Params: params}); err != nil {
		c.t.Fatal(err)
	}
	msg, err := c.conn.Read(c.ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	return msg
}

// responseRecorder is a minimal http.ResponseWriter for comparing answers.
type responseRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newRecorder() *responseRecorder { return &responseRecorder{header: http.Header{}} }

func (r *responseRecorder) Header() http.Header         { return r.header }
func (r *responseRecorder) WriteHeader(code int)        { r.code = code }
func (r *responseRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }

var _ io.Writer = (*responseRecorder)(nil)
