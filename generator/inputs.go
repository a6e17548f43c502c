package generator

import (
	"go/types"
	"reflect"
	"slices"
	"strings"
)

// Inputs that cannot work: encoding/json decodes the arguments into the
// handler's input struct, and some structs silently lose them. Each is an
// error at the field (or at the parameter when no field is to blame).

// inputStruct reports the ways arguments cannot reach st, the input struct
// of parameter p, and its nested structs. It returns whether it reported
// anything.
func (v *validator) inputStruct(p *types.Var, st types.Type) bool {
	before := len(v.e.list)
	s := st.Underlying().(*types.Struct)
	if s.NumFields() > 0 && len(jsonFields(s)) == 0 {
		v.e.atPos(p.Pos(), "input struct %s has no exported fields: encoding/json decodes no argument into it; export the fields that are arguments", types.TypeString(st, v.qual))
	}
	v.structFields(s, map[*types.Struct]bool{})
	return len(v.e.list) > before
}

// structFields reports, in s and the structs it holds, embedded pointers
// to unexported structs (encoding/json fails on them) and fields whose
// JSON names collide (encoding/json drops both).
func (v *validator) structFields(s *types.Struct, seen map[*types.Struct]bool) {
	if seen[s] {
		return
	}
	seen[s] = true
	for i := range s.NumFields() {
		f := s.Field(i)
		if f.Embedded() && !f.Exported() {
			if p, ok := types.Unalias(f.Type()).(*types.Pointer); ok && isStruct(p.Elem()) && reflect.StructTag(s.Tag(i)).Get("json") != "-" {
				v.e.atPos(f.Pos(), "embedded field *%s is a pointer to an unexported struct, which encoding/json cannot set: embed %s by value or export it", f.Name(), f.Name())
			}
		}
	}
	v.collisions(s)
	for _, f := range jsonFields(s) {
		if inner := nestedStruct(f.v.Type()); inner != nil && !implements(f.v.Type(), jsonUnmarshaler) && !implements(f.v.Type(), textUnmarshaler) {
			v.structFields(inner, seen)
		}
	}
}

// nestedStruct returns the struct type t holds as a value, a pointer
// target, or an element, or nil.
func nestedStruct(t types.Type) *types.Struct {
	for {
		switch u := types.Unalias(t).Underlying().(type) {
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		case *types.Struct:
			return u
		default:
			return nil
		}
	}
}

// collisions reports two fields of s, at the same embedding depth, that
// encoding/json gives the same name when neither dominates (both tagged,
// or both untagged): it decodes neither of them.
func (v *validator) collisions(s *types.Struct) {
	type cand struct {
		v      *types.Var
		depth  int
		tagged bool
	}
	byName := map[string][]cand{}
	var names []string
	type item struct {
		st    *types.Struct
		depth int
	}
	next := []item{{s, 0}}
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
				if f.Embedded() && !f.Exported() && !isStruct(ft) || !f.Embedded() && !f.Exported() {
					continue
				}
				jt := reflect.StructTag(it.st.Tag(i)).Get("json")
				if jt == "-" {
					continue
				}
				name, _, _ := strings.Cut(jt, ",")
				if !validTagName(name) {
					name = ""
				}
				if name == "" && f.Embedded() && isStruct(ft) {
					next = append(next, item{ft.Underlying().(*types.Struct), it.depth + 1})
					continue
				}
				c := cand{v: f, depth: it.depth, tagged: name != ""}
				if name == "" {
					name = f.Name()
				}
				if _, ok := byName[name]; !ok {
					names = append(names, name)
				}
				byName[name] = append(byName[name], c)
			}
		}
	}
	for _, name := range names {
		cs := byName[name]
		depth := slices.MinFunc(cs, func(a, b cand) int { return a.depth - b.depth }).depth
		var top, tagged []cand
		for _, c := range cs {
			if c.depth == depth {
				top = append(top, c)
				if c.tagged {
					tagged = append(tagged, c)
				}
			}
		}
		if len(top) < 2 || len(tagged) == 1 {
			continue
		}
		clash := top
		if len(tagged) > 1 {
			clash = tagged
		}
		v.e.atPos(clash[1].v.Pos(), "fields %s and %s both have the JSON name %q, so encoding/json decodes neither: rename one or give it another json tag", clash[0].v.Name(), clash[1].v.Name(), name)
	}
}
