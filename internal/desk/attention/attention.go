// Package attention ranks the site's pages by how much they need an
// editor: what readers say (the share of "No" answers to "Is this page
// helpful?") beside what the calendar says (reviews due or overdue) and
// what clinicians said (a sign-off whose text has since changed). It is
// a plain function of the site, the feedback counts and the day, so its
// rules are tested as a table, and the desk's start page only shows them.
package attention

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/feedback"
)

// The score's parts. The desk's start page explains them in these words,
// from these numbers.
const (
	// MinAnswers is how many answers over 30 days a page needs before its
	// No rate counts: below it, one unhappy reader would top the list.
	MinAnswers = 20
	// NoRatePoints is the score of a page all of whose answers over 30
	// days were No; a page scores its No rate times this.
	NoRatePoints = 100
	// OverduePoints: the page's review date has passed.
	OverduePoints = 60
	// DueSoonPoints: the review is due within DueSoonDays.
	DueSoonPoints = 30
	DueSoonDays   = 30
	// LapsedPoints: a clinician signed off an earlier text, and it has
	// changed since.
	LapsedPoints = 40
)

// Kind is what a feedback page is on the site.
type Kind int

const (
	// Other is a page that is no article or complaint of the site now
	// (an article since removed, the list of complaints).
	Other Kind = iota
	Article
	Complaint
)

// Review is where a page stands with its review date.
type Review int

const (
	NoReviewDate Review = iota
	ReviewLater
	DueSoon
	Overdue
)

// Item is one page, ranked.
type Item struct {
	Page  string // the public path, like /articles/{slug}
	Title string // the article's title, the complaint's name, or the path
	Kind  Kind
	Slug  string // the article's slug or the complaint's id

	Counts feedback.PageSummary
	// NoRate is the share of No over 30 days, counted only when
	// RateCounts (at least MinAnswers answers).
	NoRate     float64
	RateCounts bool

	Review     Review
	NextReview time.Time // zero for NoReviewDate
	// DaysToReview is how many days until NextReview: negative once it
	// has passed.
	DaysToReview int

	SignOff contentfile.ClinicalState

	Score int
	// Reasons say what the score is made of, in words, largest first.
	Reasons []string
}

// Rank scores every article and complaint of site, and every page with
// answers in summaries, on day today, and returns those with a score above
// 0 or any answer in 90 days, highest score first (then most No answers
// over 30 days, then title).
func Rank(site *content.Site, summaries []feedback.PageSummary, today time.Time) []Item {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	byPage := make(map[string]feedback.PageSummary, len(summaries))
	for _, s := range summaries {
		byPage[s.Page] = s
	}
	var items []Item
	seen := map[string]bool{}
	add := func(it Item) {
		seen[it.Page] = true
		it.Counts = byPage[it.Page]
		it.Counts.Page = it.Page
		score(&it, today)
		if it.Score > 0 || it.Counts.Days90.Total() > 0 {
			items = append(items, it)
		}
	}
	if site != nil {
		for _, a := range site.Articles {
			add(Item{Page: "/articles/" + a.Slug, Title: a.Title, Kind: Article, Slug: a.Slug,
				NextReview: a.NextReview.Time, SignOff: a.SignOff.State()})
		}
		for _, c := range site.Complaints {
			state, _ := c.ClinicalState(site.SiteWide)
			add(Item{Page: "/symptoms/" + c.ID, Title: c.Name + " (symptom checker)", Kind: Complaint, Slug: c.ID,
				NextReview: c.NextReview.Time, SignOff: state})
		}
	}
	for _, s := range summaries {
		if !seen[s.Page] {
			add(Item{Page: s.Page, Title: s.Page, Kind: Other})
		}
	}
	slices.SortFunc(items, func(a, b Item) int {
		return cmp.Or(
			cmp.Compare(b.Score, a.Score),
			cmp.Compare(b.Counts.Days30.No, a.Counts.Days30.No),
			strings.Compare(a.Title, b.Title),
			strings.Compare(a.Page, b.Page))
	})
	return items
}

// score fills in the item's rate, review state, score and reasons.
func score(it *Item, today time.Time) {
	type part struct {
		points int
		why    string
	}
	var parts []part
	c := it.Counts.Days30
	if c.Total() >= MinAnswers {
		it.RateCounts = true
		it.NoRate = c.NoRate()
		if p := int(math.Round(it.NoRate * NoRatePoints)); p > 0 {
			parts = append(parts, part{p, fmt.Sprintf("%d%% of %d answers over 30 days said No", int(math.Round(it.NoRate*100)), c.Total())})
		}
	}
	it.Review, it.DaysToReview = ReviewOf(it.NextReview, today)
	switch it.Review {
	case Overdue:
		parts = append(parts, part{OverduePoints, fmt.Sprintf("review overdue by %s", days(-it.DaysToReview))})
	case DueSoon:
		when := "review due today"
		if it.DaysToReview > 0 {
			when = fmt.Sprintf("review due in %s", days(it.DaysToReview))
		}
		parts = append(parts, part{DueSoonPoints, when})
	}
	if it.SignOff == contentfile.ChangedSinceReview {
		parts = append(parts, part{LapsedPoints, "text changed since its clinical sign-off"})
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(b.points, a.points) })
	for _, p := range parts {
		it.Score += p.points
		it.Reasons = append(it.Reasons, fmt.Sprintf("%s (+%d)", p.why, p.points))
	}
}

// ReviewOf is where a review date stands on a day, and how many days are
// left until it (negative once past). A review is due all through its
// day, as on the public site: it is overdue from the day after.
func ReviewOf(next, today time.Time) (Review, int) {
	if next.IsZero() {
		return NoReviewDate, 0
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	n := int(math.Round(next.Sub(today).Hours() / 24))
	switch {
	case n < 0:
		return Overdue, n
	case n <= DueSoonDays:
		return DueSoon, n
	}
	return ReviewLater, n
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
