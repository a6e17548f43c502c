package generator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The Cedar schema of a package's components: the entity model of
// runtime/cedarauth (whose names are repeated here; the generator does not
// import the runtime, and a test holds the two together), with one action
// per component whose context is typed from the component's arguments.

// cedarSchema returns the Cedar schema (human-readable form) of comps,
// the components of the package at pkgPath, with the server's own entity
// types (own, nil for none), which the principal may be a member of.
func cedarSchema(pkgPath string, comps []*component, own *ownEntities) string {
	parents := ""
	if own != nil && len(own.types) > 0 {
		parents = " in [" + strings.Join(own.types, ", ") + "]"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// Cedar schema of the MCP components of %s, derived by mcpauthgen.\n", pkgPath)
	b.WriteString(`
// The caller: id is the token's "sub" claim, else its client id. Tags are
// the token's claims (as strings) and the tags the server's entities add.
entity Principal` + parents + ` = {
  "sub": String,
  "client_id": String,
  "scopes": Set<String>,
} tags String;

// The components, by name (tools, prompts) or URI (resources).
entity Tool = {
  "name": String,
  "tags": Set<String>,
};
entity Resource = {
  "name": String,
  "uri": String,
  "template": Bool,
  "tags": Set<String>,
};
entity Prompt = {
  "name": String,
  "tags": Set<String>,
};

// Every component's action is in one of these groups.
action "call_tool", "read_resource", "get_prompt";
`)
	for _, c := range comps {
		group, typ := "call_tool", "Tool"
		switch c.Kind {
		case kindPrompt:
			group, typ = "get_prompt", "Prompt"
		case kindResource, kindTemplate:
			group, typ = "read_resource", "Resource"
		}
		fmt.Fprintf(&b, "\n// %s %s (%s)\n", c.Kind.label(), cedarComponentID(c), c.Source)
		fmt.Fprintf(&b, "action %s in [%s] appliesTo {\n", cedarQuote(cedarActionID(c)), cedarQuote(group))
		fmt.Fprintf(&b, "  principal: [Principal],\n  resource: [%s],\n  context: ", typ)
		writeRecord(&b, cedarContext(c), "  ")
		b.WriteString(",\n};\n")
	}
	if own != nil && len(own.schemas) > 0 {
		b.WriteString("\n// The server's own entity types (runtime/cedarauth.WithEntities).\n")
		for _, s := range own.schemas {
			b.WriteString(s)
		}
	}
	return b.String()
}

// cedarActionID is the id of c's action: "tool:NAME", "prompt:NAME" or
// "resource:URI" (cedarauth.ActionID).
func cedarActionID(c *component) string {
	switch c.Kind {
	case kindTool:
		return "tool:" + c.Name
	case kindPrompt:
		return "prompt:" + c.Name
	}
	return "resource:" + c.URI
}

// cedarComponentID is the id of c's entity: its name, or its URI.
func cedarComponentID(c *component) string {
	if c.Kind == kindResource || c.Kind == kindTemplate {
		return c.URI
	}
	return c.Name
}

// cedarType is a Cedar type: a primitive or Set (name, elem), or a record
// (attrs).
type cedarType struct {
	name  string // "String", "Long", "Bool", "Set"; "" for a record
	elem  *cedarType
	attrs []cedarAttr
}

type cedarAttr struct {
	name     string
	optional bool
	typ      *cedarType
}

// cedarContext is the context record of c's action: its arguments as the
// runtime passes them. A tool's come from its input schema; a prompt's
// arguments and a template's variables are strings.
func cedarContext(c *component) *cedarType {
	rec := &cedarType{}
	switch c.Kind {
	case kindTool:
		var s jsonSchema
		if json.Unmarshal([]byte(c.Schema), &s) == nil {
			if t := s.cedar(); t != nil && t.name == "" {
				rec = t
			}
		}
	case kindPrompt:
		for _, a := range c.Args {
			rec.attrs = append(rec.attrs, cedarAttr{a.Name, !a.Required, &cedarType{name: "String"}})
		}
	case kindTemplate:
		for _, a := range c.Args {
			rec.attrs = append(rec.attrs, cedarAttr{a.Name, false, &cedarType{name: "String"}})
		}
	}
	return rec
}

// jsonSchema is the part of a JSON Schema the Cedar types follow, with
// properties in the order written.
type jsonSchema struct {
	Type       string
	Items      *jsonSchema
	Properties []jsonProperty
	Required   []string
}

type jsonProperty struct {
	Name   string
	Schema jsonSchema
}

func (s *jsonSchema) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type       any             `json:"type"`
		Items      *jsonSchema     `json:"items"`
		Properties json.RawMessage `json:"properties"`
		Required   []string        `json:"required"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	s.Type, _ = raw.Type.(string) // a list of types has no Cedar type
	s.Items, s.Required = raw.Items, raw.Required
	if len(raw.Properties) == 0 {
		return nil
	}
	// Keep the properties in the order written: read the object's keys
	// with a decoder.
	dec := json.NewDecoder(strings.NewReader(string(raw.Properties)))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var p jsonProperty
		p.Name, _ = k.(string)
		if err := dec.Decode(&p.Schema); err != nil {
			return err
		}
		s.Properties = append(s.Properties, p)
	}
	return nil
}

// cedar returns the Cedar type of values of s as the runtime converts
// them, or nil when Cedar has none: numbers that need not be integers
// (Cedar has no floating point), maps, and values of any type are left out
// of the context.
func (s *jsonSchema) cedar() *cedarType {
	switch s.Type {
	case "string":
		return &cedarType{name: "String"}
	case "boolean":
		return &cedarType{name: "Bool"}
	case "integer":
		return &cedarType{name: "Long"}
	case "array":
		if s.Items == nil {
			return nil
		}
		if elem := s.Items.cedar(); elem != nil {
			return &cedarType{name: "Set", elem: elem}
		}
	case "object":
		if s.Properties == nil {
			return nil // a map, or any object
		}
		rec := &cedarType{}
		for _, p := range s.Properties {
			if t := p.Schema.cedar(); t != nil {
				optional := !slices.Contains(s.Required, p.Name)
				rec.attrs = append(rec.attrs, cedarAttr{p.Name, optional, t})
			}
		}
		return rec
	}
	return nil
}

func writeRecord(b *strings.Builder, t *cedarType, indent string) {
	if len(t.attrs) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{\n")
	for _, a := range t.attrs {
		b.WriteString(indent + "  " + cedarQuote(a.name))
		if a.optional {
			b.WriteString("?")
		}
		b.WriteString(": ")
		writeType(b, a.typ, indent+"  ")
		b.WriteString(",\n")
	}
	b.WriteString(indent + "}")
}

func writeType(b *strings.Builder, t *cedarType, indent string) {
	switch t.name {
	case "":
		writeRecord(b, t, indent)
	case "Set":
		b.WriteString("Set<")
		writeType(b, t.elem, indent)
		b.WriteString(">")
	default:
		b.WriteString(t.name)
	}
}

// cedarQuote quotes s as a Cedar string literal.
func cedarQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u{%x}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// CedarSchema loads the packages matching patterns ("." when there are
// none), validates their annotations as Generate does, and returns the
// Cedar schema of each package's components (see runtime/cedarauth for
// the entity model) and of the schema files its //mcp:policies lines name,
// in package path order, separated by a blank line. A package without
// components has none. The policy files are not checked, so that the
// schema can be printed while a policy is being fixed.
func CedarSchema(cfg Config, patterns ...string) ([]byte, error) {
	cfg.skipPolicies = true
	pkgs, list, err := analyzeAll(&cfg, patterns)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return nil, list
	}
	var out []string
	e := &errs{}
	for _, a := range pkgs {
		if a.File == nil {
			continue
		}
		own, _ := readOwnEntities(a.Pkg.Dir, policiesLines(a.Dirs), e)
		out = append(out, cedarSchema(a.Pkg.PkgPath, a.File.Components, own))
	}
	if len(e.list) > 0 {
		e.list.Sort()
		return nil, e.list
	}
	return []byte(strings.Join(out, "\n")), nil
}
