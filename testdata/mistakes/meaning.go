package mistakes

// Two templates that match the same URIs.
//
//mcp:resource uri=notes://{id} auth=public
func Note(id string) (string, error) { return "", nil }

// The same shape under another variable name.
//
//mcp:resource uri=notes://{noteID} auth=public
func NoteByID(noteID string) (string, error) { return "", nil }

// Query variables write their names, so these differ.
//
//mcp:resource uri=search://{?q} auth=public
func SearchQ(q string) (string, error) { return "", nil }

// Different from the one above.
//
//mcp:resource uri=search://{?text} auth=public
func SearchText(text string) (string, error) { return "", nil }
