package mistakes

// hidden has no exported fields.
type hidden struct {
	id   string
	size int
}

// No argument reaches it.
//
//mcp:tool auth=public
func Hidden(in hidden) (string, error) { return "", nil }

type inner struct{ Name string }

// Embedded holds an embedded pointer to an unexported struct.
type Embedded struct {
	*inner
	ID string `json:"id"`
}

// encoding/json cannot set the embedded pointer.
//
//mcp:tool auth=public
func EmbeddedPtr(in *Embedded) (string, error) { return "", nil }

// Clash has two fields named "id".
type Clash struct {
	ID    string `json:"id"`
	Other string `json:"id"`
	Name  string
}

// Both are dropped.
//
//mcp:tool auth=public
func Clashing(in Clash) (string, error) { return "", nil }

// A clash inside a nested struct of a named parameter.
//
//mcp:tool auth=public
func NestedClash(filter *Clash, n int) (string, error) { return "", nil }

// An unnamed parameter does not shift the position of the next one's error.
//
//mcp:tool auth=public
func Positions(_ int, bad chan int) (string, error) { return "", nil }

// Nor in a prompt.
//
//mcp:prompt auth=public
func PromptPositions(_ string, n int) (string, error) { return "", nil }
