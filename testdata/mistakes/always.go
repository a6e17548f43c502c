//go:build go1.21

package mistakes

// A component in a file with a build constraint, even one that always
// holds here: the generated file carries no constraint.
//
//mcp:tool auth=public
func LinuxOnly() (string, error) { return "", nil }
