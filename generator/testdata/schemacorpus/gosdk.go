package schemacorpus

import (
	"encoding/json"
	"time"
)

// SDKArgs covers the go-sdk convention: the jsonschema tag is the
// description; pointers and slices may be null; sized integers have
// bounds.
type SDKArgs struct {
	Query     string  `json:"query" jsonschema:"the search query"`
	Limit     int     `json:"limit,omitempty" jsonschema:"max results, default 10"`
	Ptr       *int    `json:"ptr,omitempty"`
	PtrReq    *string `json:"ptr_req"`
	I8        int8    `json:"i8"`
	I16       int16   `json:"i16"`
	I32       int32   `json:"i32"`
	I64       int64   `json:"i64"`
	U         uint    `json:"u"`
	U8        uint8   `json:"u8"`
	U16       uint16  `json:"u16"`
	U32       uint32  `json:"u32"`
	U64       uint64  `json:"u64"`
	F         float64 `json:"f"`
	B         bool    `json:"b,omitzero"`
	NoTag     string
	Skipped   string            `json:"-"`
	List      []string          `json:"list"`
	Fixed     [2]bool           `json:"fixed"`
	Nested    SDKNested         `json:"nested" jsonschema:"a nested object"`
	NestedPtr *SDKNested        `json:"nested_ptr,omitempty"`
	Nesteds   []SDKNested       `json:"nesteds,omitempty"`
	Map       map[string]int    `json:"map,omitempty"`
	Free      map[string]any    `json:"free,omitempty"`
	When      time.Time         `json:"when"`
	WhenPtr   *time.Time        `json:"when_ptr,omitempty"`
	Any       any               `json:"any,omitempty"`
	Strings   map[string]string `json:"strings"`
	SDKEmbedded
}

// SDKNested is nested.
type SDKNested struct {
	A string `json:"a" jsonschema:"the A"`
	B []int  `json:"b,omitempty"`
}

// SDKEmbedded is embedded.
type SDKEmbedded struct {
	Inline string `json:"inline"`
}

// SDKDeliberate holds the types whose schemas differ on purpose.
type SDKDeliberate struct {
	Blob   []byte          `json:"blob"`
	Raw    json.RawMessage `json:"raw"`
	Number json.Number     `json:"number"`
	Count  int             `json:"count,string"`
}
