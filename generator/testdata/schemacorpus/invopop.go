// Package schemacorpus holds argument structs whose input schemas the
// generator derives statically and github.com/invopop/jsonschema (the
// Invopop* types) or github.com/google/jsonschema-go (the SDK* types)
// reflect at run time: the differential test compares the two.
package schemacorpus

import (
	"encoding/json"
	"net/netip"
	"time"
)

// InvopopScalars covers the basic kinds, names and json options.
type InvopopScalars struct {
	S          string  `json:"s"`
	B          bool    `json:"b"`
	I          int     `json:"i"`
	I8         int8    `json:"i8"`
	I64        int64   `json:"i64,omitempty"`
	F32        float32 `json:"f32"`
	F64        float64 `json:"f64,omitempty"`
	Renamed    string  `json:"renamed_field"`
	NoTag      string
	OnlyOpts   string `json:",omitempty"`
	Skipped    string `json:"-"`
	unexported string
	AsString   int     `json:"as_string,string"`
	BoolString bool    `json:"bool_string,string,omitempty"`
	Zero       string  `json:"zero,omitzero"`
	Ptr        *string `json:"ptr"`
	PtrOmit    *int    `json:"ptr_omit,omitempty"`
	Unsigned   uint    `json:"unsigned"`
	Small      uint8   `json:"small,omitempty"`
}

// InvopopKeywords covers every jsonschema keyword the generator reads.
type InvopopKeywords struct {
	Op       string   `json:"op" jsonschema:"required,enum=get,enum=set,enum=delete,description=The operation"`
	Limit    int      `json:"limit,omitempty" jsonschema:"default=50,minimum=1,maximum=500,description=Page size"`
	Ratio    float64  `json:"ratio,omitempty" jsonschema:"exclusiveMinimum=0,exclusiveMaximum=1,multipleOf=0.25,example=0.5,example=0.75"`
	Name     string   `json:"name" jsonschema:"minLength=1,maxLength=64,pattern=^[a-z]+(\\,[a-z]+)*$,title=Name,example=abc,default=x"`
	Email    string   `json:"email,omitempty" jsonschema:"format=email"`
	Level    int      `json:"level" jsonschema:"enum=1,enum=2,enum=3,default=2"`
	Big      int64    `json:"big,omitempty" jsonschema:"maximum=9007199254740993,example=-5"`
	Flag     bool     `json:"flag,omitempty" jsonschema:"default=true"`
	Off      bool     `json:"off,omitempty" jsonschema:"default=false"`
	Doc      string   `json:"doc,omitempty" jsonschema_description:"Described by jsonschema_description"`
	Both     string   `json:"both,omitempty" jsonschema_description:"loses" jsonschema:"description=wins\\, with a comma"`
	Hidden   string   `json:"hidden,omitempty" jsonschema:"-"`
	Nullable *string  `json:"nullable,omitempty" jsonschema:"nullable,minLength=2"`
	Extras   string   `json:"extras,omitempty" jsonschema_extras:"x-order=1,x-flag=true,x-list=a,x-list=b"`
	RO       string   `json:"ro,omitempty" jsonschema:"readOnly=true,writeOnly=false"`
	Tags     []string `json:"tags,omitempty" jsonschema:"minItems=1,maxItems=5,uniqueItems=true,enum=a,enum=b,format=hostname,maxLength=8"`
	Nums     []int    `json:"nums,omitempty" jsonschema:"minimum=0,maximum=9,example=3"`
	Codes    []string `json:"codes,omitempty" jsonschema:"pattern=^[A-Z]{2}$,default=DE,default=FR"`
	Counts   []int    `json:"counts,omitempty" jsonschema:"default=1,default=2"`
	Stamp    string   `json:"stamp" jsonschema:"required,format=date-time,title=When"`
	AsStr    int      `json:"as_str,string,omitempty" jsonschema:"pattern=^[0-9]+$"`
	Required *int     `json:"required_ptr,omitempty" jsonschema:"required"`
	Titled   Page     `json:"titled,omitempty" jsonschema:"title=A page,description=Where to start"`
}

// InvopopNested covers nested structs, slices, arrays, maps, pointers and
// the types with their own schema.
type InvopopNested struct {
	Page      Page              `json:"page"`
	PagePtr   *Page             `json:"page_ptr,omitempty"`
	Items     []Item            `json:"items"`
	ItemPtrs  []*Item           `json:"item_ptrs,omitempty"`
	Matrix    [][]float64       `json:"matrix,omitempty"`
	Fixed     [3]int            `json:"fixed"`
	Labels    map[string]string `json:"labels,omitempty"`
	Meta      map[string]any    `json:"meta,omitempty"`
	Pages     map[string]Page   `json:"pages,omitempty"`
	ByID      map[int]Item      `json:"by_id,omitempty"`
	Any       any               `json:"any,omitempty"`
	Raw       json.RawMessage   `json:"raw,omitempty"`
	When      time.Time         `json:"when"`
	WhenPtr   *time.Time        `json:"when_ptr,omitempty"`
	Blob      []byte            `json:"blob,omitempty"`
	Anonymous struct {
		X int `json:"x"`
		Y int `json:"y,omitempty"`
	} `json:"anonymous"`
}

// InvopopEmbedding covers embedded structs, by value and pointer,
// exported and not, and an embedded struct with a json name.
type InvopopEmbedding struct {
	Base
	*Extra
	inner
	Own   string `json:"own"`
	Named Base   `json:"named"`
}

// InvopopDeliberate holds the types whose schemas differ on purpose.
type InvopopDeliberate struct {
	Number json.Number `json:"number"`
	Addr   netip.Addr  `json:"addr"`
	Stamp  Stamp       `json:"stamp"`
	Count  uint32      `json:"count"`
}

// InvopopEmpty has no arguments.
type InvopopEmpty struct{}

// Page is a nested struct.
type Page struct {
	Offset int `json:"offset" jsonschema:"minimum=0"`
	Size   int `json:"size,omitempty" jsonschema:"maximum=100,default=10"`
}

// Item is an element of a list.
type Item struct {
	ID   string  `json:"id" jsonschema:"required,minLength=1"`
	Note *string `json:"note"`
}

// Base is embedded.
type Base struct {
	Trace bool   `json:"trace,omitempty"`
	Who   string `json:"who"`
}

// Extra is embedded by pointer.
type Extra struct {
	Depth int `json:"depth,omitempty" jsonschema:"maximum=3"`
}

type inner struct {
	Hidden string `json:"inner_field"`
}

// Stamp decodes itself from JSON.
type Stamp struct{ t time.Time }

// UnmarshalJSON decodes a stamp.
func (s *Stamp) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &s.t) }
