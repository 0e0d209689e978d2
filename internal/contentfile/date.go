package contentfile

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Date is a calendar day written as YYYY-MM-DD.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// Overdue reports whether day now is after d, a review date: a date that
// is not set is never overdue, and the review is due all through its day.
func (d Date) Overdue(now time.Time) bool {
	return !d.IsZero() && now.After(d.Time.AddDate(0, 0, 1))
}

// UnmarshalYAML accepts only YYYY-MM-DD so that "12/03/2025" cannot be
// read as two different days by two different readers.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return dateError(n.Line, "want a date like 2025-11-10")
	}
	t, err := time.Parse(dateLayout, strings.TrimSpace(n.Value))
	if err != nil {
		return dateError(n.Line, fmt.Sprintf("%q is not a date: want YYYY-MM-DD, like 2025-11-10", n.Value))
	}
	d.Time = t
	return nil
}

// dateError is a *yaml.TypeError so that decoding carries on and every
// bad field in the file is reported, not only the first.
func dateError(line int, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", line, msg)}}
}

// ISO returns the date as YYYY-MM-DD, for machines.
func (d Date) ISO() string { return d.Format(dateLayout) }

// Human returns the date as people write it, like "10 November 2025".
func (d Date) Human() string { return d.Format("2 January 2006") }

// CheckReviewDates checks the review dates of a file whose top-level keys
// "last_reviewed" and "next_review" hold them; keyLine gives the line of a
// key for the problem.
func CheckReviewDates(probs *Problems, file string, keyLine func(string) int, last, next Date) {
	for _, d := range []struct {
		key  string
		date Date
	}{{"last_reviewed", last}, {"next_review", next}} {
		if d.date.IsZero() {
			probs.Add(file, keyLine(d.key), "%q is required (YYYY-MM-DD)", d.key)
		}
	}
	if !last.IsZero() && !next.IsZero() && next.Before(last.Time) {
		probs.Add(file, keyLine("next_review"), "next_review %s is earlier than last_reviewed %s", next.ISO(), last.ISO())
	}
}
