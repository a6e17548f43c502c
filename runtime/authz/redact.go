package authz

import "strings"

// RedactedPassword replaces the password of a URI's userinfo in what is
// recorded, as url.URL.Redacted writes it.
const RedactedPassword = "xxxxx"

// RedactURI returns uri with the password of its userinfo replaced by
// RedactedPassword ("scheme://alice:secret@host/x" becomes
// "scheme://alice:xxxxx@host/x"), as url.URL.Redacted does; every other
// byte is kept as the client sent it. Unlike Redacted it needs no URL that
// net/url can parse: a client chooses what it sends, and a URI that
// url.Parse refuses (a bad escape, a space in the host) can carry a
// password just as well.
//
// The authority is what follows "scheme://" (or a leading "//") up to the
// first "/", "?" or "#"; its userinfo ends at its last "@", and the
// password is what follows the userinfo's first ":". A user name alone
// ("scheme://alice@host") is kept, as url.URL.Redacted keeps it. Nothing
// else of a URI is redacted: a query string or path is recorded as sent.
//
// Decisions hold resource URIs so redacted (Decision.Target, URI and Name),
// and so do the runtime's logs and spans.
func RedactURI(uri string) string {
	if !strings.Contains(uri, "@") {
		return uri // the common case: no userinfo, no allocation
	}
	start := authorityStart(uri)
	if start < 0 {
		return uri
	}
	authority := uri[start:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return uri
	}
	colon := strings.IndexByte(authority[:at], ':')
	if colon < 0 || authority[colon+1:at] == RedactedPassword {
		return uri
	}
	return uri[:start+colon+1] + RedactedPassword + uri[start+at:]
}

// authorityStart returns the index at which the authority of uri begins:
// after "scheme://" (a scheme of RFC 3986 section 3.1) or a leading "//";
// -1 when uri has no authority.
func authorityStart(uri string) int {
	if strings.HasPrefix(uri, "//") {
		return 2
	}
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return -1
			}
		case c == ':':
			if i > 0 && strings.HasPrefix(uri[i+1:], "//") {
				return i + 3
			}
			return -1
		default:
			return -1
		}
	}
	return -1
}

// Redacted returns d with the password of each resource URI it holds
// (Target, URI, and Name, which for a resource can be its URI) replaced,
// as RedactURI does. Both runtimes hand their decision hooks decisions so
// redacted, and bounded (Recorded): a decision never holds a password a
// client put in a URI.
func (d Decision) Redacted() Decision {
	if d.Kind == KindResource || d.Kind == KindResourceTemplate {
		d.Target, d.URI, d.Name = RedactURI(d.Target), RedactURI(d.URI), RedactURI(d.Name)
	}
	return d
}

// Recorded returns d as both runtimes hand it to their decision hooks:
// Redacted, and with the names and URIs it took from the request bounded
// (Truncate): Target, URI and Name to MaxRecordedURI bytes for a resource
// or resource template, Target and Name to MaxRecordedName bytes for a
// tool or prompt; SessionID as RecordedSessionID bounds it. A decision
// made of a short name or URI is d itself, without allocating.
func (d Decision) Recorded() Decision {
	d.SessionID = RecordedSessionID(d.SessionID)
	if d.Kind == KindResource || d.Kind == KindResourceTemplate {
		d.Target, d.URI, d.Name = RecordedURI(d.Target), RecordedURI(d.URI), RecordedURI(d.Name)
	} else {
		d.Target, d.Name, d.URI = RecordedName(d.Target), RecordedName(d.Name), Truncate(d.URI, MaxRecordedURI)
	}
	return d
}
