package contentcheck

import (
	"strings"
	"unicode"
)

// Readability uses the Flesch-Kincaid grade level:
//
//	0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
//
// the US school grade a reader needs. Health information should be at
// grade 9 or below; many readers struggle above it.
func fleschKincaidGrade(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 0.39*float64(words)/float64(sentences) + 11.8*float64(syllables)/float64(words) - 15.59
}

// sentences splits text into sentences at ., ! and ? followed by a space
// or the end. A block with no end mark (a list item) is one sentence.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		next := i + 1
		if next < len(text) && text[next] != ' ' && text[next] != '\n' {
			continue // inside "e.g.", a decimal point
		}
		if r == '.' && abbreviation(text[start:i]) {
			continue
		}
		if s := strings.TrimSpace(text[start:next]); s != "" {
			out = append(out, s)
		}
		start = next
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{"e.g": true, "i.e": true, "dr": true, "mr": true, "mrs": true, "ms": true, "etc": true, "vs": true, "approx": true}

// abbreviation reports whether the last word of text is an abbreviation.
func abbreviation(text string) bool {
	last := text[strings.LastIndexAny(text, " \n(")+1:]
	return abbreviations[strings.ToLower(last)]
}

// words are the runs of letters and digits (with inner apostrophes and
// hyphens kept inside a word).
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
}

// syllables estimates a word's syllables by its vowel groups, the usual
// approach of readability tools: a silent final "e" does not count, and
// every word has at least one.
func syllables(word string) int {
	w := strings.ToLower(strings.Trim(word, "'-"))
	if w == "" {
		return 0
	}
	n, prevVowel := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prevVowel {
			n++
		}
		prevVowel = v
	}
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && n > 1 {
		n--
	}
	return max(n, 1)
}
