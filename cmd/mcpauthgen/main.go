// Command mcpauthgen generates MCP server registration code, with
// authorization, from //mcp: annotations on Go functions.
//
// Usage:
//
//	mcpauthgen [flags] [packages]
//	mcpauthgen -report [-json] [-scopes list] [packages]
//	mcpauthgen -cedar-schema [packages]
//
// It loads the packages (default ".") and writes, in each one that has
// annotated functions, a file mcpauth_gen.go declaring
//
//	func Register(s *runtime.Server)
//
// which registers every annotated tool, resource, resource template and
// prompt with a typed wrapper and its authorization checks. A package
// without annotations gets no file, and a stale generated file in it is
// removed. Files are written only when their content changes.
//
// Use it as a tool of your module (go get -tool
// github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen) from one go:generate line
// at the module root, which generates every package in one run:
//
//	//go:generate go tool mcpauthgen ./...
//
// or without the tool entry:
//
//	//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen ./...
//
// The flags are:
//
//	-o file
//		name of the generated file in each package (default mcpauth_gen.go)
//	-register name
//		name of the generated registration function (default Register)
//	-check
//		write nothing; report generated files that are missing, stale or
//		orphaned, with a unified diff on standard output, and exit 1 if
//		there are any
//	-v
//		list the files written, removed and already up to date
//	-require-auth
//		make every component without auth= an error (fail closed);
//		auth=public states that a component needs no check
//	-report
//		write nothing; print the authorization matrix of the packages on
//		standard output: per package, every component with its kind, name,
//		URI, tags, required scopes, checks, public flag and source position
//		(relative to the module root), as Markdown tables
//	-cedar-schema
//		write nothing; print the Cedar schema of the packages' components
//		(entity types, one action per component, each action's context
//		typed from the component's arguments), against which
//		//mcp:policies files are validated; see runtime/cedarauth
//	-json
//		with -report: print the matrix as JSON (see generator.AuthReport)
//	-scopes list
//		with -report: add, per component, whether a token with exactly
//		these comma-separated scopes can see it ("visible", "hidden" or
//		"depends on check"), judging from scopes(...) terms only;
//		-scopes= is a token without scopes
//
// Mistakes in annotations and handler signatures are reported as
// file:line:col: message, all of them, and nothing is written. A package
// of a run whose module has //mcp:scopes (or //mcp:tags) lines in any of
// the run's packages accepts only the scopes (or tags) they list.
// A package's //mcp:schema line chooses the struct tag conventions of its
// input schemas (invopop or gosdk); malformed schema tags are errors at the
// tag. A package's //mcp:backend line chooses the MCP SDK its generated
// registration targets (mcpgo, the default, or gosdk); -backend sets the
// default, so one run serves a module that uses both.
//
// A package may name Cedar policy files, relative to its directory, with
//
//	//mcp:policies FILE.cedar
//
// Generation (and so -check) then validates them against the package's
// Cedar schema: an unknown tool, prompt, resource, action or tag, an
// unknown context attribute or a type mismatch is reported as
// FILE.cedar:line:col: message, exit status 1, and nothing is written.
//
// The report cannot see middleware (runtime.WithMiddleware), which is
// configured at run time: it may deny more than the report shows. -report
// validates as generation does, -require-auth included, and fails the same
// way.
//
// Exit status: 0 on success (and, with -check, when everything is up to
// date); 1 for annotation or validation errors, or stale output under
// -check; 2 for usage errors and packages that cannot be loaded.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/generator"
	"github.com/mcpauthgen/mcpauthgen/internal/diff"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1 // annotation errors, or stale files under -check
	exitFailure = 2 // usage errors, load failures
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcpauthgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", generator.DefaultOutput, "`file` name of the generated file in each package")
	register := fs.String("register", generator.DefaultRegister, "`name` of the generated registration function")
	check := fs.Bool("check", false, "write nothing; report missing, stale or orphaned generated files with a diff and exit 1 if any")
	verbose := fs.Bool("v", false, "list the files written, removed and up to date")
	requireAuth := fs.Bool("require-auth", false, "fail for any component without auth= (auth=public states that none is needed)")
	report := fs.Bool("report", false, "write nothing; print the authorization matrix (Markdown) on standard output")
	asJSON := fs.Bool("json", false, "with -report: print JSON instead of Markdown")
	cedarSchema := fs.Bool("cedar-schema", false, "write nothing; print the Cedar schema of the packages' components on standard output")
	backend := fs.String("backend", generator.BackendMCPGo, "MCP SDK of packages without a //mcp:backend line: mcpgo (github.com/mark3labs/mcp-go) or gosdk (github.com/modelcontextprotocol/go-sdk)")
	var token []string
	tokenSet := false
	fs.Func("scopes", "with -report: say what a token with exactly these comma-separated `scopes` can see (-scopes= for none)", func(v string) error {
		tokenSet = true
		token = token[:0]
		for _, sc := range strings.Split(v, ",") {
			if sc = strings.TrimSpace(sc); sc != "" && !slices.Contains(token, sc) {
				token = append(token, sc)
			}
		}
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mcpauthgen [flags] [packages]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitFailure
	}
	switch {
	case !*report && (*asJSON || tokenSet):
		return usageError(fs, "-json and -scopes need -report")
	case *report && *check:
		return usageError(fs, "-report and -check cannot be used together")
	case *cedarSchema && (*report || *check):
		return usageError(fs, "-cedar-schema cannot be used with -report or -check")
	}
	cfg := generator.Config{Output: *output, Register: *register, RequireAuth: *requireAuth, Backend: *backend}

	cwd, _ := os.Getwd()
	rel := func(path string) string {
		if r, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return path
	}
	failed := func(err error) int {
		var list generator.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				pos := e.Pos
				pos.Filename = rel(pos.Filename)
				fmt.Fprintf(stderr, "%s: %s\n", pos, e.Msg)
			}
			return exitInvalid
		}
		fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
		return exitFailure
	}

	if *cedarSchema {
		out, err := generator.CedarSchema(cfg, fs.Args()...)
		if err != nil {
			return failed(err)
		}
		if _, err := stdout.Write(out); err != nil {
			fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
			return exitFailure
		}
		return exitOK
	}

	if *report {
		r, err := generator.Report(cfg, fs.Args()...)
		if err != nil {
			return failed(err)
		}
		if tokenSet {
			r = r.ForToken(token)
		}
		out := r.Markdown()
		if *asJSON {
			if out, err = r.JSON(); err != nil {
				return failed(err)
			}
		}
		if _, err := stdout.Write(out); err != nil {
			fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
			return exitFailure
		}
		return exitOK
	}

	files, err := generator.Generate(cfg, fs.Args()...)
	if err != nil {
		return failed(err)
	}

	stale := 0
	for _, f := range files {
		old, err := os.ReadFile(f.Path)
		exists := err == nil
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
			return exitFailure
		}
		name := rel(f.Path)
		current := f.Remove && !exists || !f.Remove && exists && bytes.Equal(old, f.Content)
		switch {
		case current:
			if *verbose {
				fmt.Fprintf(stderr, "up to date: %s\n", name)
			}
		case *check:
			stale++
			what := "stale"
			switch {
			case f.Remove:
				what = "orphaned (its package has no annotations)"
			case !exists:
				what = "missing"
			}
			fmt.Fprintf(stderr, "%s: %s\n", name, what)
			fmt.Fprint(stdout, diff.Unified(name, name, old, f.Content))
		case f.Remove:
			if err := os.Remove(f.Path); err != nil {
				fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
				return exitFailure
			}
			if *verbose {
				fmt.Fprintf(stderr, "removed: %s\n", name)
			}
		default:
			if err := os.WriteFile(f.Path, f.Content, 0o666); err != nil {
				fmt.Fprintf(stderr, "mcpauthgen: %v\n", err)
				return exitFailure
			}
			if *verbose {
				fmt.Fprintf(stderr, "wrote: %s\n", name)
			}
		}
	}
	if stale > 0 {
		fmt.Fprintf(stderr, "mcpauthgen: %d generated file(s) out of date; run go generate\n", stale)
		return exitInvalid
	}
	return exitOK
}

func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintf(fs.Output(), "mcpauthgen: %s\n", msg)
	fs.Usage()
	return exitFailure
}
