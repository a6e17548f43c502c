// Package schematags has one of each mistake in schema tags under the
// invopop convention, and a second //mcp:schema line.
package schematags

import "context"

//mcp:schema invopop required=tags

//mcp:schema gosdk

// Args has malformed tags.
type Args struct {
	Limit int       `json:"limit" jsonschema:"minimum=1,default=ten"`
	Op    string    `json:"op" jsonschema:"enum=a,enm=b"`
	Flag  bool      `json:"flag" jsonschema:"minLength=1"`
	Size  int       `json:"size" jsonschema:"maxLength=3"`
	Name  string    `json:"name" jsonschema:"minLength=-1"`
	Any   any       `json:"any" jsonschema:"format=uri"`
	Kind  string    `json:"kind" jsonschema:"oneof_type=string;integer"`
	X     string    `json:"x" jsonschema_extras:"type=string,novalue"`
	Ratio float64   `json:"ratio" jsonschema:"maximum=1.5.2"`
	Obj   Nested    `json:"obj" jsonschema:"minimum=1"`
	Bare  string    `json:"bare" jsonschema:"optional"`
	List  [][]int   `json:"list" jsonschema:"enum=1"`
	On    bool      `json:"on" jsonschema:"default=yes"`
	Esc   string    "json:\"esc\" jsonschema:\"pattern=a\\\\,b,minLength=x\""
	Ptrs  []*Nested `json:"ptrs" jsonschema:"uniqueItems=maybe"`
	Req   string    `json:"req" jsonschema:"required=true"`
}

// Nested is nested.
type Nested struct {
	Deep string `json:"deep" jsonschema:"maxLength=many"`
}

// Custom computes its schema at run time.
type Custom struct{ V string }

// JSONSchema is an invopop/jsonschema hook.
func (Custom) JSONSchema() any { return nil }

// CustomArgs holds a Custom.
type CustomArgs struct {
	C Custom `json:"c"`
}

// Tool takes Args.
//
//mcp:tool
func Tool(ctx context.Context, in Args) (string, error) { return "", nil }

// Hooked takes a type with a JSONSchema method.
//
//mcp:tool
func Hooked(in CustomArgs) (string, error) { return "", nil }

// Prompt takes a struct with a bad tag.
//
//mcp:prompt
func Prompt(in struct {
	Topic string `json:"topic" jsonschema:"required,maxLength=x"`
}) (string, error) {
	return "", nil
}
