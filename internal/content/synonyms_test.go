package content_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/content"
)

const goodSynonyms = `last_reviewed: 2026-11-01
next_review: 2027-11-01
groups:
  - [neck, cervical]
  - [fasciitis, inflamed tissue]
`

func TestLoadSynonyms(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "synonyms.yaml": goodSynonyms})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	s := site.Synonyms
	if s == nil {
		t.Fatal("no synonyms loaded")
	}
	if len(s.Groups) != 2 || !slices.Equal(s.Groups[1].Terms, []string{"fasciitis", "inflamed tissue"}) {
		t.Errorf("groups = %+v", s.Groups)
	}
	if g := s.Groups[0]; g.Line != 4 || !slices.Equal(g.TermLines, []int{4, 4}) {
		t.Errorf("group lines = %d, %v; want 4, [4 4]", g.Line, g.TermLines)
	}
	if got := s.NextReview.ISO(); got != "2027-11-01" {
		t.Errorf("NextReview = %s", got)
	}

	site, err = load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "synonyms.yaml": goodSynonyms + "distinct:\n  - sore throat\n  - cervical screening\n"})
	if err != nil {
		t.Fatalf("Load with distinct phrases: %v", err)
	}
	if got := site.Synonyms.Distinct; len(got) != 2 || got[1].Words != "cervical screening" || got[1].Line != 8 {
		t.Errorf("distinct = %+v", got)
	}
}

func TestLoadWithoutSynonymsFile(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody)})
	if err != nil || site.Synonyms != nil {
		t.Errorf("got %v, %v; want a site without synonyms", site, err)
	}
}

// Every problem is reported on its line, and the server would not start.
func TestLoadSynonymsProblems(t *testing.T) {
	tests := []struct {
		name, file, wantErr string
	}{
		{"one word", goodSynonyms + "  - [spasm]\n", `synonyms.yaml:6: a group needs at least two terms`},
		{"not a list", goodSynonyms + "  - spasm\n", `synonyms.yaml:6: a group must be a list of words`},
		{"duplicate in a group", goodSynonyms + "  - [spasm, spasm]\n", `synonyms.yaml:6: term "spasm" is already listed on line 6`},
		{"duplicate across groups", goodSynonyms + "  - [cervical, nape]\n", `synonyms.yaml:6: term "cervical" is already listed on line 4`},
		{"capitals", goodSynonyms + "  - [GP, doctor]\n", `synonyms.yaml:6: term "GP" must be lowercase words`},
		{"punctuation", goodSynonyms + "  - [\"neck-ache\", neck pain]\n", `synonyms.yaml:6: term "neck-ache" must be lowercase words`},
		{"double space", goodSynonyms + "  - [\"neck  pain\", neckache]\n", `term "neck  pain" must be lowercase words`},
		{"too many words", goodSynonyms + "  - [pain in the upper neck, neckache]\n", `synonyms.yaml:6: term "pain in the upper neck" has more than 4 words`},
		{"a map as a term", goodSynonyms + "  - [{a: b}, neck]\n", `synonyms.yaml:6: a term must be text`},
		{"a distinct phrase of one word", goodSynonyms + "distinct: [cervical]\n", `synonyms.yaml:6: distinct phrase "cervical" must have 2 to 4 words`},
		{"a distinct phrase that is a term", goodSynonyms + "distinct: [inflamed tissue]\n", `synonyms.yaml:6: "inflamed tissue" is already listed on line 5`},
		{"a distinct phrase with capitals", goodSynonyms + "distinct: [Sore Throat]\n", `synonyms.yaml:6: a distinct phrase must be lowercase words`},
		{"no groups", "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\ngroups: []\n", `synonyms.yaml:3: there are no groups`},
		{"no review date", strings.Replace(goodSynonyms, "next_review: 2027-11-01\n", "", 1), `synonyms.yaml:1: "next_review" is required`},
		{"review dates out of order", strings.Replace(goodSynonyms, "2027-11-01", "2025-11-01", 1), `synonyms.yaml:2: next_review 2025-11-01 is earlier than last_reviewed 2026-11-01`},
		{"unknown field", goodSynonyms + "words: 1\n", `synonyms.yaml:6: unknown field "words"`},
		{"not YAML", "groups: [neck\n", `synonyms.yaml:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "synonyms.yaml": tt.file})
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
			}
		})
	}
}

// Saving the synonyms file in the preview is a change of its own.
func TestReloadNotesSynonyms(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":          {Data: []byte(article(goodFrontMatter, goodBody))},
		"synonyms.yaml": {Data: []byte(goodSynonyms)},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	fsys["synonyms.yaml"] = &fstest.MapFile{Data: []byte(goodSynonyms + "  - [spasm, clench]\n")}
	next, ch, err := site.Reload(fsys, []string{"synonyms.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Synonyms || len(ch.Articles) != 0 {
		t.Errorf("change = %+v, want only Synonyms", ch)
	}
	if n := len(next.Synonyms.Groups); n != 3 {
		t.Errorf("the reloaded site has %d groups, want 3", n)
	}
}

func TestBundledSynonymsLoad(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	if site.Synonyms == nil || len(site.Synonyms.Groups) == 0 {
		t.Fatal("the bundled site has no synonyms")
	}
}
