// Command demo serves a bundled example over Streamable HTTP with a fixed
// set of bearer tokens, and tours it as a real MCP client would.
//
//	demo                  start the server on a free loopback port, show what
//	                      each token sees and what a denied call answers, stop
//	demo -serve [-addr a] serve until interrupted, printing the URL and tokens
//	demo -example NAME    pick the example (default scoped); -list lists them
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/mcpauthgen/mcpauthgen/examples/asynccheck"
	"github.com/mcpauthgen/mcpauthgen/examples/autherror"
	"github.com/mcpauthgen/mcpauthgen/examples/combined"
	"github.com/mcpauthgen/mcpauthgen/examples/componentauth"
	"github.com/mcpauthgen/mcpauthgen/examples/customchecks"
	"github.com/mcpauthgen/mcpauthgen/examples/layered"
	"github.com/mcpauthgen/mcpauthgen/examples/middleware"
	"github.com/mcpauthgen/mcpauthgen/examples/scoped"
	"github.com/mcpauthgen/mcpauthgen/examples/tagrestrict"
	"github.com/mcpauthgen/mcpauthgen/examples/tagrules"
	"github.com/mcpauthgen/mcpauthgen/examples/tokenaccess"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

var examples = map[string]func(...runtime.Option) *runtime.Server{
	"asynccheck":    asynccheck.New,
	"autherror":     autherror.New,
	"combined":      combined.New,
	"componentauth": componentauth.New,
	"customchecks":  customchecks.New,
	"layered":       layered.New,
	"middleware":    middleware.New,
	"scoped":        scoped.New,
	"tagrestrict":   tagrestrict.New,
	"tagrules":      tagrules.New,
	"tokenaccess":   tokenaccess.New,
}

// tokens are the bearer tokens the demo accepts, in the order it tours them.
var tokens = []struct {
	raw   string
	token runtime.AccessToken
}{
	{"reader-token", runtime.AccessToken{ClientID: "reader", Scopes: []string{"read"}}},
	{"editor-token", runtime.AccessToken{ClientID: "editor", Scopes: []string{"read", "write"}}},
	{"admin-token", runtime.AccessToken{ClientID: "admin", Scopes: []string{"admin", "api", "read", "write", "payments", "notes", "finance"},
		Claims: map[string]any{"tier": "premium", "level": 9, "email_verified": true}}},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("example", "scoped", "the example to serve")
	serve := fs.Bool("serve", false, "serve until interrupted instead of touring")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	list := fs.Bool("list", false, "list the examples")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, n := range slices.Sorted(maps.Keys(examples)) {
			fmt.Fprintln(stdout, n)
		}
		return 0
	}
	newServer, ok := examples[*name]
	if !ok {
		fmt.Fprintf(stderr, "demo: unknown example %q (see -list)\n", *name)
		return 2
	}
	verified := map[string]runtime.AccessToken{}
	for _, t := range tokens {
		verified[t.raw] = t.token
	}
	var log decisionLog
	handler := newServer(runtime.WithDecisionHook(log.hook)).HTTPHandler(runtime.WithTokenVerifier(runtime.NewStaticTokenVerifier(verified)))
	mux := http.NewServeMux()
	mux.Handle("/mcp", handler)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", handler)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "demo: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/mcp"

	if *serve {
		fmt.Fprintf(stdout, "serving example %q at %s\ntokens:\n", *name, url)
		for _, t := range tokens {
			fmt.Fprintf(stdout, "  Authorization: Bearer %-13s scopes %s\n", t.raw, strings.Join(t.token.Scopes, " "))
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		<-ctx.Done()
		return 0
	}
	if err := tour(stdout, *name, url, &log); err != nil {
		fmt.Fprintf(stderr, "demo: %v\n", err)
		return 1
	}
	return 0
}

// tour connects as each token (and with none) and prints what it sees and
// what calling each tool answers, each part followed by the authorization
// decisions the server made meanwhile, one line each.
func tour(w io.Writer, name, url string, log *decisionLog) error {
	fmt.Fprintf(w, "example %q served at %s\n\n", name, url)
	resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Fprintf(w, "without a token: HTTP %d, WWW-Authenticate: %s\n", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	log.print(w)

	admin, err := connect(url, tokens[len(tokens)-1].raw)
	if err != nil {
		return err
	}
	defer admin.Close()
	all, err := admin.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		return err
	}
	log.take() // the tour's own look at every tool
	for _, t := range tokens {
		c, err := connect(url, t.raw)
		if err != nil {
			return err
		}
		res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
		if err != nil {
			c.Close()
			return err
		}
		seen := map[string]bool{}
		for _, tool := range res.Tools {
			seen[tool.Name] = true
		}
		fmt.Fprintf(w, "%s (scopes: %s) sees %d of %d tools\n", t.raw, strings.Join(t.token.Scopes, " "), len(seen), len(all.Tools))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, tool := range all.Tools {
			mark := "hidden "
			if seen[tool.Name] {
				mark = "listed "
			}
			fmt.Fprintf(tw, "  %s\t%s\t→ %s\n", mark, tool.Name, call(c, tool.Name))
		}
		tw.Flush()
		c.Close()
		log.print(w)
	}
	return nil
}

func connect(url, token string) (*client.Client, error) {
	c, err := client.NewStreamableHttpClient(url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "mcpauthgen-demo", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// call calls a tool without arguments and summarizes the answer.
func call(c *client.Client, name string) string {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		return "error: " + err.Error()
	}
	var text string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			text += tc.Text
		}
	}
	if res.IsError {
		return fmt.Sprintf("isError %q", text)
	}
	return fmt.Sprintf("%q", text)
}

// decisionLog keeps the server's authorization decisions until the tour
// prints them.
type decisionLog struct {
	mu        sync.Mutex
	decisions []runtime.Decision
}

func (l *decisionLog) hook(_ context.Context, d runtime.Decision) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.decisions = append(l.decisions, d)
}

func (l *decisionLog) take() []runtime.Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.decisions
	l.decisions = nil
	return out
}

// print writes the decisions made since the last take, one line each, and
// a blank line.
func (l *decisionLog) print(w io.Writer) {
	if ds := l.take(); len(ds) > 0 {
		fmt.Fprintln(w, "  decisions:")
		for _, d := range ds {
			note := ""
			if d.Status == http.StatusUnauthorized && d.SessionID != "" {
				note = "  (closing the session: mcp-go's client sends its DELETE without the Authorization header)"
			}
			fmt.Fprintf(w, "    %s%s\n", d, note)
		}
	}
	fmt.Fprintln(w)
}
