package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"healthsite/internal/desk/auth"
	"healthsite/internal/feedback"
	deskweb "healthsite/web/desk"
)

// commentsPerPage is how many comments a page of the queue shows.
const commentsPerPage = 50

// comments is the comment queue, filtered by its query string.
func (d *Desk) comments(w http.ResponseWriter, r *http.Request, who *visitor) error {
	q := r.URL.Query()
	qq, form, errs := parseQueue(q)
	form.States = stateOptions(form.State)
	v := deskweb.CommentsView{Filter: form, Errors: errs}
	h := d.head(who, "Comments", "comments")
	if len(errs) > 0 {
		h.ErrorPrefix = true
		return d.render(w, r, http.StatusBadRequest, deskweb.CommentsPage(h, v))
	}
	ctx := r.Context()
	list, next, err := d.feedback.Comments(ctx, qq.filter, qq.after, commentsPerPage)
	if err != nil {
		return err
	}
	if v.Total, err = d.feedback.CountComments(ctx, qq.filter); err != nil {
		return err
	}
	for _, c := range list {
		v.Comments = append(v.Comments, commentRow(c))
	}
	plain := qq.values(false)
	v.Return = plain.Encode()
	v.ExportURL = "/desk/comments.csv" + encodeQuery(plain)
	if !next.IsZero() {
		nq := queueQuery{filter: qq.filter, after: next}
		v.Next = "/desk/comments" + encodeQuery(nq.values(true))
	}
	if !qq.after.IsZero() {
		v.First = "/desk/comments" + encodeQuery(plain)
	}
	v.Done, v.MarkError = markNotice(q)
	return d.render(w, r, http.StatusOK, deskweb.CommentsPage(h, v))
}

func commentRow(c feedback.QueuedComment) deskweb.CommentRow {
	answer := "No"
	if c.Helpful {
		answer = "Yes"
	}
	return deskweb.CommentRow{
		ID: string(c.ID), Day: day(dateTime(c.Day)), Page: c.Page, PageURL: deskPageURL(c.Page),
		Section: c.Section, Answer: answer, Text: c.Text, State: string(c.State),
	}
}

// markNotice reads what the last marking did from the queue's address:
// marked=N&as=STATE, or unmarked=1 when nothing was ticked.
func markNotice(q url.Values) (done, problem string) {
	if q.Get("unmarked") == "1" {
		return "", "Tick the comments to mark first"
	}
	n, err := strconv.Atoi(q.Get("marked"))
	st, serr := feedback.ParseCommentState(q.Get("as"))
	if err != nil || serr != nil || n < 0 || n > feedback.MaxMarks {
		return "", ""
	}
	if n == 1 {
		return fmt.Sprintf("1 comment marked %s.", st), ""
	}
	return fmt.Sprintf("%d comments marked %s.", n, st), ""
}

// markComments puts the ticked comments in the state of the button
// pressed, records it in the audit log, and goes back to the same queue.
func (d *Desk) markComments(w http.ResponseWriter, r *http.Request, who *visitor) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := r.PostForm
	// Back to the queue the form was on, rebuilt from a parsed filter:
	// never an address the form names.
	ret, err := url.ParseQuery(f.Get("return"))
	if err != nil {
		return badRequest("The form did not say which comments it came from. Go back to the comments and try again.")
	}
	qq, _, errs := parseQueue(ret)
	if len(errs) > 0 {
		return badRequest("The form did not say which comments it came from. Go back to the comments and try again.")
	}
	back := qq.values(false)
	state, err := feedback.ParseCommentState(f.Get("state"))
	if err != nil {
		return badRequest("Choose what to mark the comments as, with one of the buttons.")
	}
	var ids []feedback.CommentID
	for _, s := range f["id"] {
		id, err := feedback.ParseCommentID(s)
		if err != nil {
			return badRequest("The form named a comment that does not exist. Go back to the comments and try again.")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		back.Set("unmarked", "1")
		return see(w, r, "/desk/comments"+encodeQuery(back))
	}
	if len(ids) > feedback.MaxMarks {
		return badRequest(fmt.Sprintf("Mark at most %d comments at once.", feedback.MaxMarks))
	}
	n, err := d.feedback.SetCommentStates(r.Context(), ids, state)
	if err != nil {
		return err
	}
	if err := d.auth.Record(r.Context(), auth.ActorOf(*who.account, who.client), "comments.mark", markDetail(ids, n, state)); err != nil {
		return err
	}
	back.Set("marked", strconv.FormatInt(n, 10))
	back.Set("as", string(state))
	return see(w, r, "/desk/comments"+encodeQuery(back))
}

// markDetail names the comments marked by the start of their ids (enough
// to tell them apart, never their text).
func markDetail(ids []feedback.CommentID, n int64, state feedback.CommentState) string {
	var short []string
	for i, id := range ids {
		if i == 10 {
			short = append(short, fmt.Sprintf("and %d more", len(ids)-10))
			break
		}
		short = append(short, string(id)[:8])
	}
	return fmt.Sprintf("%d of %d comments marked %s: %s", n, len(ids), state, strings.Join(short, ", "))
}

// exportComments sends the comments a filter chooses as CSV, recorded in
// the audit log first, so that no export goes unrecorded.
func (d *Desk) exportComments(w http.ResponseWriter, r *http.Request, who *visitor) error {
	qq, _, errs := parseQueue(r.URL.Query())
	if len(errs) > 0 {
		return badRequest("The filter in the address is not one the desk can use: " + errs[0].Message + ".")
	}
	qq.after = feedback.Cursor{}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="healthsite-comments-%s.csv"`, d.today()))
	if r.Method == http.MethodHead {
		return nil // no comment leaves: nothing to record
	}
	detail := "filter: " + describeFilter(qq.filter)
	if err := d.auth.Record(r.Context(), auth.ActorOf(*who.account, who.client), "comments.export", detail); err != nil {
		return err
	}
	if _, err := d.feedback.ExportComments(r.Context(), w, qq.filter); err != nil {
		// Part of the file is sent: cut the connection, so the download
		// fails rather than looks whole.
		d.log.ErrorContext(r.Context(), "desk export failed", "path", r.URL.Path, "error", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// describeFilter says what a filter chooses, for the audit log.
func describeFilter(f feedback.CommentFilter) string {
	var parts []string
	if f.Page != "" {
		parts = append(parts, "page "+f.Page)
	}
	if f.State != "" {
		parts = append(parts, "state "+string(f.State))
	}
	if !f.From.IsZero() {
		parts = append(parts, "from "+f.From.String())
	}
	if !f.To.IsZero() {
		parts = append(parts, "to "+f.To.String())
	}
	if len(parts) == 0 {
		return "every comment"
	}
	return strings.Join(parts, ", ")
}
