//go:build race

package parity_test

// hostileURISize is the length of the URIs the bound tests send: under
// the race detector, the template matchers of both SDKs take about five
// times as long per byte of URI, so the tests send less (still 64 times
// what is recorded).
const hostileURISize = 128 << 10
