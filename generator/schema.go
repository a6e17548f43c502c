package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"
)

// schema is a JSON Schema for tool arguments. Its fields marshal in a
// fixed order and properties in declaration order, so the generated
// schema text is deterministic and reads like the Go type. Values taken
// from struct tags are kept as JSON text, typed by the field's type.
type schema struct {
	Type                 any               `json:"type,omitempty"` // a string, or go-sdk's ["null", type]
	Title                string            `json:"title,omitempty"`
	Format               string            `json:"format,omitempty"`
	ContentEncoding      string            `json:"contentEncoding,omitempty"`
	Description          string            `json:"description,omitempty"`
	Enum                 []json.RawMessage `json:"enum,omitempty"`
	Default              json.RawMessage   `json:"default,omitempty"`
	Examples             []json.RawMessage `json:"examples,omitempty"`
	Minimum              json.RawMessage   `json:"minimum,omitempty"`
	ExclusiveMinimum     json.RawMessage   `json:"exclusiveMinimum,omitempty"`
	Maximum              json.RawMessage   `json:"maximum,omitempty"`
	ExclusiveMaximum     json.RawMessage   `json:"exclusiveMaximum,omitempty"`
	MultipleOf           json.RawMessage   `json:"multipleOf,omitempty"`
	MinLength            *uint64           `json:"minLength,omitempty"`
	MaxLength            *uint64           `json:"maxLength,omitempty"`
	Pattern              string            `json:"pattern,omitempty"`
	MinItems             *uint64           `json:"minItems,omitempty"`
	MaxItems             *uint64           `json:"maxItems,omitempty"`
	UniqueItems          bool              `json:"uniqueItems,omitempty"`
	ReadOnly             bool              `json:"readOnly,omitempty"`
	WriteOnly            bool              `json:"writeOnly,omitempty"`
	Items                *schema           `json:"items,omitempty"`
	Properties           *properties       `json:"properties,omitempty"`
	PatternProperties    *properties       `json:"patternProperties,omitempty"`
	Required             []string          `json:"required,omitempty"`
	AdditionalProperties any               `json:"additionalProperties,omitempty"` // *schema, or false
	OneOf                []*schema         `json:"oneOf,omitempty"`

	// extras are jsonschema_extras keywords, after the others.
	extras []extra
}

// extra is one keyword of a jsonschema_extras tag.
type extra struct {
	key   string
	value json.RawMessage
}

// MarshalJSON writes s with its extras after the other keywords.
func (s *schema) MarshalJSON() ([]byte, error) {
	type plain schema
	b, err := marshal((*plain)(s))
	if err != nil || len(s.extras) == 0 {
		return b, err
	}
	var out bytes.Buffer
	out.Write(b[:len(b)-1])
	for i, x := range s.extras {
		if i > 0 || len(b) > 2 {
			out.WriteByte(',')
		}
		k, err := marshal(x.key)
		if err != nil {
			return nil, err
		}
		out.Write(k)
		out.WriteByte(':')
		out.Write(x.value)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

type property struct {
	Name   string
	Schema *schema
}

// properties marshal as a JSON object in slice order.
type properties []property

func (ps *properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range *ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(p.Name)
		if err != nil {
			return nil, err
		}
		v, err := marshal(p.Schema)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping, so that descriptions
// keep their < and >.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// objectSchema returns the schema of a tool's arguments as indented
// JSON, each line after the first prefixed with indent.
func objectSchema(root *schema, indent string) string {
	if root.Properties == nil {
		root.Properties = &properties{}
	}
	b, err := marshal(root)
	if err != nil {
		panic(err) // schemas hold strings, numbers and JSON values only
	}
	if len(*root.Properties) == 0 && root.AdditionalProperties == nil {
		return string(b)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, indent, "\t"); err != nil {
		panic(err)
	}
	return out.String()
}

// schemaGen derives JSON Schemas from Go types, as encoding/json would
// decode them, under the package's conventions.
type schemaGen struct {
	docs  map[token.Pos]string // struct field documentation by field position
	qual  types.Qualifier
	conv  convention
	stack []*types.Named // named types being expanded, to refuse recursion

	// tagError reports a mistake in a field's schema tags; generation
	// goes on, so that every mistake is reported.
	tagError func(f jsonField, key string, off int, msg string)
}

// schemaError is a type that has no input schema, with the argument path
// (JSON names joined by dots) where it was found.
type schemaError struct {
	path string
	msg  string
}

func (e *schemaError) Error() string { return fmt.Sprintf("argument %q: %s", e.path, e.msg) }

func (g *schemaGen) fail(path, format string, args ...any) error {
	return &schemaError{path: path, msg: fmt.Sprintf(format, args...)}
}

// schema returns the schema of values of type t, decoded by encoding/json.
func (g *schemaGen) schema(t types.Type, path string) (*schema, error) {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		s, err := g.schema(p.Elem(), path)
		if err == nil && g.conv.gosdk {
			s.nullable()
		}
		return s, err
	}
	switch {
	case isNamed(t, "time", "Time"):
		if g.conv.gosdk {
			return &schema{Type: "string"}, nil
		}
		return &schema{Type: "string", Format: "date-time"}, nil
	case isNamed(t, "encoding/json", "RawMessage"):
		return &schema{}, nil
	case isNamed(t, "encoding/json", "Number"):
		return &schema{Type: "number"}, nil
	case implements(t, jsonUnmarshaler):
		return &schema{}, nil // decodes itself: anything goes
	case implements(t, textUnmarshaler):
		return &schema{Type: "string"}, nil
	}
	if n, ok := t.(*types.Named); ok {
		if slices.Contains(g.stack, n) {
			return nil, g.fail(path, "recursive type %s has no input schema", types.TypeString(n, g.qual))
		}
		if !g.conv.gosdk {
			if m := schemaMethod(n); m != "" {
				return nil, g.fail(path, "type %s has a %s method, which computes its schema at run time; a generated schema cannot call it (describe the type with struct tags instead)", types.TypeString(n, g.qual), m)
			}
		}
		g.stack = append(g.stack, n)
		defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.Bool:
			return &schema{Type: "boolean"}, nil
		case u.Kind() == types.String:
			return &schema{Type: "string"}, nil
		case u.Info()&types.IsInteger != 0:
			return g.integer(u), nil
		case u.Info()&types.IsFloat != 0:
			return &schema{Type: "number"}, nil
		case u.Kind() == types.Invalid:
			return nil, errInvalidType
		}
	case *types.Pointer:
		return g.schema(u.Elem(), path)
	case *types.Slice:
		if b, ok := types.Unalias(u.Elem()).Underlying().(*types.Basic); ok && b.Kind() == types.Byte && !implements(u.Elem(), jsonUnmarshaler) && !implements(u.Elem(), textUnmarshaler) {
			return &schema{Type: "string", ContentEncoding: "base64"}, nil
		}
		items, err := g.schema(u.Elem(), path+"[]")
		if err != nil {
			return nil, err
		}
		s := &schema{Type: "array", Items: items}
		if g.conv.gosdk {
			s.Type = []string{"null", "array"}
		}
		return s, nil
	case *types.Array:
		items, err := g.schema(u.Elem(), path+"[]")
		if err != nil {
			return nil, err
		}
		n := uint64(u.Len())
		return &schema{Type: "array", Items: items, MinItems: &n, MaxItems: &n}, nil
	case *types.Map:
		if !validMapKey(u.Key()) {
			return nil, g.fail(path, "map key type %s is not supported (want a string or integer type)", types.TypeString(u.Key(), g.qual))
		}
		values, err := g.schema(u.Elem(), path+"{}")
		if err != nil {
			return nil, err
		}
		s := &schema{Type: "object"}
		switch {
		case g.conv.gosdk:
			s.AdditionalProperties = values
		case isIntegerKey(u.Key()):
			// invopop: integer keys are digit strings.
			s.PatternProperties = &properties{{Name: "^[0-9]+$", Schema: values}}
			s.AdditionalProperties = false
		case !types.IsInterface(u.Elem()):
			s.AdditionalProperties = values
		}
		return s, nil
	case *types.Interface:
		if u.Empty() {
			return &schema{}, nil
		}
	case *types.Struct:
		return g.object(u, path+".")
	}
	return nil, g.fail(path, "unsupported type %s (want a type encoding/json can decode)", types.TypeString(t, g.qual))
}

// integer is the schema of an integer type: unsigned ones have minimum 0,
// and under go-sdk the sized ones their bounds.
func (g *schemaGen) integer(b *types.Basic) *schema {
	s := &schema{Type: "integer"}
	if b.Info()&types.IsUnsigned != 0 {
		s.Minimum = json.RawMessage("0")
	}
	if !g.conv.gosdk {
		return s
	}
	bounds := map[types.BasicKind][2]string{
		types.Int8: {"-128", "127"}, types.Int16: {"-32768", "32767"}, types.Int32: {"-2147483648", "2147483647"},
		types.Uint8: {"0", "255"}, types.Uint16: {"0", "65535"}, types.Uint32: {"0", "4294967295"},
	}
	if mm, ok := bounds[b.Kind()]; ok {
		s.Minimum, s.Maximum = json.RawMessage(mm[0]), json.RawMessage(mm[1])
	}
	return s
}

// nullable makes s accept null as well, as go-sdk writes the schema of a
// pointer: a type becomes ["null", type].
func (s *schema) nullable() {
	if t, ok := s.Type.(string); ok {
		s.Type = []string{"null", t}
	}
}

func isIntegerKey(t types.Type) bool {
	if implements(t, textUnmarshaler) {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// arguments returns the schema of a struct whose fields are a tool's
// arguments.
func (g *schemaGen) arguments(st types.Type) (*schema, error) {
	if n, ok := st.(*types.Named); ok {
		g.stack = append(g.stack, n)
		defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	}
	return g.object(st.Underlying().(*types.Struct), "")
}

// object returns the schema of a struct: its properties, the required
// ones under the package's rule, and additionalProperties: false when
// the convention closes objects. Property paths in errors are prefix
// followed by the JSON name.
func (g *schemaGen) object(st *types.Struct, prefix string) (*schema, error) {
	props := properties{}
	var required []string
	for _, f := range jsonFields(st) {
		tags := g.fieldTags(f)
		if tags.omit {
			continue
		}
		s, err := g.schema(f.v.Type(), strings.TrimPrefix(prefix, ".")+f.name)
		if err != nil {
			return nil, err
		}
		if f.asString && s.Type != nil && s.Type != "string" && s.Type != "object" && s.Type != "array" {
			s = &schema{Type: "string"}
		}
		g.apply(s, f, tags)
		if s.Description == "" {
			s.Description = g.docs[f.v.Pos()]
		}
		if tags.nullable {
			s = &schema{OneOf: []*schema{s, {Type: "null"}}}
		}
		props = append(props, property{Name: f.name, Schema: s})
		if g.required(f, tags) {
			required = append(required, f.name)
		}
	}
	s := &schema{Type: "object", Properties: &props, Required: required}
	if g.conv.closed {
		s.AdditionalProperties = false
	}
	return s, nil
}

// errInvalidType reports a type the type checker could not resolve; the
// package's type errors explain it.
var errInvalidType = &schemaError{msg: "invalid type"}

// jsonField is a struct field as encoding/json sees it.
type jsonField struct {
	name      string
	v         *types.Var
	tag       reflect.StructTag
	index     []int
	tagged    bool // the name comes from the json tag
	omitempty bool // omitempty or omitzero
	asString  bool // ",string"
}

// jsonFields returns the fields encoding/json encodes and decodes for st,
// in its order: declaration order, with the fields of embedded structs at
// the place of the embedding field, and the same rules for names,
// shadowing and conflicts.
func jsonFields(st *types.Struct) []jsonField {
	type item struct {
		st    *types.Struct
		index []int
	}
	var fields []jsonField
	next := []item{{st: st}}
	visited := map[*types.Struct]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		for _, it := range current {
			if visited[it.st] {
				continue
			}
			visited[it.st] = true
			for i := range it.st.NumFields() {
				f := it.st.Field(i)
				ft := types.Unalias(f.Type())
				if p, ok := ft.(*types.Pointer); ok && f.Embedded() {
					ft = types.Unalias(p.Elem())
				}
				if f.Embedded() {
					if !f.Exported() && !isStruct(ft) {
						continue
					}
				} else if !f.Exported() {
					continue
				}
				tag := reflect.StructTag(it.st.Tag(i))
				jt := tag.Get("json")
				if jt == "-" {
					continue
				}
				name, opts, _ := strings.Cut(jt, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clone(it.index), i)
				if name == "" && f.Embedded() && isStruct(ft) {
					next = append(next, item{st: ft.Underlying().(*types.Struct), index: index})
					continue
				}
				jf := jsonField{name: name, v: f, tag: tag, index: index, tagged: name != ""}
				if name == "" {
					jf.name = f.Name()
				}
				for _, o := range strings.Split(opts, ",") {
					switch o {
					case "omitempty", "omitzero":
						jf.omitempty = true
					case "string":
						jf.asString = true
					}
				}
				fields = append(fields, jf)
			}
		}
	}
	// Keep the dominant field of each name: the shallowest, or the only
	// tagged one among the shallowest; a tie hides the name altogether.
	byName := map[string][]jsonField{}
	for _, f := range fields {
		byName[f.name] = append(byName[f.name], f)
	}
	var out []jsonField
	for _, f := range fields {
		if d, ok := dominant(byName[f.name]); ok && slices.Equal(d.index, f.index) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

func dominant(fs []jsonField) (jsonField, bool) {
	depth := len(fs[0].index)
	for _, f := range fs {
		depth = min(depth, len(f.index))
	}
	var top, tagged []jsonField
	for _, f := range fs {
		if len(f.index) == depth {
			top = append(top, f)
			if f.tagged {
				tagged = append(tagged, f)
			}
		}
	}
	switch {
	case len(top) == 1:
		return top[0], true
	case len(tagged) == 1:
		return tagged[0], true
	}
	return jsonField{}, false
}

// validTagName reports whether encoding/json accepts name as a json tag
// name.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !(c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c > 0x7f):
			return false
		}
	}
	return true
}

func isStruct(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

func validMapKey(t types.Type) bool {
	if implements(t, textUnmarshaler) {
		return true
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && (b.Kind() == types.String || b.Info()&types.IsInteger != 0)
}

// isNamed reports whether t is the named type path.name.
func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path
}

// The interfaces that change how encoding/json decodes a type.
var (
	jsonUnmarshaler = unmarshaler("UnmarshalJSON")
	textUnmarshaler = unmarshaler("UnmarshalText")
)

func unmarshaler(method string) *types.Interface {
	bytesParam := types.NewVar(token.NoPos, nil, "data", types.NewSlice(types.Typ[types.Byte]))
	errResult := types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type())
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(bytesParam), types.NewTuple(errResult), false)
	return types.NewInterfaceType([]*types.Func{types.NewFunc(token.NoPos, nil, method, sig)}, nil).Complete()
}

// implements reports whether a value of type t, or a pointer to it,
// implements iface. Interface types never count: decoding into them does
// not call their methods.
func implements(t types.Type, iface *types.Interface) bool {
	if types.IsInterface(t) {
		return false
	}
	if types.Implements(t, iface) {
		return true
	}
	if _, ok := t.Underlying().(*types.Pointer); ok {
		return false
	}
	return types.Implements(types.NewPointer(t), iface)
}
