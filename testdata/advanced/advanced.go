// Package advanced exercises argument types, checks from other packages
// and name clashes with the generated file's imports.
package advanced

import (
	"context"
	stdjson "encoding/json"
	"net/netip"
	"strconv"
	"strings"

	. "github.com/mcpauthgen/mcpauthgen/runtime"
	pol "github.com/mcpauthgen/mcpauthgen/testdata/policy"
)

// json clashes with the generated file's import of encoding/json.
var json = "not a package"

// Base is embedded in Query.
type Base struct {
	// Trace asks for a trace.
	Trace bool `json:"trace,omitempty"`
}

// Query is the input of query.
type Query struct {
	Base
	pol.Page `json:"page"`
	Terms    []string           `json:"terms"`
	Filters  map[string]string  `json:"filters,omitempty"`
	Limit    int64              `json:"limit,string"`
	Payload  []byte             `json:"payload,omitempty"`
	Extra    stdjson.RawMessage `json:"extra,omitempty"`
	Any      any                `json:"any,omitempty"`
	Addr     *netip.Addr        `json:"addr,omitempty"`
	Weights  [3]float64         `json:"weights"`
}

// Result is query's result.
type Result struct {
	Count int    `json:"count"`
	Echo  string `json:"echo"`
}

// RunQuery runs a query for owners in the staff group.
//
//mcp:tool name=query auth=check(pol.IsOwner),check(pol.InGroup("staff")) tags=data,read
func RunQuery(ctx context.Context, q *Query) (Result, error) {
	return Result{Count: len(q.Terms), Echo: strings.Join(q.Terms, " ")}, nil
}

// Level is a named string result.
type Level string

// Shout upper-cases its input and returns it as text.
//
//mcp:tool auth=check(Check(isAdmin))
func Shout(text string, times *int) (Level, error) {
	return Level(strings.ToUpper(text)), nil
}

func isAdmin(ac AuthContext) (bool, error) { return ac.Token.HasScope("admin"), nil }

// Blob is a named byte slice.
type Blob []byte

// Avatar returns an avatar.
//
//mcp:resource uri=avatars://{user}/{size} auth=check(RequireScopes("read"))
func Avatar(user, size string) (Blob, error) {
	return Blob(user + "@" + size), nil
}

// Numbers returns a list, which becomes {"result": […]}.
//
//mcp:tool readonly
func Numbers(ctx context.Context, n uint8) ([]int, error) {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out, nil
}

// Big echoes an integer beyond float64 precision, which must arrive
// intact.
//
//mcp:tool
func Big(n int64) (string, error) {
	return strconv.FormatInt(n, 10), nil
}

// s is a package-level name that the server parameter of Register must
// not hide: a check uses it.
var s = RequireScopes("admin")

// ping is unexported, which a handler may be.
//
//mcp:tool name=ping_lower auth=check(s)
func ping() (string, error) { return "pong", nil }

// Ping shares ping's wrapper name but for case.
//
//mcp:tool
func Ping() (string, error) { return "PONG", nil }

// quota is a check of the program's own type: a Checker with a pointer
// receiver, registered as it is, and named in decisions by its String
// method.
type quota struct{ max float64 }

func (q *quota) Check(_ context.Context, ac AuthContext) (bool, error) {
	if ac.Token == nil {
		return false, nil
	}
	used, _ := ac.Token.Claims["exports"].(float64)
	return used < q.max, nil
}

func (q *quota) String() string { return "quota(" + strconv.FormatFloat(q.max, 'f', -1, 64) + ")" }

var exportQuota = &quota{max: 3}

// Export is allowed while the caller has exports left.
//
//mcp:tool auth=check(exportQuota)
func Export() (string, error) { return "exported", nil }
