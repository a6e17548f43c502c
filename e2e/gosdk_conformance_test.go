package e2e_test

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpauthgen/mcpauthgen/e2e/conformance/everything"
	"github.com/mcpauthgen/mcpauthgen/e2e/conformance/gosdkeverything"
)

// conformanceScenariosGoSDK is what the server scenarios give against the
// go-sdk fixture: those of the mcp-go fixture, with the differences the
// go-sdk makes (conformance/RESULTS.md).
var conformanceScenariosGoSDK = func() map[string]string {
	m := maps.Clone(conformanceScenarios)
	// The go-sdk sends every notification of a tool before its response.
	m["tools-call-with-logging"] = pass
	m["tools-call-with-progress"] = pass
	return m
}()

// TestConformanceGoSDK runs every server scenario of the MCP conformance
// suite against the everything fixture on the go-sdk backend, in the
// configurations of TestConformance.
func TestConformanceGoSDK(t *testing.T) {
	node := requireNode(t)
	dir, err := filepath.Abs("conformance")
	if err != nil {
		t.Fatal(err)
	}
	ensureNodeModules(t, dir)
	for _, tc := range []struct {
		name string
		opts everything.Options
	}{
		{"token", everything.Options{InjectToken: true}},
		{"token+event-store", everything.Options{InjectToken: true, EventStore: true}},
		{"anonymous+event-store", everything.Options{Anonymous: true, EventStore: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := gosdkeverything.Handler(tc.opts)
			mux := http.NewServeMux()
			mux.Handle("/mcp", h)
			mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
			ts := httptest.NewServer(mux)
			defer ts.Close()
			results := runConformance(t, node, dir, ts.URL+"/mcp")
			for name, want := range conformanceScenariosGoSDK {
				checks, ok := results[name]
				if !ok {
					t.Errorf("%s: the suite did not run it", name)
					continue
				}
				var succeeded int
				var failures []string
				for _, c := range checks {
					switch c.Status {
					case "SUCCESS":
						succeeded++
					case "FAILURE":
						failures = append(failures, c.ID+": "+c.ErrorMessage)
					case "WARNING":
						t.Logf("%s: warning %s: %s", name, c.ID, c.ErrorMessage)
					}
				}
				switch {
				case len(failures) > 0:
					t.Errorf("%s: %s", name, strings.Join(failures, "; "))
				case want == na && succeeded > 0:
					t.Errorf("%s: %d checks succeed; it applies now: update conformanceScenariosGoSDK and RESULTS.md", name, succeeded)
				case want != na && succeeded == 0:
					t.Errorf("%s: no check succeeded", name)
				}
			}
			for name := range results {
				if _, ok := conformanceScenariosGoSDK[name]; !ok {
					t.Errorf("%s: a scenario this test does not know: add it to conformanceScenariosGoSDK and RESULTS.md", name)
				}
			}
		})
	}
}
