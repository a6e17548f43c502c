package mistakes

// In a test file: reported, not skipped.
//
//mcp:tool auth=public
func InTest() (string, error) { return "", nil }

// MCP:prompt auth=public
func NearInTest() (string, error) { return "", nil }
