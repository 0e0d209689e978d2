package checker

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Urgent advice is never withheld. Whatever else is wrong with a link (a
// contradiction such as a red flag with "none", too many answers, an
// address too long to serve, a complaint nobody knows, a reader over the
// rate limit), the red flags it names are still red flags, and every page
// answering it shows their care cards first. So these functions read any
// query, however long: their cost grows with its length plus the site's
// red flags, never with their product.

// AnswerIDs reads every answer a query string names that could be an id,
// however many there are and whatever else is wrong with the link: the
// forgiving reading used to find red flags, never to make a result.
// Answers that cannot be ids (over MaxAnswerSize, or not UTF-8) are
// skipped; duplicates count once.
func AnswerIDs(rawQuery string) []string {
	// One parameter at a time, as url.ParseQuery reads them (skipping any
	// it cannot read), but with no limit on their number: ParseQuery
	// refuses a query of over 10,000 parameters, and with it the red flag
	// among them.
	var ids []string
	seen := map[string]bool{}
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		if strings.Contains(kv, ";") {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if len(v) > 3*MaxAnswerSize { // over MaxAnswerSize however it is escaped
			continue
		}
		if k, err := url.QueryUnescape(k); err != nil || k != Param {
			continue
		}
		v, err := url.QueryUnescape(v)
		if err != nil || v == "" || len(v) > MaxAnswerSize || !utf8.ValidString(v) || seen[v] {
			continue
		}
		seen[v] = true
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
	if c != nil {
		for _, id := range ids {
			if f, ok := c.RedFlag(id); ok {
				out = append(out, f)
			}
		}
		return out
	}
	// Any complaint's: look each red flag of the site up among the ids,
	// rather than each id in every complaint.
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, ok := at[id]; !ok {
			at[id] = i
		}
	}
	found := map[string]bool{}
	for _, other := range complaints {
		for _, f := range other.RedFlags {
			if _, ok := at[f.ID]; ok && !found[f.ID] {
				found[f.ID] = true
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(x, y *RedFlag) int { return cmp.Compare(at[x.ID], at[y.ID]) })
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
