package e2e_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcpauthgen/mcpauthgen/e2e/conformance/everything"
)

// What the server scenarios of @modelcontextprotocol/conformance 0.1.16
// ("conformance list", --suite all) give against the everything fixture.
// conformance/RESULTS.md explains each entry; keep the two in step.
const (
	pass = "pass" // no FAILURE, at least one SUCCESS
	na   = "n/a"  // no FAILURE and no SUCCESS: the scenario does not apply (INFO/WARNING only)
	// racy: passes, or misses the last of the tool's three notifications:
	// mcp-go v1.2.1 may drop it (without an event store) or send it on the
	// standalone GET stream after the response (with or without one); see
	// RESULTS.md.
	racy = "racy"
)

var conformanceScenarios = map[string]string{
	"server-initialize":             pass,
	"logging-set-level":             pass,
	"ping":                          pass,
	"completion-complete":           pass,
	"tools-list":                    pass,
	"tools-call-simple-text":        pass,
	"tools-call-image":              pass,
	"tools-call-audio":              pass,
	"tools-call-embedded-resource":  pass,
	"tools-call-mixed-content":      pass,
	"tools-call-with-logging":       racy,
	"tools-call-error":              pass,
	"tools-call-with-progress":      racy,
	"tools-call-sampling":           pass,
	"tools-call-elicitation":        pass,
	"json-schema-2020-12":           pass,
	"elicitation-sep1034-defaults":  pass,
	"server-sse-polling":            na,
	"server-sse-multiple-streams":   pass,
	"elicitation-sep1330-enums":     pass,
	"resources-list":                pass,
	"resources-read-text":           pass,
	"resources-read-binary":         pass,
	"resources-templates-read":      pass,
	"resources-subscribe":           pass,
	"resources-unsubscribe":         pass,
	"prompts-list":                  pass,
	"prompts-get-simple":            pass,
	"prompts-get-with-args":         pass,
	"prompts-get-embedded-resource": pass,
	"prompts-get-with-image":        pass,
	"dns-rebinding-protection":      pass,
}

// racyFailure is the only failure a racy scenario may show: one of its
// three notifications lost.
var racyFailure = regexp.MustCompile(`^Expected at least 3 (log messages|progress notifications), got 2$`)

// TestConformance runs every server scenario of the MCP conformance suite
// against the everything fixture, served like TestAuthorization's fixture
// (token verifier, scoped components, hidden admin components, RestrictTag
// middleware), in three configurations.
func TestConformance(t *testing.T) {
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
		// The CLI sends no token; the fixture supplies the conformance
		// token to requests without one, so every scenario goes through the
		// verifier and the scope checks.
		{"token", everything.Options{InjectToken: true}},
		{"token+event-store", everything.Options{InjectToken: true, EventStore: true}},
		// No verifier, no scopes: the baseline without authorization.
		{"anonymous+event-store", everything.Options{Anonymous: true, EventStore: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := everything.Handler(tc.opts)
			mux := http.NewServeMux()
			mux.Handle("/mcp", h)
			mux.Handle("/.well-known/oauth-protected-resource/mcp", h)
			ts := httptest.NewServer(mux) // 127.0.0.1, as dns-rebinding-protection requires
			defer ts.Close()

			results := runConformance(t, node, dir, ts.URL+"/mcp")
			for name, want := range conformanceScenarios {
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
				case want == racy && len(failures) == 1 && racyFailure.MatchString(strings.SplitN(failures[0], ": ", 2)[1]):
					t.Logf("%s: %s (known mcp-go v1.2.1 notification race, see conformance/RESULTS.md)", name, failures[0])
				case len(failures) > 0:
					t.Errorf("%s: %s", name, strings.Join(failures, "; "))
				case want == na && succeeded > 0:
					t.Errorf("%s: %d checks succeed; it applies now: update conformanceScenarios and RESULTS.md", name, succeeded)
				case want != na && succeeded == 0:
					t.Errorf("%s: no check succeeded", name)
				}
			}
			for name := range results {
				if _, ok := conformanceScenarios[name]; !ok {
					t.Errorf("%s: a scenario this test does not know: add it to conformanceScenarios and RESULTS.md", name)
				}
			}
		})
	}
}

type conformanceCheck struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"errorMessage"`
}

// scenarioDir matches the folder the CLI writes a scenario's checks.json to.
var scenarioDir = regexp.MustCompile(`^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$`)

// runConformance runs "conformance server --suite all" against url and
// returns the checks of each scenario.
func runConformance(t *testing.T, node, dir, url string) map[string][]conformanceCheck {
	t.Helper()
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// register.mjs supplies fs.globSync, which the CLI imports and Node 20
	// lacks.
	cmd := exec.CommandContext(ctx, node, "--import", "./register.mjs",
		"node_modules/@modelcontextprotocol/conformance/dist/index.js",
		"server", "--url", url, "--suite", "all", "--output-dir", out)
	cmd.Dir = dir
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	err := cmd.Run() // exits 1 when a scenario fails; the checks say which
	if ctx.Err() != nil {
		t.Fatalf("the conformance suite did not finish within 3 minutes:\n%s", stdout.String())
	}
	entries, rerr := os.ReadDir(out)
	if rerr != nil || len(entries) == 0 {
		t.Fatalf("the conformance suite wrote no results (%v, %v):\n%s", err, rerr, stdout.String())
	}
	results := map[string][]conformanceCheck{}
	for _, e := range entries {
		m := scenarioDir.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		var checks []conformanceCheck
		if err := readJSON(filepath.Join(out, e.Name(), "checks.json"), &checks); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		results[m[1]] = checks
	}
	var names []string
	for n := range results {
		names = append(names, n)
	}
	slices.Sort(names)
	t.Logf("ran %d scenarios: %s", len(names), strings.Join(names, " "))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("conformance output:\n%s", stdout.String())
		}
	})
	return results
}
