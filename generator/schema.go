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
// schema text is deterministic and reads like the Go type.
type schema struct {
	Type                 string      `json:"type,omitempty"`
	Format               string      `json:"format,omitempty"`
	ContentEncoding      string      `json:"contentEncoding,omitempty"`
	Description          string      `json:"description,omitempty"`
	Minimum              *int        `json:"minimum,omitempty"`
	Items                *schema     `json:"items,omitempty"`
	Properties           *properties `json:"properties,omitempty"`
	Required             []string    `json:"required,omitempty"`
	AdditionalProperties *schema     `json:"additionalProperties,omitempty"`
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
func objectSchema(props properties, required []string, indent string) string {
	b, err := marshal(&schema{Type: "object", Properties: &props, Required: required})
	if err != nil {
		panic(err) // schemas hold strings and numbers only
	}
	if len(props) == 0 {
		return string(b)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, indent, "\t"); err != nil {
		panic(err)
	}
	return out.String()
}

// schemaGen derives JSON Schemas from Go types, as encoding/json would
// decode them.
type schemaGen struct {
	docs  map[token.Pos]string // struct field documentation by field position
	qual  types.Qualifier
	stack []*types.Named // named types being expanded, to refuse recursion
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
		return g.schema(p.Elem(), path)
	}
	switch {
	case isNamed(t, "time", "Time"):
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
		case u.Info()&types.IsUnsigned != 0:
			zero := 0
			return &schema{Type: "integer", Minimum: &zero}, nil
		case u.Info()&types.IsInteger != 0:
			return &schema{Type: "integer"}, nil
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
		return &schema{Type: "array", Items: items}, nil
	case *types.Array:
		items, err := g.schema(u.Elem(), path+"[]")
		if err != nil {
			return nil, err
		}
		return &schema{Type: "array", Items: items}, nil
	case *types.Map:
		if !validMapKey(u.Key()) {
			return nil, g.fail(path, "map key type %s is not supported (want a string or integer type)", types.TypeString(u.Key(), g.qual))
		}
		values, err := g.schema(u.Elem(), path+"{}")
		if err != nil {
			return nil, err
		}
		return &schema{Type: "object", AdditionalProperties: values}, nil
	case *types.Interface:
		if u.Empty() {
			return &schema{}, nil
		}
	case *types.Struct:
		props, required, err := g.object(u, path+".")
		if err != nil {
			return nil, err
		}
		return &schema{Type: "object", Properties: &props, Required: required}, nil
	}
	return nil, g.fail(path, "unsupported type %s (want a type encoding/json can decode)", types.TypeString(t, g.qual))
}

// arguments returns the properties and required ones of a struct whose
// fields are a tool's arguments.
func (g *schemaGen) arguments(st types.Type) (properties, []string, error) {
	if n, ok := st.(*types.Named); ok {
		g.stack = append(g.stack, n)
		defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	}
	return g.object(st.Underlying().(*types.Struct), "")
}

// object returns the properties of a struct and its required ones: those
// neither pointers nor tagged omitempty or omitzero. Property paths in
// errors are prefix followed by the JSON name.
func (g *schemaGen) object(st *types.Struct, prefix string) (properties, []string, error) {
	props := properties{}
	var required []string
	for _, f := range jsonFields(st) {
		s, err := g.schema(f.v.Type(), strings.TrimPrefix(prefix, ".")+f.name)
		if err != nil {
			return nil, nil, err
		}
		if f.asString && s.Type != "" && s.Type != "string" && s.Type != "object" && s.Type != "array" {
			s = &schema{Type: "string"}
		}
		s.Description = f.description(g.docs)
		props = append(props, property{Name: f.name, Schema: s})
		if f.required() {
			required = append(required, f.name)
		}
	}
	return props, required, nil
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

func (f jsonField) required() bool {
	_, ptr := types.Unalias(f.v.Type()).(*types.Pointer)
	return !ptr && !f.omitempty
}

// description is the jsonschema tag's description=, else the field's
// doc or line comment.
func (f jsonField) description(docs map[token.Pos]string) string {
	if d, ok := jsonschemaDescription(f.tag.Get("jsonschema")); ok {
		return d
	}
	return docs[f.v.Pos()]
}

// jsonschemaDescription returns the description= item of a jsonschema
// struct tag, whose items are separated by commas (escaped as \,).
func jsonschemaDescription(tag string) (string, bool) {
	var items []string
	var cur strings.Builder
	for i := 0; i < len(tag); i++ {
		switch {
		case tag[i] == '\\' && i+1 < len(tag) && tag[i+1] == ',':
			cur.WriteByte(',')
			i++
		case tag[i] == ',':
			items = append(items, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(tag[i])
		}
	}
	items = append(items, cur.String())
	for _, it := range items {
		if d, ok := strings.CutPrefix(it, "description="); ok {
			return d, true
		}
	}
	return "", false
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
