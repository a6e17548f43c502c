package gosdk

import (
	"context"
	"slices"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The four list methods are answered here, from the registry, and never
// reach the SDK: filtering the SDK's own pages would leak what is hidden
// (its cursor names the last item of a page, and a page's size tells how
// many were left out). The runtime filters first, then pages as the SDK
// pages: items sorted by name (URI for resources, URI template for
// templates), at most the server's page size per page, a cursor naming the
// last item of a page encoded as the SDK encodes it (sdk-cursor), and an
// invalid cursor answered as the SDK answers one.

func (s *Server) listTools(ctx context.Context, req *mcp.ListToolsRequest) (mcp.Result, error) {
	if req.Params == nil {
		req.Params = &mcp.ListToolsParams{}
	}
	page, next, err := s.page(ctx, methodListTools, KindTool, s.reg.Load().tools, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	res := &mcp.ListToolsResult{Tools: make([]*mcp.Tool, len(page)), NextCursor: next}
	for i, rec := range page {
		res.Tools[i] = rec.tool
	}
	s.resolveCacheable(ctx, req, &res.Cacheable)
	return res, nil
}

func (s *Server) listPrompts(ctx context.Context, req *mcp.ListPromptsRequest) (mcp.Result, error) {
	if req.Params == nil {
		req.Params = &mcp.ListPromptsParams{}
	}
	page, next, err := s.page(ctx, methodListPrompts, KindPrompt, s.reg.Load().prompts, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	res := &mcp.ListPromptsResult{Prompts: make([]*mcp.Prompt, len(page)), NextCursor: next}
	for i, rec := range page {
		res.Prompts[i] = rec.prompt
	}
	s.resolveCacheable(ctx, req, &res.Cacheable)
	return res, nil
}

func (s *Server) listResources(ctx context.Context, req *mcp.ListResourcesRequest) (mcp.Result, error) {
	if req.Params == nil {
		req.Params = &mcp.ListResourcesParams{}
	}
	page, next, err := s.page(ctx, methodListResources, KindResource, s.reg.Load().resources, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	res := &mcp.ListResourcesResult{Resources: make([]*mcp.Resource, len(page)), NextCursor: next}
	for i, rec := range page {
		res.Resources[i] = rec.resource
	}
	s.resolveCacheable(ctx, req, &res.Cacheable)
	return res, nil
}

func (s *Server) listResourceTemplates(ctx context.Context, req *mcp.ListResourceTemplatesRequest) (mcp.Result, error) {
	if req.Params == nil {
		req.Params = &mcp.ListResourceTemplatesParams{}
	}
	page, next, err := s.page(ctx, methodListResourceTemplates, KindResourceTemplate, s.reg.Load().templates, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	res := &mcp.ListResourceTemplatesResult{ResourceTemplates: make([]*mcp.ResourceTemplate, len(page)), NextCursor: next}
	for i, rec := range page {
		res.ResourceTemplates[i] = rec.template
	}
	s.resolveCacheable(ctx, req, &res.Cacheable)
	return res, nil
}

// page returns the page of c's components the request of ctx may see that
// follows cursor ("" for the first page), and the cursor of the next page
// ("" when none follows). With decision hooks, it reports the list's
// decision (method, kind) with the counts of the whole catalog.
func (s *Server) page(ctx context.Context, method string, kind Kind, c catalog, cursor string) ([]*record, string, error) {
	if s.hooks != nil {
		return s.auditedPage(ctx, method, kind, c, cursor)
	}
	start := 0
	if cursor != "" {
		last, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", errInvalidCursor()
		}
		i, found := slices.BinarySearchFunc(c.sorted, last, compareKey)
		if found {
			i++
		}
		start = i
	}
	tok, ctx := AccessTokenFromContext(ctx), s.policy.ListingContext(ctx)
	out := make([]*record, 0, min(s.pageSize, len(c.sorted)-start))
	for _, rec := range c.sorted[start:] {
		if !s.listed(ctx, tok, rec) {
			continue
		}
		if len(out) == s.pageSize {
			next, err := encodeCursor(out[len(out)-1].key)
			if err != nil {
				return nil, "", err
			}
			return out, next, nil
		}
		out = append(out, rec)
	}
	return out, "", nil
}

// resolveCacheable is the server's mcp.ServerOptions.SetCacheable, and
// settles the cache fields of the lists the runtime answers the same way.
// It applies the user's SetCacheable, then makes sure that no list and no
// read is publicly cacheable: their answers depend on who asks, and a
// shared cache must not hand one principal's answer to another. Protocol
// 2026-07-28 treats an absent cacheScope as "public", and so does the SDK.
func (s *Server) resolveCacheable(ctx context.Context, req mcp.Request, c *mcp.Cacheable) {
	if s.setCacheable != nil {
		s.setCacheable(ctx, req, c)
	}
	switch req.(type) {
	case *mcp.ListToolsRequest, *mcp.ListPromptsRequest, *mcp.ListResourcesRequest,
		*mcp.ListResourceTemplatesRequest, *mcp.ReadResourceRequest:
		if c.CacheScope == "" || c.CacheScope == cacheScopePublic {
			c.CacheScope = cacheScopePrivate
		}
	}
}

const (
	cacheScopePublic  = "public"
	cacheScopePrivate = "private"
)

// auditedPage is page with the list's decision reported: every item of c
// is decided, before and after the page, so that the counts do not depend
// on the cursor. A list with an invalid cursor is decided too, before it
// is refused, as the mcp-go backend decides it.
func (s *Server) auditedPage(ctx context.Context, method string, kind Kind, c catalog, cursor string) ([]*record, string, error) {
	begin := time.Now()
	start := 0
	var invalid error
	if cursor != "" {
		last, err := decodeCursor(cursor)
		if err != nil {
			invalid, start = errInvalidCursor(), len(c.sorted)
		} else {
			i, found := slices.BinarySearchFunc(c.sorted, last, compareKey)
			if found {
				i++
			}
			start = i
		}
	}
	tok, ctx := AccessTokenFromContext(ctx), s.policy.ListingContext(ctx)
	var out []*record
	next, visible, full := "", 0, false
	for i, rec := range c.sorted {
		if !s.listed(ctx, tok, rec) {
			continue
		}
		visible++
		switch {
		case i < start || next != "":
		case full:
			cur, err := encodeCursor(out[len(out)-1].key)
			if err != nil {
				return nil, "", err
			}
			next = cur
		default:
			out = append(out, rec)
			full = len(out) == s.pageSize
		}
	}
	s.listDecided(ctx, begin, method, kind, visible, len(c.sorted)-visible)
	if invalid != nil {
		return nil, "", invalid
	}
	return out, next, nil
}
