package annotations

import "strings"

// Suggest returns the candidate closest to word, for "did you mean"
// messages, or "" when none is close. A candidate equal to word but for
// case wins; otherwise the nearest candidate by edit distance (insertions,
// deletions, substitutions and swaps of adjacent bytes each count one)
// wins, provided the distance is at most 2 and less than len(word). Ties
// go to the earlier candidate.
func Suggest(word string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(word, c) {
			return c
		}
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestDist && d < len(word) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance returns the optimal string alignment distance between a
// and b, in bytes: Levenshtein distance with adjacent transpositions.
func editDistance(a, b string) int {
	// Rows i-2, i-1 and i of the dynamic programming table.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
