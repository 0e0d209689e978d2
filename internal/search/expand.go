package search

import (
	"strings"

	"healthsite/internal/content"
)

// slot is one thing a query asks for: any one of its alternatives, each a
// phrase of one or more words. A plain word is a slot with one
// alternative; a word or phrase of a synonym group has every term of the
// group.
type slot struct {
	alts [][]string
	// words are the query words the slot stands for; a slot of one word
	// not from a synonym group may be corrected by "Did you mean".
	words   []string
	synonym bool
}

// phrase is an alternative written for FTS5: a quoted string, which FTS5
// reads as a phrase of the words its own tokenizer finds in it. Words hold
// only letters, digits and marks, never a quote, so nothing a reader types
// can end the string and become query syntax (AND, NEAR, *, ^, columns).
func phrase(words []string) string {
	return `"` + strings.Join(words, " ") + `"`
}

func (s slot) match() string {
	if len(s.alts) == 1 {
		return phrase(s.alts[0])
	}
	parts := make([]string, len(s.alts))
	for i, a := range s.alts {
		parts[i] = phrase(a)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// matchAll finds sections with every slot.
func matchAll(slots []slot) string {
	parts := make([]string, len(slots))
	for i, s := range slots {
		parts[i] = s.match()
	}
	return strings.Join(parts, " AND ")
}

// thesaurus finds the synonym terms in a query.
type thesaurus struct {
	// byFirst lists the terms by the folded form of their first word.
	byFirst map[string][]term
	groups  [][][]string // group -> term -> words, as written
	// words are the folded words of every term.
	words map[string]bool
	// distinct are the synonyms file's distinct phrases, folded: a query
	// that has one is taken whole.
	distinct [][]string
}

type term struct {
	folded []string
	group  int
}

func newThesaurus(syn *content.Synonyms) thesaurus {
	t := thesaurus{byFirst: map[string][]term{}, words: map[string]bool{}}
	if syn == nil {
		return t
	}
	for gi, g := range syn.Groups {
		var terms [][]string
		for _, s := range g.Terms {
			words := strings.Fields(s)
			terms = append(terms, words)
			folded := make([]string, len(words))
			for i, w := range words {
				folded[i] = Fold(w)
				t.words[folded[i]] = true
			}
			t.byFirst[folded[0]] = append(t.byFirst[folded[0]], term{folded: folded, group: gi})
		}
		t.groups = append(t.groups, terms)
	}
	for _, d := range syn.Distinct {
		words := strings.Fields(d.Words)
		for i, w := range words {
			words[i] = Fold(w)
		}
		t.distinct = append(t.distinct, words)
	}
	return t
}

// whole reports whether a query's words hold a distinct phrase ("sore
// throat"), which no fallback may respell or cut down: what its words
// find on their own is about something else.
func (t thesaurus) whole(words []string) bool {
	for _, d := range t.distinct {
		for i := 0; i+len(d) <= len(words); i++ {
			if foldedEqual(words[i:i+len(d)], d) {
				return true
			}
		}
	}
	return false
}

// slots reads the words of a query into slots: the longest synonym term
// starting at each word, else the word alone. Common words outside a
// synonym term are dropped, unless the query has nothing else.
func (t thesaurus) slots(words []string) []slot {
	var all, kept []slot
	for i := 0; i < len(words); {
		best, bestLen := -1, 0
		for _, tm := range t.byFirst[Fold(words[i])] {
			if len(tm.folded) > bestLen && i+len(tm.folded) <= len(words) && foldedEqual(words[i:i+len(tm.folded)], tm.folded) {
				best, bestLen = tm.group, len(tm.folded)
			}
		}
		var s slot
		if best >= 0 {
			s = slot{alts: t.groups[best], words: words[i : i+bestLen], synonym: true}
			i += bestLen
		} else {
			s = slot{alts: [][]string{{words[i]}}, words: words[i : i+1]}
			i++
		}
		all = append(all, s)
		if s.synonym || !stopWords[s.words[0]] {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return kept
}

// has reports whether a word is in a synonym term.
func (t thesaurus) has(word string) bool { return t.words[Fold(word)] }

func foldedEqual(words, folded []string) bool {
	for i, w := range words {
		if Fold(w) != folded[i] {
			return false
		}
	}
	return true
}
