package desk

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"healthsite/internal/desk/auth"
	"healthsite/internal/store/storetest"
)

// sample is a request a route's rightful user sends, and what it gets.
type sample struct {
	// access is who may use the route, written here again so that a row
	// that changes its access (an admin page opened to editors, a page
	// made open) fails the test until this says so too.
	access access
	req    func(f *fixture) request
	// want is the status for the right role, from the same origin.
	want int
	// changes: the request is meant to change what f.state fingerprints
	// (only the right role's may).
	changes bool
}

func get(path string) func(*fixture) request {
	return func(*fixture) request { return request{method: http.MethodGet, path: path} }
}

func post(path string, form url.Values) func(*fixture) request {
	return func(*fixture) request { return request{method: http.MethodPost, path: path, form: form} }
}

// samples has one sample per route of the table: TestSecurityTable fails
// for a route without one, so a new route cannot skip the table.
var samples = map[string]sample{
	"sign-in-form": {access: open, req: get("/desk/sign-in"), want: http.StatusOK},
	"sign-in":      {access: open, req: post("/desk/sign-in", url.Values{"email": {editorEmail}, "password": {editorPass}}), want: http.StatusSeeOther},
	"sign-out":     {access: editors, req: post("/desk/sign-out", url.Values{}), want: http.StatusSeeOther},
	"attention":    {access: editors, req: get("/desk"), want: http.StatusOK},
	"page":         {access: editors, req: get("/desk/pages" + articlePath), want: http.StatusOK},
	"comments":     {access: editors, req: get("/desk/comments?state=new"), want: http.StatusOK},
	"comments-mark": {access: editors, req: func(f *fixture) request {
		return request{method: http.MethodPost, path: "/desk/comments/mark",
			form: url.Values{"id": {string(f.comments[0])}, "state": {"spam"}, "return": {"state=new"}}}
	}, want: http.StatusSeeOther, changes: true},
	"comments-export": {access: editors, req: get("/desk/comments.csv?state=new"), want: http.StatusOK},
	"audit":           {access: admins, req: get("/desk/audit"), want: http.StatusOK},
	"accounts":        {access: admins, req: get("/desk/accounts"), want: http.StatusOK},
	"accounts-add": {access: admins, req: post("/desk/accounts", url.Values{"email": {"newcomer@example.org"}, "role": {"editor"}}),
		want: http.StatusOK, changes: true},
	"accounts-disable": {access: admins, req: func(f *fixture) request {
		return request{method: http.MethodPost, path: "/desk/accounts/" + strconv.FormatInt(f.editor.ID, 10) + "/disable", form: url.Values{}}
	}, want: http.StatusSeeOther, changes: true},
	"accounts-reset-password": {access: admins, req: func(f *fixture) request {
		return request{method: http.MethodPost, path: "/desk/accounts/" + strconv.FormatInt(f.editor.ID, 10) + "/reset-password", form: url.Values{}}
	}, want: http.StatusOK, changes: true},
	"static": {access: open, req: func(f *fixture) request { return request{method: http.MethodGet, path: f.desk.assetURL("desk.css")} }, want: http.StatusOK},
}

// visit is one state a request can come in: who sends it, from where.
type visit struct {
	name string
	// applies reports whether the state means something for the route.
	applies func(rt route) bool
	// prepare signs in (or not) and returns the cookie and headers the
	// request carries.
	prepare func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header)
	// check judges the response; before is f.state before the request.
	check func(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string)
}

func protected(rt route) bool { return rt.access != open }
func always(route) bool       { return true }

// rightAccount is the account a route is for.
func rightAccount(rt route) (string, string) {
	if rt.access == admins {
		return adminEmail, adminPass
	}
	return editorEmail, editorPass
}

func signInFor(t *testing.T, f *fixture, rt route) *http.Cookie {
	t.Helper()
	if rt.access == open {
		return nil
	}
	email, pass := rightAccount(rt)
	return f.signIn(t, email, pass)
}

// wantSignIn checks that a request without a live session was sent to
// sign in, changed nothing, and (when it sent a cookie) had it deleted.
func wantSignIn(ended bool) func(*testing.T, *fixture, route, sample, *httptest.ResponseRecorder, string) {
	return func(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string) {
		t.Helper()
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 to sign in", rec.Code)
		}
		loc, err := url.Parse(rec.Header().Get("Location"))
		if err != nil || loc.Path != "/desk/sign-in" || loc.Host != "" {
			t.Errorf("Location %q, want /desk/sign-in", rec.Header().Get("Location"))
		}
		if got := loc.Query().Get("ended") == "1"; got != ended {
			t.Errorf("Location %q: says the session ended %v, want %v", loc, got, ended)
		}
		if rt.method == http.MethodGet {
			if req := s.req(f); loc.Query().Get("next") != req.path && req.path != "/desk" {
				t.Errorf("Location %q does not come back to %s", loc, req.path)
			}
		}
		if ended {
			c := sessionCookie(rec)
			if c == nil || c.MaxAge >= 0 || c.Value != "" {
				t.Errorf("the dead session's cookie was not deleted: %v", c)
			}
		}
		if strings.Contains(rec.Body.String(), commentText) {
			t.Error("the response shows a reader's comment")
		}
		if after := f.state(t); after != before {
			t.Errorf("the refused request changed the database: %s -> %s", before, after)
		}
	}
}

func wantForbidden(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string) {
	t.Helper()
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	if strings.Contains(rec.Body.String(), commentText) {
		t.Error("the response shows a reader's comment")
	}
	if after := f.state(t); after != before {
		t.Errorf("the refused request changed the database: %s -> %s", before, after)
	}
}

// crossSite are the headers a browser sends with a request another site's
// page makes: a form posted to the desk (navigate), or a resource it
// loads (no-cors).
func crossSite(rt route) http.Header {
	h := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}}
	if rt.method == http.MethodPost {
		h.Set("Sec-Fetch-Mode", "navigate")
		h.Set("Sec-Fetch-Dest", "document")
	} else {
		h.Set("Sec-Fetch-Mode", "no-cors")
		h.Set("Sec-Fetch-Dest", "image")
	}
	return h
}

var visits = []visit{
	{
		name: "without a session", applies: always,
		prepare: func(*testing.T, *fixture, route) (*http.Cookie, http.Header) { return nil, nil },
		check: func(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string) {
			if rt.access != open {
				wantSignIn(false)(t, f, rt, s, rec, before)
				return
			}
			if rec.Code != s.want {
				t.Errorf("an open route without a session: status %d, want %d", rec.Code, s.want)
			}
		},
	},
	{
		name: "session idle for 30 minutes", applies: protected,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			c := signInFor(t, f, rt)
			f.clock.Add(30*time.Minute + time.Second)
			return c, nil
		},
		check: wantSignIn(true),
	},
	{
		name: "session 12 hours old", applies: protected,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			c := signInFor(t, f, rt)
			// Used a moment ago, but made 12 hours ago.
			twelve := (12 * time.Hour).Milliseconds()
			if _, err := f.db.SQL.Exec(`UPDATE desk_sessions SET created_ms = created_ms - ` + strconv.FormatInt(twelve, 10)); err != nil {
				t.Fatal(err)
			}
			return c, nil
		},
		check: wantSignIn(true),
	},
	{
		name: "forged session id", applies: protected,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			signInFor(t, f, rt) // a real session exists; the forger does not know its id
			b := make([]byte, 32)
			rand.Read(b)
			return f.desk.cookie.set(auth.SessionID(base64.RawURLEncoding.EncodeToString(b))), nil
		},
		check: wantSignIn(true),
	},
	{
		name: "malformed session cookie", applies: protected,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			return &http.Cookie{Name: f.desk.cookie.name, Value: "../../' OR 1=1 --"}, nil
		},
		check: wantSignIn(true),
	},
	{
		name: "session of an editor", applies: func(rt route) bool { return !auth.Editor.Allows(rt.access.role()) && rt.access != open },
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			return f.signIn(t, editorEmail, editorPass), nil
		},
		check: func(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string) {
			n := f.auditCount(t, "forbidden")
			wantForbidden(t, f, rt, s, rec, before)
			if n != 1 {
				t.Errorf("%d forbidden entries in the audit log, want 1", n)
			}
		},
	},
	{
		name: "from another site", applies: always,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			return signInFor(t, f, rt), crossSite(rt)
		},
		check: wantForbidden,
	},
	{
		name: "from another origin, by Origin alone (an older browser)", applies: func(rt route) bool { return rt.method == http.MethodPost },
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			return signInFor(t, f, rt), http.Header{"Origin": {"https://evil.example"}}
		},
		check: wantForbidden,
	},
	{
		// Last: it may change the database, and end the session.
		name: "the right role, from the desk's own page", applies: always,
		prepare: func(t *testing.T, f *fixture, rt route) (*http.Cookie, http.Header) {
			h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Sec-Fetch-Mode": {"navigate"}, "Sec-Fetch-Dest": {"document"}}
			if rt.method == http.MethodPost {
				h.Set("Origin", testBase)
			}
			return signInFor(t, f, rt), h
		},
		check: func(t *testing.T, f *fixture, rt route, s sample, rec *httptest.ResponseRecorder, before string) {
			if rec.Code != s.want {
				t.Fatalf("status %d, want %d\n%s", rec.Code, s.want, rec.Body)
			}
			if after := f.state(t); (after != before) != s.changes {
				t.Errorf("changed the database: %v, want %v (%s -> %s)", after != before, s.changes, before, after)
			}
		},
	},
}

// TestSecurityTable sends every route of the table a request in every
// state that applies to it: the table is generated from the routes, so a
// new route is tested as soon as it exists (and fails until it has a
// sample). Every response, whatever its status, carries the desk's
// security headers.
func TestSecurityTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		f0 := newFixture(t, k)
		wrongRole := 0
		for _, rt := range f0.desk.table {
			s, ok := samples[rt.name]
			if !ok {
				t.Errorf("route %s (%s %s) has no sample in samples: add one, so the security table covers it", rt.name, rt.method, rt.pattern)
				continue
			}
			if rt.access != s.access {
				t.Errorf("route %s is open to %v, but its sample says %v", rt.name, rt.access, s.access)
			}
			t.Run(rt.name, func(t *testing.T) {
				f := newFixture(t, k) // a fresh database per route
				for _, v := range visits {
					if !v.applies(rt) {
						continue
					}
					if strings.HasPrefix(v.name, "session of") {
						wrongRole++
					}
					t.Run(v.name, func(t *testing.T) {
						cookie, header := v.prepare(t, f, rt)
						req := s.req(f)
						req.cookie, req.header = cookie, header
						before := f.state(t)
						rec := f.do(t, req)
						checkHeaders(t, rt, rec)
						v.check(t, f, rt, s, rec, before)
					})
				}
			})
		}
		if wrongRole == 0 {
			t.Error("no route was tried with the wrong role's session")
		}
		for name := range samples {
			if !slices.ContainsFunc(f0.desk.table, func(rt route) bool { return rt.name == name }) {
				t.Errorf("sample %q names no route", name)
			}
		}
	})
}

// checkHeaders checks the desk's security headers on a response.
func checkHeaders(t *testing.T, rt route, rec *httptest.ResponseRecorder) {
	t.Helper()
	h := rec.Header()
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %s", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q allows scripts", csp)
	}
	want := map[string]string{
		"X-Robots-Tag": "noindex, nofollow", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin",
	}
	// Only the hashed stylesheets, which hold nothing private, may be
	// kept by a cache (and only with a 200).
	if rt.name != "static" || rec.Code != http.StatusOK {
		want["Cache-Control"] = "no-store"
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

// TestRouteTableIsTheRouter: the router has exactly the table's routes
// (each GET with its HEAD), nothing added outside it.
func TestRouteTableIsTheRouter(t *testing.T) {
	f := newFixture(t, storetest.Kinds[0])
	var want, got []string
	for _, rt := range f.desk.table {
		want = append(want, rt.method+" "+rt.pattern)
		if rt.method == http.MethodGet {
			want = append(want, http.MethodHead+" "+rt.pattern)
		}
		if !strings.HasPrefix(rt.pattern, "/desk") {
			t.Errorf("route %s is not under /desk: %s", rt.name, rt.pattern)
		}
	}
	err := chi.Walk(f.desk.router.(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		got = append(got, method+" "+pattern)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("router:\n%s\ntable:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
