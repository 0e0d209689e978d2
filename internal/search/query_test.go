package search

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw       string
		wantText  string
		wantWords []string
	}{
		{"neck pain", "neck pain", []string{"neck", "pain"}},
		{"  Neck   PAIN\t", "Neck PAIN", []string{"neck", "pain"}},
		{"massages?", "massages?", []string{"massages"}},
		{`"neck" AND (pain OR NEAR(x y)) * ^title: -z`, `"neck" AND (pain OR NEAR(x y)) * ^title: -z`, []string{"neck", "and", "pain", "or", "near", "x", "y", "title", "z"}},
		{"<script>alert(1)</script>", "<script>alert(1)</script>", []string{"script", "alert", "1", "script"}},
		{"neck\x00pain", "neck pain", []string{"neck", "pain"}},
		{"neck\xffpain", "neck pain", []string{"neck", "pain"}},
		{"neck\u202epain", "neck pain", []string{"neck", "pain"}}, // a right-to-left override is not text to show
		{"Ödème café", "Ödème café", []string{"ödème", "café"}},
		{"don't", "don't", []string{"don", "t"}},
		{"", "", nil},
		{"*** ()", "*** ()", nil},
		{strings.Repeat("a ", 20), strings.TrimSpace(strings.Repeat("a ", 20)), slices.Repeat([]string{"a"}, MaxWords)},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			q, err := ParseQuery(tt.raw)
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			if q.Text != tt.wantText {
				t.Errorf("Text = %q, want %q", q.Text, tt.wantText)
			}
			if !slices.Equal(q.Words, tt.wantWords) {
				t.Errorf("Words = %q, want %q", q.Words, tt.wantWords)
			}
		})
	}
}

func TestParseQueryLength(t *testing.T) {
	if _, err := ParseQuery(strings.Repeat("é", MaxQueryChars)); err != nil {
		t.Errorf("%d characters (%d bytes): %v, want it accepted: the limit is in characters", MaxQueryChars, 2*MaxQueryChars, err)
	}
	if _, err := ParseQuery(strings.Repeat("a", MaxQueryChars+1)); !errors.Is(err, ErrTooLong) {
		t.Errorf("%d characters: %v, want ErrTooLong", MaxQueryChars+1, err)
	}
	if _, err := ParseQuery(strings.Repeat("x", 10<<10)); !errors.Is(err, ErrTooLong) {
		t.Errorf("10 KB: %v, want ErrTooLong", err)
	}
}

func TestFold(t *testing.T) {
	for word, want := range map[string]string{
		"massages": "massage", "joints": "joint", "masses": "mass", "tissues": "tissue",
		"fasciitis": "fasciitis", "dizziness": "dizziness", "bus": "bus", "gas": "gas", "neck": "neck",
	} {
		if got := Fold(word); got != want {
			t.Errorf("Fold(%q) = %q, want %q", word, got, want)
		}
	}
}

// The match expression for FTS5 is built only from quoted words, so no
// query can use the engine's syntax (common words like "or" and "a" are
// dropped).
func TestMatchQuotesEveryWord(t *testing.T) {
	q, _ := ParseQuery(`neck" OR "x" NEAR(a b) col:* ^start`)
	got := matchAll(thesaurus{}.slots(q.Words))
	want := `"neck" AND "x" AND "near" AND "b" AND "col" AND "start"`
	if got != want {
		t.Errorf("match = %s\nwant    %s", got, want)
	}
}

// FuzzParseQuery: whatever a reader types, the query is either too long
// or gives text that is valid, printable and trimmed, and words that are
// only letters, digits and marks, so that quoting them for FTS5 is always
// safe.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{"neck pain", `"a" AND b*`, "NEAR(x y, 2)", "\x00\xff<b>", "(((", strings.Repeat("ab ", 70), "Ödème\u0301 café"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw)
		if err != nil {
			if !errors.Is(err, ErrTooLong) || utf8.RuneCountInString(raw) <= MaxQueryChars {
				t.Fatalf("ParseQuery(%q): %v", raw, err)
			}
			return
		}
		if !utf8.ValidString(q.Text) || q.Text != strings.TrimSpace(q.Text) || strings.Contains(q.Text, "  ") {
			t.Fatalf("Text %q is not valid, trimmed, single-spaced", q.Text)
		}
		for _, r := range q.Text {
			if r != ' ' && (!unicode.IsPrint(r) || unicode.IsSpace(r)) {
				t.Fatalf("Text %q holds %U", q.Text, r)
			}
		}
		if len(q.Words) > MaxWords {
			t.Fatalf("%d words, more than %d", len(q.Words), MaxWords)
		}
		for _, w := range q.Words {
			if w == "" {
				t.Fatal("an empty word")
			}
			for _, r := range w {
				if !isWordRune(r) {
					t.Fatalf("word %q holds %U", w, r)
				}
			}
		}
		m := matchAll(thesaurus{}.slots(q.Words))
		if strings.Count(m, `"`)%2 != 0 {
			t.Fatalf("match %s has an odd number of quotes", m)
		}
	})
}
