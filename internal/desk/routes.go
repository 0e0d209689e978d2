package desk

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"healthsite/internal/desk/auth"
)

// route is one thing the desk answers: where, with which method, who may
// ask, and the handler. The router is built from the table of them
// (routeTable), so there is no route without a row, and the security tests
// are generated from the same table, so no row escapes them.
type route struct {
	// name names the route in tests and logs.
	name string
	// method is the one method it answers (GET routes answer HEAD too).
	method string
	// pattern is the chi path pattern; every desk path is under /desk,
	// which the public site never serves.
	pattern string
	// access is who may use it.
	access access
	// handle answers the request; its error becomes the status and
	// friendly page (see serveError).
	handle func(w http.ResponseWriter, r *http.Request, who *visitor) error
}

// access is who may use a route.
type access int

const (
	// open routes need no session: the sign-in page and the stylesheets.
	open access = iota
	// editors: any signed-in account.
	editors
	// admins: signed-in admins only.
	admins
)

// role is the role a route needs, or "" for an open one.
func (a access) role() auth.Role {
	switch a {
	case editors:
		return auth.Editor
	case admins:
		return auth.Admin
	}
	return ""
}

// routeTable is every route of the desk.
func (d *Desk) routeTable() []route {
	return []route{
		{"sign-in-form", http.MethodGet, "/desk/sign-in", open, d.signInForm},
		{"sign-in", http.MethodPost, "/desk/sign-in", open, d.signIn},
		{"sign-out", http.MethodPost, "/desk/sign-out", editors, d.signOut},
		{"attention", http.MethodGet, "/desk", editors, d.attention},
		{"page", http.MethodGet, "/desk/pages/*", editors, d.page},
		{"comments", http.MethodGet, "/desk/comments", editors, d.comments},
		{"comments-mark", http.MethodPost, "/desk/comments/mark", editors, d.markComments},
		{"comments-export", http.MethodGet, "/desk/comments.csv", editors, d.exportComments},
		{"audit", http.MethodGet, "/desk/audit", admins, d.audit},
		{"accounts", http.MethodGet, "/desk/accounts", admins, d.accounts},
		{"accounts-add", http.MethodPost, "/desk/accounts", admins, d.addAccount},
		{"accounts-disable", http.MethodPost, "/desk/accounts/{id}/disable", admins, d.disableAccount},
		{"accounts-reset-password", http.MethodPost, "/desk/accounts/{id}/reset-password", admins, d.resetPassword},
		{"static", http.MethodGet, "/desk/static/{name}", open, d.static},
	}
}

// routes builds the router: the one middleware chain every request passes
// (see the package doc), then a route per row, each behind its guard.
func (d *Desk) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs())
	r.Use(d.securityHeaders)
	r.Use(d.accessLog)
	r.Use(d.recoverPanics)
	r.Use(d.limitRequests)
	r.Use(d.isolate)
	r.Use(d.loadSession)
	for _, rt := range d.table {
		h := d.guard(rt)
		r.Method(rt.method, rt.pattern, h)
		if rt.method == http.MethodGet {
			r.Method(http.MethodHead, rt.pattern, h)
		}
	}
	r.NotFound(d.handler(func(http.ResponseWriter, *http.Request, *visitor) error { return errNotFound }).ServeHTTP)
	r.MethodNotAllowed(d.handler(func(w http.ResponseWriter, r *http.Request, _ *visitor) error {
		w.Header().Set("Allow", d.allowed(r.URL.Path))
		return &statusError{status: http.StatusMethodNotAllowed, message: "This address does not take that kind of request."}
	}).ServeHTTP)
	return r
}

// allowed lists the methods the table has for path, for Allow.
func (d *Desk) allowed(path string) string {
	var out []string
	seen := map[string]bool{}
	for _, rt := range d.table {
		rctx := chi.NewRouteContext()
		if d.router.(chi.Routes).Match(rctx, rt.method, path) && !seen[rt.method] {
			seen[rt.method] = true
			out = append(out, rt.method)
			if rt.method == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return strings.Join(out, ", ")
}

// guard is the last link of the chain, the same for every route: a route
// that needs a session sends a request without one to sign in (303; the
// page it asked for comes back after, for a GET), and a signed-in account
// whose role may not use it gets 403, recorded in the audit log.
func (d *Desk) guard(rt route) http.Handler {
	return d.handler(func(w http.ResponseWriter, r *http.Request, who *visitor) error {
		need := rt.access.role()
		if need == "" {
			return rt.handle(w, r, who)
		}
		if who.account == nil {
			d.toSignIn(w, r, who)
			return nil
		}
		if !who.account.Role.Allows(need) {
			detail := r.Method + " " + r.URL.Path + " needs the " + string(need) + " role"
			if err := d.auth.Record(r.Context(), auth.ActorOf(*who.account, who.client), "forbidden", detail); err != nil {
				return err
			}
			return &statusError{status: http.StatusForbidden, message: "Your account cannot do this: it needs an admin's."}
		}
		return rt.handle(w, r, who)
	})
}

// toSignIn sends a request without a session to the sign-in page, saying
// its session has ended when it sent a cookie, and coming back to the
// page it asked for when that was a GET.
func (d *Desk) toSignIn(w http.ResponseWriter, r *http.Request, who *visitor) {
	q := make(map[string][]string)
	if r.Method == http.MethodGet {
		if next := safeNext(r.URL.RequestURI()); next != "" && next != "/desk" {
			q["next"] = []string{next}
		}
	}
	if who.hadCookie {
		q["ended"] = []string{"1"}
	}
	http.Redirect(w, r, "/desk/sign-in"+encodeQuery(q), http.StatusSeeOther)
}
