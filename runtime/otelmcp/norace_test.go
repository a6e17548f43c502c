//go:build !race

package otelmcp_test

// hostileURISize is the length of the URIs the bound tests send (see
// race_test.go).
const hostileURISize = 1 << 20
