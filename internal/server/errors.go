package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/pages"
	"healthsite/web"
)

// statusError is an error that should reach the reader as an HTTP status and
// a friendly page, rather than as a 500.
type statusError struct {
	status int
	err    error // for the log; never shown to the reader
}

func (e *statusError) Error() string {
	if e.err != nil {
		return http.StatusText(e.status) + ": " + e.err.Error()
	}
	return http.StatusText(e.status)
}

func (e *statusError) Unwrap() error { return e.err }

func errNotFound() error { return &statusError{status: http.StatusNotFound} }

var retryAfter = []string{"5"}

// statusOf is the HTTP status an error from a handler should produce.
func statusOf(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	return http.StatusInternalServerError
}

// serveError sends the friendly page for err. Server errors are logged with
// the request id; the reader never sees the error text.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.noteError(w, r, err)
	p, ok := s.state.Load().errorPages[status]
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(strings.ToLower(http.StatusText(status)) + "\n"))
		return
	}
	p.Serve(w, r)
}

// servePageError is serveError for a request to page p: when p's address
// can name red flags and this one does, the error page shows their care
// cards first, made for the request, since it shows what it asked.
func (s *Server) servePageError(w http.ResponseWriter, r *http.Request, p page, err error) {
	env, req := s.state.Load().env, pageRequest(r)
	var c templ.Component
	switch {
	case p.urgent != nil:
		cards := p.urgent(env, req)
		b, ok := pages.Error(env, statusOf(err))
		if len(cards) == 0 || !ok {
			break
		}
		b.View.Cards = cards
		c = web.ErrorPage(b.Head, b.View)
	}
	if c == nil {
		s.serveError(w, r, err)
		return
	}
	status := s.noteError(w, r, err)
	resp, _, rerr := renderPage(status, cacheNever, c, nil)
	if rerr != nil {
		s.serveError(w, r, errors.Join(err, rerr))
		return
	}
	resp.Serve(w, r)
}

// noteError logs what needs looking into and sets the headers an error's
// status calls for; it returns the status.
func (s *Server) noteError(w http.ResponseWriter, r *http.Request, err error) int {
	status := statusOf(err)
	// A 501 is a client asking for what we do not do; a 503, search still
	// starting. Neither is a fault to look into.
	if status >= 500 && status != http.StatusNotImplemented && status != http.StatusServiceUnavailable {
		s.log.ErrorContext(r.Context(), "request failed",
			"request_id", middleware.GetReqID(r.Context()),
			"path", r.URL.Path,
			"error", err)
	}
	if status == http.StatusServiceUnavailable {
		// Only search is ever unavailable, while its index is built:
		// a few seconds.
		w.Header()["Retry-After"] = retryAfter
	}
	return status
}
