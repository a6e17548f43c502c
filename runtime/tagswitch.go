package runtime

import "slices"

// Tag switches decide which components exist, as FastMCP's include_tags
// and exclude_tags do; authorization then decides who may use what exists.

// WithIncludeTags keeps only the components that carry at least one of
// tags: every other component (untagged ones included) is excluded.
// Several WithIncludeTags options add up; with no tag at all the option
// changes nothing.
//
// An excluded component is never registered: it does not exist on any
// transport, stdio included, and before any check runs. It is in no list,
// calling, reading or getting it is answered as for a name no component
// has, completion providers are handed its name exactly as any unknown
// name, and its scopes are not in scopes_supported. The switches apply
// to what is added through the Server (AddTool, AddResource,
// AddResourceTemplate, AddPrompt, and so generated Register functions);
// what is added to MCP() directly is not filtered.
func WithIncludeTags(tags ...string) Option {
	return func(c *serverConfig) { c.includeTags = append(c.includeTags, tags...) }
}

// WithExcludeTags excludes every component that carries one of tags, as
// WithIncludeTags describes. Exclusion wins over inclusion: a component
// tagged both "read" and "write" under WithIncludeTags("read") and
// WithExcludeTags("write") does not exist. Several WithExcludeTags options
// add up.
//
// A command-line switch that removes every writing tool on every
// transport:
//
//	disableWrite := flag.Bool("disable-write", false, "serve no tool tagged write")
//	flag.Parse()
//	var opts []runtime.Option
//	if *disableWrite {
//		opts = append(opts, runtime.WithExcludeTags("write"))
//	}
//	srv := runtime.NewServer("notes", "1.0.0", opts...)
//	Register(srv)
func WithExcludeTags(tags ...string) Option {
	return func(c *serverConfig) { c.excludeTags = append(c.excludeTags, tags...) }
}

// tagSwitch is the configured include and exclude sets.
type tagSwitch struct {
	include, exclude []string
}

// exists reports whether a component with the given tags exists under the
// switches.
func (t tagSwitch) exists(tags []string) bool {
	for _, tag := range tags {
		if slices.Contains(t.exclude, tag) {
			return false
		}
	}
	if len(t.include) == 0 {
		return true
	}
	for _, tag := range tags {
		if slices.Contains(t.include, tag) {
			return true
		}
	}
	return false
}
