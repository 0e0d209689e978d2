package checker

import (
	"strings"
	"testing"

	"healthsite/internal/contentfile"
)

// fakeArticles are articles by slug, each with its headings by id.
type fakeArticles map[string]map[string]string

func (f fakeArticles) HasArticle(slug string) bool { _, ok := f[slug]; return ok }

func (f fakeArticles) Section(slug, id string) (Section, bool) {
	title, ok := f[slug][id]
	return Section{Slug: slug, ID: id, Title: title, ArticleTitle: slug}, ok
}

// FuzzComplaintRules feeds arbitrary rules files to the rules loader, as a
// complaint's file or as the site-wide red flags: it must never panic,
// every problem must name the file, and what it accepts must keep every
// safety rule (links that resolve, red flags of its own, unique ids,
// every symptom asked and leading somewhere).
func FuzzComplaintRules(f *testing.F) {
	good := "id: x\nname: X pain\ndescription: Pain in x.\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n" +
		"red_flags:\n  question: Any of these?\n  flags:\n    - {id: dizzy, label: Dizzy, when: you feel dizzy, level: urgent, advice: See a doctor.}\n" +
		"symptom_groups:\n  - question: Pain\n    symptoms:\n      - id: sore\n        label: Sore\n        mentions: text\n        sections:\n          - to: a#cause\n            weight: 2\n" +
		"safety_net: See a doctor if it lasts.\n"
	for _, seed := range []struct {
		src      string
		siteWide bool
	}{
		{good, false},
		{"", false},
		{"", true},
		{"last_reviewed: 2026-01-01\nnext_review: 2027-01-01\nred_flags:\n  - {id: chest, label: Chest pain, when: you have chest pain, level: emergency, advice: Call now.}\n", true},
		{strings.Replace(good, "a#cause", "a#when-to-get-medical-help", 1), false},
		{strings.Replace(good, "id: sore", "id: dizzy", 1), false},
		{strings.Replace(good, "id: x", "id: results", 1), false},
		{good + "  - question: Pain\n    symptoms: []\n", false},
		{"a: &a [*a, *a]\nb: *a\n", false},
		{"- 1\n- 2\n", false},
		{"id: x\nred_flags: {flags: [{id: none}]}\n", false},
		{"symptom_groups: [{symptoms: [{sections: [{to: '#'}]}]}]\n", false},
	} {
		f.Add(seed.src, seed.siteWide)
	}
	articles := fakeArticles{"a": {"cause": "Cause", "detail": "Detail", "when-to-get-medical-help": "When to get medical help"}}
	f.Fuzz(func(t *testing.T, src string, siteWide bool) {
		name := ComplaintsDir + "/x.yaml"
		if siteWide {
			name = SiteWideFile
		}
		checkProblems := func(probs contentfile.Problems) {
			if len(probs) == 0 {
				t.Fatal("refused without a problem")
			}
			for _, p := range probs {
				if p.File != name || p.Msg == "" || p.Line < 0 {
					t.Fatalf("problem without file or message: %+v", p)
				}
			}
		}
		file, probs := parseRules(name, []byte(src))
		if file == nil {
			checkProblems(probs)
			return
		}
		if len(probs) > 0 {
			t.Fatalf("a file and problems together: %v", probs)
		}
		if siteWide {
			sw, probs := linkSiteWide(file)
			if sw == nil {
				checkProblems(probs)
				return
			}
			if len(sw.RedFlags) == 0 || sw.NextReview.Before(sw.LastReviewed.Time) {
				t.Fatalf("accepted site-wide red flags that break the rules: %+v", sw)
			}
			for _, f := range sw.RedFlags {
				if f.Label == "" || f.When == "" || f.Advice == "" {
					t.Fatalf("accepted site-wide red flag %+v", f)
				}
			}
			return
		}
		c, probs := linkComplaint(file, nil, articles, []string{"results"})
		if c == nil {
			checkProblems(probs)
			return
		}
		if len(probs) > 0 {
			t.Fatalf("a complaint and problems together: %v", probs)
		}
		if c.ID != "x" || c.Name == "" || c.Description == "" || c.RedFlagQuestion.Text == "" || c.SafetyNet == "" || c.NextReview.Before(c.LastReviewed.Time) || c.LastReviewed.IsZero() {
			t.Fatalf("accepted a complaint without what it needs: %+v", c)
		}
		if len(c.RedFlags) == 0 || len(c.Symptoms) == 0 {
			t.Fatalf("accepted a complaint with %d red flags and %d symptoms", len(c.RedFlags), len(c.Symptoms))
		}
		seen := map[string]bool{NoneID: true}
		for _, f := range c.RedFlags {
			if seen[f.ID] || !answerID.MatchString(f.ID) || f.Label == "" || f.When == "" || f.Advice == "" {
				t.Fatalf("accepted red flag %+v", f)
			}
			seen[f.ID] = true
		}
		asked := map[*Symptom]int{}
		for _, g := range c.Groups {
			if g.Question.Text == "" || len(g.Symptoms) == 0 {
				t.Fatalf("accepted group %+v", g)
			}
			for _, s := range g.Symptoms {
				asked[s]++
			}
		}
		for _, s := range c.Symptoms {
			if seen[s.ID] || !answerID.MatchString(s.ID) || s.Label == "" || len(s.Sections) == 0 || asked[s] != 1 {
				t.Fatalf("accepted symptom %+v (asked %d times)", s, asked[s])
			}
			seen[s.ID] = true
			for _, l := range s.Sections {
				if _, ok := articles.Section(l.Slug, l.ID); !ok || l.Weight < 1 {
					t.Fatalf("accepted link %+v", l)
				}
			}
		}
	})
}
