package authz

import (
	"fmt"
	"strconv"
)

// DefaultMaxURIBytes is the longest resource URI a request may name
// unless the server's WithMaxURIBytes says otherwise: 8 KiB, the 8000
// octets RFC 9110 (section 4.1) asks every HTTP implementation to support
// in a URI, rounded up, and the request-line limit of common HTTP servers
// (Apache's 8190 bytes, nginx's 8 KiB buffers).
//
// The bound exists because the SDKs' resource template matcher
// (github.com/yosida95/uritemplate, which both runtimes' SDKs use to find
// the template serving a URI) takes time in proportion to the URI's
// length, at a high rate per byte: a fraction of a second per template
// for a URI of 64 KiB, seconds for the 4 MiB a request body may hold
// (BenchmarkTemplateMatch in package runtime measures it).
const DefaultMaxURIBytes = 8 << 10

// URILimit is the limit on the length of the resource URI a request names
// (resources/read, resources/subscribe, resources/unsubscribe), in bytes;
// zero or less means DefaultMaxURIBytes. Both runtimes check it at their
// request entry, before any component is looked up, so that an over-long
// URI is refused alike whether a component would serve it, hide it, or
// none exists.
type URILimit int

// Bytes returns the limit in bytes: l, or DefaultMaxURIBytes when l <= 0.
func (l URILimit) Bytes() int {
	if l <= 0 {
		return DefaultMaxURIBytes
	}
	return int(l)
}

// Refusal returns "" when uri is within the limit, else the message the
// request is refused with: "resource URI longer than 8192 bytes", the
// same for every over-long URI, since it names the limit and nothing of
// the URI.
func (l URILimit) Refusal(uri string) string {
	if n := l.Bytes(); len(uri) > n {
		return fmt.Sprintf("resource URI longer than %d bytes", n)
	}
	return ""
}

// Rule is the rule a refusal records in its Decision: LayerLimit,
// "max_uri_bytes(8192)".
func (l URILimit) Rule() Rule {
	return Rule{Layer: LayerLimit, Text: "max_uri_bytes(" + strconv.Itoa(l.Bytes()) + ")"}
}
