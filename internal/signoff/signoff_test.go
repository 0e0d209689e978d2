package signoff_test

import (
	"strings"
	"testing"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/signoff"
)

const article = `---
title: Back pain
summary: Why your back hurts.
# the editors' note stays
clinical_review: pending
last_reviewed: 2026-01-10
next_review: 2027-01-10
sources:
  - title: A source
    publisher: A publisher
    author: A. Author
    date: 2025-12-01
---
## A cause
Text.
## When to get medical help
Now.
`

const rules = `# Rules for a test complaint.
id: back-pain
name: Back pain
description: Pain in your back.
last_reviewed: 2026-11-01
next_review: 2027-11-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Do you have any of these?
  flags:
    - {id: numb, label: Numbness, when: you feel numb, level: urgent, advice: See a doctor.}
symptom_groups:
  - question: Pain
    symptoms:
      - id: ache
        label: An ache
        mentions: cause
        sections:
          - to: back-pain#a-cause
`

var day = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)

func TestSignAnArticle(t *testing.T) {
	signed, err := signoff.Sign("back-pain.md", []byte(article), "Dr A. Example, GP: spine", day)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	text := string(signed)
	for _, want := range []string{"clinical_signoff:\n  by: 'Dr A. Example, GP: spine'\n  date: 2026-12-04\n  sha256: ", "# the editors' note stays\n", "## A cause\nText.\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("signed file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "clinical_review") {
		t.Error("the sign-off kept clinical_review: pending")
	}
	a := parse(t, signed)
	if a.SignOff.State() != contentfile.Reviewed || a.SignOff.By != "Dr A. Example, GP: spine" || a.SignOff.Date.ISO() != "2026-12-04" {
		t.Fatalf("sign-off = %+v, state %v", a.SignOff, a.SignOff.State())
	}

	// Any edit to the title, summary or body lapses it; front matter
	// that readers do not read as clinical text does not.
	for _, edit := range []struct {
		name, from, to string
		state          contentfile.ClinicalState
	}{
		{"the body", "Text.", "Other text.", contentfile.ChangedSinceReview},
		{"the title", "title: Back pain", "title: Back ache", contentfile.ChangedSinceReview},
		{"the summary", "summary: Why", "summary: How", contentfile.ChangedSinceReview},
		{"a heading", "## A cause", "## The cause {#a-cause}", contentfile.ChangedSinceReview},
		{"the review date", "next_review: 2027-01-10", "next_review: 2027-02-10", contentfile.Reviewed},
		{"line endings", "\n", "\r\n", contentfile.Reviewed},
	} {
		t.Run(edit.name, func(t *testing.T) {
			a := parse(t, []byte(strings.ReplaceAll(text, edit.from, edit.to)))
			if got := a.SignOff.State(); got != edit.state {
				t.Errorf("after editing %s: state %v, want %v", edit.name, got, edit.state)
			}
		})
	}

	// Signing again replaces the old sign-off.
	again, err := signoff.Sign("back-pain.md", []byte(strings.Replace(text, "Text.", "Other text.", 1)), "Dr B. Other, GP", day.AddDate(0, 1, 0))
	if err != nil {
		t.Fatalf("Sign again: %v", err)
	}
	if n := strings.Count(string(again), "clinical_signoff:"); n != 1 {
		t.Errorf("%d sign-offs after signing again, want 1", n)
	}
	if a := parse(t, again); a.SignOff.State() != contentfile.Reviewed || a.SignOff.By != "Dr B. Other, GP" {
		t.Errorf("after signing again: %+v", a.SignOff)
	}
}

// A reviewer named the old way is replaced by the sign-off.
func TestSignReplacesReviewedBy(t *testing.T) {
	src := strings.Replace(article, "clinical_review: pending\n", "reviewed_by: Dr Old\n", 1)
	if _, probs := content.Parse("back-pain.md", []byte(src)); len(probs) == 0 {
		t.Fatal("reviewed_by loads: want it refused")
	}
	signed, err := signoff.Sign("back-pain.md", []byte(src), "Dr New", day)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(signed), "reviewed_by") {
		t.Error("reviewed_by kept")
	}
	if a := parse(t, signed); a.SignOff.State() != contentfile.Reviewed {
		t.Errorf("state %v", a.SignOff.State())
	}
}

func TestSignRules(t *testing.T) {
	signed, err := signoff.Sign("complaints/back-pain.yaml", []byte(rules), "Dr A. Example", day)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	text := string(signed)
	if !strings.Contains(text, "next_review: 2027-11-01\nclinical_signoff:\n  by: Dr A. Example\n  date: 2026-12-04\n") {
		t.Errorf("the sign-off is not after the review dates:\n%s", text)
	}
	state := func(src string) contentfile.ClinicalState {
		t.Helper()
		s, err := checker.RulesSignOff("complaints/back-pain.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return s.State()
	}
	if got := state(text); got != contentfile.Reviewed {
		t.Fatalf("state %v, want Reviewed", got)
	}
	for _, edit := range []struct {
		name, from, to string
		want           contentfile.ClinicalState
	}{
		{"advice", "advice: See a doctor.", "advice: Rest.", contentfile.ChangedSinceReview},
		{"a level", "level: urgent", "level: soon", contentfile.ChangedSinceReview},
		{"a link", "to: back-pain#a-cause", "to: back-pain#when-to-get-medical-help", contentfile.ChangedSinceReview},
		{"a label", "label: An ache", "label: A dull ache", contentfile.ChangedSinceReview},
		{"the safety net", "if it lasts", "if it gets worse", contentfile.ChangedSinceReview},
		{"a comment", "# Rules for", "# The rules for", contentfile.Reviewed},
		{"mentions, an authoring aid", "mentions: cause", "mentions: a cause", contentfile.Reviewed},
		{"the review date", "next_review: 2027-11-01", "next_review: 2027-12-01", contentfile.Reviewed},
	} {
		t.Run(edit.name, func(t *testing.T) {
			if got := state(strings.Replace(text, edit.from, edit.to, 1)); got != edit.want {
				t.Errorf("state %v, want %v", got, edit.want)
			}
		})
	}
}

func TestSignRefuses(t *testing.T) {
	tests := []struct {
		name, file, src, by, want string
	}{
		{"no name", "a.md", article, " ", "say who signs off"},
		{"two lines", "a.md", article, "Dr A\nDr B", "one line"},
		{"a broken article", "a.md", strings.Replace(article, "title: Back pain\n", "", 1), "Dr A", `"title" is required`},
		{"no front matter", "a.md", "## Just text\n", "Dr A", "no front matter"},
		{"broken rules", "complaints/back-pain.yaml", rules + "  oops: [\n", "Dr A", "fix the file"},
		{"another file", "synonyms.yaml", "groups: []\n", "Dr A", "only an article"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := signoff.Sign(tt.file, []byte(tt.src), tt.by, day)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func parse(t *testing.T, src []byte) *content.Article {
	t.Helper()
	a, probs := content.Parse("back-pain.md", src)
	if len(probs) > 0 {
		t.Fatalf("Parse: %v\n%s", probs, src)
	}
	return a
}
