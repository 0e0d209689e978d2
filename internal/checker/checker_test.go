package checker_test

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

const articleTemplate = `---
title: %TITLE%
summary: About %TITLE%.
last_reviewed: 2026-01-10
next_review: 2027-01-10
sources:
  - title: A source
    publisher: A publisher
    author: A. Author
    date: 2025-12-01
---

## First cause

First cause text.

## Second cause

Second cause text.

## When to get medical help

Now.
`

const rulesYAML = `id: test
name: Test pain
description: A complaint for tests.
last_reviewed: 2026-11-01
next_review: 2027-11-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Do you have any of these?
  flags:
    - id: soon-flag
      label: Soon flag
      when: the soon flag is there
      level: soon
      advice: Book an appointment.
    - id: emergency-flag
      label: Emergency flag
      when: the emergency flag is there
      level: emergency
      advice: Call now.
    - id: urgent-flag
      label: Urgent flag
      when: the urgent flag is there
      level: urgent
      advice: See a doctor promptly.
    - id: urgent-flag-2
      label: Second urgent flag
      when: the second urgent flag is there
      level: urgent
      advice: Also see a doctor.
symptom_groups:
  - question: One
    symptoms:
      - id: a
        label: Symptom A
        sections:
          - to: alpha#second-cause
          - to: beta#first-cause
            weight: 3
      - id: b
        label: Symptom B
        sections:
          - to: alpha#second-cause
  - question: Two
    symptoms:
      - id: c
        label: Symptom C
        sections:
          - to: alpha#first-cause
      - id: d
        label: Symptom D
        sections:
          - to: beta#second-cause
          - to: alpha#first-cause
`

// otherRulesYAML is a second complaint: "urgent-flag" is an id of both,
// "e" is its own.
const otherRulesYAML = `id: other
name: Other pain
description: Another complaint for tests.
last_reviewed: 2026-11-01
next_review: 2027-11-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Do you have any of these?
  flags:
    - {id: urgent-flag, label: Urgent flag, when: the test sign urgent-flag is there, level: urgent, advice: See a doctor promptly.}
symptom_groups:
  - question: One
    symptoms:
      - {id: e, label: Symptom E, sections: [{to: beta#first-cause}]}
`

const siteWideYAML = `last_reviewed: 2026-11-01
next_review: 2027-11-01
red_flags:
  - {id: site-flag, label: A sign for every complaint, when: the test sign site-flag is there, level: emergency, advice: Call now.}
`

func loadSite(t testing.TB, rules map[string]string) *content.Site {
	t.Helper()
	fsys := fstest.MapFS{
		"alpha.md": {Data: []byte(strings.ReplaceAll(articleTemplate, "%TITLE%", "Alpha"))},
		"beta.md":  {Data: []byte(strings.ReplaceAll(articleTemplate, "%TITLE%", "Beta"))},
	}
	for name, text := range rules {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return site
}

func testSite(t testing.TB) *content.Site {
	return loadSite(t, map[string]string{"complaints/test.yaml": rulesYAML})
}

func testRules(t testing.TB) (*content.Site, *checker.Complaint) {
	t.Helper()
	site := testSite(t)
	c, _ := site.Complaint("test")
	return site, c
}

// An old result link names no complaint: it belongs to the one whose
// rules define all its answers, if exactly one does.
func TestComplaintFor(t *testing.T) {
	one := loadSite(t, map[string]string{"complaints/test.yaml": rulesYAML})
	two := loadSite(t, map[string]string{"complaints/test.yaml": rulesYAML, "complaints/other.yaml": otherRulesYAML, checker.SiteWideFile: siteWideYAML})
	tests := []struct {
		name string
		site *content.Site
		ids  []string
		want string // "" for none
	}{
		{"one complaint's answers", two, []string{"a", "emergency-flag"}, "test"},
		{"the other's", two, []string{"e"}, "other"},
		{"an id both define, with one only the other does", two, []string{"urgent-flag", "e"}, "other"},
		{"an id both define, alone", two, []string{"urgent-flag"}, ""},
		{"answers split across complaints", two, []string{"a", "e"}, ""},
		{"an unknown id", two, []string{"a", "gone"}, ""},
		{"only an unknown id", one, []string{"gone"}, ""},
		{"only none, one complaint", one, []string{"none"}, "test"},
		{"only none, two complaints", two, []string{"none"}, ""},
		{"only a site-wide red flag, two complaints", two, []string{"site-flag"}, ""},
		{"a site-wide red flag and one complaint's answer", two, []string{"site-flag", "none", "d"}, "test"},
		{"nothing, one complaint", one, nil, "test"},
		{"nothing, two complaints", two, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := checker.ComplaintFor(tt.site.Complaints, tt.ids)
			got := ""
			if ok {
				got = c.ID
			}
			if got != tt.want {
				t.Errorf("ComplaintFor(%q) = %q, want %q", tt.ids, got, tt.want)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	many := strings.Repeat("symptom=x&", checker.MaxAnswers+1)
	exactly := strings.Repeat("symptom=x&", checker.MaxAnswers)
	tests := []struct {
		name    string
		query   string
		want    []string
		wantErr bool
	}{
		{"none", "", []string{}, false},
		{"one", "symptom=a", []string{"a"}, false},
		{"order kept", "symptom=b&symptom=a", []string{"b", "a"}, false},
		{"duplicates count once", "symptom=a&symptom=b&symptom=a", []string{"a", "b"}, false},
		{"empty values dropped", "symptom=&symptom=a", []string{"a"}, false},
		{"other parameters ignored", "utm_source=x&symptom=a", []string{"a"}, false},
		{"escaped", "symptom=%3Cscript%3E", []string{"<script>"}, false},
		{"exactly the limit", exactly, []string{"x"}, false},
		{"too many", many, nil, true},
		{"too long", "symptom=" + strings.Repeat("a", checker.MaxAnswerSize+1), nil, true},
		{"longest allowed", "symptom=" + strings.Repeat("a", checker.MaxAnswerSize), []string{strings.Repeat("a", checker.MaxAnswerSize)}, false},
		{"invalid UTF-8", "symptom=%ff%fe", nil, true},
		{"bad escape", "symptom=%zz", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checker.ParseQuery(tt.query)
			if tt.wantErr {
				if !errors.Is(err, checker.ErrBadQuery) {
					t.Fatalf("err = %v, want ErrBadQuery", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQueryRoundTrip(t *testing.T) {
	ids := []string{"b", "a", "none"}
	got, err := checker.ParseQuery(checker.Query(ids))
	if err != nil || !slices.Equal(got, ids) {
		t.Errorf("round trip: got %q, %v; want %q", got, err, ids)
	}
}

func TestSortAndValidate(t *testing.T) {
	_, rules := testRules(t)
	tests := []struct {
		name        string
		ids         []string
		wantFlags   int
		wantSymps   int
		wantUnknown int
		wantFields  []checker.Field
	}{
		{"nothing", nil, 0, 0, 0, []checker.Field{checker.FieldSymptoms}},
		{"only unknown", []string{"gone", "also-gone"}, 0, 0, 2, []checker.Field{checker.FieldSymptoms}},
		{"only none", []string{"none"}, 0, 0, 0, []checker.Field{checker.FieldSymptoms}},
		{"none with a red flag", []string{"none", "urgent-flag", "a"}, 1, 1, 0, []checker.Field{checker.FieldRedFlags}},
		{"a symptom", []string{"a"}, 0, 1, 0, nil},
		{"a red flag alone", []string{"urgent-flag"}, 1, 0, 0, nil},
		{"none with symptoms", []string{"none", "a", "b"}, 0, 2, 0, nil},
		{"known and unknown", []string{"a", "gone"}, 0, 1, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := checker.Classify(rules, tt.ids)
			if len(a.RedFlags) != tt.wantFlags || len(a.Symptoms) != tt.wantSymps || a.Unknown != tt.wantUnknown {
				t.Errorf("got %d flags, %d symptoms, %d unknown; want %d, %d, %d",
					len(a.RedFlags), len(a.Symptoms), a.Unknown, tt.wantFlags, tt.wantSymps, tt.wantUnknown)
			}
			var fields []checker.Field
			for _, p := range checker.Validate(a) {
				fields = append(fields, p.Field)
				if p.Message == "" {
					t.Errorf("problem on field %d has no message", p.Field)
				}
			}
			if !slices.Equal(fields, tt.wantFields) {
				t.Errorf("problems on fields %v, want %v", fields, tt.wantFields)
			}
		})
	}
}

func TestComputeCardsMostUrgentFirst(t *testing.T) {
	_, rules := testRules(t)
	a := checker.Classify(rules, []string{"soon-flag", "urgent-flag", "emergency-flag", "urgent-flag-2"})
	r := checker.Compute(a)
	var got []string
	for _, c := range r.Cards {
		var ids []string
		for _, f := range c.RedFlags {
			ids = append(ids, f.ID)
		}
		got = append(got, c.Level.String()+":"+strings.Join(ids, "+"))
	}
	want := []string{"emergency:emergency-flag", "urgent:urgent-flag+urgent-flag-2", "soon:soon-flag"}
	if !slices.Equal(got, want) {
		t.Errorf("cards = %q, want %q", got, want)
	}
}

func TestComputeRanking(t *testing.T) {
	_, rules := testRules(t)
	tests := []struct {
		name string
		ids  []string
		want []string // "slug#section <- because"
	}{
		{
			name: "one symptom, weight breaks the tie",
			ids:  []string{"a"},
			want: []string{"beta#first-cause<-a", "alpha#second-cause<-a"},
		},
		{
			name: "sections covering more ticked symptoms first",
			ids:  []string{"a", "b"},
			want: []string{"alpha#second-cause<-a,b", "beta#first-cause<-a"},
		},
		{
			name: "equal count and weight: site order (articles by title, then sections)",
			ids:  []string{"d", "c"},
			want: []string{"alpha#first-cause<-d,c", "beta#second-cause<-d"},
		},
		{
			name: "same answers in another order give the same ranking",
			ids:  []string{"c", "d"},
			want: []string{"alpha#first-cause<-c,d", "beta#second-cause<-d"},
		},
		{
			name: "red flags alone give no sections",
			ids:  []string{"urgent-flag"},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checker.Compute(checker.Classify(rules, tt.ids))
			var got []string
			for _, m := range r.Sections {
				var because []string
				for _, s := range m.Because {
					because = append(because, s.ID)
				}
				got = append(got, m.Link.Slug+"#"+m.Link.ID+"<-"+strings.Join(because, ","))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sections =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{"", "symptom=a", "symptom=a&symptom=a", "symptom=%ff", "symptom=%zz", "a=b;c=d", strings.Repeat("symptom=x&", 60)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ids, err := checker.ParseQuery(q)
		if err != nil {
			if !errors.Is(err, checker.ErrBadQuery) {
				t.Fatalf("error %v is not ErrBadQuery", err)
			}
			return
		}
		if len(ids) > checker.MaxAnswers {
			t.Fatalf("%d answers passed the limit", len(ids))
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || len(id) > checker.MaxAnswerSize || seen[id] {
				t.Fatalf("bad id %q in %q", id, ids)
			}
			seen[id] = true
		}
		again, err := checker.ParseQuery(checker.Query(ids))
		if err != nil || !slices.Equal(again, ids) {
			t.Fatalf("Query(%q) does not parse back: %q, %v", ids, again, err)
		}
		// What parses, the forgiving reading for red flags reads the same.
		if lenient := checker.AnswerIDs(q); !slices.Equal(lenient, ids) {
			t.Fatalf("AnswerIDs(%q) = %q, ParseQuery gave %q", q, lenient, ids)
		}
	})
}

// FuzzAnswerIDs: the forgiving reading of a link, used to find red flags
// whatever else is wrong with it, never panics and gives only ids that
// could be answers.
func FuzzAnswerIDs(f *testing.F) {
	for _, seed := range []string{"", "symptom=a", "symptom=%ff&symptom=a", "symptom=a&symptom=%zz", strings.Repeat("symptom=x&", 60) + "symptom=y", "sym%70tom=a;b&symptom=c+d&symptom=%2B&=&&symptom"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ids := checker.AnswerIDs(q)
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || len(id) > checker.MaxAnswerSize || !utf8.ValidString(id) || seen[id] {
				t.Fatalf("bad id %q from %q", id, q)
			}
			seen[id] = true
		}
		// The same ids as url.ParseQuery's reading, for a query it reads.
		values, _ := url.ParseQuery(q)
		var want []string
		for _, v := range values[checker.Param] {
			if v != "" && len(v) <= checker.MaxAnswerSize && utf8.ValidString(v) && !slices.Contains(want, v) {
				want = append(want, v)
			}
		}
		if strings.Count(q, "&") < 10_000 && !slices.Equal(ids, want) {
			t.Fatalf("AnswerIDs(%q) = %q, url.ParseQuery's reading gives %q", q, ids, want)
		}
	})
}

// FuzzRedFlagsIn: the red flags of any link, with its complaint known or
// not, are the ones the plain reading finds (each id looked up in each
// complaint, as RedFlagsIn once did): the same flags, in the same order.
func FuzzRedFlagsIn(f *testing.F) {
	_, rules := testRules(f)
	site := loadSite(f, map[string]string{"complaints/test.yaml": rulesYAML, "complaints/other.yaml": otherRulesYAML, checker.SiteWideFile: siteWideYAML})
	for _, seed := range []string{"", "symptom=urgent-flag", "symptom=e&symptom=emergency-flag&symptom=site-flag&symptom=urgent-flag", "symptom=urgent-flag&symptom=urgent-flag&symptom=soon-flag", strings.Repeat("symptom=x&", 60) + "symptom=emergency-flag"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, q string, known bool) {
		var c *checker.Complaint
		if known {
			c = rules
		}
		ids := checker.AnswerIDs(q)
		var want []*checker.RedFlag
		for _, id := range ids {
			if c != nil {
				if fl, ok := c.RedFlag(id); ok {
					want = append(want, fl)
				}
				continue
			}
			for _, other := range site.Complaints {
				if fl, ok := other.RedFlag(id); ok {
					want = append(want, fl)
					break
				}
			}
		}
		if got := checker.RedFlagsIn(site.Complaints, c, ids); !slices.Equal(got, want) {
			t.Fatalf("RedFlagsIn(%q) = %v, want %v", ids, got, want)
		}
	})
}

// BenchmarkRedFlagsInALongLink: a link as long as a request line may be
// (1 MiB), every answer different, with no complaint known: the cost grows
// with the link's length, not with its length times the site's
// complaints, so an address too long to serve can still be read for red
// flags (the 414 page shows their cards).
func BenchmarkRedFlagsInALongLink(b *testing.B) {
	site := loadSite(b, map[string]string{"complaints/test.yaml": rulesYAML, "complaints/other.yaml": otherRulesYAML, checker.SiteWideFile: siteWideYAML})
	var q strings.Builder
	for i := 0; q.Len() < 1<<20; i++ {
		fmt.Fprintf(&q, "symptom=answer-%d&", i)
	}
	q.WriteString("symptom=urgent-flag")
	b.SetBytes(int64(q.Len()))
	for b.Loop() {
		if flags := checker.RedFlagsIn(site.Complaints, nil, checker.AnswerIDs(q.String())); len(flags) != 1 {
			b.Fatalf("%d red flags, want 1", len(flags))
		}
	}
}

func TestRedFlagsInABrokenLink(t *testing.T) {
	site, rules := testRules(t)
	other := loadSite(t, map[string]string{"complaints/test.yaml": rulesYAML, "complaints/other.yaml": otherRulesYAML})
	tests := []struct {
		name  string
		site  *content.Site
		rules *checker.Complaint
		query string
		want  []string // levels of the cards, then the flags
	}{
		{"a flag among too many answers", site, rules, strings.Repeat("symptom=x&", 60) + "symptom=urgent-flag", []string{"urgent:urgent-flag"}},
		{"flags beside unreadable answers", site, rules, "symptom=%ff&symptom=soon-flag&symptom=" + strings.Repeat("y", 65) + "&symptom=emergency-flag", []string{"emergency:emergency-flag", "soon:soon-flag"}},
		{"the flags before a bad escape", site, rules, "symptom=urgent-flag-2&symptom=urgent-flag&symptom=%zz", []string{"urgent:urgent-flag-2,urgent-flag"}},
		{"no flag", site, rules, "symptom=a&symptom=none", nil},
		{"no complaint: any complaint's flags", other, nil, "symptom=e&symptom=emergency-flag&symptom=urgent-flag", []string{"emergency:emergency-flag", "urgent:urgent-flag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range checker.CardsFor(checker.RedFlagsIn(tt.site.Complaints, tt.rules, checker.AnswerIDs(tt.query))) {
				var ids []string
				for _, f := range c.RedFlags {
					ids = append(ids, f.ID)
				}
				got = append(got, c.Level.String()+":"+strings.Join(ids, ","))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("cards = %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	_, rules := testRules(b)
	b.ReportAllocs()
	for b.Loop() {
		ids, err := checker.ParseQuery("symptom=urgent-flag&symptom=a&symptom=b&symptom=d")
		if err != nil {
			b.Fatal(err)
		}
		checker.Compute(checker.Classify(rules, ids))
	}
}

// Each way a case fails is reported at the case's line, and nothing for a
// case that passes.
func TestRunCases(t *testing.T) {
	const cases = `cases:
  - name: passes
    answers: [urgent-flag, a]
    first_card: urgent
    sections: [alpha#second-cause, beta#first-cause]
    not_sections: [alpha#first-cause]
  - name: wrong card
    answers: [soon-flag, emergency-flag]
    first_card: soon
  - name: a red flag beside none still gives its card
    answers: [none, urgent-flag]
    first_card: urgent
    not_sections: [alpha#second-cause]
  - name: wrong sections
    answers: [c]
    first_card: none
    sections: [beta#second-cause]
    not_sections: [alpha#first-cause]
`
	fsys := fstest.MapFS{
		"alpha.md":                   {Data: []byte(strings.ReplaceAll(articleTemplate, "%TITLE%", "Alpha"))},
		"beta.md":                    {Data: []byte(strings.ReplaceAll(articleTemplate, "%TITLE%", "Beta"))},
		"complaints/test.yaml":       {Data: []byte(rulesYAML)},
		"complaints/test.cases.yaml": {Data: []byte(cases)},
	}
	// Loading runs the cases, and refuses rules whose cases fail.
	_, err := content.Load(fsys)
	var probs contentfile.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load: %v, want the failing cases", err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	want := []string{
		`complaints/test.cases.yaml:7: case "wrong card": the first care card is emergency, want soon`,
		`complaints/test.cases.yaml:14: case "wrong sections": section beta#second-cause is not among the sections to read (they are [alpha#first-cause])`,
		`complaints/test.cases.yaml:14: case "wrong sections": section alpha#first-cause is among the sections to read, want it not to be`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("RunCases\n got %q\nwant %q", got, want)
	}
}
