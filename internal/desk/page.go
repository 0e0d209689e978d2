package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"healthsite/internal/contentfile"
	"healthsite/internal/desk/attention"
	"healthsite/internal/feedback"
	deskweb "healthsite/web/desk"
)

// commentsOnPage is how many comments a page's desk page shows.
const commentsOnPage = 10

// page is one public page's feedback: /desk/pages/articles/{slug} for
// /articles/{slug}, and so on for any path readers answered about.
func (d *Desk) page(w http.ResponseWriter, r *http.Request, who *visitor) error {
	p := chi.URLParam(r, "*")
	if r.URL.RawPath != "" { // chi matched the escaped path
		var err error
		if p, err = url.PathUnescape(p); err != nil {
			return badRequest("The address is not a page's path.")
		}
	}
	p = "/" + p
	if msg := checkPagePath(p); msg != "" {
		return badRequest(msg + ".")
	}
	ctx := r.Context()
	today := d.today()
	v := deskweb.PageView{Title: p, Path: p, Kind: kinds[attention.Other]}
	site := d.cfg.Site()
	known := false
	var sectionNames map[string]string
	if slug, ok := strings.CutPrefix(p, "/articles/"); ok && site != nil {
		if a, ok := site.Article(slug); ok {
			known = true
			v.Title, v.Kind, v.PublicURL = a.Title, kinds[attention.Article], d.public+p
			d.review(&v, a.LastReviewed, a.NextReview, attention.Article, a.SignOff.State(), a.SignOff)
			sectionNames = map[string]string{}
			for _, h := range a.Headings {
				sectionNames[h.ID] = h.Title
			}
		}
	}
	if id, ok := strings.CutPrefix(p, "/symptoms/"); ok && site != nil {
		for _, c := range site.Complaints {
			if c.ID == id {
				known = true
				v.Title, v.Kind, v.PublicURL = c.Name+" (symptom checker)", kinds[attention.Complaint], d.public+p
				state, signOff := c.ClinicalState(site.SiteWide)
				d.review(&v, c.LastReviewed, c.NextReview, attention.Complaint, state, signOff)
			}
		}
	}
	sum, err := d.feedback.PageSummaryOf(ctx, p, today)
	if err != nil {
		return err
	}
	secs, err := d.feedback.PageSections(ctx, p, today.AddDays(-89), today)
	if err != nil {
		return err
	}
	f := feedback.CommentFilter{Page: p}
	list, _, err := d.feedback.Comments(ctx, f, feedback.Cursor{}, commentsOnPage)
	if err != nil {
		return err
	}
	if v.CommentsTotal, err = d.feedback.CountComments(ctx, f); err != nil {
		return err
	}
	if !known && sum.Days90.Total() == 0 && len(secs) == 0 && v.CommentsTotal == 0 {
		return &statusError{status: http.StatusNotFound, message: "The site has no page at that path, and readers have left no feedback about one there."}
	}
	v.Periods = []deskweb.Period{
		{Label: "Last 7 days", Counts: counts(sum.Days7)},
		{Label: "Last 30 days", Counts: counts(sum.Days30)},
		{Label: "Last 90 days", Counts: counts(sum.Days90)},
	}
	for _, s := range secs {
		name := sectionNames[s.Section]
		switch {
		case s.Section == "":
			name = "Whole page"
		case name == "":
			name = s.Section
		}
		v.Sections = append(v.Sections, deskweb.SectionRow{Name: name, ID: s.Section, Counts: counts(s.Counts)})
	}
	for _, c := range list {
		v.Comments = append(v.Comments, commentRow(c))
	}
	v.CommentsURL = "/desk/comments" + encodeQuery(url.Values{"page": {p}})
	return d.render(w, r, http.StatusOK, deskweb.FeedbackPage(d.head(who, v.Title, "attention"), v))
}

// review fills in a page's review dates and sign-off: state is where its
// text stands with clinicians (for a complaint, with the site-wide red
// flags too), s the sign-off that names who and when.
func (d *Desk) review(v *deskweb.PageView, last, next contentfile.Date, k attention.Kind, state contentfile.ClinicalState, s *contentfile.SignOff) {
	if !last.IsZero() {
		v.LastReviewed = day(last.Time)
	}
	if !next.IsZero() {
		v.NextReview = day(next.Time)
		st, _ := attention.ReviewOf(next.Time, d.cfg.Now().UTC())
		switch st {
		case attention.Overdue:
			v.Review, v.ReviewUrgent = "overdue", true
		case attention.DueSoon:
			v.Review = fmt.Sprintf("due within %d days", attention.DueSoonDays)
		}
	}
	v.SignOff = signOffWords(k, state)
	if s != nil && s.By != "" {
		v.SignOff += " (" + s.By + ", " + day(s.Date.Time) + ")"
	}
}
