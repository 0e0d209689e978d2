package search

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryChars is the longest query accepted, in characters: longer than
// a person types into a search box, and a query that long is more likely
// pasted text or a machine than a question.
const MaxQueryChars = 200

// MaxWords is how many words of a query are searched; the rest are
// dropped. Two hundred characters can hold a hundred one-letter words, and
// every word costs the engine a lookup.
const MaxWords = 16

// ErrTooLong means the query has more than MaxQueryChars characters.
var ErrTooLong = errors.New("the search is too long")

// Query is what a reader searched for, made safe: Text to show back to
// them, and the Words to search.
type Query struct {
	// Text is the query as typed, with invalid UTF-8, control characters
	// (NUL among them) and runs of white space each made one space, and
	// trimmed. It is shown back in the search box, escaped like all text.
	Text string
	// Words are the searchable words of Text, lowercased, in order, at
	// most MaxWords: runs of letters, digits and combining marks, as the
	// index's tokenizer (unicode61) splits text. Nothing else of what a
	// reader types reaches the engine, so no query syntax can.
	Words []string
}

// ParseQuery reads what a reader typed. It fails only with ErrTooLong.
func ParseQuery(raw string) (Query, error) {
	if utf8.RuneCountInString(raw) > MaxQueryChars {
		return Query{}, ErrTooLong
	}
	// What a reader types may hold anything: bytes that are not text,
	// and characters that print nothing.
	q := Query{Text: squeeze(raw, func(r rune, size int) bool {
		return r == utf8.RuneError && size <= 1 || unicode.IsControl(r) || unicode.IsSpace(r) || !unicode.IsPrint(r) && r != ' '
	})}
	q.Words = Words(q.Text)
	if len(q.Words) > MaxWords {
		q.Words = q.Words[:MaxWords]
	}
	return q, nil
}

// Words splits text into lowercase words as the index does: runs of
// letters, digits and combining marks; everything else separates them.
func Words(text string) []string {
	var words []string
	forEachWord(text, func(w string) { words = append(words, w) })
	return words
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r))
}

// Fold is the form in which query words are compared with synonyms and
// the vocabulary: lowercase, and a simple English plural made singular
// ("massages", "joints", "tissues"). The index itself stems every word
// (Porter); this is only for matching whole terms.
func Fold(word string) string {
	switch {
	case len(word) > 4 && strings.HasSuffix(word, "sses"):
		return word[:len(word)-2] // "masses" -> "mass"
	case len(word) > 3 && strings.HasSuffix(word, "s") && !strings.HasSuffix(word, "ss") && !strings.HasSuffix(word, "us") && !strings.HasSuffix(word, "is"):
		return word[:len(word)-1]
	}
	return word
}

// stopWords are words too common to narrow a search, dropped from a query
// unless it has nothing else ("how", "why does my back hurt").
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true,
	"by": true, "can": true, "do": true, "does": true, "for": true, "from": true, "has": true,
	"have": true, "how": true, "i": true, "if": true, "in": true, "is": true, "it": true, "its": true,
	"me": true, "my": true, "not": true, "of": true, "on": true, "or": true, "so": true, "that": true,
	"the": true, "their": true, "there": true, "this": true, "to": true, "was": true, "what": true,
	"when": true, "where": true, "which": true, "who": true, "why": true, "will": true, "with": true,
	"you": true, "your": true,
}
