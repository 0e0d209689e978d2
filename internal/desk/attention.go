package desk

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"healthsite/internal/contentfile"
	"healthsite/internal/desk/attention"
	"healthsite/internal/feedback"
	deskweb "healthsite/web/desk"
)

// attentionPerPage is how many pages the start page lists at a time.
const attentionPerPage = 50

// attentionPage is the start page: every page ranked by attention.Rank,
// 50 at a time (?page=2).
func (d *Desk) attention(w http.ResponseWriter, r *http.Request, who *visitor) error {
	n, err := pageNumber(r.URL.Query())
	if err != nil {
		return err
	}
	now := d.cfg.Now()
	sums, err := d.feedback.Summary(r.Context(), feedback.DateOf(now.UTC()))
	if err != nil {
		return err
	}
	items := attention.Rank(d.cfg.Site(), sums, now.UTC())
	pages := max(1, (len(items)+attentionPerPage-1)/attentionPerPage)
	if n > pages {
		return errNotFound
	}
	v := deskweb.AttentionView{
		Listed: len(items), Page: n, Pages: pages, Today: day(now.UTC()),
		Score: deskweb.ScoreRules{
			MinAnswers: attention.MinAnswers, NoRatePoints: attention.NoRatePoints,
			OverduePoints: attention.OverduePoints, DueSoonPoints: attention.DueSoonPoints,
			DueSoonDays: attention.DueSoonDays, LapsedPoints: attention.LapsedPoints,
		},
	}
	from := (n - 1) * attentionPerPage
	for i, it := range items[from:min(from+attentionPerPage, len(items))] {
		v.Rows = append(v.Rows, d.attentionRow(from+i+1, it))
	}
	if n > 1 {
		v.Prev = "/desk" + pageQuery(n-1)
	}
	if n < pages {
		v.Next = "/desk" + pageQuery(n+1)
	}
	return d.render(w, r, http.StatusOK, deskweb.AttentionPage(d.head(who, "Needs attention", "attention"), v))
}

// pageNumber reads ?page=N (1 when absent): a 400 for anything but a
// whole number from 1.
func pageNumber(q url.Values) (int, error) {
	s := q.Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, badRequest("The page number in the address must be a whole number from 1.")
	}
	return n, nil
}

func pageQuery(n int) string {
	if n == 1 {
		return ""
	}
	return "?page=" + strconv.Itoa(n)
}

var kinds = map[attention.Kind]string{attention.Article: "Article", attention.Complaint: "Symptom checker", attention.Other: "Other page"}

func (d *Desk) attentionRow(rank int, it attention.Item) deskweb.AttentionRow {
	row := deskweb.AttentionRow{
		Rank: rank, Title: it.Title, Kind: kinds[it.Kind], DeskURL: deskPageURL(it.Page),
		Score: it.Score, Reasons: it.Reasons,
		Days7: counts(it.Counts.Days7), Days30: counts(it.Counts.Days30), Days90: counts(it.Counts.Days90),
		Review:  reviewWords(it.Review, it.NextReview),
		Urgent:  it.Review == attention.Overdue,
		SignOff: signOffWords(it.Kind, it.SignOff),
	}
	if it.Kind != attention.Other {
		row.PublicURL = d.public + it.Page
	}
	return row
}

// counts puts answers in words, the No rate as a whole percentage.
func counts(c feedback.Counts) deskweb.Counts {
	rate := "-"
	if c.Total() > 0 {
		rate = fmt.Sprintf("%d%%", int(math.Round(100*c.NoRate())))
	}
	return deskweb.Counts{Yes: c.Yes, No: c.No, Rate: rate}
}

func reviewWords(r attention.Review, next time.Time) string {
	switch r {
	case attention.Overdue:
		return "Overdue since " + day(next.AddDate(0, 0, 1))
	case attention.DueSoon:
		return "Due " + day(next)
	case attention.ReviewLater:
		return "Next " + day(next)
	}
	return ""
}

func signOffWords(k attention.Kind, s contentfile.ClinicalState) string {
	if k == attention.Other {
		return ""
	}
	switch s {
	case contentfile.Reviewed:
		return "Reviewed"
	case contentfile.ChangedSinceReview:
		return "Changed since review"
	}
	return "Not reviewed"
}

// deskPageURL is the desk's page for a public path.
func deskPageURL(page string) string {
	return (&url.URL{Path: "/desk/pages" + page}).EscapedPath()
}

// dateTime is a feedback day as a time, midnight UTC.
func dateTime(d feedback.Date) time.Time {
	t, _ := time.Parse(time.DateOnly, d.String())
	return t
}

// today is the desk's day, in UTC as feedback's.
func (d *Desk) today() feedback.Date { return feedback.DateOf(d.cfg.Now().UTC()) }
