package checker

import (
	"cmp"
	"net/url"
	"slices"
	"unicode/utf8"
)

// Urgent advice is never withheld. Whatever else is wrong with a link (a
// contradiction such as a red flag with "none", too many answers, a
// complaint nobody knows, a reader over the rate limit), the red flags it
// names are still red flags, and every page answering it shows their care
// cards first.

// AnswerIDs reads every answer a query string names that could be an id,
// however many there are and whatever else is wrong with the link: the
// forgiving reading used to find red flags, never to make a result.
// Answers that cannot be ids (over MaxAnswerSize, or not UTF-8) are
// skipped; duplicates count once.
func AnswerIDs(rawQuery string) []string {
	// ParseQuery keeps the values it read before a malformed one.
	values, _ := url.ParseQuery(rawQuery)
	var ids []string
	for _, v := range values[Param] {
		if v == "" || len(v) > MaxAnswerSize || !utf8.ValidString(v) || slices.Contains(ids, v) {
			continue
		}
		ids = append(ids, v)
	}
	return ids
}

// RedFlagsIn returns the red flags among ids, in link order: the
// complaint's own and the site-wide ones when c is known, and otherwise
// those of any complaint (a link whose complaint is unknown or ambiguous
// still names signs that need help). A red flag two complaints share by id
// is listed once, from the first complaint that has it.
func RedFlagsIn(complaints []*Complaint, c *Complaint, ids []string) []*RedFlag {
	var out []*RedFlag
	for _, id := range ids {
		if c != nil {
			if f, ok := c.RedFlag(id); ok {
				out = append(out, f)
			}
			continue
		}
		for _, other := range complaints {
			if f, ok := other.RedFlag(id); ok {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// CardsFor groups red flags into one card per level, most urgent first,
// each card listing its flags in the order given.
func CardsFor(flags []*RedFlag) []Card {
	var cards []Card
	for _, f := range flags {
		i := slices.IndexFunc(cards, func(c Card) bool { return c.Level == f.Level })
		if i < 0 {
			cards = append(cards, Card{Level: f.Level})
			i = len(cards) - 1
		}
		cards[i].RedFlags = append(cards[i].RedFlags, f)
	}
	slices.SortStableFunc(cards, func(x, y Card) int { return cmp.Compare(x.Level, y.Level) })
	return cards
}
