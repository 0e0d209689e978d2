package checker

import (
	"cmp"
	"slices"

	"healthsite/internal/contentfile"
)

// Answers are the ticked answers sorted into what the checker knows.
type Answers struct {
	RedFlags []*RedFlag
	Symptoms []*Symptom
	None     bool // "No, I do not have any of these"
	// Unknown counts answers the checker does not recognise, for example
	// from an old shared link.
	Unknown int
	// Known are the recognised ids in link order, for "change your answers".
	Known []string
}

// Classify splits ids into the complaint's red flags, its symptoms and
// answers it does not know.
func Classify(rules *Complaint, ids []string) Answers {
	var a Answers
	for _, id := range ids {
		if id == NoneID {
			a.None = true
			a.Known = append(a.Known, id)
			continue
		}
		if f, ok := rules.RedFlag(id); ok {
			a.RedFlags = append(a.RedFlags, f)
			a.Known = append(a.Known, id)
			continue
		}
		if s, ok := rules.Symptom(id); ok {
			a.Symptoms = append(a.Symptoms, s)
			a.Known = append(a.Known, id)
			continue
		}
		a.Unknown++
	}
	return a
}

// Problem is a reason the answers cannot give a result, shown beside the
// question it is about.
type Problem struct {
	Field   Field
	Message string
}

// Field is the question a problem is about.
type Field int

const (
	// FieldRedFlags is the red-flag question.
	FieldRedFlags Field = iota
	// FieldSymptoms are the symptom questions as a whole.
	FieldSymptoms
)

// Validate returns the problems that send the reader back to the form.
func Validate(a Answers) []Problem {
	var ps []Problem
	if a.None && len(a.RedFlags) > 0 {
		ps = append(ps, Problem{Field: FieldRedFlags, Message: `Select "No, I do not have any of these" or the problems you have, not both`})
	}
	if len(a.RedFlags) == 0 && len(a.Symptoms) == 0 && len(ps) == 0 {
		ps = append(ps, Problem{Field: FieldSymptoms, Message: "Select at least one thing you feel"})
	}
	return ps
}

// Card is the advice for one triage level, listing the answers that
// triggered it.
type Card struct {
	Level    contentfile.Level
	RedFlags []*RedFlag
}

// Match is a section worth reading and the answers that lead to it.
type Match struct {
	Link    SectionLink
	Because []*Symptom
	weight  int
}

// Result is what the results page shows, in the order it shows it.
type Result struct {
	Cards    []Card // most urgent first
	Sections []Match
}

// Compute builds the result: one card per triage level that was ticked,
// most urgent first; then every section a ticked symptom leads to, ordered
// by how many ticked symptoms lead there, then by total weight, then by
// where the section stands in the site.
func Compute(a Answers) Result {
	r := Result{Cards: CardsFor(a.RedFlags)}
	byURL := map[string]int{}
	for _, s := range a.Symptoms {
		for _, l := range s.Sections {
			i, ok := byURL[l.URL()]
			if !ok {
				i = len(r.Sections)
				byURL[l.URL()] = i
				r.Sections = append(r.Sections, Match{Link: l})
			}
			r.Sections[i].Because = append(r.Sections[i].Because, s)
			r.Sections[i].weight += l.Weight
		}
	}
	slices.SortStableFunc(r.Sections, func(x, y Match) int {
		return cmp.Or(
			cmp.Compare(len(y.Because), len(x.Because)),
			cmp.Compare(y.weight, x.weight),
			cmp.Compare(x.Link.Order, y.Link.Order),
		)
	})
	return r
}
