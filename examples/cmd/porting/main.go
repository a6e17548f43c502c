// Command porting serves examples/porting on stdio. With --disable-write
// its writing tools do not exist, whatever the transport: the switch is a
// tag exclusion, not an authorization check (checks do not run on stdio).
package main

import (
	"context"
	"flag"
	"log"
	"os/signal"
	"syscall"

	"github.com/mcpauthgen/mcpauthgen/examples/porting"
	"github.com/mcpauthgen/mcpauthgen/runtime"
)

func main() {
	disableWrite := flag.Bool("disable-write", false, "serve no tool tagged write")
	flag.Parse()
	var opts []runtime.Option
	if *disableWrite {
		opts = append(opts, runtime.WithExcludeTags("write"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := porting.New(opts...).ServeStdio(ctx); err != nil {
		log.Fatal(err)
	}
}
