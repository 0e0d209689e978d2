package checker

import (
	"fmt"
	"slices"

	"healthsite/internal/contentfile"
)

// Outcome is everything the checker decides for one set of answers: what
// the results page shows, or the form again with why.
type Outcome struct {
	Answers Answers
	// Problems, when there are any, send the reader back to the form,
	// which still shows Cards first.
	Problems []Problem
	// Cards are the care cards of the red flags ticked, most urgent first,
	// whatever else the answers say: a red flag always wins.
	Cards []Card
	// Sections are the sections to read; none when there are Problems.
	Sections []Match
}

// Evaluate decides what the results page shows for the answers ids of a
// complaint. The page (internal/pages) and the triage cases (RunCases)
// both call it, so the cases test what readers get.
func Evaluate(c *Complaint, ids []string) Outcome {
	a := Classify(c, ids)
	o := Outcome{Answers: a, Problems: Validate(a), Cards: CardsFor(a.RedFlags)}
	if len(o.Problems) == 0 {
		o.Sections = Compute(a).Sections
	}
	return o
}

// FirstCard is the level of the first care card, as a case names it
// ("emergency", "urgent", "soon"), or NoCard.
func (o Outcome) FirstCard() string {
	if len(o.Cards) == 0 {
		return NoCard
	}
	return o.Cards[0].Level.String()
}

// RunCases runs every complaint's triage cases through Evaluate and
// returns each failure as a problem at its case's line. A failing case is
// a reader sent to the wrong place, so it is an error like any other:
// Link refuses rules whose cases fail.
func RunCases(r *Rules) contentfile.Problems {
	var probs contentfile.Problems
	for _, c := range r.Complaints {
		if c.Cases == nil {
			continue
		}
		for _, cs := range c.Cases.Cases {
			for _, msg := range runCase(c, cs) {
				probs = append(probs, contentfile.Problem{File: c.Cases.File, Line: cs.Line, Msg: fmt.Sprintf("case %q: %s", cs.Name, msg)})
			}
		}
	}
	return probs
}

func runCase(c *Complaint, cs *Case) []string {
	o := Evaluate(c, cs.Answers)
	var out []string
	if got := o.FirstCard(); got != cs.FirstCard {
		out = append(out, fmt.Sprintf("the first care card is %s, want %s", cardName(got), cardName(cs.FirstCard)))
	}
	shown := make([]string, 0, len(o.Sections))
	for _, m := range o.Sections {
		shown = append(shown, m.Link.Slug+"#"+m.Link.ID)
	}
	for _, to := range cs.Sections {
		if !slices.Contains(shown, to) {
			out = append(out, fmt.Sprintf("section %s is not among the sections to read (%s)", to, listOrNone(shown)))
		}
	}
	for _, to := range cs.NotSections {
		if slices.Contains(shown, to) {
			out = append(out, fmt.Sprintf("section %s is among the sections to read, want it not to be", to))
		}
	}
	return out
}

func cardName(level string) string {
	if level == NoCard {
		return "none"
	}
	return level
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "there are none"
	}
	return fmt.Sprintf("they are %v", s)
}
