package contentcheck

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"healthsite/internal/checker"
	"healthsite/internal/content"
)

// checkComplaints reports, for the symptom checker's rules, what the
// loader allows but a reviewer should see: rules past their review date,
// and symptoms leading to a section that does not mention them.
//
// "Mentions" is judged on words, not meaning. A symptom's "mentions" (or
// its section link's own, which wins) is a phrase that must appear, as
// whole words and in that order, in the section: its heading, its
// sub-headings and its text, up to the next heading of the same level or
// higher. Without one, every word of the symptom's label but the small
// ones ("a", "your", "when", ...) must appear somewhere in the section.
// Words are compared by their stems, so "stiff" matches "stiffness" and
// "presses" matches "pressed", but "swelling" does not match "swollen":
// say "mentions: swollen" then.
//
// texts holds the text of every article a symptom leads to.
func checkComplaints(site *content.Site, texts map[*content.Article]sectionTexts, now time.Time) []Finding {
	var out []Finding
	if sw := site.SiteWide; sw != nil {
		if msg := reviewDue(sw.NextReview, now); msg != "" {
			out = append(out, Finding{File: sw.File, Severity: Warning, Msg: msg})
		}
		out = append(out, lapsedSignOff(sw.File, sw.SignOff)...)
	}
	for _, c := range site.Complaints {
		if msg := reviewDue(c.NextReview, now); msg != "" {
			out = append(out, Finding{File: c.File, Severity: Warning, Msg: msg})
		}
		out = append(out, lapsedSignOff(c.File, c.SignOff)...)
		out = append(out, plainRules(c)...)
		if c.Cases == nil {
			out = append(out, Finding{File: c.File, Severity: Warning, Msg: fmt.Sprintf(
				"no triage cases: write %s/%s.cases.yaml from the articles' sources, so that every change is tested on answers with a known right result (see the README)", checker.ComplaintsDir, c.ID)})
		}
		for _, s := range c.Symptoms {
			for _, l := range s.Sections {
				a, _ := site.Article(l.Slug)
				h, _ := a.Heading(l.ID)
				if missing := texts[a].missing(h, s, l); missing != "" {
					out = append(out, Finding{File: c.File, Line: l.Line, Severity: Warning, Msg: fmt.Sprintf(
						"symptom %q leads to section %q of %q, which does not mention %s: point it elsewhere, or name the section's own words in \"mentions\"",
						s.ID, l.ID, l.Slug, missing)})
				}
			}
		}
	}
	return out
}

// sectionTexts are the blocks of text of one article (headings included),
// in stemmed words, with their lines, for finding what a section says.
type sectionTexts struct {
	a      *content.Article
	blocks []textBlock
}

type textBlock struct {
	line  int
	words []string
}

func newSectionTexts(a *content.Article, inv content.Inventory) sectionTexts {
	st := sectionTexts{a: a}
	for _, h := range a.Headings {
		st.blocks = append(st.blocks, textBlock{line: h.Line, words: stems(h.Title)})
	}
	for _, blocks := range inv.SectionText {
		for _, b := range blocks {
			st.blocks = append(st.blocks, textBlock{line: b.Line, words: stems(b.Text)})
		}
	}
	return st
}

// section is the blocks from heading h up to the next heading of its level
// or higher.
func (st sectionTexts) section(h content.Heading) []textBlock {
	end := int(^uint(0) >> 1)
	for _, next := range st.a.Headings {
		if next.Line > h.Line && next.Level <= h.Level {
			end = next.Line
			break
		}
	}
	var out []textBlock
	for _, b := range st.blocks {
		if b.line >= h.Line && b.line < end {
			out = append(out, b)
		}
	}
	return out
}

// missing is what the section of h does not mention of what symptom s
// names, quoted for a message; "" when it mentions it.
func (st sectionTexts) missing(h content.Heading, s *checker.Symptom, l checker.SectionLink) string {
	blocks := st.section(h)
	if phrase := cmp.Or(l.Mentions, s.Mentions); phrase != "" {
		want := stems(phrase)
		for _, b := range blocks {
			if containsRun(b.words, want) {
				return ""
			}
		}
		return fmt.Sprintf("%q", phrase)
	}
	have := map[string]bool{}
	for _, b := range blocks {
		for _, w := range b.words {
			have[w] = true
		}
	}
	var absent []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s.Label), notWordRune) {
		if !smallWords[w] && !have[stem(w)] && !slices.Contains(absent, w) {
			absent = append(absent, w)
		}
	}
	if len(absent) == 0 {
		return ""
	}
	return fmt.Sprintf("%q (from the label %q)", strings.Join(absent, " "), s.Label)
}

// containsRun reports whether want appears in words, in order and together.
func containsRun(words, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for i := 0; i+len(want) <= len(words); i++ {
		if slices.Equal(words[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// stems are the stems of the words of text, in order.
func stems(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), notWordRune)
	for i, w := range words {
		words[i] = stem(w)
	}
	return words
}

// suffixes are stripped, longest first, while the stem stays 3 letters
// or more: enough to match "stiffness" to "stiff", not a real stemmer.
var suffixes = []string{"ingly", "edly", "ness", "ment", "ings", "ing", "ies", "ied", "es", "ed", "en", "er", "ly", "s", "e"}

func stem(w string) string {
	for changed := true; changed; {
		changed = false
		for _, suf := range suffixes {
			if !strings.HasSuffix(w, suf) || len(w)-len(suf) < 3 {
				continue
			}
			if suf == "s" && strings.HasSuffix(w, "ss") {
				continue // "press", "less"
			}
			w = strings.TrimSuffix(w, suf)
			if suf == "ies" || suf == "ied" {
				w += "y"
			}
			changed = true
			break
		}
	}
	if strings.HasSuffix(w, "i") && len(w) > 3 {
		w = w[:len(w)-1] + "y" // "dizzi(ness)" is "dizzy"
	}
	return w
}

// smallWords say nothing about what a symptom is, so the label check
// passes over them.
var smallWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but of in on at to from by for with without into over under
		up down out off as than then that this these those it its is are was were be been being
		you your yours i me my we our he she they them their his her
		do does did not no can cannot could will would may might should must have has had
		when where which who what how why while after before during there here so very
		one some any all more less most much many feel feels felt get gets got`) {
		m[w] = true
	}
	return m
}()

// MaxRulesSentenceWords is the longest sentence the checker's rules may
// show a reader: tighter than an article's, since a reader who may be
// unwell reads it as a question or as advice.
const MaxRulesSentenceWords = 25

// plainRules warns about every sentence of a complaint's reader-facing
// text over MaxRulesSentenceWords, at its line where the rules keep one.
func plainRules(c *checker.Complaint) []Finding {
	type text struct {
		what, s string
		line    int
	}
	texts := []text{{"description", c.Description, 0}, {"safety_net", c.SafetyNet, 0}, {"the red flag question", c.RedFlagQuestion.Text + " " + c.RedFlagQuestion.Hint, 0}}
	for _, f := range c.RedFlags {
		if !f.SiteWide {
			texts = append(texts, text{"red flag " + f.ID, strings.Join([]string{f.Label, f.Hint, f.When, f.Advice}, ". "), f.Line})
		}
	}
	for _, g := range c.Groups {
		texts = append(texts, text{fmt.Sprintf("the question %q", g.Question.Text), g.Question.Text + ". " + g.Question.Hint, 0})
		for _, s := range g.Symptoms {
			texts = append(texts, text{"symptom " + s.ID, s.Label + ". " + s.Hint, s.Line})
		}
	}
	var out []Finding
	for _, t := range texts {
		for _, s := range sentences(t.s) {
			if n := len(words(s)); n > MaxRulesSentenceWords {
				out = append(out, Finding{File: c.File, Line: t.line, Severity: Warning, Msg: fmt.Sprintf(
					"%s: a sentence of %d words (more than %d): %q: split it", t.what, n, MaxRulesSentenceWords, shorten(s))})
			}
		}
	}
	return out
}
