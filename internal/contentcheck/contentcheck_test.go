package contentcheck

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/static"
)

// testOptions load as the server does: pictures checked against the
// site's static files.
var testOptions = content.Options{Static: static.FS}

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

// A folder with errors gets them all, each where it is: the problems the
// server refuses to start with, and nothing else (warnings come once it
// would start).
func TestFindings(t *testing.T) {
	brokenBody := `
See [the other page](/articles/other#nope), [a missing page](/articles/missing),
[this page's cause](#first-cause), [a missing section](#nowhere) and [outside](https://example.org/x).

![](/static/picture.png)

## First cause

Text.

## When to get medical help

See a doctor.
`
	fsys := fstest.MapFS{
		"broken.md": {Data: []byte(article("2027-06-01", brokenBody))},
		"other.md":  {Data: []byte(article("2027-06-01", okBody))},
	}
	got := Check(fsys, testOptions, now)
	var lines []string
	for _, f := range got {
		lines = append(lines, f.String())
	}
	want := []string{
		`broken.md:10: error: link to /articles/other#nope: article "other" has no section "nope"`,
		`broken.md:10: error: link to /articles/missing: there is no article "missing"`,
		`broken.md:11: error: link to #nowhere: this article has no section with that id`,
		`broken.md:13: error: the picture /static/picture.png is not in static/`,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// A folder the server would serve gets the warnings that make it worse
// for readers, errors first (none here), each where it is.
func TestWarnings(t *testing.T) {
	warnedBody := `
See [the other page](/articles/other#first-cause) and [this page's cause](#first-cause).

![](/static/share.png)

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
		"warned.md":               {Data: []byte(article("2026-12-10", warnedBody))},
		"other.md":                {Data: []byte(article("2025-06-01", okBody))},
		"complaints/c.yaml":       {Data: []byte(rules("2027-01-01", "      - {id: sore, label: It hurts, sections: [{to: other#first-cause}, {to: warned#first-cause}]}\n"))},
		"complaints/c.cases.yaml": {Data: []byte("cases:\n  - {name: sore, answers: [sore], first_card: none, sections: [other#first-cause]}\n  - {name: dizzy alone, answers: [dizzy], first_card: urgent}\n")},
	}
	got := Check(fsys, testOptions, now)
	var lines []string
	for _, f := range got {
		lines = append(lines, f.String())
	}
	want := []string{
		`complaints/c.yaml:12: warning: symptom "sore" leads to section "first-cause" of "warned", which does not mention "hurts" (from the label "It hurts")`,
		`other.md: warning: review overdue since 1 June 2025`,
		`warned.md: warning: review due on 10 December 2026, within 30 days`,
		`warned.md:12: warning: image /static/share.png has no alt text`,
		`warned.md:14: warning: section "first-cause" reads at grade`,
		`warned.md:16: warning: a sentence of`,
		`warned.md:18: warning: heading level skips from h2 to h4`,
		`warned.md:22: warning: no symptom in complaints/ leads to section "unreached-cause", though the checker leads to this article`,
	}
	for _, w := range want {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
			t.Errorf("missing finding %q in\n%s", w, strings.Join(lines, "\n"))
		}
	}
	if len(lines) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
}

// rules is a complaint file, complaints/c.yaml, with the given next review
// and symptoms (lines from 10 on).
func rules(next, symptoms string) string {
	return "id: c\nname: C pain\ndescription: Pain in c.\nlast_reviewed: 2026-01-01\nnext_review: " + next +
		"\nred_flags:\n  question: Any?\n  flags: [{id: dizzy, label: Dizzy, when: you feel dizzy, level: urgent, advice: See a doctor.}]\nsymptom_groups:\n  - question: Pain\n    symptoms:\n" + symptoms +
		"safety_net: See a doctor if it lasts.\n"
}

// The symptom checker's rules have review dates of their own, per
// complaint and for the site-wide red flags.
func TestRulesReviewDue(t *testing.T) {
	tests := []struct{ file, next, want string }{
		{"complaints/c.yaml", "2027-01-01", ""},
		{"complaints/c.yaml", "2026-12-10", "complaints/c.yaml: warning: review due on 10 December 2026, within 30 days"},
		{"complaints/c.yaml", "2026-11-23", "complaints/c.yaml: warning: review overdue since 23 November 2026"},
		{"complaints/_site-wide.yaml", "2026-11-23", "complaints/_site-wide.yaml: warning: review overdue since 23 November 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.next, func(t *testing.T) {
			fsys := fstest.MapFS{
				"other.md":                   {Data: []byte(article("2027-06-01", okBody))},
				"complaints/c.yaml":          {Data: []byte(rules("2027-01-01", "      - {id: sore, label: It hurts, sections: [{to: other#first-cause}]}\n"))},
				"complaints/c.cases.yaml":    {Data: []byte("cases: [{name: dizzy, answers: [dizzy], first_card: urgent}]\n")},
				"complaints/_site-wide.yaml": {Data: []byte("last_reviewed: 2026-01-01\nnext_review: 2027-01-01\nred_flags: [{id: chest, label: Chest pain, when: you have chest pain, level: emergency, advice: Call now.}]\n")},
			}
			src := strings.Replace(string(fsys[tt.file].Data), "next_review: 2027-01-01", "next_review: "+tt.next, 1)
			fsys[tt.file] = &fstest.MapFile{Data: []byte(src)}
			var got []string
			for _, f := range Check(fsys, testOptions, now) {
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

// A symptom's section must mention what the symptom names: its
// "mentions" phrase (the link's own first), in order and as whole words
// by their stems, in the heading, sub-headings or text of the section;
// without one, every word of its label but the small ones.
func TestSymptomsMentionTheirSections(t *testing.T) {
	body := `
Intro.

## Stiffness after rest

Your joints may feel stiffer in the morning. It hurts when pressed.

### Feeling tight

Muscles can tighten up and feel clenched.

## Swollen ankles {.general}

The ankle is swollen.

## When to get medical help

See a doctor.
`
	const warn = "does not mention"
	tests := []struct {
		name, symptom string
		want          string // "" for no finding, else part of the one warning
	}{
		{"phrase in the heading", `{id: s, label: Stiff, mentions: stiffness after rest, sections: [{to: a#stiffness-after-rest}]}`, ""},
		{"phrase in the text, by its stems", `{id: s, label: Stiff, mentions: joints feel stiff, sections: [{to: a#stiffness-after-rest}]}`, warn},
		{"phrase in the text, in order", `{id: s, label: Stiff, mentions: may feel stiff, sections: [{to: a#stiffness-after-rest}]}`, ""},
		{"stems match: pressed and presses", `{id: s, label: Pressing, mentions: hurts when presses, sections: [{to: a#stiffness-after-rest}]}`, ""},
		{"phrase in a sub-section", `{id: s, label: Tight, mentions: clenched, sections: [{to: a#stiffness-after-rest}]}`, ""},
		{"phrase only in another section", `{id: s, label: Swelling, mentions: swollen, sections: [{to: a#stiffness-after-rest}]}`, `symptom "s" leads to section "stiffness-after-rest" of "a", which does not mention "swollen"`},
		{"a sub-section alone is its own text", `{id: s, label: Stiff, mentions: morning, sections: [{to: a#feeling-tight}]}`, `which does not mention "morning"`},
		{"the link's own phrase wins", `{id: s, label: Swelling, mentions: nowhere at all, sections: [{to: a#swollen-ankles, mentions: ankle is swollen}]}`, ""},
		{"no phrase: the label's words", `{id: s, label: Your joints feel stiff in the morning, sections: [{to: a#stiffness-after-rest}]}`, ""},
		{"no phrase: a word of the label missing", `{id: s, label: A stiff neck, sections: [{to: a#stiffness-after-rest}]}`, `which does not mention "neck" (from the label "A stiff neck")`},
		{"no phrase: swelling is not swollen", `{id: s, label: Swelling, sections: [{to: a#swollen-ankles}]}`, `which does not mention "swelling"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(fstest.MapFS{
				"a.md":              {Data: []byte(article("2027-06-01", body))},
				"complaints/c.yaml": {Data: []byte(rules("2027-06-01", "      - "+tt.symptom+"\n"))},
			}, testOptions, now)
			var lines []string
			for _, f := range got {
				if strings.Contains(f.Msg, "leads to section") && !strings.HasPrefix(f.Msg, "no symptom") {
					lines = append(lines, f.String())
				}
			}
			switch {
			case tt.want == "" && len(lines) > 0:
				t.Errorf("findings %q, want none", lines)
			case tt.want != "" && (len(lines) != 1 || !strings.Contains(lines[0], tt.want) || !strings.HasPrefix(lines[0], "complaints/c.yaml:")):
				t.Errorf("findings %q, want one on complaints/c.yaml with %q", lines, tt.want)
			}
		})
	}
}

// The issue's own example: before the editorial pass, "A stiff neck" led
// to the muscle spasm section, which never says "stiff". The check finds it.
func TestStiffNeckToTheSpasmSectionIsFound(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"neck-pain-after-cervical-massage.md", "complaints/neck-pain.yaml"} {
		data, err := articles.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	src := string(fsys["complaints/neck-pain.yaml"].Data)
	old := "          - to: neck-pain-after-cervical-massage#cervical-facet-joint-disorder\n      - id: limited-movement"
	if !strings.Contains(src, old) {
		t.Fatal("the bundled rules changed: update this test")
	}
	fsys["complaints/neck-pain.yaml"].Data = []byte(strings.Replace(src, old, "          - to: neck-pain-after-cervical-massage#muscle-tension-and-protective-spasm\n      - id: limited-movement", 1))
	var found []string
	for _, f := range Check(fsys, testOptions, now) {
		found = append(found, f.String())
	}
	want := `symptom "stiff-neck" leads to section "muscle-tension-and-protective-spasm" of "neck-pain-after-cervical-massage", which does not mention "stiff"`
	if !slices.ContainsFunc(found, func(f string) bool { return strings.Contains(f, want) && strings.Contains(f, ": warning: ") }) {
		t.Errorf("findings %q\ndo not warn %q", found, want)
	}
}

func TestLoadProblemsAreErrors(t *testing.T) {
	got := Check(fstest.MapFS{"a.md": {Data: []byte("---\ntitle: x\n---\n")}}, testOptions, now)
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
	for _, f := range Check(articles.FS, testOptions, now) {
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

// Synonyms group the words the articles use: a term no article uses is a
// warning, a group none of whose terms any article uses an error, and the
// file has review dates of its own.
func TestSynonymFindings(t *testing.T) {
	synonyms := `last_reviewed: 2026-01-01
next_review: 2026-12-01
groups:
  - [cause, reason]
  - [warms, heat]
  - [gp, family doctor]
`
	fsys := fstest.MapFS{
		"other.md":      {Data: []byte(article("2027-06-01", okBody))},
		"synonyms.yaml": {Data: []byte(synonyms)},
	}
	var got []string
	for _, f := range Check(fsys, testOptions, now) {
		got = append(got, f.String())
	}
	want := []string{
		`synonyms.yaml: warning: review due on 1 December 2026, within 30 days`,
		`synonyms.yaml:4: warning: no article uses the term "reason": keep to words the articles use for the same thing as the rest of its group`,
		`synonyms.yaml:5: warning: no article uses the term "heat": keep to words the articles use for the same thing as the rest of its group`,
		`synonyms.yaml:6: warning: no article uses any term of the group [gp, family doctor]: it can find nothing; group words the articles use`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The checker's rules speak to readers who may be unwell: a sentence of
// more than 25 words in them is a warning, where it is.
func TestRulesInPlainLanguage(t *testing.T) {
	long := "See a doctor promptly if your neck pain lasts more than 3 days, or if you start to feel dizzy or an arm starts to feel numb."
	fsys := fstest.MapFS{
		"other.md":                {Data: []byte(article("2027-06-01", okBody))},
		"complaints/c.yaml":       {Data: []byte(strings.Replace(rules("2027-01-01", "      - {id: sore, label: It hurts, mentions: hurts, sections: [{to: other#first-cause}]}\n"), "See a doctor if it lasts.", long, 1))},
		"complaints/c.cases.yaml": {Data: []byte("cases: [{name: dizzy, answers: [dizzy], first_card: urgent}]\n")},
	}
	var got []string
	for _, f := range Check(fsys, testOptions, now) {
		got = append(got, f.String())
	}
	want := `complaints/c.yaml: warning: safety_net: a sentence of 27 words (more than 25)`
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("findings %q, want one starting %q", got, want)
	}
}
