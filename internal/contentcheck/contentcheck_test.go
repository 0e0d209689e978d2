package contentcheck

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/articles"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func article(nextReview, body string) string {
	return "---\ntitle: T\nsummary: S\nlast_reviewed: 2020-01-01\nnext_review: " + nextReview +
		"\nsources:\n  - {title: A, publisher: B, author: C, date: 2019-01-01}\n---\n" + body
}

const okBody = `
Short intro. It is easy to read.

## First cause

It hurts a bit. Rest helps.

## Daily care {.general}

Keep warm.

## When to get medical help

See a doctor.
`

func TestFindings(t *testing.T) {
	brokenBody := `
See [the other page](/articles/other#nope), [a missing page](/articles/missing),
[this page's cause](#first-cause), [a missing section](#nowhere) and [outside](https://example.org/x).

![](/static/picture.png)

## First cause

Notwithstanding considerable physiological variability, musculoskeletal inflammation frequently necessitates individualised pharmacological management. This sentence is here to be a very long sentence with many words so that the checker counts more than thirty words in it and then warns the writer about it, twice over.

#### Too deep

Text.

## Unreached cause

Nothing leads here.

## When to get medical help

See a doctor.
`
	fsys := fstest.MapFS{
		"broken.md":     {Data: []byte(article("2026-12-10", brokenBody))},
		"other.md":      {Data: []byte(article("2025-06-01", okBody))},
		"symptoms.yaml": {Data: []byte("last_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsymptoms:\n  - {id: sore, label: Sore, group: Pain, sections: [{to: other#first-cause}, {to: broken#first-cause}]}\n")},
	}
	got := Check(fsys, now)
	var lines []string
	for _, f := range got {
		lines = append(lines, f.String())
	}
	want := []string{
		`broken.md:10: error: link to /articles/other#nope: article "other" has no section "nope"`,
		`broken.md:10: error: link to /articles/missing: there is no article "missing"`,
		`broken.md:11: error: link to #nowhere: this article has no section with that id`,
		`broken.md:13: error: the picture /static/picture.png is not in static/`,
		`broken.md: warning: review due on 10 December 2026, within 30 days`,
		`broken.md:13: warning: image /static/picture.png has no alt text`,
		`broken.md:15: warning: section "first-cause" reads at grade`,
		`broken.md:17: warning: a sentence of`,
		`broken.md:19: warning: heading level skips from h2 to h4`,
		`broken.md:23: warning: no symptom in symptoms.yaml leads to section "unreached-cause"`,
		`other.md: warning: review overdue since 1 June 2025`,
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing finding %q in\n%s", w, strings.Join(lines, "\n"))
		}
	}
	if len(lines) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	if got[0].Severity != Error || got[len(got)-1].Severity != Warning {
		t.Error("errors are not listed before warnings")
	}
}

// The symptom checker's rules have review dates of their own.
func TestSymptomsReviewDue(t *testing.T) {
	tests := []struct{ next, want string }{
		{"2027-01-01", ""},
		{"2026-12-10", "symptoms.yaml: warning: review due on 10 December 2026, within 30 days"},
		{"2026-11-23", "symptoms.yaml: warning: review overdue since 23 November 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.next, func(t *testing.T) {
			rules := "last_reviewed: 2026-01-01\nnext_review: " + tt.next + "\nsymptoms:\n  - {id: sore, label: Sore, group: Pain, sections: [{to: other#first-cause}]}\n"
			var got []string
			for _, f := range Check(fstest.MapFS{"other.md": {Data: []byte(article("2027-06-01", okBody))}, "symptoms.yaml": {Data: []byte(rules)}}, now) {
				got = append(got, f.String())
			}
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if !slices.Equal(got, want) {
				t.Errorf("findings %q, want %q", got, want)
			}
		})
	}
}

func TestLoadProblemsAreErrors(t *testing.T) {
	got := Check(fstest.MapFS{"a.md": {Data: []byte("---\ntitle: x\n---\n")}}, now)
	if len(got) == 0 {
		t.Fatal("no findings for an article the server refuses")
	}
	for _, f := range got {
		if f.Severity != Error || f.File != "a.md" {
			t.Errorf("finding %v, want an error in a.md", f)
		}
	}
}

func TestBundledArticlesAreClean(t *testing.T) {
	for _, f := range Check(articles.FS, now) {
		t.Errorf("bundled articles: %s", f)
	}
}

func TestReadability(t *testing.T) {
	if got := sentences("One. Two words! Is it three? no end"); len(got) != 4 {
		t.Errorf("sentences = %q, want 4", got)
	}
	if got := sentences("Use e.g. this. And 3.5 that."); len(got) != 2 {
		t.Errorf("sentences = %q, want 2 (no split inside e.g. or 3.5)", got)
	}
	for word, want := range map[string]int{"cat": 1, "muscle": 2, "rest": 1, "massage": 2, "manipulation": 5, "the": 1, "tablets": 2, "make": 1} {
		if got := syllables(word); got != want {
			t.Errorf("syllables(%q) = %d, want %d", word, got, want)
		}
	}
	easy := fleschKincaidGrade(6, 2, 7)
	hard := fleschKincaidGrade(40, 1, 120)
	if easy > 3 || hard < 15 {
		t.Errorf("grades: easy %.1f, hard %.1f", easy, hard)
	}
}
