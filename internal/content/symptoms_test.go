package content_test

import (
	"strings"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
)

const goodRules = `last_reviewed: 2026-11-01
next_review: 2027-11-01
red_flags:
  - id: dizzy
    label: Feeling dizzy
    level: urgent
    advice: See a doctor promptly.
symptoms:
  - id: sore
    label: Sore muscles
    group: Pain
    sections:
      - to: a#muscle-strain
        weight: 2
`

func TestLoadSymptoms(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "symptoms.yaml": goodRules})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	s := site.Symptoms
	if s == nil {
		t.Fatal("no symptom rules loaded")
	}
	sore, ok := s.Symptom("sore")
	if !ok || len(sore.Sections) != 1 || sore.Sections[0].URL() != "/articles/a#muscle-strain" || sore.Sections[0].Weight != 2 {
		t.Errorf("symptom sore = %+v", sore)
	}
	if got, want := s.NextReview.ISO(), "2027-11-01"; got != want {
		t.Errorf("NextReview = %s, want %s", got, want)
	}
	if f, ok := s.RedFlag("dizzy"); !ok || f.Level != content.Urgent {
		t.Errorf("red flag dizzy = %+v", f)
	}
	if len(s.Groups) != 1 || s.Groups[0].ID != "group-pain" {
		t.Errorf("groups = %+v", s.Groups)
	}
	if !s.Known("none") || s.Known("other") {
		t.Error("Known: want none known and other unknown")
	}
}

// next_review is required, as for articles, and may not come before
// last_reviewed; each problem is reported on its line.
func TestSymptomsReviewDates(t *testing.T) {
	tests := []struct {
		name        string
		dates       string // the first lines of the file
		wantErr     string // "" when the rules load
		wantNextISO string
	}{
		{"a year after", "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n", "", "2027-11-01"},
		{"the same day", "last_reviewed: 2026-11-01\nnext_review: 2026-11-01\n", "", "2026-11-01"},
		{"written first", "next_review: 2027-11-01\nlast_reviewed: 2026-11-01\n", "", "2027-11-01"},
		{"missing", "last_reviewed: 2026-11-01\n", `symptoms.yaml:1: "next_review" is required (YYYY-MM-DD)`, ""},
		{"empty", "last_reviewed: 2026-11-01\nnext_review:\n", `symptoms.yaml:2: "next_review" is required (YYYY-MM-DD)`, ""},
		{"before last_reviewed", "last_reviewed: 2026-11-01\nnext_review: 2026-10-31\n", `symptoms.yaml:2: next_review 2026-10-31 is earlier than last_reviewed 2026-11-01`, ""},
		{"not a date", "last_reviewed: 2026-11-01\nnext_review: 2027-13-01\n", `symptoms.yaml:2: "2027-13-01" is not a date: want YYYY-MM-DD`, ""},
		{"not YYYY-MM-DD", "last_reviewed: 2026-11-01\nnext_review: 01/11/2027\n", `symptoms.yaml:2: "01/11/2027" is not a date: want YYYY-MM-DD`, ""},
	}
	rest := goodRules[strings.Index(goodRules, "red_flags:"):]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "symptoms.yaml": tt.dates + rest})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if got := site.Symptoms.NextReview.ISO(); got != tt.wantNextISO {
					t.Errorf("NextReview = %s, want %s", got, tt.wantNextISO)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadWithoutSymptomsFile(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody)})
	if err != nil || site.Symptoms != nil {
		t.Errorf("got %v, %v; want a site without symptom rules", site, err)
	}
}

func TestLoadSymptomsProblems(t *testing.T) {
	tests := []struct {
		name    string
		rules   string
		wantErr string
	}{
		{"unknown article", strings.Replace(goodRules, "a#muscle-strain", "b#muscle-strain", 1), `symptoms.yaml:13: symptom "sore": no article with slug "b"`},
		{"unknown section", strings.Replace(goodRules, "a#muscle-strain", "a#nope", 1), `symptoms.yaml:13: symptom "sore": article "a" has no section "nope"`},
		{"not slug#section", strings.Replace(goodRules, "a#muscle-strain", "a", 1), `symptoms.yaml:13: symptom "sore": "a" must be written article-slug#section-id`},
		{"points nowhere", strings.Split(goodRules, "    sections:")[0], `symptoms.yaml:9: symptom "sore" points to no article section`},
		{"duplicate symptom id", goodRules + "  - id: sore\n    label: Again\n    group: Pain\n    sections:\n      - to: a#muscle-strain\n", `symptoms.yaml:15: symptom id "sore" is used twice`},
		{"symptom id same as a red flag", strings.Replace(goodRules, "id: sore", "id: dizzy", 1), `symptoms.yaml:9: symptom id "dizzy" is used twice`},
		{"reserved id", strings.Replace(goodRules, "id: sore", "id: none", 1), `symptom id "none" is reserved`},
		{"bad id", strings.Replace(goodRules, "id: sore", "id: Sore Muscles", 1), `symptom id "Sore Muscles" must be lowercase`},
		{"red flag without advice", strings.Replace(goodRules, "    advice: See a doctor promptly.\n", "", 1), `symptoms.yaml:4: red flag "dizzy" has no advice`},
		{"unknown level", strings.Replace(goodRules, "level: urgent", "level: whenever", 1), `symptoms.yaml:4: red flag "dizzy": level "whenever" is not one of emergency, urgent, soon`},
		{"unknown field", goodRules + "extra: 1\n", `symptoms.yaml:15: unknown field "extra"`},
		{"no review date", strings.Replace(goodRules, "last_reviewed: 2026-11-01\n", "", 1), `symptoms.yaml:1: "last_reviewed" is required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), "symptoms.yaml": tt.rules})
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
			}
		})
	}
}

// Each of the seed article's five causes must be reachable from the form.
func TestBundledSymptomsReachEveryCause(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	reached := map[string]bool{}
	for _, s := range site.Symptoms.Symptoms {
		for _, l := range s.Sections {
			reached[l.Heading.ID] = true
		}
	}
	for _, cause := range []string{
		"too-much-force-during-manipulation",
		"muscle-tension-and-protective-spasm",
		"neck-muscle-strain",
		"cervical-facet-joint-disorder",
		"neck-and-shoulder-fasciitis",
	} {
		if !reached[cause] {
			t.Errorf("no symptom leads to %s", cause)
		}
	}
	if got := len(site.Symptoms.RedFlags); got != 3 {
		t.Errorf("%d red flags, want the source's 3 (pain over three days, dizziness, arm numbness)", got)
	}
}

// The bundled rules, answer by answer: where each leads, and the words in
// each of those sections that say the answer is part of it. Old ids must
// keep working, since they are in shared result links.
func TestBundledSymptomRules(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	rules := site.Symptoms
	const (
		force     = "too-much-force-during-manipulation"
		spasm     = "muscle-tension-and-protective-spasm"
		strain    = "neck-muscle-strain"
		facet     = "cervical-facet-joint-disorder"
		fasciitis = "neck-and-shoulder-fasciitis"
	)
	tests := []struct {
		id   string
		to   []string
		says string // in the text of every section it leads to
	}{
		{"pain-worse-when-moving", []string{force, strain}, "when you move"},
		{"widespread-neck-shoulder-pain", []string{fasciitis}, "spread over the neck and shoulders"},
		{"worse-morning-or-cold", []string{fasciitis}, "worse in the morning or after you get cold"},
		{"stiff-neck", []string{facet}, "stiff"},
		{"limited-movement", []string{facet, spasm}, "as far or as freely as usual"},
		{"tight-muscles", []string{spasm}, "tight"},
		{"swelling", []string{strain}, "swollen"},
		{"tender-when-pressed", []string{strain, fasciitis}, "hurts when you press"},
	}
	if len(rules.Symptoms) != len(tests) {
		t.Errorf("%d symptoms, want %d", len(rules.Symptoms), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s, ok := rules.Symptom(tt.id)
			if !ok {
				t.Fatalf("no symptom %q", tt.id)
			}
			var got []string
			for _, l := range s.Sections {
				got = append(got, l.Heading.ID)
				// The source ranks no causes, so no link has a weight.
				if l.Weight != 1 {
					t.Errorf("link to %s has weight %d, want none (1)", l.Heading.ID, l.Weight)
				}
				if text := sectionText(l.Article, l.Heading.ID); !strings.Contains(text, tt.says) {
					t.Errorf("section %s does not say %q:\n%s", l.Heading.ID, tt.says, text)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.to, " ") {
				t.Errorf("leads to %q, want %q", got, tt.to)
			}
		})
	}
	for _, f := range rules.RedFlags {
		if !strings.Contains(f.Advice, "needs prompt medical attention: see a doctor promptly") {
			t.Errorf("red flag %s: advice %q does not say it needs prompt medical attention", f.ID, f.Advice)
		}
	}
	if rules.NextReview.IsZero() || rules.NextReview.Before(rules.LastReviewed.Time) {
		t.Errorf("next review %s, want a date from last review %s on", rules.NextReview.ISO(), rules.LastReviewed.ISO())
	}
}

// sectionText is the plain text of a "##" section of a.
func sectionText(a *content.Article, id string) string {
	for i, s := range a.Sections {
		if s.ID == id {
			var b strings.Builder
			for _, block := range content.Inspect(a).SectionText[i+1] {
				b.WriteString(block.Text + "\n")
			}
			return b.String()
		}
	}
	return ""
}
