// Package diff computes line-based unified diffs, for mcpauthgen -check.
package diff

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff (three lines of context) that turns old
// into new, with the given file names in its header, or "" when they are
// equal.
func Unified(oldName, newName string, old, new []byte) string {
	a, b := lines(string(old)), lines(string(new))
	edits := compute(a, b)
	var out strings.Builder
	for i := 0; i < len(edits); {
		if edits[i].op == eq {
			i++
			continue
		}
		// A hunk is a run of changes with up to three lines of context
		// on each side; changes closer than twice that share one.
		start := max(i-context, 0)
		end := i
		for {
			for end < len(edits) && edits[end].op != eq {
				end++
			}
			next := end
			for next < len(edits) && edits[next].op == eq {
				next++
			}
			if next == len(edits) || next-end > 2*context {
				end = min(end+context, len(edits))
				break
			}
			end = next
		}
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
		}
		writeHunk(&out, edits[start:end])
		i = end
	}
	return out.String()
}

const context = 3

type opKind int

const (
	eq opKind = iota
	del
	ins
)

type edit struct {
	op   opKind
	text string
	a, b int // line numbers (0-based) in old and new before this edit
}

func writeHunk(out *strings.Builder, h []edit) {
	var na, nb int
	for _, e := range h {
		if e.op != ins {
			na++
		}
		if e.op != del {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", span(h[0].a, na), span(h[0].b, nb))
	for _, e := range h {
		prefix := " "
		switch e.op {
		case del:
			prefix = "-"
		case ins:
			prefix = "+"
		}
		out.WriteString(prefix + e.text)
		if !strings.HasSuffix(e.text, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// span formats a hunk range: the first line (1-based) and the count,
// where an empty range names the line before it.
func span(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// lines splits s after each newline.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	ls := strings.SplitAfter(s, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// compute returns the edit script from a to b: Myers' O(ND) algorithm
// after trimming the common prefix and suffix.
func compute(a, b []string) []edit {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var edits []edit
	for i := range pre {
		edits = append(edits, edit{eq, a[i], i, i})
	}
	for _, e := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		e.a += pre
		e.b += pre
		edits = append(edits, e)
	}
	for i := range suf {
		ia, ib := len(a)-suf+i, len(b)-suf+i
		edits = append(edits, edit{eq, a[ia], ia, ib})
	}
	return edits
}

func myers(a, b []string) []edit {
	n, m := len(a), len(b)
	limit := n + m
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
search:
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				break search
			}
		}
	}
	var rev []edit
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[off+pk]
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, edit{eq, a[x], x, y})
		}
		if d == 0 {
			break
		}
		if x == px {
			y--
			rev = append(rev, edit{ins, b[y], x, y})
		} else {
			x--
			rev = append(rev, edit{del, a[x], x, y})
		}
	}
	edits := make([]edit, len(rev))
	for i, e := range rev {
		edits[len(rev)-1-i] = e
	}
	return edits
}
