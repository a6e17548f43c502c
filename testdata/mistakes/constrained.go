//go:build ignore

package mistakes

// Excluded by build constraints: reported, not skipped.
//
//mcp:tool auth=public
func Ignored() (string, error) { return "", nil }
