package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sdkschema "github.com/google/jsonschema-go/jsonschema"
	"github.com/invopop/jsonschema"
	"golang.org/x/tools/go/packages"

	"github.com/mcpauthgen/mcpauthgen/generator/testdata/schemacorpus"
)

// The differential test: for every argument struct of the corpus
// (generator/testdata/schemacorpus), the generator's static schema equals
// the schema github.com/invopop/jsonschema v0.14 reflects (Invopop* types)
// or github.com/google/jsonschema-go v0.4 infers (SDK* types), keyword by
// keyword, except at the paths listed as deliberate differences, where it
// must differ. The README lists the same differences.

// corpus is every struct of the corpus package, by name. The test fails
// when the package declares an exported struct that is missing here.
var corpus = map[string]reflect.Type{
	"InvopopScalars":    reflect.TypeFor[schemacorpus.InvopopScalars](),
	"InvopopKeywords":   reflect.TypeFor[schemacorpus.InvopopKeywords](),
	"InvopopNested":     reflect.TypeFor[schemacorpus.InvopopNested](),
	"InvopopEmbedding":  reflect.TypeFor[schemacorpus.InvopopEmbedding](),
	"InvopopDeliberate": reflect.TypeFor[schemacorpus.InvopopDeliberate](),
	"InvopopEmpty":      reflect.TypeFor[schemacorpus.InvopopEmpty](),
	"Page":              reflect.TypeFor[schemacorpus.Page](),
	"Item":              reflect.TypeFor[schemacorpus.Item](),
	"Base":              reflect.TypeFor[schemacorpus.Base](),
	"Extra":             reflect.TypeFor[schemacorpus.Extra](),
	"SDKArgs":           reflect.TypeFor[schemacorpus.SDKArgs](),
	"SDKNested":         reflect.TypeFor[schemacorpus.SDKNested](),
	"SDKEmbedded":       reflect.TypeFor[schemacorpus.SDKEmbedded](),
	"SDKDeliberate":     reflect.TypeFor[schemacorpus.SDKDeliberate](),
}

// schemaMode is one convention and the library settings that match it.
type schemaMode struct {
	name  string
	conv  convention
	sdk   bool // compare with jsonschema-go, else with invopop
	types func(name string) bool
	// differ lists, by struct, the JSON pointers at which the generator
	// deliberately differs from the library, with the reason.
	differ map[string]map[string]string
}

// reflector is the invopop/jsonschema Reflector the invopop modes compare
// with: schemas inline (no $defs, no $id), the struct itself at the root.
func reflector(conv convention) *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous:                  true,
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: conv.required == requiredTags,
		AllowAdditionalProperties:  !conv.closed,
	}
}

// Deliberate differences, shared by the modes.
var (
	uintMinimum = "unsigned integers get minimum 0 (encoding/json refuses negative numbers)"
	typedArray  = "array defaults are typed by the items' type (invopop writes strings)"
	decoder     = "a type that decodes itself is described by what encoding/json accepts: {} for a json.Unmarshaler, a string for an encoding.TextUnmarshaler"
	number      = "json.Number is a number (invopop and jsonschema-go see its string kind)"
	shapePtr    = "required by shape: a pointer field is optional"

	invopopDiffer = map[string]map[string]string{
		"InvopopScalars": {
			"/properties/unsigned/minimum": uintMinimum,
			"/properties/small/minimum":    uintMinimum,
		},
		"InvopopKeywords": {
			"/properties/counts/default": typedArray,
		},
		"InvopopDeliberate": {
			"/properties/number/type":   number,
			"/properties/addr/type":     decoder,
			"/properties/stamp/type":    decoder,
			"/properties/count/minimum": uintMinimum,
		},
	}
)

func invopopModes() []schemaMode {
	isInvopop := func(name string) bool { return !strings.HasPrefix(name, "SDK") }
	// invopop closes the objects of the types that decode themselves.
	closed := map[string]map[string]string{}
	for k, v := range invopopDiffer {
		closed[k] = maps.Clone(v)
	}
	closed["InvopopDeliberate"]["/properties/addr/additionalProperties"] = decoder
	closed["InvopopDeliberate"]["/properties/stamp/additionalProperties"] = decoder
	shape := map[string]map[string]string{}
	for k, v := range invopopDiffer {
		shape[k] = v
	}
	// Under required=shape the pointer fields without omitempty are
	// optional, which changes the required lists that hold them.
	withShape := func(name string, paths ...string) {
		m := map[string]string{}
		for k, v := range shape[name] {
			m[k] = v
		}
		for _, p := range paths {
			m[p] = shapePtr
		}
		shape[name] = m
	}
	withShape("InvopopScalars", "/required")
	withShape("InvopopNested", "/properties/items/items/required", "/properties/item_ptrs/items/required", "/properties/by_id/patternProperties/^[0-9]+$/required")
	withShape("Item", "/required")
	return []schemaMode{
		{name: "invopop", conv: convention{required: requiredJSON, closed: true}, types: isInvopop, differ: closed},
		{name: "invopop required=tags", conv: convention{required: requiredTags, closed: true}, types: isInvopop, differ: closed},
		{name: "invopop additionalProperties=true", conv: convention{required: requiredJSON}, types: isInvopop, differ: invopopDiffer},
		{name: "default (invopop required=shape additionalProperties=true)", conv: defaultConvention, types: isInvopop, differ: shape},
	}
}

func sdkModes() []schemaMode {
	bytesAsString := "[]byte is a base64 string, as encoding/json decodes it (jsonschema-go describes an array of bytes)"
	raw := "json.RawMessage is any JSON value, {} (jsonschema-go describes an array of bytes)"
	return []schemaMode{{
		name: "gosdk", conv: convention{gosdk: true, required: requiredJSON, closed: true}, sdk: true,
		types: func(name string) bool { return strings.HasPrefix(name, "SDK") },
		differ: map[string]map[string]string{
			"SDKDeliberate": {
				"/properties/blob/type": bytesAsString, "/properties/blob/items": bytesAsString, "/properties/blob/contentEncoding": bytesAsString,
				"/properties/raw/type": raw, "/properties/raw/items": raw,
				"/properties/number/type": number,
				"/properties/count/type":  "a ,string field is a string, as encoding/json decodes it (jsonschema-go keeps the Go type)",
			},
		},
	}}
}

func TestSchemaDifferential(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: loadMode}, "github.com/mcpauthgen/mcpauthgen/generator/testdata/schemacorpus")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatal(err, pkgs)
	}
	scope := pkgs[0].Types.Scope()
	var structs []string
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok && tn.Exported() && isStruct(tn.Type()) && !implements(tn.Type(), jsonUnmarshaler) {
			structs = append(structs, name)
			if _, ok := corpus[name]; !ok {
				t.Errorf("corpus struct %s is not compared: add it to the corpus map", name)
			}
		}
	}
	t.Logf("corpus: %d argument structs", len(structs))
	for _, mode := range slices.Concat(invopopModes(), sdkModes()) {
		t.Run(mode.name, func(t *testing.T) {
			for _, name := range structs {
				if !mode.types(name) {
					continue
				}
				var tagErrs []string
				g := &schemaGen{conv: mode.conv, tagError: func(f jsonField, key string, off int, msg string) {
					tagErrs = append(tagErrs, fmt.Sprintf("%s: %s", f.v.Name(), msg))
				}}
				s, err := g.arguments(scope.Lookup(name).Type())
				if err != nil || len(tagErrs) > 0 {
					t.Errorf("%s: %v %v", name, err, tagErrs)
					continue
				}
				got := normalize(t, mustMarshal(t, s))
				want := normalize(t, librarySchema(t, mode, corpus[name]))
				diffs := map[string]bool{}
				differences(got, want, "", diffs)
				for path := range diffs {
					if reason, ok := mode.differ[name][path]; !ok {
						t.Errorf("%s%s differs from the library:\n%s", name, path, cmp.Diff(pointer(want, path), pointer(got, path)))
					} else if testing.Verbose() {
						t.Logf("%s%s differs on purpose: %s", name, path, reason)
					}
				}
				for path := range mode.differ[name] {
					if !diffs[path] {
						t.Errorf("%s%s is listed as a deliberate difference but equals the library's", name, path)
					}
				}
			}
		})
	}
}

func librarySchema(t *testing.T, mode schemaMode, rt reflect.Type) []byte {
	t.Helper()
	if mode.sdk {
		s, err := sdkschema.ForType(rt, nil)
		if err != nil {
			t.Fatal(err)
		}
		return mustMarshal(t, s)
	}
	return mustMarshal(t, reflector(mode.conv).ReflectFromType(rt))
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// normalize decodes a schema, numbers as written, and rewrites what is
// the same schema written otherwise: true as {}, an empty properties
// object as none, and the root's $schema dropped.
func normalize(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "$schema")
	}
	return canon(v, true)
}

// canon rewrites schema values, where inSchema says v is a schema.
func canon(v any, inSchema bool) any {
	switch v := v.(type) {
	case bool:
		if inSchema && v {
			return map[string]any{}
		}
	case []any:
		for i := range v {
			v[i] = canon(v[i], false)
		}
	case map[string]any:
		if !inSchema {
			return v
		}
		if p, ok := v["properties"].(map[string]any); ok && len(p) == 0 {
			delete(v, "properties")
		}
		for k, x := range v {
			switch k {
			case "items", "additionalProperties", "not":
				v[k] = canon(x, true)
			case "properties", "patternProperties":
				for name, sub := range x.(map[string]any) {
					x.(map[string]any)[name] = canon(sub, true)
				}
			case "oneOf", "anyOf":
				for i, sub := range x.([]any) {
					x.([]any)[i] = canon(sub, true)
				}
			}
		}
	}
	return v
}

// differences records the JSON pointers at which a and b differ: keys
// present in one only, values of other types or lengths, scalars.
func differences(a, b any, path string, out map[string]bool) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for k := range keys {
			differences(am[k], bm[k], path+"/"+k, out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		out[path] = true
	}
}

// pointer returns the value at a JSON pointer of v, nil if none.
func pointer(v any, path string) any {
	for _, k := range strings.Split(path, "/")[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
