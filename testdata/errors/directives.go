// Package errors holds one of each mistake the generator reports: its
// golden errors.txt lists them all, from a single run.
package errors

import (
	"context"

	"github.com/mcpauthgen/mcpauthgen/runtime"
)

//mcp:scopes read write admin

// Misspelt key.
//
//mcp:tool nmae=x
func MisspeltKey() (string, error) { return "", nil }

// Unknown kind.
//
//mcp:tol
func UnknownKind() (string, error) { return "", nil }

// A resource without uri=.
//
//mcp:resource
func NoURI() (string, error) { return "", nil }

// A tool hint on a prompt.
//
//mcp:prompt readonly
func HintOnPrompt() (string, error) { return "", nil }

// An unknown auth term.
//
//mcp:tool auth=role(admin)
func UnknownTerm() (string, error) { return "", nil }

// A scope outside the vocabulary.
//
//mcp:tool auth=scopes(read,wrte)
func OffVocabulary() (string, error) { return "", nil }

// T is not a function.
//
//mcp:tool
type T struct{}

// M is a method.
//
//mcp:tool
func (T) M() (string, error) { return "", nil }

// InBody has a directive in its body.
func InBody() {
	//mcp:tool
}

//mcp:prompt

// Twice carries two directives.
//
//mcp:tool
//mcp:prompt
func Twice() (string, error) { return "", nil }

// Generic is generic.
//
//mcp:tool
func Generic[T any](v T) (string, error) { return "", nil }

//mcp:tool
func init() {}

// Größe has no valid default name.
//
//mcp:tool
func Größe() (string, error) { return "", nil }

// Register clashes with the generated function.
var Register = 1

// unused keeps the imports of the file used.
var _ = context.Background
var _ runtime.AuthCheck
