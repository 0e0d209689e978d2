package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// vocabulary is every word of the index, as written (lowercase, not
// stemmed), with how many sections use it: what "Did you mean" suggests
// from. The engine's own vocabulary (fts5vocab) holds Porter stems, like
// "manipul", which are no words to show a reader.
type vocabulary struct {
	count map[string]int
	// byLen lists the words by length in runes, for finding near ones.
	// It is made again after each change (sort), never while searches
	// read it.
	byLen map[int][]string
}

func newVocabulary() vocabulary { return vocabulary{count: map[string]int{}} }

// add counts the distinct words of one section in, or out with -1.
func (v *vocabulary) add(words []string, delta int) {
	for _, w := range words {
		n, ok := v.count[w]
		switch {
		case !ok && delta > 0:
			// A word of the section's text: copy it, so the vocabulary
			// does not keep the whole text alive.
			v.count[strings.Clone(w)] = delta
		case n+delta > 0:
			v.count[w] = n + delta
		default:
			delete(v.count, w)
		}
	}
}

// sort lists the words by length again, after changes.
func (v *vocabulary) sort() {
	v.byLen = map[int][]string{}
	for word := range v.count {
		l := utf8.RuneCountInString(word)
		v.byLen[l] = append(v.byLen[l], word)
	}
}

// has reports whether a section uses the word or its singular.
func (v *vocabulary) has(w string) bool {
	return v.count[w] > 0 || v.count[Fold(w)] > 0
}

// maxSuggestions is how many spellings of one word are tried.
const maxSuggestions = 3

// nearest lists the words of the vocabulary closest to w in spelling, best
// first, at most maxSuggestions: at most one edit away for words of up to
// six letters, two for longer ones (an edit is a letter added, dropped or
// changed, or two side by side swapped, as in "nekc"). Fewer edits come
// first, then words that start with the same letter as w (people seldom
// mistype the first), then words more sections use. Words of one or two
// letters get none.
func (v *vocabulary) nearest(w string) []string {
	src := []rune(w)
	n := len(src)
	if n < 3 {
		return nil
	}
	maxDist := 1
	if n > 6 {
		maxDist = 2
	}
	type cand struct {
		word      string
		dist      int
		sameFirst bool
		count     int
	}
	var cands []cand
	for l := n - maxDist; l <= n+maxDist; l++ {
		for _, word := range v.byLen[l] {
			r := []rune(word)
			if d := distance(src, r, maxDist); d <= maxDist {
				cands = append(cands, cand{word, d, r[0] == src[0], v.count[word]})
			}
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), -cmpBool(a.sameFirst, b.sameFirst), cmp.Compare(b.count, a.count), cmp.Compare(a.word, b.word))
	})
	var out []string
	for _, c := range cands[:min(len(cands), maxSuggestions)] {
		out = append(out, c.word)
	}
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// distance is the optimal string alignment distance between a and b (the
// edits above), or any number above limit once it is sure to exceed it.
func distance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	// Three rows of the table are enough: the one before the previous is
	// needed for swaps.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
