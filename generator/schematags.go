package generator

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// convention is how a package's argument structs become input schemas,
// as its //mcp:schema line says.
type convention struct {
	// gosdk selects the official Go SDK's conventions: the jsonschema tag
	// is the description, and types map as github.com/google/jsonschema-go
	// maps them. Otherwise github.com/invopop/jsonschema's tags and types
	// apply.
	gosdk    bool
	required requiredRule
	closed   bool // objects get "additionalProperties": false
}

// requiredRule says which struct fields are required arguments.
type requiredRule int

const (
	requiredShape requiredRule = iota // neither a pointer nor omitempty/omitzero
	requiredJSON                      // not omitempty/omitzero (the libraries' own rule)
	requiredTags                      // only fields tagged jsonschema:"required"
)

// defaultConvention applies to a package without //mcp:schema: invopop's
// tags, required by Go shape, objects open. It is what the generator did
// before conventions could be chosen, with invopop's keywords read.
var defaultConvention = convention{required: requiredShape}

// conventionOf returns the convention a //mcp:schema line names: the
// library's own defaults (required unless omitempty, objects closed),
// changed by required= and additionalProperties=.
func conventionOf(l *annotations.Schema) convention {
	c := convention{gosdk: l.Convention.Text == "gosdk", required: requiredJSON, closed: true}
	switch l.Required.Text {
	case "shape":
		c.required = requiredShape
	case "tags":
		c.required = requiredTags
	}
	if l.AdditionalProperties.Text == "true" {
		c.closed = false
	}
	return c
}

// fieldTags is what a field's schema tags say.
type fieldTags struct {
	omit     bool // jsonschema:"-" (invopop)
	required bool // jsonschema:"required" (invopop)
	nullable bool // jsonschema:"nullable" (invopop)

	description    string
	hasDescription bool

	keywords []tagItem // key=value items of the jsonschema tag, in order
	extras   []tagItem // items of jsonschema_extras
}

// tagItem is one comma-separated item of a tag's value.
type tagItem struct {
	key, value string
	tag        string // the tag's key: jsonschema or jsonschema_extras
	off        int    // byte offset of the item in the tag's value
}

func (it tagItem) String() string { return it.key + "=" + it.value }

// fieldTags reads a field's schema tags, reporting malformed ones.
func (g *schemaGen) fieldTags(f jsonField) fieldTags {
	var ft fieldTags
	if g.conv.gosdk {
		tag, ok := f.tag.Lookup("jsonschema")
		switch {
		case !ok:
		case tag == "":
			g.tagError(f, "jsonschema", 0, "empty jsonschema tag (the go-sdk convention takes the tag as the description)")
		case goSDKReserved.MatchString(tag):
			g.tagError(f, "jsonschema", 0, fmt.Sprintf("jsonschema tag %q begins with WORD=, which the go-sdk convention refuses: the whole tag is the description", tag))
		default:
			ft.description, ft.hasDescription = tag, true
		}
		return ft
	}
	if d, ok := f.tag.Lookup("jsonschema_description"); ok {
		ft.description, ft.hasDescription = d, true
	}
	items := splitTag(f.tag.Get("jsonschema"))
	if len(items) > 0 && items[0].value == "-" {
		ft.omit = true
		return ft
	}
	for _, it := range items {
		key, value, ok := strings.Cut(it.value, "=")
		switch {
		case it.value == "":
		case it.value == "required":
			ft.required = true
		case it.value == "nullable":
			ft.nullable = true
		case !ok:
			g.unknownKeyword(f, "jsonschema", it.off, it.value)
		case key == "description":
			ft.description, ft.hasDescription = value, true
		case key == "required" || key == "nullable" || key == "-":
			g.tagError(f, "jsonschema", it.off, fmt.Sprintf("jsonschema item %s takes no value: write %s", key, key))
		default:
			ft.keywords = append(ft.keywords, tagItem{key: key, value: value, tag: "jsonschema", off: it.off})
		}
	}
	for _, it := range splitTag(f.tag.Get("jsonschema_extras")) {
		key, value, ok := strings.Cut(it.value, "=")
		switch {
		case it.value == "":
		case !ok || key == "":
			g.tagError(f, "jsonschema_extras", it.off, fmt.Sprintf("jsonschema_extras item %q is not key=value", it.value))
		default:
			ft.extras = append(ft.extras, tagItem{key: key, value: value, tag: "jsonschema_extras", off: it.off})
		}
	}
	return ft
}

// goSDKReserved is what github.com/google/jsonschema-go refuses at the
// start of a jsonschema tag.
var goSDKReserved = regexp.MustCompile("^[^ \t\n]*=")

// splitTag splits a tag's value at commas not escaped as \, (which
// stands for a comma), as invopop does, keeping each item's offset.
func splitTag(tag string) []tagItem {
	if tag == "" {
		return nil
	}
	var items []tagItem
	var cur strings.Builder
	start := 0
	for i := 0; i < len(tag); i++ {
		switch {
		case tag[i] == '\\' && i+1 < len(tag) && tag[i+1] == ',':
			cur.WriteByte(',')
			i++
		case tag[i] == ',':
			items = append(items, tagItem{value: cur.String(), off: start})
			cur.Reset()
			start = i + 1
		default:
			cur.WriteByte(tag[i])
		}
	}
	return append(items, tagItem{value: cur.String(), off: start})
}

// The keywords of invopop's jsonschema tag, by the schema type they apply
// to ("" for any), and those mcpauthgen does not support.
var (
	stringKeywords  = []string{"minLength", "maxLength", "pattern", "format", "readOnly", "writeOnly", "default", "example", "enum"}
	numberKeywords  = []string{"multipleOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "default", "example", "enum"}
	arrayKeywords   = []string{"minItems", "maxItems", "uniqueItems", "default", "format", "pattern"}
	booleanKeywords = []string{"default"}
	unsupported     = []string{"type", "anchor", "oneof_required", "anyof_required", "oneof_ref", "oneof_type", "anyof_ref", "anyof_type"}
	allKeywords     = slices.Concat([]string{"title", "description", "required", "nullable"}, stringKeywords, numberKeywords, arrayKeywords, unsupported)
)

func (g *schemaGen) unknownKeyword(f jsonField, tag string, off int, word string) {
	key, _, _ := strings.Cut(word, "=")
	msg := fmt.Sprintf("unknown jsonschema keyword %q", key)
	if sg := annotations.Suggest(key, allKeywords); sg != "" {
		msg += fmt.Sprintf("; did you mean %q?", sg)
	}
	g.tagError(f, tag, off, msg)
}

// apply sets the keywords of a field's tags on its schema s, typing each
// value by the schema's type, as invopop does: string keywords on
// strings, numeric ones on numbers and integers, array keywords on arrays
// (the others go to the items), only a default on booleans. A keyword
// that does not apply to the field's type is reported.
func (g *schemaGen) apply(s *schema, f jsonField, ft fieldTags) {
	if ft.hasDescription {
		s.Description = ft.description
	}
	var arrayDefaults []tagItem
	for _, it := range ft.keywords {
		switch {
		case it.key == "title":
			s.Title = it.value
			continue
		case slices.Contains(unsupported, it.key):
			g.tagError(f, it.tag, it.off, fmt.Sprintf("jsonschema keyword %q is not supported by mcpauthgen", it.key))
			continue
		case !slices.Contains(allKeywords, it.key):
			g.unknownKeyword(f, it.tag, it.off, it.key)
			continue
		}
		kind, _ := s.Type.(string)
		if kind != "array" {
			if msg := applyScalar(s, kind, it); msg != "" {
				g.tagError(f, it.tag, it.off, msg)
			}
			continue
		}
		var msg string
		switch it.key {
		case "minItems":
			s.MinItems, msg = uintValue(it)
		case "maxItems":
			s.MaxItems, msg = uintValue(it)
		case "uniqueItems":
			s.UniqueItems, msg = boolValue(it)
		case "default":
			arrayDefaults = append(arrayDefaults, it)
		case "format":
			s.Items.Format = it.value
		case "pattern":
			s.Items.Pattern = it.value
		default:
			items, _ := s.Items.Type.(string)
			msg = applyScalar(s.Items, items, it)
			if msg != "" && (items == "array" || items == "object" || items == "") {
				msg = fmt.Sprintf("jsonschema keyword %s applies to an array's items, and they are not strings, numbers or booleans", it.key)
			}
		}
		if msg != "" {
			g.tagError(f, it.tag, it.off, msg)
		}
	}
	if len(arrayDefaults) > 0 {
		kind, _ := s.Items.Type.(string)
		var values []json.RawMessage
		for _, it := range arrayDefaults {
			v, msg := typedValue(kind, it)
			if msg != "" {
				g.tagError(f, it.tag, it.off, msg)
				continue
			}
			values = append(values, v)
		}
		s.Default, _ = json.Marshal(values)
	}
	for _, it := range ft.extras {
		g.extra(s, f, it)
	}
}

// applyScalar sets keyword it on s, a schema of type kind; it returns why
// it cannot.
func applyScalar(s *schema, kind string, it tagItem) string {
	var known []string
	switch kind {
	case "string":
		known = stringKeywords
	case "integer", "number":
		known = numberKeywords
	case "boolean":
		known = booleanKeywords
	}
	if !slices.Contains(known, it.key) {
		what := "a " + kind
		switch kind {
		case "":
			what = "a value of any type"
		case "object", "integer":
			what = "an " + kind
		}
		return fmt.Sprintf("jsonschema keyword %s does not apply to %s", it.key, what)
	}
	var msg string
	switch it.key {
	case "minLength":
		s.MinLength, msg = uintValue(it)
	case "maxLength":
		s.MaxLength, msg = uintValue(it)
	case "pattern":
		s.Pattern = it.value
	case "format":
		s.Format = it.value
	case "readOnly":
		s.ReadOnly, msg = boolValue(it)
	case "writeOnly":
		s.WriteOnly, msg = boolValue(it)
	case "multipleOf":
		s.MultipleOf, msg = typedValue("number", it)
	case "minimum":
		s.Minimum, msg = typedValue("number", it)
	case "maximum":
		s.Maximum, msg = typedValue("number", it)
	case "exclusiveMinimum":
		s.ExclusiveMinimum, msg = typedValue("number", it)
	case "exclusiveMaximum":
		s.ExclusiveMaximum, msg = typedValue("number", it)
	case "default":
		s.Default, msg = typedValue(kind, it)
	case "example":
		var v json.RawMessage
		if v, msg = typedValue(kind, it); msg == "" {
			s.Examples = append(s.Examples, v)
		}
	case "enum":
		var v json.RawMessage
		if v, msg = typedValue(kind, it); msg == "" {
			s.Enum = append(s.Enum, v)
		}
	}
	return msg
}

var (
	jsonInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	jsonNumber  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
)

// typedValue returns the value of it as JSON of the given schema type.
func typedValue(kind string, it tagItem) (json.RawMessage, string) {
	switch kind {
	case "integer":
		if !jsonInteger.MatchString(it.value) {
			return nil, fmt.Sprintf("%s: %q is not an integer", it.key, it.value)
		}
		return json.RawMessage(it.value), ""
	case "number":
		if !jsonNumber.MatchString(it.value) {
			return nil, fmt.Sprintf("%s: %q is not a number", it.key, it.value)
		}
		return json.RawMessage(it.value), ""
	case "boolean":
		if it.value != "true" && it.value != "false" {
			return nil, fmt.Sprintf("%s: %q is not a boolean (want true or false)", it.key, it.value)
		}
		return json.RawMessage(it.value), ""
	case "string":
		b, _ := marshal(it.value)
		return b, ""
	}
	return nil, fmt.Sprintf("%s: items of this array cannot take a value from a tag", it.key)
}

func uintValue(it tagItem) (*uint64, string) {
	n, err := strconv.ParseUint(it.value, 10, 64)
	if err != nil {
		return nil, fmt.Sprintf("%s: %q is not a non-negative integer", it.key, it.value)
	}
	return &n, ""
}

func boolValue(it tagItem) (bool, string) {
	switch it.value {
	case "true":
		return true, ""
	case "false":
		return false, ""
	}
	return false, fmt.Sprintf("%s: %q is not a boolean (want true or false)", it.key, it.value)
}

// reservedExtras are the keywords a jsonschema_extras item may not set:
// those the generator writes itself.
var reservedExtras = []string{
	"type", "title", "format", "contentEncoding", "description", "enum", "default", "examples",
	"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
	"pattern", "minItems", "maxItems", "uniqueItems", "readOnly", "writeOnly", "items", "properties",
	"patternProperties", "required", "additionalProperties", "oneOf", "anyOf", "allOf", "not",
	"$ref", "$schema", "$id", "$defs", "const",
}

// extra adds a jsonschema_extras item to s, as invopop does: true and
// false are booleans, other values strings, and a repeated key collects
// its values in a list.
func (g *schemaGen) extra(s *schema, f jsonField, it tagItem) {
	if slices.Contains(reservedExtras, it.key) {
		g.tagError(f, it.tag, it.off, fmt.Sprintf("jsonschema_extras cannot set %q, a keyword the schema is built from (use the jsonschema tag)", it.key))
		return
	}
	value, _ := marshal(it.value)
	if it.value == "true" || it.value == "false" {
		value = json.RawMessage(it.value)
	}
	i := slices.IndexFunc(s.extras, func(x extra) bool { return x.key == it.key })
	if i < 0 {
		s.extras = append(s.extras, extra{key: it.key, value: value})
		return
	}
	var list []string
	if err := json.Unmarshal(s.extras[i].value, &list); err != nil {
		var one string
		if err := json.Unmarshal(s.extras[i].value, &one); err != nil {
			g.tagError(f, it.tag, it.off, fmt.Sprintf("jsonschema_extras repeats %q, whose first value is not a string", it.key))
			return
		}
		list = []string{one}
	}
	s.extras[i].value, _ = marshal(append(list, it.value))
}

// required reports whether a field is a required argument under the
// package's rule; an invopop jsonschema:"required" tag always makes it
// one.
func (g *schemaGen) required(f jsonField, ft fieldTags) bool {
	if ft.required {
		return true
	}
	_, ptr := types.Unalias(f.v.Type()).(*types.Pointer)
	switch g.conv.required {
	case requiredJSON:
		return !f.omitempty
	case requiredTags:
		return false
	}
	return !ptr && !f.omitempty
}

// promptArg returns a prompt struct field's description and whether it is
// required, by the same rules as tool arguments, and whether the field is
// an argument at all (invopop's jsonschema:"-" leaves it out).
func (g *schemaGen) promptArg(f jsonField) (description string, required, ok bool) {
	ft := g.fieldTags(f)
	if ft.omit {
		return "", false, false
	}
	for _, it := range slices.Concat(ft.keywords, ft.extras) {
		g.tagError(f, it.tag, it.off, fmt.Sprintf("jsonschema keyword %s has no effect on a prompt argument, which has no schema", it.key))
	}
	if ft.nullable {
		g.tagError(f, "jsonschema", 0, "jsonschema keyword nullable has no effect on a prompt argument, which has no schema")
	}
	description = ft.description
	if !ft.hasDescription {
		description = g.docs[f.v.Pos()]
	}
	return description, g.required(f, ft), true
}

// schemaMethod returns the name of an invopop/jsonschema hook method of
// the named type n (or of its pointer), or "".
func schemaMethod(n *types.Named) string {
	for _, name := range []string{"JSONSchema", "JSONSchemaExtend", "JSONSchemaAlias", "JSONSchemaProperty"} {
		if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(n), true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return name
			}
		}
	}
	return ""
}

// tagPositions maps the position of each struct field name (and of each
// embedded field's type) of the package's files to the field's tag.
func tagPositions(files []*ast.File) map[token.Pos]*ast.BasicLit {
	m := make(map[token.Pos]*ast.BasicLit)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fl := range st.Fields.List {
				if fl.Tag == nil {
					continue
				}
				if len(fl.Names) == 0 {
					m[embeddedPos(fl.Type)] = fl.Tag
				}
				for _, n := range fl.Names {
					m[n.Pos()] = fl.Tag
				}
			}
			return true
		})
	}
	return m
}

// tagPosition returns the position of byte off of the value of tag key in
// the field's tag: exact in a raw string literal up to the first escape,
// else the start of the key, else the start of the tag, else the field.
func (v *validator) tagPosition(f jsonField, key string, off int) token.Position {
	if v.tags == nil {
		v.tags = tagPositions(v.pkg.Syntax)
	}
	lit, ok := v.tags[f.v.Pos()]
	if !ok {
		return v.pkg.Fset.Position(f.v.Pos())
	}
	pos := v.pkg.Fset.Position(lit.Pos())
	if !strings.HasPrefix(lit.Value, "`") {
		return pos
	}
	raw := lit.Value[1 : len(lit.Value)-1]
	// Find key:" as reflect.StructTag.Lookup does: after a blank or at the
	// start.
	for i := 0; i < len(raw); {
		for i < len(raw) && raw[i] == ' ' {
			i++
		}
		if i >= len(raw) {
			break
		}
		j := i
		for j < len(raw) && raw[j] > ' ' && raw[j] != ':' && raw[j] != '"' {
			j++
		}
		if j+1 >= len(raw) || raw[j] != ':' || raw[j+1] != '"' {
			break
		}
		name := raw[i:j]
		k := j + 2
		for k < len(raw) && raw[k] != '"' {
			if raw[k] == '\\' {
				k++
			}
			k++
		}
		if name == key {
			value := raw[j+2 : min(k, len(raw))]
			if off <= len(value) && !strings.Contains(value[:off], `\`) {
				pos.Column += 1 + j + 2 + off
			} else {
				pos.Column += 1 + i
			}
			return pos
		}
		i = k + 1
	}
	return pos
}

// schemaConvention returns the convention of the package's //mcp:schema
// line, or the default without one; a second line is an error.
func (v *validator) schemaConvention(dirs []*directive) convention {
	var first *directive
	conv := defaultConvention
	for _, d := range dirs {
		l, ok := d.line.(*annotations.Schema)
		if !ok {
			continue
		}
		if first != nil {
			v.e.atPos(d.pos, "the package's schema conventions are already set at %s; one //mcp:schema line per package", v.shortPos(first.pos))
			continue
		}
		first = d
		conv = conventionOf(l)
	}
	return conv
}

// presenceChecked returns the required properties of an arguments object
// whose presence the runtime checks: those whose schema does not accept
// null. The runtime refuses a null required argument as missing, so a
// property the schema lets be null (a go-sdk pointer, an invopop nullable)
// is left to the decoder, which makes absent and null the same nil.
func presenceChecked(s *schema) []string {
	var out []string
	for _, name := range s.Required {
		i := slices.IndexFunc(*s.Properties, func(p property) bool { return p.Name == name })
		if i >= 0 && acceptsNull((*s.Properties)[i].Schema) {
			continue
		}
		out = append(out, name)
	}
	return out
}

func acceptsNull(s *schema) bool {
	if t, ok := s.Type.([]string); ok && slices.Contains(t, "null") {
		return true
	}
	return slices.ContainsFunc(s.OneOf, func(o *schema) bool { return o.Type == "null" })
}
