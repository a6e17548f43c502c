// Package schemasdk has the mistakes of the go-sdk convention.
package schemasdk

//mcp:schema gosdk required=shape

// Args has tags the go-sdk convention refuses.
type Args struct {
	Query string `json:"query" jsonschema:"description=the query"`
	Empty string `json:"empty" jsonschema:""`
	Fine  string `json:"fine" jsonschema:"a plain description, with = later"`
}

// Tool takes Args.
//
//mcp:tool
func Tool(in Args) (string, error) { return "", nil }
