// Package contentcheck finds everything wrong with a folder of articles,
// for writers and reviewers: the problems that stop the server (errors)
// and those that make an article worse for readers (warnings).
package contentcheck

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/search"
)

// Severity says whether a finding stops the site (Error) or only makes it
// worse (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Finding is one problem in one file.
type Finding struct {
	File     string
	Line     int
	Severity Severity
	Msg      string
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Severity, f.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", f.File, f.Severity, f.Msg)
}

// Limits of plain language.
const (
	MaxGrade         = 9.0 // Flesch-Kincaid grade of a section
	MaxSentenceWords = 30
	// ReviewSoon is how far ahead a coming review date is flagged.
	ReviewSoon = 30 * 24 * time.Hour
)

// Check loads the folder as the server does, with the same options, and
// reports every finding, errors first, each group by file and line. The
// errors are exactly what the server refuses to start with (content.Load
// is the one validator); Check adds only warnings. now is today, for
// review dates.
func Check(fsys fs.FS, opts content.Options, now time.Time) []Finding {
	site, err := content.LoadWith(fsys, opts)
	if err != nil {
		var probs contentfile.Problems
		if !errors.As(err, &probs) {
			return []Finding{{File: ".", Severity: Error, Msg: err.Error()}}
		}
		var out []Finding
		for _, p := range probs {
			out = append(out, Finding{File: p.File, Line: p.Line, Severity: Error, Msg: p.Msg})
		}
		sortFindings(out)
		return out
	}
	var out []Finding
	reached := reachedSections(site)
	// Each article is read once (content.Inspect parses it), for its own
	// checks and for what the checker's rules and the synonyms need of it.
	texts := map[*content.Article]sectionTexts{}
	words := map[string]bool{} // of every article, folded as search compares them
	for _, a := range site.Articles {
		inv := content.Inspect(a)
		out = append(out, checkArticle(site, a, inv, reached, now)...)
		out = append(out, checkClinicalReview(fsys, a)...)
		out = append(out, lapsedSignOff(a.File, a.SignOff)...)
		if reached[a] != nil {
			texts[a] = newSectionTexts(a, inv)
		}
		if site.Synonyms != nil {
			search.ArticleWords(a, inv, func(w string) { words[search.Fold(w)] = true })
		}
	}
	// The symptom checker's rules are reviewed on their own dates, and
	// must lead to sections that say what they name; the synonyms too.
	out = append(out, checkComplaints(site, texts, now)...)
	out = append(out, checkSynonyms(site, words, now)...)
	sortFindings(out)
	return out
}

// sortFindings puts errors first, then by file and line.
func sortFindings(out []Finding) {
	slices.SortStableFunc(out, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(x.Severity, y.Severity), cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line))
	})
}

// reachedSections are the ids of the sections each article has that some
// symptom of some complaint leads to.
func reachedSections(site *content.Site) map[*content.Article]map[string]bool {
	out := map[*content.Article]map[string]bool{}
	for _, c := range site.Complaints {
		for _, s := range c.Symptoms {
			for _, l := range s.Sections {
				a, _ := site.Article(l.Slug)
				if out[a] == nil {
					out[a] = map[string]bool{}
				}
				out[a][l.ID] = true
			}
		}
	}
	return out
}

func checkArticle(site *content.Site, a *content.Article, inv content.Inventory, reached map[*content.Article]map[string]bool, now time.Time) []Finding {
	var out []Finding
	add := func(sev Severity, line int, format string, args ...any) {
		out = append(out, Finding{File: a.File, Line: line, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	}

	if msg := reviewDue(a.NextReview, now); msg != "" {
		add(Warning, 0, "%s", msg)
	}

	// Every cause section of an article the symptom checker leads to
	// should be reachable from it.
	if reached := reached[a]; len(reached) > 0 {
		for _, s := range a.Sections {
			if !s.Urgent && !s.General && !reached[s.ID] {
				add(Warning, s.Line, "no symptom in %s/ leads to section %q, though the checker leads to this article (mark sections that are not causes {.general})", checker.ComplaintsDir, s.ID)
			}
		}
	}

	for _, img := range inv.Images {
		if strings.TrimSpace(img.Alt) == "" {
			add(Warning, img.Line, "image %s has no alt text: describe it in ![...]", img.Dest)
		}
	}

	prev := 1 // the page's h1 is the title
	for _, h := range inv.Outline {
		if h.Level > prev+1 {
			add(Warning, h.Line, "heading level skips from h%d to h%d", prev, h.Level)
		}
		prev = h.Level
	}

	// Plain language, section by section.
	for i, blocks := range inv.SectionText {
		name, line := "the introduction", 0
		if i > 0 && i-1 < len(a.Sections) {
			name, line = fmt.Sprintf("section %q", a.Sections[i-1].ID), a.Sections[i-1].Line
		}
		var nWords, nSentences, nSyllables int
		for _, b := range blocks {
			for _, s := range sentences(b.Text) {
				ws := words(s)
				if len(ws) > MaxSentenceWords {
					add(Warning, b.Line, "a sentence of %d words (more than %d): %q", len(ws), MaxSentenceWords, shorten(s))
				}
				nWords += len(ws)
				nSentences++
				for _, w := range ws {
					nSyllables += syllables(w)
				}
			}
		}
		if grade := fleschKincaidGrade(nWords, nSentences, nSyllables); grade > MaxGrade {
			add(Warning, line, "%s reads at grade %.1f (Flesch-Kincaid), above %g: use shorter sentences and words", name, grade, MaxGrade)
		}
	}
	return out
}

// reviewDue says when a next review date is past or within ReviewSoon of
// day now, and is empty otherwise.
func reviewDue(next contentfile.Date, now time.Time) string {
	today := now.UTC().Truncate(24 * time.Hour)
	switch {
	case today.After(next.Time):
		return "review overdue since " + next.Human()
	case next.Sub(today) <= ReviewSoon:
		return "review due on " + next.Human() + ", within 30 days"
	}
	return ""
}

// lapsedSignOff reports a clinician's sign-off whose text has changed
// since: the pages no longer name the clinician, and say the text changed
// since their review.
func lapsedSignOff(file string, s *contentfile.SignOff) []Finding {
	if s.State() != contentfile.ChangedSinceReview {
		return nil
	}
	return []Finding{{File: file, Severity: Warning, Msg: fmt.Sprintf(
		"changed since clinical sign-off on %s (by %s): the pages now say so; once a clinician has reviewed the change, sign it off again with healthsite signoff", s.Date.Human(), s.By)}}
}

// checkClinicalReview asks that an article naming medicines have a
// clinician's sign-off, or say that the editors know it has none yet
// (clinical_review: pending); how medicines are found is in medicines.go.
func checkClinicalReview(fsys fs.FS, a *content.Article) []Finding {
	if a.SignOff != nil || a.ClinicalReviewPending {
		return nil
	}
	src, err := fs.ReadFile(fsys, a.File)
	if err != nil { // Load has just read it
		return []Finding{{File: a.File, Severity: Error, Msg: fmt.Sprintf("cannot read: %v", err)}}
	}
	lists := medicineLists(src)
	if len(lists) == 0 {
		return nil
	}
	n, first := namedMedicines(lists)
	what := fmt.Sprintf("%d medicines, like %q,", n, first)
	if n == 1 {
		what = fmt.Sprintf("a medicine, %q,", first)
	}
	return []Finding{{File: a.File, Line: lists[0].Line, Severity: Warning, Msg: fmt.Sprintf(
		"names %s but no clinician has signed it off: once one has reviewed it, record it with healthsite signoff; until then set \"clinical_review: pending\" to say you know", what)}}
}

func shorten(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:57] + "..."
}
