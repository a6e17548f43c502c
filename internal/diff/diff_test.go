package diff

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedEqual(t *testing.T) {
	if d := Unified("a", "b", []byte("x\ny\n"), []byte("x\ny\n")); d != "" {
		t.Errorf("equal inputs: got diff\n%s", d)
	}
}

func TestUnifiedExamples(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"add file", "", "a\nb\n", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"remove file", "a\nb\n", "", "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n"},
		{"change middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n",
			"--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"},
		{"no newline", "a\n", "a", "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"},
	} {
		if got := Unified("old", "new", []byte(tc.old), []byte(tc.new)); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestUnifiedMatchesDiff compares random edits with GNU diff -u, when it
// is installed.
func TestUnifiedMatchesDiff(t *testing.T) {
	diffCmd, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("no diff command")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		var a []string
		for range r.IntN(40) {
			a = append(a, string(rune('a'+r.IntN(5))))
		}
		b := append([]string(nil), a...)
		for range r.IntN(6) {
			switch p := r.IntN(len(b) + 1); r.IntN(3) {
			case 0:
				b = append(b[:p], append([]string{"new"}, b[p:]...)...)
			case 1:
				if p < len(b) {
					b = append(b[:p], b[p+1:]...)
				}
			case 2:
				if p < len(b) {
					b[p] = "chg"
				}
			}
		}
		old, new := join(a), join(b)
		pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(pa, []byte(old), 0o666)
		os.WriteFile(pb, []byte(new), 0o666)
		out, _ := exec.Command(diffCmd, "-u", "--label", "old", "--label", "new", pa, pb).Output()
		got := Unified("old", "new", []byte(old), []byte(new))
		// Both are minimal diffs but may pick different equal-cost
		// alignments; compare what they change line counts by, and
		// apply ours to check it is right.
		if (got == "") != (len(out) == 0) {
			t.Fatalf("case %d: got\n%s\nwant\n%s", i, got, out)
		}
		if applied := apply(old, got); applied != new {
			t.Fatalf("case %d: applying\n%s\nto %q gives %q, want %q", i, got, old, applied, new)
		}
		if countChanges(got) != countChanges(string(out)) {
			t.Fatalf("case %d: not minimal: got\n%s\nwant\n%s", i, got, out)
		}
	}
}

func join(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

func countChanges(d string) int {
	n := 0
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			n++
		}
	}
	return n
}

// apply applies a unified diff produced by Unified to old.
func apply(old, d string) string {
	if d == "" {
		return old
	}
	a := lines(old)
	var out []string
	pos := 0
	for _, l := range strings.SplitAfter(d, "\n") {
		switch {
		case l == "" || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "+++"):
		case strings.HasPrefix(l, "@@"):
			var sa, na, sb, nb int
			parseHunk(l, &sa, &na, &sb, &nb)
			start := sa - 1
			if na == 0 {
				start = sa
			}
			out = append(out, a[pos:start]...)
			pos = start
		case l[0] == ' ':
			out = append(out, a[pos])
			pos++
		case l[0] == '-':
			pos++
		case l[0] == '+':
			out = append(out, l[1:])
		}
	}
	out = append(out, a[pos:]...)
	return strings.Join(out, "")
}

func parseHunk(l string, sa, na, sb, nb *int) {
	f := strings.Fields(l)
	parse := func(s string, start, n *int) {
		s = s[1:]
		*n = 1
		if i := strings.Index(s, ","); i >= 0 {
			*n = atoi(s[i+1:])
			s = s[:i]
		}
		*start = atoi(s)
	}
	parse(f[1], sa, na)
	parse(f[2], sb, nb)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
