package annotations

import (
	"strings"
	"testing"
)

func TestSnakeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		// SPEC §4a.
		{"DeleteAllData", "delete_all_data"},
		{"APITool", "api_tool"},
		{"GetHTTPStatus", "get_http_status"},
		{"ID", "id"},
		// Acronyms at either end and in a row.
		{"UserID", "user_id"},
		{"HTTPServer", "http_server"},
		{"JSONToXML", "json_to_xml"},
		{"ServeHTTP", "serve_http"},
		{"A", "a"},
		{"AB", "ab"},
		{"ABc", "a_bc"},
		{"AbC", "ab_c"},
		// Lower-case starts (unexported handlers) and single words.
		{"deleteAll", "delete_all"},
		{"echo", "echo"},
		{"Echo", "echo"},
		// Digits stay with the word before them.
		{"Base64Encode", "base64_encode"},
		{"SHA256Sum", "sha256_sum"},
		{"HTTP2Server", "http2_server"},
		{"Int64ID", "int64_id"},
		{"Win32API", "win32_api"},
		{"GetV2", "get_v2"},
		{"Float64s", "float64s"},
		{"ParseRFC3339Time", "parse_rfc3339_time"},
		{"UserID2FA", "user_id2_fa"},
		{"Get2FACode", "get2_fa_code"},
		{"Top10", "top10"},
		// Underscores separate words and never double.
		{"Get_User", "get_user"},
		{"get_user_ID", "get_user_id"},
		{"A__B", "a_b"},
		{"_Hidden_", "hidden"},
		{"_", ""},
		{"", ""},
		// Non-ASCII letters follow the same rules.
		{"ÜberCool", "über_cool"},
		{"GrüßGott", "grüß_gott"},
	}
	for _, tt := range tests {
		if got := SnakeCase(tt.in); got != tt.want {
			t.Errorf("SnakeCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"a", "delete_all_data", "v1.2-beta", "A_B", strings.Repeat("x", 128)} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", ok, err)
		}
	}
	for name, want := range map[string]string{
		"":                       `invalid name "": empty`,
		"a b":                    `invalid name "a b": character ' ' not allowed (want letters, digits, '_', '-' or '.')`,
		"a/b":                    `invalid name "a/b": character '/' not allowed (want letters, digits, '_', '-' or '.')`,
		"grüß":                   `invalid name "grüß": character 'ü' not allowed (want letters, digits, '_', '-' or '.')`,
		strings.Repeat("x", 129): `invalid name "` + strings.Repeat("x", 129) + `": longer than 128 characters`,
	} {
		err := CheckName(name)
		if err == nil || err.Error() != want {
			t.Errorf("CheckName(%q) = %v, want %s", name, err, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"auth", "description", "mime", "name", "tags", "title", "uri"}
	scopes := []string{"read", "write", "admin", "repo:read"}
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"nmae", keys, "name"},  // swap
		{"nam", keys, "name"},   // deletion
		{"names", keys, "name"}, // insertion
		{"nome", keys, "name"},  // substitution
		{"descripton", keys, "description"},
		{"uir", keys, "uri"},     // swap in a short word
		{"Name", keys, "name"},   // case
		{"TAGS", keys, "tags"},   // case, however far
		{"tilte", keys, "title"}, // swap
		{"auht", keys, "auth"},
		{"color", keys, ""}, // too far
		{"x", keys, ""},     // a one-letter word suggests nothing
		{"ur", keys, "uri"},
		{"tg", keys, ""}, // the distance must stay below the word's length
		{"", keys, ""},
		{"wirte", scopes, "write"},
		{"raed", scopes, "read"},
		{"admn", scopes, "admin"},
		{"repo:raed", scopes, "repo:read"},
		{"red", scopes, "read"},
		{"delete", scopes, ""},
		{"read", scopes, "read"},           // an exact match is its own suggestion
		{"ab", []string{"ac", "ad"}, "ac"}, // ties go to the first candidate
		{"a", nil, ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.word, tt.candidates); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.word, tt.candidates, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"nmae", "name", 1},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau
		{"flaw", "lawn", 2},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}
