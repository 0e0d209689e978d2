package desk

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"healthsite/internal/feedback"
	deskweb "healthsite/web/desk"
)

// queueQuery is what the comment queue's address asks for: a filter and
// where in its results to start.
type queueQuery struct {
	filter feedback.CommentFilter
	after  feedback.Cursor
}

// maxPagePath is the longest page path a filter takes (feedback stores
// none longer).
const maxPagePath = 512

// parseQueue reads the queue's query string: page, state, from, to and
// after. Each problem is a FieldError for the form, in words that never
// repeat what was sent; unknown parameters are ignored. The form is what
// was typed, to show again.
func parseQueue(q url.Values) (queueQuery, deskweb.FilterForm, []deskweb.FieldError) {
	var (
		qq   queueQuery
		errs []deskweb.FieldError
	)
	form := deskweb.FilterForm{Page: q.Get("page"), State: q.Get("state"), From: q.Get("from"), To: q.Get("to")}
	if p := strings.TrimSpace(form.Page); p != "" {
		if err := checkPagePath(p); err != "" {
			errs = append(errs, deskweb.FieldError{Field: "page", Message: err})
			form.Page = "" // not shown again: it may not be text
		} else {
			qq.filter.Page = p
		}
	}
	if form.State != "" {
		st, err := feedback.ParseCommentState(form.State)
		if err != nil {
			errs = append(errs, deskweb.FieldError{Field: "state", Message: "Choose a state from the list"})
			form.State = ""
		}
		qq.filter.State = st
	}
	for _, f := range []struct {
		field, value string
		into         *feedback.Date
		shown        *string
	}{{"from", form.From, &qq.filter.From, &form.From}, {"to", form.To, &qq.filter.To, &form.To}} {
		if f.value == "" {
			continue
		}
		d, err := feedback.ParseDate(f.value)
		if err != nil || d.Before(feedback.NewDate(2000, 1, 1)) || feedback.NewDate(9999, 12, 31).Before(d) {
			errs = append(errs, deskweb.FieldError{Field: f.field, Message: "Enter the day as YYYY-MM-DD, like 2026-12-04"})
			if !utf8.ValidString(f.value) || len(f.value) > 32 {
				*f.shown = "" // not shown again: it is no date, and may not be text
			}
			continue
		}
		*f.into = d
	}
	if !qq.filter.From.IsZero() && !qq.filter.To.IsZero() && qq.filter.To.Before(qq.filter.From) {
		errs = append(errs, deskweb.FieldError{Field: "to", Message: "The day to show comments to must be on or after the day from"})
	}
	if a := q.Get("after"); a != "" {
		c, ok := parseCursor(a)
		if !ok {
			errs = append(errs, deskweb.FieldError{Field: "page", Message: "The link to this page of comments is broken: start again from the newest"})
		}
		qq.after = c
	}
	if len(errs) > 0 {
		return queueQuery{}, form, errs
	}
	return qq, form, nil
}

// checkPagePath says what is wrong with a page path, or "".
func checkPagePath(p string) string {
	switch {
	case len(p) > maxPagePath:
		return "The page's path is too long"
	case !utf8.ValidString(p) || strings.ContainsFunc(p, unicode.IsControl):
		return "The page's path has characters no path has"
	case !strings.HasPrefix(p, "/"):
		return "Enter the page's path, starting with /, like /articles/back-pain"
	}
	return ""
}

// values is the query string that asks for qq again, without where to
// start when withCursor is false.
func (qq queueQuery) values(withCursor bool) url.Values {
	v := url.Values{}
	f := qq.filter
	if f.Page != "" {
		v.Set("page", f.Page)
	}
	if f.State != "" {
		v.Set("state", string(f.State))
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.String())
	}
	if withCursor && !qq.after.IsZero() {
		v.Set("after", formatCursor(qq.after))
	}
	return v
}

// formatCursor writes a cursor as DAY~ID, like 2026-12-04~q8Z...; both
// parts are safe in a URL.
func formatCursor(c feedback.Cursor) string { return c.Day.String() + "~" + string(c.ID) }

func parseCursor(s string) (feedback.Cursor, bool) {
	d, id, ok := strings.Cut(s, "~")
	if !ok {
		return feedback.Cursor{}, false
	}
	day, err := feedback.ParseDate(d)
	if err != nil {
		return feedback.Cursor{}, false
	}
	cid, err := feedback.ParseCommentID(id)
	if err != nil {
		return feedback.Cursor{}, false
	}
	return feedback.Cursor{Day: day, ID: cid}, true
}

// stateOptions are the states for a select, with chosen selected.
func stateOptions(chosen string) []deskweb.Option {
	var out []deskweb.Option
	for _, st := range feedback.CommentStates {
		label := strings.ToUpper(string(st[:1])) + string(st[1:])
		out = append(out, deskweb.Option{Value: string(st), Label: label, Selected: string(st) == chosen})
	}
	return out
}
