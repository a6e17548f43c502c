package annotations

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxNameLen is the longest MCP name, in bytes.
const MaxNameLen = 128

// CheckName returns an error when name is not a valid MCP name: 1 to
// MaxNameLen ASCII letters, digits, '_', '-' and '.'. The generator checks
// names derived with SnakeCase with it too.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("invalid name %q: empty", name)
	}
	for _, r := range name {
		if !(r < 0x80 && (isLetter(byte(r)) || isDigit(byte(r)) || r == '_' || r == '-' || r == '.')) {
			return fmt.Errorf("invalid name %q: character %q not allowed (want letters, digits, '_', '-' or '.')", name, r)
		}
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("invalid name %q: longer than %d characters", name, MaxNameLen)
	}
	return nil
}

// SnakeCase returns the default MCP name of a Go function: its words in
// lower case joined by '_'. A word starts at an upper-case letter that
// follows a lower-case letter or a digit, and at the last upper-case letter
// of an acronym that a lower-case letter follows, so acronyms are words of
// their own; '_' also separates words. Digits belong to the word before
// them: common Go names keep reading naturally, a digit-first word does not.
//
//	DeleteAllData  delete_all_data
//	APITool        api_tool
//	GetHTTPStatus  get_http_status
//	ID             id
//	Base64Encode   base64_encode
//	HTTP2Server    http2_server
//	UserID2FA      user_id2_fa    (write name=user_id_2fa for another name)
//	Get2FACode     get2_fa_code
//
// The result is not checked: a Go name with non-ASCII letters gives an
// invalid MCP name, which CheckName reports.
func SnakeCase(goName string) string {
	rs := []rune(goName)
	var words []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			words = append(words, string(w))
			w = w[:0]
		}
	}
	for i, r := range rs {
		if r == '_' {
			flush()
			continue
		}
		if unicode.IsUpper(r) && i > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		w = append(w, unicode.ToLower(r))
	}
	flush()
	return strings.Join(words, "_")
}

// checkScope returns why s is not a valid scope, or "". A scope is an
// RFC 6749 scope-token (printable ASCII but space, double quote and
// backslash) without the bytes that mean something in auth=: parentheses,
// comma, single quote and backquote; and without '|', which reads as OR.
func checkScope(s string) string {
	if strings.Contains(s, "|") {
		return notOr("scope", "scopes", s)
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("\"\\(),'`", r) {
			return fmt.Sprintf("invalid scope %q: character %q not allowed", s, r)
		}
	}
	return ""
}

// checkRole returns why s is not a valid role, or "". A role follows the
// rules of a scope.
func checkRole(s string) string {
	if strings.Contains(s, "|") {
		return notOr("role", "roles", s)
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("\"\\(),'`", r) {
			return fmt.Sprintf("invalid role %q: character %q not allowed", s, r)
		}
	}
	return ""
}

// checkTag returns why s is not a valid tag, or "". A tag is printable
// text without blanks, quotes, backslash, parentheses and comma, so that
// a blank can never make one tag of two and a tag reads the same in
// auth= and in tags=.
func checkTag(s string) string {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return fmt.Sprintf("invalid tag %q: tags cannot contain blanks; separate tags with commas: tags=%s", s, strings.Join(strings.Fields(s), ","))
		case !unicode.IsPrint(r) || strings.ContainsRune("\"\\(),'`\u201c\u201d\u2018\u2019", r):
			return fmt.Sprintf("invalid tag %q: character %q not allowed", s, r)
		}
	}
	return ""
}

// notOr is the error for a scope or role written with "|", which reads as
// OR but would be one word that no token holds: it shows the any(…) that
// says OR.
func notOr(what, term, s string) string {
	var alts []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			alts = append(alts, term+"("+a+")")
		}
	}
	msg := fmt.Sprintf("invalid %s %q: character '|' not allowed; %s(...) needs every %s it names", what, s, term, what)
	if len(alts) > 1 {
		msg += "; for one of several, write any(" + strings.Join(alts, ",") + ")"
	}
	return msg
}
