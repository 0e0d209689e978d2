package deps

import (
	"maps"
	"slices"
	"testing"

	"healthsite/internal/content"
)

// Stale decides which kept pages a change remakes: a mistake here
// serves stale pages or remakes the whole site on every save.
func TestStale(t *testing.T) {
	tests := []struct {
		name string
		ch   content.Change
		want []string
	}{
		{"nothing", content.Change{}, nil},
		{"text edited", content.Change{Articles: []string{"a"}}, []string{"article:a", "search"}},
		{"retitled", content.Change{Articles: []string{"a"}, Listed: []string{"a"}}, []string{"article:a", "articles", "listed:a", "search"}},
		{"re-tagged", content.Change{Articles: []string{"a"}, Listed: []string{"a"}, Tags: []string{"legs", "feet"}},
			[]string{"article:a", "articles", "listed:a", "search", "tag:feet", "tag:legs"}},
		{"synonyms", content.Change{Synonyms: true}, []string{"search"}},
		{"a complaint's rules", content.Change{Complaints: []string{"back-pain"}}, []string{"complaint:back-pain"}},
		{"the list of complaints", content.Change{Complaints: []string{"back-pain"}, ComplaintList: true}, []string{"complaint:back-pain", "complaints"}},
		{"triage cases", content.Change{Cases: true}, []string{"cases"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(Stale(&content.Site{}, &content.Site{}, tt.ch)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("stale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLetterOf(t *testing.T) {
	for title, want := range map[string]string{"Back pain": "b", "ankle": "a", "Épaule": OtherLetter, "10 signs": OtherLetter, "": OtherLetter} {
		if got := LetterOf(title); got != want {
			t.Errorf("LetterOf(%q) = %q, want %q", title, got, want)
		}
	}
}
