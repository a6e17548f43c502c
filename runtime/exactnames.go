package runtime

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// encoding/json binds an object key to a struct field whose name matches
// it case-insensitively (with Unicode simple folding: "ID", "Id" and "iD"
// all bind to a field named "id", "taſk" to "task"), the last such key
// winning. Checks, middleware and policies read a request's arguments by
// exact name (AuthContext.Arguments), so such a key would let them decide
// on one value while the handler received another. The adapters refuse it
// instead: argument names are case-sensitive, as the input schema says.

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// objectFields describes the JSON object a struct type decodes from: the
// exact names of its fields, and the type of each field whose value is
// itself checked (a struct, or a list or map of them).
type objectFields struct {
	names  []string
	nested map[string]reflect.Type
}

var fieldsCache sync.Map // reflect.Type -> *objectFields

// folded returns the key of raw (as a path below prefix) that
// encoding/json would bind, decoding into a value of type t, to a field
// whose name it does not match exactly, and that field's name; "" when
// there is none. raw holds the keys' undecoded values, for nested objects.
// Of several such keys it returns the least, so that the answer does not
// depend on map order.
func folded(t reflect.Type, prefix string, raw map[string]json.RawMessage) (key, name string) {
	f := fieldsOf(t)
	if f == nil {
		return "", ""
	}
	for k, v := range raw {
		kk, nn := "", ""
		if exact, fold := f.match(k); fold != "" {
			kk, nn = prefix+k, fold
		} else if nt := f.nested[exact]; nt != nil {
			kk, nn = foldedIn(nt, prefix+k+".", v)
		}
		if kk != "" && (key == "" || kk < key) {
			key, name = kk, nn
		}
	}
	return key, name
}

// foldedIn is folded for the value v of type t: an object, or a list or
// map of them.
func foldedIn(t reflect.Type, prefix string, v json.RawMessage) (key, name string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(v, &obj) == nil {
			return folded(t, prefix, obj)
		}
	case reflect.Slice, reflect.Array:
		var list []json.RawMessage
		if json.Unmarshal(v, &list) == nil {
			for _, e := range list {
				if key, name := foldedIn(t.Elem(), prefix, e); key != "" {
					return key, name
				}
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(v, &obj) == nil {
			for k, e := range obj {
				kk, nn := foldedIn(t.Elem(), prefix+k+".", e)
				if kk != "" && (key == "" || kk < key) {
					key, name = kk, nn
				}
			}
		}
		return key, name
	}
	return "", ""
}

// foldedName returns the least of keys that encoding/json would bind,
// decoding into a value of type t, to a field whose name it does not match
// exactly, and that field's name; "" when there is none.
func foldedName[V any](t reflect.Type, keys map[string]V) (key, name string) {
	f := fieldsOf(t)
	if f == nil {
		return "", ""
	}
	for k := range keys {
		if _, fold := f.match(k); fold != "" && (key == "" || k < key) {
			key, name = k, fold
		}
	}
	return key, name
}

// foldedError is the error for a key that names the argument name only
// case-insensitively.
func foldedError(key, name string) string {
	return fmt.Sprintf("invalid argument %q: no such argument (names are case-sensitive: %q)", key, name)
}

// match returns the field key names exactly, or else the field it names
// only case-insensitively.
func (f *objectFields) match(key string) (exact, fold string) {
	for _, n := range f.names {
		if n == key {
			return n, ""
		}
	}
	for _, n := range f.names {
		if strings.EqualFold(n, key) {
			return "", n
		}
	}
	return "", ""
}

// fieldsOf returns the fields of the object a value of type t decodes
// from; nil when it is not a struct that encoding/json decodes field by
// field.
func fieldsOf(t reflect.Type) *objectFields {
	if t == nil {
		return nil // dst is nil: encoding/json reports it
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || decodesItself(t) {
		return nil
	}
	if f, ok := fieldsCache.Load(t); ok {
		return f.(*objectFields)
	}
	f := &objectFields{}
	addFields(f, t, map[reflect.Type]bool{})
	fieldsCache.Store(t, f)
	return f
}

// addFields adds the fields of struct type t as encoding/json names them,
// those of embedded structs promoted.
func addFields(f *objectFields, t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			addFields(f, ft, seen)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f.names = append(f.names, name)
		if checksNested(sf.Type) {
			if f.nested == nil {
				f.nested = map[string]reflect.Type{}
			}
			f.nested[name] = sf.Type
		}
	}
}

// checksNested reports whether a value of type t holds objects that
// decode into structs field by field.
func checksNested(t reflect.Type) bool {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
			continue
		case reflect.Struct:
			return !decodesItself(t)
		}
		return false
	}
}

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || p.Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || p.Implements(textUnmarshalerType)
}
