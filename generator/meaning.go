package generator

import "strings"

// templateShape returns an RFC 6570 template with the names of its
// variables erased where they do not appear in the URIs it matches, so that
// two templates with the same shape match the same URIs:
// "notes://{id}" and "notes://{noteID}" are both "notes://{}". Query
// expressions ({?a,b}, {&a}) and path parameters ({;a}) write their names
// into the URI and keep them.
func templateShape(tmpl string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:open])
		expr := tmpl[open+1 : open+end]
		tmpl = tmpl[open+end+1:]
		op := ""
		if expr != "" && strings.ContainsRune("+#./;?&", rune(expr[0])) {
			op, expr = expr[:1], expr[1:]
		}
		b.WriteString("{" + op)
		for i, v := range strings.Split(expr, ",") {
			if i > 0 {
				b.WriteByte(',')
			}
			name, mod := v, ""
			if j := strings.IndexAny(v, ":*"); j >= 0 {
				name, mod = v[:j], v[j:]
			}
			if strings.Contains(";?&", op) && op != "" {
				b.WriteString(name)
			}
			b.WriteString(mod)
		}
		b.WriteByte('}')
	}
}
