package desk

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/desk/auth"
	deskstatic "healthsite/internal/desk/static"
	"healthsite/internal/prepared"
	"healthsite/static"
	deskweb "healthsite/web/desk"
)

// statusError is an error that reaches the editor as a status and a
// friendly page. message is shown; err only logged.
type statusError struct {
	status     int
	message    string
	err        error
	retryAfter time.Duration // for 429
}

func (e *statusError) Error() string {
	s := http.StatusText(e.status)
	if e.err != nil {
		s += ": " + e.err.Error()
	}
	return s
}

func (e *statusError) Unwrap() error { return e.err }

var errNotFound = &statusError{status: http.StatusNotFound, message: "There is no desk page at this address. Check it, or start again from the desk's start page."}

// badRequest is a 400 whose message says what was wrong with the request,
// in words that never repeat what it sent.
func badRequest(message string) error {
	return &statusError{status: http.StatusBadRequest, message: message}
}

// headings are the error pages' headings, by status.
var headings = map[int]string{
	http.StatusBadRequest:            "There is a problem with the request",
	http.StatusForbidden:             "You cannot do this",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "That does not work here",
	http.StatusRequestEntityTooLarge: "The form is too large",
	http.StatusRequestURITooLong:     "The address is too long",
	http.StatusTooManyRequests:       "Too many attempts",
	http.StatusNotImplemented:        "That does not work here",
}

// handler adapts a handler that returns an error: the error becomes its
// status and the friendly error page.
func (d *Desk) handler(fn func(http.ResponseWriter, *http.Request, *visitor) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, _ := r.Context().Value(visitorKey{}).(*visitor)
		if who == nil {
			who = &visitor{}
		}
		if err := fn(w, r, who); err != nil {
			d.serveError(w, r, who, err)
		}
	})
}

// serveError sends the error page for err: its status and message for a
// *statusError (413 for a body over the limit), 500 and a log line with
// the request id for anything else. The page never shows the error's
// text, nor anything the request sent.
func (d *Desk) serveError(w http.ResponseWriter, r *http.Request, who *visitor, err error) {
	se := &statusError{status: http.StatusInternalServerError, message: "Sorry, there is a problem with the desk. Try again later; if it goes on, tell the site's developers the time it happened."}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		se = &statusError{status: http.StatusRequestEntityTooLarge, message: "The form sent is larger than any the desk takes."}
	case errors.As(err, &se):
	}
	if se.status >= 500 && se.status != http.StatusNotImplemented {
		d.log.ErrorContext(r.Context(), "desk request failed",
			"request_id", middleware.GetReqID(r.Context()), "method", r.Method, "path", r.URL.Path, "error", err)
	}
	if se.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(se.retryAfter.Seconds())))
	}
	heading := headings[se.status]
	if heading == "" {
		heading = "Sorry, there is a problem with the desk"
	}
	if who == nil {
		who = &visitor{}
	}
	c := deskweb.ErrorPage(d.head(who, heading, ""), deskweb.ErrorView{Heading: heading, Message: se.message})
	if rerr := d.render(w, r, se.status, c); rerr != nil {
		d.log.ErrorContext(r.Context(), "desk error page failed", "request_id", middleware.GetReqID(r.Context()), "error", rerr)
		http.Error(w, strings.ToLower(http.StatusText(se.status)), se.status)
	}
}

// render renders c into a buffer, then sends it with status: a failed
// render never sends half a page.
func (d *Desk) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// see redirects after a form (303, so the browser asks with GET).
func see(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// head is a page's head for who, in the desk section current.
func (d *Desk) head(who *visitor, title, current string) deskweb.Head {
	h := deskweb.Head{
		Title:       title,
		Stylesheets: []string{d.assetURL("site.css"), d.assetURL("desk.css")},
		Icon:        d.assetURL("favicon.ico"),
	}
	if who != nil && who.account != nil {
		h.Nav = deskweb.Nav{Email: who.account.Email, Admin: who.account.Role == auth.Admin, Current: current}
	}
	return h
}

// loadAssets is what /desk/static serves: the public site's stylesheet
// and icon, whose look the desk keeps, and the desk's own stylesheet.
func loadAssets() (*prepared.Assets, error) {
	files := fstest.MapFS{}
	for _, f := range []struct {
		fsys fs.FS
		name string
	}{{static.FS, "site.css"}, {static.FS, "favicon.ico"}, {deskstatic.FS, "desk.css"}} {
		b, err := fs.ReadFile(f.fsys, f.name)
		if err != nil {
			return nil, err
		}
		files[f.name] = &fstest.MapFile{Data: b}
	}
	return prepared.LoadAssets(files, nil)
}

func (d *Desk) assetURL(name string) string { return "/desk" + d.assets.URL(name) }

// static serves the stylesheets and icon under their hashed names.
func (d *Desk) static(w http.ResponseWriter, r *http.Request, _ *visitor) error {
	a, ok := d.assets.ByHashedName(strings.TrimPrefix(r.URL.Path, "/desk/static/"))
	if !ok {
		return errNotFound
	}
	a.Serve(w, r)
	return nil
}

// cookieSpec is the session cookie's name and attributes. Over https it is
// __Host-desk_session: Secure, for the whole host and that host only (no
// Domain), which browsers enforce from the name. Over http (a desk on
// loopback) it cannot be Secure, so it is desk_session, limited to /desk:
// a public site on the same host (cookies ignore ports) is never sent it
// except for /desk addresses, which it does not serve. Either way it is
// HttpOnly (no script reads it; the desk has none anyway) and
// SameSite=Strict (no other site's link or form sends it), and it is a
// session cookie: the browser forgets it when it closes, and the server
// ends it after 30 idle minutes or 12 hours.
type cookieSpec struct {
	name, path string
	secure     bool
}

func cookieFor(base *url.URL) cookieSpec {
	if base.Scheme == "https" {
		return cookieSpec{name: "__Host-desk_session", path: "/", secure: true}
	}
	return cookieSpec{name: "desk_session", path: "/desk", secure: false}
}

func (c cookieSpec) set(id auth.SessionID) *http.Cookie {
	return &http.Cookie{Name: c.name, Value: string(id), Path: c.path, Secure: c.secure, HttpOnly: true, SameSite: http.SameSiteStrictMode}
}

func (c cookieSpec) clear() *http.Cookie {
	return &http.Cookie{Name: c.name, Value: "", Path: c.path, Secure: c.secure, HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1}
}

// encodeQuery is "?a=1&b=2" in key order, or "" for no values.
func encodeQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// day is a date as the desk shows it: "4 December 2026".
func day(t time.Time) string { return t.Format("2 January 2006") }
