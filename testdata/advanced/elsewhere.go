package advanced

// Audit names a check of a package that this file does not import (no
// code here uses it): the generated file imports it.
//
//mcp:tool auth=check(policy.IsOwner)
func Audit() (string, error) { return "audited", nil }
