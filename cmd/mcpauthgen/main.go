// Command mcpauthgen generates MCP server registration code, with
// authorization, from //mcp: annotations on Go functions.
//
// Usage:
//
//	mcpauthgen [flags] [packages]
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
// Use it from a go:generate line:
//
//	//go:generate go run github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen
//
// or as a tool (go get -tool github.com/mcpauthgen/mcpauthgen/cmd/mcpauthgen,
// then //go:generate go tool mcpauthgen).
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
//
// Mistakes in annotations and handler signatures are reported as
// file:line:col: message, all of them, and nothing is written.
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

	cwd, _ := os.Getwd()
	rel := func(path string) string {
		if r, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return path
	}
	files, err := generator.Generate(generator.Config{Output: *output, Register: *register}, fs.Args()...)
	if err != nil {
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
