package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/feedback"
	"healthsite/internal/pages"
	"healthsite/web"
)

// FeedbackStore keeps readers' answers to "Is this page helpful?" and
// their comments; internal/feedback's Store is one. Each call returns once
// what it was given is durable, or with an error.
type FeedbackStore interface {
	Record(context.Context, feedback.Answer) (feedback.Token, error)
	Comment(ctx context.Context, tok feedback.Token, section, text string) error
	// Ping reports whether the database answers, for /readyz.
	Ping(context.Context) error
}

// Limits of a feedback form: a comment of 1,000 characters of four bytes
// each, escaped, is under 8 KiB with its other fields; a store that takes
// longer than feedbackWait is treated as down.
const (
	maxFeedbackBody = 8 << 10
	feedbackWait    = 3 * time.Second
)

// postFeedback stores a reader's answer or comment and sends them back to
// the page it was about (303), whose feedback block thanks them. What
// cannot be stored as it is gets the form again with why (422), and
// nothing is stored; a form whose trap field is filled in (by a machine)
// is thanked and not stored.
func (s *Server) postFeedback(w http.ResponseWriter, r *http.Request) error {
	st := s.state.Load()
	if s.cfg.Feedback == nil {
		return errNotFound()
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return &statusError{status: http.StatusUnsupportedMediaType}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFeedbackBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &statusError{status: http.StatusRequestEntityTooLarge}
		}
		return &statusError{status: http.StatusBadRequest, err: errors.New("a feedback form that cannot be read")}
	}
	f, err := pages.ReadFeedback(st.env.Site, r.PostForm)
	if errors.Is(err, pages.ErrNotAPage) {
		return errNotFound()
	}
	if err != nil {
		return fromPages(err)
	}
	if f.Trap {
		http.Redirect(w, r, pages.FeedbackDone(f, ""), http.StatusSeeOther)
		return nil
	}
	if errs := pages.CheckFeedback(st.env.Site, f); len(errs) > 0 {
		return s.feedbackAgain(w, r, f, errs)
	}
	ctx, cancel := context.WithTimeout(r.Context(), feedbackWait)
	defer cancel()
	var tok feedback.Token
	kind := feedbackAnswer
	if f.Answer != "" {
		tok, err = s.cfg.Feedback.Record(ctx, feedback.Answer{Page: f.Page, Helpful: f.Answer == "yes"})
	} else {
		kind = feedbackComment
		err = s.cfg.Feedback.Comment(ctx, feedback.Token(f.Token), f.Section, f.Comment)
	}
	var invalid *feedback.InvalidError
	switch {
	case errors.Is(err, feedback.ErrUnknownToken), errors.Is(err, feedback.ErrTokenUsed):
		return s.feedbackAgain(w, r, f, []web.FormError{pages.StaleToken})
	case errors.As(err, &invalid):
		// The store's second line of defence refused what the form's
		// checks let through: a fault here, not the reader's.
		return err
	case err != nil:
		// Logged without what the reader sent: the store's errors never
		// quote it.
		s.log.WarnContext(r.Context(), "feedback not stored", "request_id", middleware.GetReqID(r.Context()), "error", err)
		s.metrics.feedbackErrors.Inc()
		b := pages.FeedbackUnavailable(st.env, f)
		w.Header()["Retry-After"] = feedbackRetryAfter
		return s.serveBuilt(w, r, b.Status, web.ErrorPage(b.Head, b.View))
	}
	s.metrics.feedbackWrites.WithLabelValues(kind).Inc()
	http.Redirect(w, r, pages.FeedbackDone(f, string(tok)), http.StatusSeeOther)
	return nil
}

var feedbackRetryAfter = []string{"60"}

// feedbackAgain sends the form back, on a page of its own, with what is
// wrong and what the reader wrote (422).
func (s *Server) feedbackAgain(w http.ResponseWriter, r *http.Request, f pages.FeedbackForm, errs []web.FormError) error {
	b := pages.FeedbackAgain(s.state.Load().env, f, errs)
	return s.serveBuilt(w, r, b.Status, web.FeedbackPage(b.Head, b.View))
}

// serveBuilt renders a page made for one request and sends it; no cache
// may keep it.
func (s *Server) serveBuilt(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	resp, _, err := renderPage(status, cacheNever, c, nil)
	if err != nil {
		return err
	}
	resp.Serve(w, r)
	return nil
}
