package checker_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// goodFrontMatter and goodBody make a valid article, a.md, that the rules
// below link to.
const goodFrontMatter = `title: Back pain
summary: What causes back pain and what helps.
last_reviewed: 2026-01-10
next_review: 2027-01-10
sources:
  - title: A source
    publisher: A publisher
    author: A. Author
    date: 2025-12-01
`

const goodBody = `
Intro paragraph.

## Muscle strain

Text about strain.

## When to get medical help

See a doctor if it gets worse.
`

func article(frontMatter, body string) string {
	return "---\n" + frontMatter + "---\n" + body
}

// load loads files as the server does, with the complaint id its page
// table reserves.
func load(t *testing.T, files map[string]string) (*content.Site, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return content.LoadWith(fsys, content.Options{Checker: checker.Options{ReservedIDs: []string{"results"}}})
}

// goodComplaint is a complete, valid complaint file for article a.md
// (goodFrontMatter and goodBody); tests change one thing at a time. Its
// lines matter: problems are reported on them.
const goodComplaint = `id: back-pain
name: Back pain
description: Pain anywhere in your back.
category: Muscles and joints
last_reviewed: 2026-11-01
next_review: 2027-11-01
safety_net: See a doctor promptly if your back pain lasts more than 3 days.
red_flags:
  question: Do you have any of these?
  hint: Along with back pain.
  flags:
    - id: dizzy
      label: Feeling dizzy
      when: you feel dizzy and have back pain
      level: urgent
      advice: See a doctor promptly.
symptom_groups:
  - question: Pain
    hint: Select all that apply.
    symptoms:
      - id: sore
        label: Sore muscles
        mentions: strain
        sections:
          - to: a#muscle-strain
            weight: 2
`

const complaintFile = "complaints/back-pain.yaml"

func withComplaint(rules string) map[string]string {
	return map[string]string{"a.md": article(goodFrontMatter, goodBody), complaintFile: rules}
}

func TestLoadComplaint(t *testing.T) {
	site, err := load(t, withComplaint(goodComplaint))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(site.Complaints) != 1 {
		t.Fatalf("%d complaints, want 1", len(site.Complaints))
	}
	c, ok := site.Complaint("back-pain")
	if !ok || c != site.Complaints[0] {
		t.Fatal("the complaint is not found by its id")
	}
	if c.Name != "Back pain" || c.Description != "Pain anywhere in your back." || c.Category != "Muscles and joints" || c.File != complaintFile {
		t.Errorf("complaint = %+v", c)
	}
	if want := (checker.Question{Text: "Do you have any of these?", Hint: "Along with back pain."}); c.RedFlagQuestion != want {
		t.Errorf("red flag question = %+v, want %+v", c.RedFlagQuestion, want)
	}
	sore, ok := c.Symptom("sore")
	if !ok || len(sore.Sections) != 1 || sore.Sections[0].URL() != "/articles/a#muscle-strain" || sore.Sections[0].Weight != 2 || sore.Mentions != "strain" {
		t.Errorf("symptom sore = %+v", sore)
	}
	if sore.Line != 21 || sore.Sections[0].Line != 25 {
		t.Errorf("symptom on line %d, its link on %d; want 21 and 25", sore.Line, sore.Sections[0].Line)
	}
	if got, want := c.NextReview.ISO(), "2027-11-01"; got != want {
		t.Errorf("NextReview = %s, want %s", got, want)
	}
	if f, ok := c.RedFlag("dizzy"); !ok || f.Level != contentfile.Urgent || f.SiteWide || f.Line != 12 || f.When != "you feel dizzy and have back pain" {
		t.Errorf("red flag dizzy = %+v", f)
	}
	if got, want := c.SafetyNet, "See a doctor promptly if your back pain lasts more than 3 days."; got != want {
		t.Errorf("safety net = %q, want %q", got, want)
	}
	if len(c.Groups) != 1 || c.Groups[0].ID != "group-pain" || c.Groups[0].Question.Hint != "Select all that apply." || len(c.Groups[0].Symptoms) != 1 {
		t.Errorf("groups = %+v", c.Groups)
	}
	if !c.Known("none") || !c.Known("dizzy") || c.Known("other") {
		t.Error("Known: want none and dizzy known and other unknown")
	}
	if site.SiteWide != nil {
		t.Error("site-wide red flags without their file")
	}
}

func TestLoadWithoutRules(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody)})
	if err != nil || len(site.Complaints) != 0 {
		t.Errorf("got %v, %v; want a site without a symptom checker", site, err)
	}
	if _, ok := site.Complaint("back-pain"); ok {
		t.Error("found a complaint on a site without rules")
	}
}

// next_review is required, as for articles, and may not come before
// last_reviewed; each problem is reported on its line.
func TestComplaintReviewDates(t *testing.T) {
	tests := []struct {
		name        string
		dates       string // replaces the two date lines, 5 and 6
		wantErr     string // "" when the rules load
		wantNextISO string
	}{
		{"a year after", "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n", "", "2027-11-01"},
		{"the same day", "last_reviewed: 2026-11-01\nnext_review: 2026-11-01\n", "", "2026-11-01"},
		{"written first", "next_review: 2027-11-01\nlast_reviewed: 2026-11-01\n", "", "2027-11-01"},
		{"missing", "last_reviewed: 2026-11-01\n", complaintFile + `:1: "next_review" is required (YYYY-MM-DD)`, ""},
		{"empty", "last_reviewed: 2026-11-01\nnext_review:\n", complaintFile + `:6: "next_review" is required (YYYY-MM-DD)`, ""},
		{"before last_reviewed", "last_reviewed: 2026-11-01\nnext_review: 2026-10-31\n", complaintFile + `:6: next_review 2026-10-31 is earlier than last_reviewed 2026-11-01`, ""},
		{"not a date", "last_reviewed: 2026-11-01\nnext_review: 2027-13-01\n", complaintFile + `:6: "2027-13-01" is not a date: want YYYY-MM-DD`, ""},
	}
	dates := "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, err := load(t, withComplaint(strings.Replace(goodComplaint, dates, tt.dates, 1)))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if got := site.Complaints[0].NextReview.ISO(); got != tt.wantNextISO {
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

// The safety rules for every complaint, each reported on its line and
// refused at start-up: links resolve, red flags of its own, ids unique
// within the complaint, every symptom reachable (asked under a question
// and leading somewhere), and the file well formed.
func TestComplaintProblems(t *testing.T) {
	const moreSymptom = "      - id: sore\n        label: Again\n        sections:\n          - to: a#muscle-strain\n"
	tests := []struct {
		name    string
		rules   string
		extra   map[string]string // more files
		wantErr string
	}{
		{"unknown article", strings.Replace(goodComplaint, "a#muscle-strain", "b#muscle-strain", 1), nil, complaintFile + `:25: symptom "sore": no article with slug "b"`},
		{"unknown section", strings.Replace(goodComplaint, "a#muscle-strain", "a#nope", 1), nil, complaintFile + `:25: symptom "sore": article "a" has no section "nope"`},
		{"not slug#section", strings.Replace(goodComplaint, "a#muscle-strain", "a", 1), nil, complaintFile + `:25: symptom "sore": "a" must be written article-slug#section-id`},
		{"points nowhere", strings.Split(goodComplaint, "        sections:")[0], nil, complaintFile + `:21: symptom "sore" points to no article section, so ticking it would lead nowhere`},
		{"group without symptoms", strings.Split(goodComplaint, "    symptoms:")[0], nil, complaintFile + `:18: the group "Pain" has no symptoms`},
		{"group without a question", strings.Replace(goodComplaint, "  - question: Pain\n", "  - question: \"\"\n", 1), nil, complaintFile + `:18: a symptom group has no "question"`},
		{"the same question twice", goodComplaint + "  - question: pain\n    symptoms:\n      - {id: other, label: Other, sections: [{to: a#muscle-strain}]}\n", nil, complaintFile + `:27: the question "pain" is already asked on line 18`},
		{"no groups", strings.Split(goodComplaint, "symptom_groups:")[0], nil, complaintFile + `:1: there are no symptoms`},
		{"duplicate symptom id", goodComplaint + moreSymptom, nil, complaintFile + `:27: symptom id "sore" is already used by a symptom on line 21`},
		{"symptom id same as a red flag", strings.Replace(goodComplaint, "id: sore", "id: dizzy", 1), nil, complaintFile + `:21: symptom id "dizzy" is already used by a red flag on line 12`},
		{"reserved answer id", strings.Replace(goodComplaint, "id: sore", "id: none", 1), nil, `symptom id "none" is reserved`},
		{"bad answer id", strings.Replace(goodComplaint, "id: sore", "id: Sore Muscles", 1), nil, `symptom id "Sore Muscles" must be lowercase`},
		{"no red flags of its own", strings.Replace(goodComplaint, goodComplaint[strings.Index(goodComplaint, "  flags:"):strings.Index(goodComplaint, "symptom_groups:")], "", 1), nil, complaintFile + `:8: the complaint has no red flags of its own`},
		{"no red flag question", strings.Replace(goodComplaint, "  question: Do you have any of these?\n", "", 1), nil, complaintFile + `:8: red_flags: "question" is required`},
		{"red flag without when", strings.Replace(goodComplaint, "      when: you feel dizzy and have back pain\n", "", 1), nil, complaintFile + `:12: red flag "dizzy" has no "when": the sign in words`},
		{"red flag with an empty when", strings.Replace(goodComplaint, "when: you feel dizzy and have back pain", "when: \"  \"", 1), nil, complaintFile + `:12: red flag "dizzy" has no "when"`},
		{"a when that is not text", strings.Replace(goodComplaint, "when: you feel dizzy and have back pain", "when: [dizzy]", 1), nil, complaintFile + `:14: a list is not text`},
		{"no safety net", strings.Replace(goodComplaint, "safety_net: See a doctor promptly if your back pain lasts more than 3 days.\n", "", 1), nil, complaintFile + `:1: "safety_net" is required: when to get help if things change`},
		{"an empty safety net", strings.Replace(goodComplaint, "safety_net: See a doctor promptly if your back pain lasts more than 3 days.", "safety_net:", 1), nil, complaintFile + `:7: "safety_net" is required`},
		{"red flag without advice", strings.Replace(goodComplaint, "      advice: See a doctor promptly.\n", "", 1), nil, complaintFile + `:12: red flag "dizzy" has no advice`},
		{"unknown level", strings.Replace(goodComplaint, "level: urgent", "level: whenever", 1), nil, complaintFile + `:12: red flag "dizzy": level "whenever" is not one of emergency, urgent, soon`},
		{"unknown field", goodComplaint + "extra: 1\n", nil, complaintFile + `:27: unknown field "extra"`},
		{"unknown field in a symptom", strings.Replace(goodComplaint, "        mentions: strain\n", "        mentoins: strain\n", 1), nil, complaintFile + `:23: unknown field "mentoins"`},
		{"unknown field in a link", strings.Replace(goodComplaint, "            weight: 2\n", "            wieght: 2\n", 1), nil, complaintFile + `:26: unknown field "wieght"`},
		{"no review date", strings.Replace(goodComplaint, "last_reviewed: 2026-11-01\n", "", 1), nil, complaintFile + `:1: "last_reviewed" is required`},
		{"no id", strings.Replace(goodComplaint, "id: back-pain\n", "", 1), nil, complaintFile + `:1: "id" is required: the complaint's address, /symptoms/back-pain`},
		{"id not the file name", strings.Replace(goodComplaint, "id: back-pain", "id: backache", 1), nil, complaintFile + `:1: id "backache" does not match the file name: name the file complaints/backache.yaml`},
		{"reserved complaint id", strings.Replace(goodComplaint, "id: back-pain", "id: results", 1), nil, complaintFile + `:1: id "results" is reserved`},
		{"bad complaint id", strings.Replace(goodComplaint, "id: back-pain", "id: Back_Pain", 1), nil, complaintFile + `:1: id "Back_Pain" must be lowercase`},
		{"no name", strings.Replace(goodComplaint, "name: Back pain\n", "", 1), nil, complaintFile + `:1: "name" is required`},
		{"no description", strings.Replace(goodComplaint, "description: Pain anywhere in your back.\n", "", 1), nil, complaintFile + `:1: "description" is required`},
		{"not YAML", "id: [\n", nil, complaintFile + `:1: did not find expected node content`},
		{"a list, not fields", "- id: back-pain\n", nil, complaintFile + `:1: the file must be a set of fields`},
		{"a number where a list goes", strings.Split(goodComplaint, "symptom_groups:")[0] + "symptom_groups: 3\n", nil, complaintFile + `:17: "3" is not a list`},
		{"the same id as a site-wide red flag", goodComplaint, map[string]string{checker.SiteWideFile: goodSiteWide + "  - {id: dizzy, label: Dizzy, when: you feel dizzy, level: emergency, advice: Call now.}\n"}, complaintFile + `:12: red flag id "dizzy" is already used by a site-wide red flag in complaints/_site-wide.yaml`},
		{"the old rules file", goodComplaint, map[string]string{"symptoms.yaml": "last_reviewed: 2026-11-01\n"}, `symptoms.yaml: the checker's rules are now one file per complaint in complaints/`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := withComplaint(tt.rules)
			for name, text := range tt.extra {
				files[name] = text
			}
			_, err := load(t, files)
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
			}
		})
	}
}

const goodSiteWide = `last_reviewed: 2026-11-01
next_review: 2027-11-01
red_flags:
  - id: chest-pain
    label: Chest pain
    when: you have chest pain
    level: emergency
    advice: Call your emergency number now.
`

// Site-wide red flags are asked first with every complaint, and their ids
// are taken in each.
func TestSiteWideRedFlags(t *testing.T) {
	other := strings.NewReplacer("id: back-pain", "id: knee-pain", "name: Back pain", "name: Knee pain").Replace(goodComplaint)
	files := withComplaint(goodComplaint)
	files["complaints/knee-pain.yaml"] = other
	files[checker.SiteWideFile] = goodSiteWide
	site, err := load(t, files)
	if err != nil {
		t.Fatal(err)
	}
	if site.SiteWide == nil || len(site.SiteWide.RedFlags) != 1 || site.SiteWide.File != checker.SiteWideFile {
		t.Fatalf("site-wide red flags = %+v", site.SiteWide)
	}
	var names []string
	for _, c := range site.Complaints {
		names = append(names, c.Name)
		var ids []string
		for _, f := range c.RedFlags {
			ids = append(ids, f.ID)
		}
		if !slices.Equal(ids, []string{"chest-pain", "dizzy"}) {
			t.Errorf("%s asks red flags %v, want the site-wide chest-pain first, then its own dizzy", c.ID, ids)
		}
		if f, ok := c.RedFlag("chest-pain"); !ok || !f.SiteWide || f.Level != contentfile.Emergency {
			t.Errorf("%s: chest-pain = %+v", c.ID, f)
		}
	}
	if !slices.Equal(names, []string{"Back pain", "Knee pain"}) {
		t.Errorf("complaints in order %v, want by name", names)
	}

	for _, tt := range []struct{ name, file, want string }{
		{"no red flags", "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n", checker.SiteWideFile + `:1: there are no red flags`},
		{"no when", strings.Replace(goodSiteWide, "    when: you have chest pain\n", "", 1), checker.SiteWideFile + `:4: red flag "chest-pain" has no "when"`},
		{"no advice", strings.Replace(goodSiteWide, "    advice: Call your emergency number now.\n", "", 1), checker.SiteWideFile + `:4: red flag "chest-pain" has no advice`},
		{"unknown field", goodSiteWide + "question: Any?\n", checker.SiteWideFile + `:9: unknown field "question"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files[checker.SiteWideFile] = tt.file
			if _, err := load(t, files); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// Reloading a rules file reports the complaints whose pages change: its
// own for an edit; every one for the site-wide red flags; the list of
// complaints when one comes or goes or shows differently there.
func TestReloadRules(t *testing.T) {
	knee := strings.NewReplacer("id: back-pain", "id: knee-pain", "name: Back pain", "name: Knee pain").Replace(goodComplaint)
	fsys := fstest.MapFS{
		"a.md":                      {Data: []byte(article(goodFrontMatter, goodBody))},
		complaintFile:               {Data: []byte(goodComplaint)},
		"complaints/knee-pain.yaml": {Data: []byte(knee)},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	oldKnee, _ := site.Complaint("knee-pain")
	tests := []struct {
		name    string
		change  func()
		files   []string
		want    content.Change
		wantErr string
	}{
		{"a label edited", func() {
			fsys[complaintFile].Data = []byte(strings.Replace(goodComplaint, "Sore muscles", "Aching muscles", 1))
		},
			[]string{complaintFile}, content.Change{Complaints: []string{"back-pain"}}, ""},
		{"saved unchanged", func() {}, []string{complaintFile}, content.Change{}, ""},
		{"renamed", func() {
			fsys[complaintFile].Data = []byte(strings.Replace(goodComplaint, "name: Back pain", "name: Backache", 1))
		},
			[]string{complaintFile}, content.Change{Complaints: []string{"back-pain"}, ComplaintList: true}, ""},
		{"site-wide red flags added", func() { fsys[checker.SiteWideFile] = &fstest.MapFile{Data: []byte(goodSiteWide)} },
			[]string{checker.SiteWideFile}, content.Change{Complaints: []string{"back-pain", "knee-pain"}}, ""},
		{"a complaint added", func() {
			fsys["complaints/neck-ache.yaml"] = &fstest.MapFile{Data: []byte(strings.NewReplacer("id: back-pain", "id: neck-ache", "name: Back pain", "name: Neck ache").Replace(goodComplaint))}
		}, []string{"complaints/neck-ache.yaml"}, content.Change{Complaints: []string{"neck-ache"}, ComplaintList: true}, ""},
		{"a complaint removed", func() { delete(fsys, "complaints/neck-ache.yaml") },
			[]string{"complaints/neck-ache.yaml"}, content.Change{Complaints: []string{"neck-ache"}, ComplaintList: true}, ""},
		{"broken", func() {
			fsys[complaintFile].Data = []byte(strings.Replace(goodComplaint, "a#muscle-strain", "a#gone", 1))
		},
			[]string{complaintFile}, content.Change{}, complaintFile + `:25: symptom "sore": article "a" has no section "gone"`},
		{"a section link broken by an article edit", func() {
			fsys[complaintFile].Data = []byte(goodComplaint)
			fsys["a.md"].Data = []byte(article(goodFrontMatter, strings.Replace(goodBody, "## Muscle strain", "## Strained muscles", 1)))
		}, []string{"a.md"}, content.Change{}, complaintFile + `:25: symptom "sore": article "a" has no section "muscle-strain"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			next, ch, err := site.Reload(fsys, tt.files)
			if tt.wantErr != "" {
				var probs contentfile.Problems
				if !errors.As(err, &probs) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want problems with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ch.Complaints, tt.want.Complaints) || ch.ComplaintList != tt.want.ComplaintList || len(ch.Articles) != 0 {
				t.Errorf("change = %+v, want %+v", ch, tt.want)
			}
			fresh, err := content.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if len(next.Complaints) != len(fresh.Complaints) {
				t.Errorf("%d complaints, a fresh load gives %d", len(next.Complaints), len(fresh.Complaints))
			}
			for i, c := range fresh.Complaints {
				got := next.Complaints[i]
				if got.ID != c.ID || got.Name != c.Name || got.Symptoms[0].Label != c.Symptoms[0].Label || len(got.RedFlags) != len(c.RedFlags) {
					t.Errorf("complaint %s differs from a fresh load's", c.ID)
				}
			}
			site = next
		})
	}
	if c, _ := site.Complaint("knee-pain"); c == oldKnee {
		t.Error("the knee complaint was not linked again after the site-wide red flags were added")
	}
}

// The bundled complaint, neck pain: each of the seed article's five
// causes is reachable from its form, and the source's 3 red flags are asked.
func TestBundledComplaintReachesEveryCause(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := site.Complaint("neck-pain")
	if !ok || len(site.Complaints) != 1 {
		t.Fatalf("complaints %v, want the one bundled, neck-pain", site.Complaints)
	}
	reached := map[string]bool{}
	for _, s := range c.Symptoms {
		for _, l := range s.Sections {
			reached[l.ID] = true
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
	if got := len(c.RedFlags); got != 3 {
		t.Errorf("%d red flags, want the source's 3 (pain over three days, dizziness, arm numbness)", got)
	}
	if site.SiteWide != nil {
		t.Error("the bundled site has site-wide red flags, which its source does not name")
	}
}

// The bundled rules, answer by answer: where each leads, and the words in
// each of those sections that say the answer is part of it. Every id
// published before complaints had files of their own must keep working,
// since they are in shared result links.
func TestBundledSymptomRules(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := site.Complaint("neck-pain")
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
			if s.Mentions != tt.says {
				t.Errorf("mentions %q, want %q", s.Mentions, tt.says)
			}
			var got []string
			for _, l := range s.Sections {
				got = append(got, l.ID)
				// The source ranks no causes, so no link has a weight.
				if l.Weight != 1 {
					t.Errorf("link to %s has weight %d, want none (1)", l.ID, l.Weight)
				}
				a, _ := site.Article(l.Slug)
				if text := sectionText(a, l.ID); !strings.Contains(text, tt.says) {
					t.Errorf("section %s does not say %q:\n%s", l.ID, tt.says, text)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.to, " ") {
				t.Errorf("leads to %q, want %q", got, tt.to)
			}
		})
	}
	for _, id := range []string{"pain-over-three-days", "dizziness", "arm-numbness"} {
		f, ok := rules.RedFlag(id)
		if !ok {
			t.Errorf("no red flag %q", id)
			continue
		}
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

// A complaint's pages say its questions were reviewed by a clinician only
// when its rules and the site-wide red flags asked with them are both
// signed off as they are now.
func TestComplaintClinicalState(t *testing.T) {
	sign := func(name, src string) string {
		t.Helper()
		hash, err := checker.RulesTextHash(name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return src + "clinical_signoff:\n  by: Dr A. Example\n  date: 2026-12-04\n  sha256: " + hash + "\n"
	}
	signedRules := sign(complaintFile, goodComplaint)
	lapsedRules := strings.Replace(signedRules, "name: Back pain", "name: Lower back pain", 1)
	signedSiteWide := sign(checker.SiteWideFile, goodSiteWide)
	lapsedSiteWide := strings.Replace(signedSiteWide, "advice: Call your emergency number now.", "advice: Call now.", 1)
	if lapsedSiteWide == signedSiteWide {
		t.Fatal("the site-wide edit changed nothing")
	}
	tests := []struct {
		name            string
		rules, siteWide string // "" for no site-wide file
		want            contentfile.ClinicalState
	}{
		{"rules not signed", goodComplaint, "", contentfile.NotReviewed},
		{"rules signed", signedRules, "", contentfile.Reviewed},
		{"rules changed since", lapsedRules, "", contentfile.ChangedSinceReview},
		{"both signed", signedRules, signedSiteWide, contentfile.Reviewed},
		{"site-wide not signed", signedRules, goodSiteWide, contentfile.NotReviewed},
		{"site-wide changed since", signedRules, lapsedSiteWide, contentfile.ChangedSinceReview},
		{"rules changed, site-wide signed", lapsedRules, signedSiteWide, contentfile.ChangedSinceReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := withComplaint(tt.rules)
			if tt.siteWide != "" {
				files[checker.SiteWideFile] = tt.siteWide
			}
			site, err := load(t, files)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := site.Complaint("back-pain")
			if got, _ := c.ClinicalState(site.SiteWide); got != tt.want {
				t.Errorf("state = %v, want %v", got, tt.want)
			}
		})
	}
}

const goodCases = `cases:
  - name: dizziness alone
    answers: [dizzy]
    first_card: urgent
    not_sections: [a#muscle-strain]
  - name: sore muscles
    answers: [sore, none]
    first_card: none
    sections: [a#muscle-strain]
`

const casesFile = "complaints/back-pain.cases.yaml"

// A complaint's triage cases load beside its rules, and each problem is
// reported at its line.
func TestComplaintCases(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody), complaintFile: goodComplaint, casesFile: goodCases})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	c, _ := site.Complaint("back-pain")
	if c.Cases == nil || len(c.Cases.Cases) != 2 {
		t.Fatalf("cases = %+v, want 2", c.Cases)
	}
	got := c.Cases.Cases[1]
	if got.Name != "sore muscles" || got.Line != 6 || !slices.Equal(got.Answers, []string{"sore", "none"}) || got.FirstCard != "none" || !slices.Equal(got.Sections, []string{"a#muscle-strain"}) {
		t.Errorf("second case = %+v", got)
	}
	if counts := c.Cases.Counts(); counts["urgent"] != 1 || counts["none"] != 1 {
		t.Errorf("counts = %v", counts)
	}

	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"an unknown answer", map[string]string{casesFile: strings.Replace(goodCases, "[dizzy]", "[dizy]", 1)},
			casesFile + `:2: case "dizziness alone": "dizy" is not an answer of back-pain`},
		{"an unknown first card", map[string]string{casesFile: strings.Replace(goodCases, "first_card: urgent", "first_card: red", 1)},
			casesFile + `:2: case "dizziness alone": first_card "red" is not one of emergency, urgent, soon, none`},
		{"no first card", map[string]string{casesFile: strings.Replace(goodCases, "    first_card: urgent\n", "", 1)},
			`first_card "" is not one of`},
		{"a section that does not exist", map[string]string{casesFile: strings.Replace(goodCases, "    sections: [a#muscle-strain]\n", "    sections: [a#nope]\n", 1)},
			casesFile + `:6: case "sore muscles": sections: article "a" has no section "nope"`},
		{"a section not written slug#id", map[string]string{casesFile: strings.Replace(goodCases, "not_sections: [a#muscle-strain]", "not_sections: [muscle-strain]", 1)},
			`not_sections: "muscle-strain" must be written article-slug#section-id`},
		{"the same name twice", map[string]string{casesFile: strings.Replace(goodCases, "sore muscles", "dizziness alone", 1)},
			casesFile + `:6: case "dizziness alone": the name is already used on line 2`},
		{"no name", map[string]string{casesFile: strings.Replace(goodCases, "  - name: dizziness alone\n    answers", "  - answers", 1)},
			casesFile + `:2: a case has no "name"`},
		{"an unknown field", map[string]string{casesFile: strings.Replace(goodCases, "first_card: urgent", "first_card: urgent\n    first_section: a#muscle-strain", 1)},
			casesFile + `:5: unknown field "first_section"`},
		{"no cases", map[string]string{casesFile: "cases: []\n"}, casesFile + `:1: there are no cases`},
		{"an empty file", map[string]string{casesFile: ""}, casesFile + `:1: there are no cases`},
		{"cases for no complaint", map[string]string{"complaints/neck.cases.yaml": goodCases},
			`complaints/neck.cases.yaml:1: there is no complaint "neck" for these cases`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := withComplaint(goodComplaint)
			for name, text := range tt.files {
				files[name] = text
			}
			_, err := load(t, files)
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
			}
		})
	}
}

// A complaint's rules file and its cases file are told apart.
func TestIsComplaintFile(t *testing.T) {
	for _, tt := range []struct {
		name         string
		rules, cases bool
	}{
		{"complaints/back-pain.yaml", true, false},
		{"complaints/back-pain.cases.yaml", false, true},
		{checker.SiteWideFile, true, false},
		{"back-pain.cases.yaml", false, false},
		{"complaints/x/back-pain.yaml", false, false},
	} {
		if got := checker.IsRulesFile(tt.name); got != tt.rules {
			t.Errorf("IsRulesFile(%q) = %v", tt.name, got)
		}
		if got := checker.IsCasesFile(tt.name); got != tt.cases {
			t.Errorf("IsCasesFile(%q) = %v", tt.name, got)
		}
	}
}
