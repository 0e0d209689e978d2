package desk

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"healthsite/internal/desk/auth"
	deskweb "healthsite/web/desk"
)

// failedSignIn is the one message for a wrong e-mail, a wrong password or
// a disabled account.
const failedSignIn = "The e-mail address or password is not right"

// signInForm is the sign-in page. A signed-in editor goes to the start
// page instead.
func (d *Desk) signInForm(w http.ResponseWriter, r *http.Request, who *visitor) error {
	q := r.URL.Query()
	next := safeNext(q.Get("next"))
	if who.account != nil {
		return see(w, r, orStart(next))
	}
	v := deskweb.SignInView{Next: next}
	switch {
	case q.Get("ended") == "1":
		v.Notice = "Your session has ended. Sign in again to carry on."
	case q.Get("out") == "1":
		v.Notice = "You have signed out."
	}
	return d.render(w, r, http.StatusOK, deskweb.SignInPage(d.head(who, "Sign in", ""), v))
}

// signIn checks the form and starts a session with a new id; any session
// the browser had is ended first, so no id chosen before sign-in (session
// fixation) survives it.
func (d *Desk) signIn(w http.ResponseWriter, r *http.Request, who *visitor) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	email, pw := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	v := deskweb.SignInView{Email: email, Next: safeNext(r.PostForm.Get("next"))}
	if email == "" {
		v.Errors = append(v.Errors, deskweb.FieldError{Field: "email", Message: "Enter your e-mail address"})
	}
	if pw == "" {
		v.Errors = append(v.Errors, deskweb.FieldError{Field: "password", Message: "Enter your password"})
	}
	page := func(status int) error {
		h := d.head(who, "Sign in", "")
		h.ErrorPrefix = true
		return d.render(w, r, status, deskweb.SignInPage(h, v))
	}
	if len(v.Errors) > 0 {
		return page(http.StatusUnprocessableEntity)
	}
	if who.account != nil {
		if err := d.auth.SignOut(r.Context(), who.session, *who.account, who.client); err != nil {
			return err
		}
	}
	sess, err := d.auth.SignIn(r.Context(), email, pw, who.client)
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		w.Header().Set("Retry-After", retryAfter(throttled.RetryAfter))
		v.Failed = "Too many failed attempts to sign in. Wait " + waitWords(throttled.RetryAfter) + ", then try again"
		return page(http.StatusTooManyRequests)
	case errors.Is(err, auth.ErrBadCredentials):
		v.Failed = failedSignIn
		return page(http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	http.SetCookie(w, d.cookie.set(sess.ID))
	return see(w, r, orStart(v.Next))
}

// signOut ends the session, here and in the database.
func (d *Desk) signOut(w http.ResponseWriter, r *http.Request, who *visitor) error {
	if err := d.auth.SignOut(r.Context(), who.session, *who.account, who.client); err != nil {
		return err
	}
	http.SetCookie(w, d.cookie.clear())
	return see(w, r, "/desk/sign-in?out=1")
}

func orStart(next string) string {
	if next == "" {
		return "/desk"
	}
	return next
}

// safeNext returns where to go after signing in, if s is a desk page of
// this origin (a path under /desk, with its query), or "": never another
// site, a scheme, a host, //host, a backslash, a path that is not clean,
// or the sign-in and sign-out addresses themselves.
func safeNext(s string) string {
	if s == "" || len(s) > 2048 || strings.ContainsAny(s, "\\\x00\r\n\t") || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.Fragment != "" {
		return ""
	}
	if u.Path != "/desk" && !strings.HasPrefix(u.Path, "/desk/") || path.Clean(u.Path) != u.Path ||
		strings.HasPrefix(u.Path, "/desk/sign-") {
		return ""
	}
	return u.RequestURI()
}

// retryAfter is a wait as Retry-After's whole seconds, rounded up.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// waitWords says a wait to a person: "1 minute", "2 minutes", "45 seconds".
func waitWords(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 60 {
		return plural(secs, "second")
	}
	return plural((secs+59)/60, "minute")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// formError is the error for a form that could not be read: 413 when it
// is over the limit, 400 otherwise.
func formError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err // serveError makes it a 413
	}
	return badRequest("The form sent could not be read. Go back, and send it again.")
}
