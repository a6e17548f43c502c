package generator

import (
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/ast"
	cedarschema "github.com/cedar-policy/cedar-go/x/exp/schema"
	cedarschemaast "github.com/cedar-policy/cedar-go/x/exp/schema/ast"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"

	"github.com/mcpauthgen/mcpauthgen/annotations"
)

// checkPolicies validates the Cedar policy files the //mcp:policies lines
// among dirs name against the schema of comps and of the schema files
// those lines name (cedarSchema), reporting every mistake at its position
// in the policy or schema file.
func checkPolicies(pkgDir, pkgPath string, comps []*component, dirs []*directive, vocab *vocabularies, e *errs) {
	lines := policiesLines(dirs)
	if len(lines) == 0 {
		return
	}
	own, ok := readOwnEntities(pkgDir, lines, e)
	if !ok {
		return
	}
	c, err := newPolicyChecker(pkgPath, comps, vocab, own)
	if err != nil {
		// The derived part is ours and the files parsed: failing to read
		// the whole back is a bug, or a schema file that clashes with it.
		e.at(posOf(lines[0].File.Pos), "the package's Cedar schema does not resolve: %v", err)
		return
	}
	for _, l := range lines {
		path := filepath.Join(pkgDir, filepath.FromSlash(l.File.Text))
		src, err := os.ReadFile(path)
		if err != nil {
			e.at(posOf(l.File.Pos), "cannot read policy file %s: %v", l.File.Text, errors.Unwrap(err))
			continue
		}
		c.check(path, src, e)
	}
}

// policiesLines returns the valid //mcp:policies lines among dirs.
func policiesLines(dirs []*directive) []*annotations.Policies {
	var out []*annotations.Policies
	for _, d := range dirs {
		if l, ok := d.line.(*annotations.Policies); ok && !d.broken && l.File.Text != "" {
			out = append(out, l)
		}
	}
	return out
}

// ownEntities are the server's own entity types, declared in the schema
// files //mcp:policies lines name.
type ownEntities struct {
	schemas []string // the files' text, in the order first named
	types   []string // the entity types they declare, sorted
}

// derivedTypes are the entity types the derived schema declares.
var derivedTypes = []string{"Principal", "Tool", "Resource", "Prompt"}

// schemaFileError matches the position cedar-go's schema parser puts in
// front of its errors.
var schemaFileError = regexp.MustCompile(`^(.*):(\d+):(\d+): (.*)$`)

// readOwnEntities reads and parses the schema files lines name, each once.
// It reports whether they are all valid.
func readOwnEntities(pkgDir string, lines []*annotations.Policies, e *errs) (*ownEntities, bool) {
	own := &ownEntities{}
	ok := true
	seen := map[string]bool{}
	for _, l := range lines {
		if l.Schema.Text == "" || seen[l.Schema.Text] {
			continue
		}
		seen[l.Schema.Text] = true
		path := filepath.Join(pkgDir, filepath.FromSlash(l.Schema.Text))
		src, err := os.ReadFile(path)
		if err != nil {
			e.at(posOf(l.Schema.Pos), "cannot read schema file %s: %v", l.Schema.Text, errors.Unwrap(err))
			ok = false
			continue
		}
		var s cedarschema.Schema
		s.SetFilename(path)
		if err := s.UnmarshalCedar(src); err != nil {
			if m := schemaFileError.FindStringSubmatch(err.Error()); m != nil {
				line, _ := strconv.Atoi(m[2])
				col, _ := strconv.Atoi(m[3])
				e.at(token.Position{Filename: path, Line: line, Column: col}, "%s", m[4])
			} else {
				e.at(posOf(l.Schema.Pos), "schema file %s: %v", l.Schema.Text, err)
			}
			ok = false
			continue
		}
		a := s.AST()
		declared := func(ns string, ents []string) {
			for _, name := range ents {
				if ns != "" {
					name = ns + "::" + name
				}
				if slices.Contains(derivedTypes, name) {
					e.at(posOf(l.Schema.Pos), "schema file %s declares %s, which mcpauthgen's derived schema already declares", l.Schema.Text, name)
					ok = false
					continue
				}
				if !slices.Contains(own.types, name) {
					own.types = append(own.types, name)
				}
			}
		}
		names := func(ents map[cedarschemaast.Ident]cedarschemaast.Entity, enums map[cedarschemaast.Ident]cedarschemaast.Enum) []string {
			var out []string
			for n := range ents {
				out = append(out, string(n))
			}
			for n := range enums {
				out = append(out, string(n))
			}
			return out
		}
		declared("", names(a.Entities, a.Enums))
		actions := len(a.Actions)
		for ns, n := range a.Namespaces {
			declared(string(ns), names(n.Entities, n.Enums))
			actions += len(n.Actions)
		}
		if actions > 0 {
			e.at(posOf(l.Schema.Pos), "schema file %s declares actions; it may only add entity types (the actions are the components')", l.Schema.Text)
			ok = false
		}
		own.schemas = append(own.schemas, "// "+l.Schema.Text+"\n"+strings.TrimSpace(string(src))+"\n")
	}
	slices.Sort(own.types)
	return own, ok
}

func posOf(p annotations.Pos) token.Position {
	return token.Position{Filename: p.Filename, Line: p.Line, Column: p.Column}
}

// policyChecker validates policies against one package's schema.
type policyChecker struct {
	validator *validate.Validator
	// ids are the entity ids the package declares, by entity type
	// ("Tool", "Prompt", "Resource", "Action").
	ids  map[types.EntityType][]string
	tags []string // every tag a component has or a vocabulary declares
	// compNames are the names of the components (resource.name), uris those of
	// the resources and templates (resource.uri).
	compNames, uris []string
	// scopes is the //mcp:scopes vocabulary; nil when none is declared.
	scopes []string
}

func newPolicyChecker(pkgPath string, comps []*component, vocab *vocabularies, own *ownEntities) (*policyChecker, error) {
	var s cedarschema.Schema
	s.SetFilename("schema")
	if err := s.UnmarshalCedar([]byte(cedarSchema(pkgPath, comps, own))); err != nil {
		return nil, err
	}
	r, err := s.Resolve()
	if err != nil {
		return nil, err
	}
	c := &policyChecker{
		validator: validate.New(r),
		ids:       map[types.EntityType][]string{"Action": {"call_tool", "read_resource", "get_prompt"}},
		tags:      slices.Clone(vocab.tags),
		scopes:    vocab.scopes,
	}
	for _, comp := range comps {
		typ := types.EntityType("Tool")
		switch comp.Kind {
		case kindPrompt:
			typ = "Prompt"
		case kindResource, kindTemplate:
			typ = "Resource"
		}
		c.ids[typ] = append(c.ids[typ], cedarComponentID(comp))
		c.ids["Action"] = append(c.ids["Action"], cedarActionID(comp))
		c.compNames = append(c.compNames, comp.Name)
		if typ == "Resource" {
			c.uris = append(c.uris, cedarComponentID(comp))
		}
		for _, t := range comp.Tags {
			if !slices.Contains(c.tags, t) {
				c.tags = append(c.tags, t)
			}
		}
	}
	return c, nil
}

// The kinds of entity ids checkPolicies knows, and how errors name them.
var idWhat = map[types.EntityType]string{"Tool": "tool", "Prompt": "prompt", "Resource": "resource", "Action": "action"}

// cedarParseError matches the position in an error of cedar-go's parser.
var cedarParseError = regexp.MustCompile(`^parser error: parse error at [^:]*:(\d+):(\d+) (.*)$`)

// check validates the policy document src, read from path.
func (c *policyChecker) check(path string, src []byte, e *errs) {
	list, err := cedar.NewPolicyListFromBytes(path, src)
	if err != nil {
		if m := cedarParseError.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			e.at(token.Position{Filename: path, Line: line, Column: col}, "syntax error: %s", m[3])
		} else {
			e.at(token.Position{Filename: path, Line: 1, Column: 1}, "%v", err)
		}
		return
	}
	seen := map[cedar.PolicyID]int{}
	for i, p := range list {
		id := policyID(i, p)
		pa := (*ast.Policy)(p.AST())
		start := pa.Position.Offset
		end := len(src)
		if i+1 < len(list) {
			end = list[i+1].AST().Position.Offset
		}
		pc := &policyCheck{path: path, src: src, start: start, end: end, id: id, e: e}
		if first, dup := seen[id]; dup {
			pc.at(start, "policy id %q is already used by policy %d of the file", id, first)
		}
		seen[id] = i
		if n := len(e.list); c.names(pc, pa) || len(e.list) > n {
			continue // the validator would only repeat these
		}
		errs := flatten(c.validator.Policy(string(id), pa))
		for _, err := range errs {
			// With another error, this one is its consequence.
			if len(errs) > 1 && strings.HasSuffix(err.Error(), noApplicableAction) {
				continue
			}
			pc.validatorError(err.Error())
		}
	}
}

// noApplicableAction ends the validator's message for a policy whose scope
// matches no action.
const noApplicableAction = "unable to find an applicable action given the policy scope constraints"

// policyID is the id a policy gets (cedarauth.PolicyID): its @id
// annotation, else policyN.
func policyID(i int, p *cedar.Policy) cedar.PolicyID {
	if id, ok := p.Annotations()["id"]; ok && id != "" {
		return cedar.PolicyID(id)
	}
	return cedar.PolicyID(fmt.Sprintf("policy%d", i))
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range u.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// policyCheck reports the mistakes of one policy, src[start:end] of the
// file at path.
type policyCheck struct {
	path       string
	src        []byte
	start, end int
	id         cedar.PolicyID
	e          *errs
}

// at reports a mistake at byte offset off of the file.
func (pc *policyCheck) at(off int, format string, args ...any) {
	line, col := 1, 1
	for _, b := range pc.src[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	pc.e.at(token.Position{Filename: pc.path, Line: line, Column: col, Offset: off},
		"policy %q: %s", pc.id, fmt.Sprintf(format, args...))
}

// find returns the offset of the first of needles found in the policy's
// text, or the policy's start.
func (pc *policyCheck) find(needles ...string) int {
	text := string(pc.src[pc.start:pc.end])
	for _, n := range needles {
		if n == "" {
			continue
		}
		if i := strings.Index(text, n); i >= 0 {
			return pc.start + i
		}
	}
	return pc.start
}

// names checks the entity ids and tags a policy names against the
// package's components. It reports whether it found a mistake.
func (c *policyChecker) names(pc *policyCheck, p *ast.Policy) bool {
	bad := false
	uid := func(u types.EntityUID) {
		known, ok := c.ids[u.Type]
		if !ok || slices.Contains(known, string(u.ID)) {
			return
		}
		bad = true
		lit := strconv.Quote(string(u.ID))
		off := pc.find(lit)
		if sg := annotations.Suggest(string(u.ID), known); sg != "" {
			pc.at(off, "unknown %s %s; did you mean %q?", idWhat[u.Type], lit, sg)
			return
		}
		pc.at(off, "unknown %s %s: no annotated component declares it", idWhat[u.Type], lit)
	}
	for _, s := range []any{p.Principal, p.Action, p.Resource} {
		switch s := s.(type) {
		case ast.ScopeTypeEq:
			uid(s.Entity)
		case ast.ScopeTypeIn:
			uid(s.Entity)
		case ast.ScopeTypeIsIn:
			uid(s.Entity)
		case ast.ScopeTypeInSet:
			for _, u := range s.Entities {
				uid(u)
			}
		}
	}
	tag := func(n ast.IsNode) {
		for _, l := range stringLits(n) {
			if slices.Contains(c.tags, string(l)) {
				continue
			}
			bad = true
			lit := strconv.Quote(string(l))
			off := pc.find(lit)
			if sg := annotations.Suggest(string(l), c.tags); sg != "" {
				pc.at(off, "unknown tag %s; did you mean %q?", lit, sg)
				continue
			}
			pc.at(off, "unknown tag %s: no annotated component has it", lit)
		}
	}
	// compared checks a string literal a component's name or URI is
	// compared with (resource.name == "x", resource.uri != "x").
	compared := func(attr, lit ast.IsNode) {
		v, ok := lit.(ast.NodeValue)
		if !ok {
			return
		}
		str, ok := v.Value.(types.String)
		if !ok {
			return
		}
		var what string
		var known []string
		switch {
		case isResourceAttr(attr, "name"):
			what, known = "component name", c.compNames
		case isResourceAttr(attr, "uri"):
			what, known = "resource URI", c.uris
		default:
			return
		}
		if slices.Contains(known, string(str)) {
			return
		}
		bad = true
		q := strconv.Quote(string(str))
		off := pc.find(q)
		if sg := annotations.Suggest(string(str), known); sg != "" {
			pc.at(off, "unknown %s %s; did you mean %q?", what, q, sg)
			return
		}
		pc.at(off, "unknown %s %s: no annotated component has it", what, q)
	}
	// scope checks the scopes principal.scopes is tested for against the
	// vocabulary, when one is declared.
	scope := func(left, right ast.IsNode) {
		if c.scopes == nil || !isPrincipalAttr(left, "scopes") {
			return
		}
		for _, l := range stringLits(right) {
			if slices.Contains(c.scopes, string(l)) {
				continue
			}
			bad = true
			q := strconv.Quote(string(l))
			off := pc.find(q)
			if sg := annotations.Suggest(string(l), c.scopes); sg != "" {
				pc.at(off, "scope %s is not in the //mcp:scopes vocabulary; did you mean %q?", q, sg)
				continue
			}
			pc.at(off, "scope %s is not in the //mcp:scopes vocabulary (%s)", q, strings.Join(c.scopes, " "))
		}
	}
	for _, cond := range p.Conditions {
		ast.Inspect(ast.NewNode(cond.Body), func(n ast.IsNode) bool {
			switch n := n.(type) {
			case ast.NodeValue:
				if u, ok := n.Value.(types.EntityUID); ok {
					uid(u)
				}
			case ast.NodeTypeSet:
				// A set literal of entities: [Tool::"a", Tool::"b"].
				for _, el := range n.Elements {
					if v, ok := el.(ast.NodeValue); ok {
						if u, ok := v.Value.(types.EntityUID); ok {
							uid(u)
						}
					}
				}
			case ast.NodeTypeEquals:
				compared(n.Left, n.Right)
				compared(n.Right, n.Left)
			case ast.NodeTypeNotEquals:
				compared(n.Left, n.Right)
				compared(n.Right, n.Left)
			case ast.NodeTypeContains:
				if isResourceTags(n.Left) {
					tag(n.Right)
				}
				scope(n.Left, n.Right)
			case ast.NodeTypeContainsAll:
				if isResourceTags(n.Left) {
					tag(n.Right)
				}
				scope(n.Left, n.Right)
			case ast.NodeTypeContainsAny:
				if isResourceTags(n.Left) {
					tag(n.Right)
				}
				scope(n.Left, n.Right)
			}
			return true
		})
	}
	return bad
}

// isResourceTags reports whether n is resource.tags.
func isResourceTags(n ast.IsNode) bool { return isResourceAttr(n, "tags") }

// isResourceAttr reports whether n is resource.NAME.
func isResourceAttr(n ast.IsNode, name string) bool { return isVarAttr(n, "resource", name) }

// isPrincipalAttr reports whether n is principal.NAME.
func isPrincipalAttr(n ast.IsNode, name string) bool { return isVarAttr(n, "principal", name) }

func isVarAttr(n ast.IsNode, variable, name string) bool {
	a, ok := n.(ast.NodeTypeAccess)
	if !ok || string(a.Value) != name {
		return false
	}
	v, ok := a.Arg.(ast.NodeTypeVariable)
	return ok && string(v.Name) == variable
}

// stringLits returns the string literals n is: a string, or a set literal
// (or set value) of them.
func stringLits(n ast.IsNode) []types.String {
	var lits []types.String
	add := func(n ast.IsNode) {
		v, ok := n.(ast.NodeValue)
		if !ok {
			return
		}
		switch v := v.Value.(type) {
		case types.String:
			lits = append(lits, v)
		case types.Set:
			for e := range v.All() {
				if s, ok := e.(types.String); ok {
					lits = append(lits, s)
				}
			}
		}
	}
	if set, ok := n.(ast.NodeTypeSet); ok {
		for _, el := range set.Elements {
			add(el)
		}
	} else {
		add(n)
	}
	return lits
}

// validatorPrefix is how cedar-go's validator starts most messages.
var validatorPrefix = regexp.MustCompile("^for policy `[^`]*`, ")

// quoted matches the first `…` of a message.
var quoted = regexp.MustCompile("`([^`]+)`")

// validatorError reports an error of cedar-go's validator, at the text it
// names when the policy contains it, else at the policy.
func (pc *policyCheck) validatorError(msg string) {
	msg = validatorPrefix.ReplaceAllString(msg, "")
	var needles []string
	if m := quoted.FindStringSubmatch(msg); m != nil {
		name := m[1]
		needles = append(needles, name)
		if _, id, ok := strings.Cut(name, "::"); ok {
			needles = append(needles, id) // Action::"x" written as Action :: "x"
		}
		if strings.Contains(msg, "attribute `") {
			// An attribute is read as .name, or as ["name"], or tested
			// with has.
			if off := pc.find("." + name); off != pc.start {
				pc.at(off+1, "%s", msg)
				return
			}
			needles = []string{`["` + name + `"]`, "has " + name}
		}
	}
	pc.at(pc.find(needles...), "%s", msg)
}
