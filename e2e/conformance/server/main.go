// Command server serves the conformance fixture (package everything) for
// running the MCP conformance suite by hand:
//
//	go run ./e2e/conformance/server -addr 127.0.0.1:3001 &
//	cd e2e/conformance && node --import ./register.mjs \
//		node_modules/@modelcontextprotocol/conformance/dist/index.js \
//		server --url http://127.0.0.1:3001/mcp
//
// The MCP endpoint is /mcp, its RFC 9728 metadata
// /.well-known/oauth-protected-resource/mcp.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/mcpauthgen/mcpauthgen/e2e/conformance/everything"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3001", "listen `address`")
	inject := flag.Bool("inject-token", true, "treat requests without an Authorization header as carrying the conformance token (the conformance CLI sends none)")
	anonymous := flag.Bool("anonymous", false, "serve without a token verifier and without scopes on the conformance components")
	eventStore := flag.Bool("event-store", false, "give the Streamable HTTP server an in-memory event store (resumable SSE streams)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: server [-addr host:port] [-inject-token=false] [-anonymous] [-event-store]")
		os.Exit(2)
	}
	h := everything.Handler(everything.Options{InjectToken: *inject, Anonymous: *anonymous, EventStore: *eventStore})
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
	log.Printf("conformance fixture at http://%s/mcp", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
