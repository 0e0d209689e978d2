package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"healthsite/internal/htmltest"
	"healthsite/internal/store/storetest"
)

func signInForm(email, pass string) url.Values {
	return url.Values{"email": {email}, "password": {pass}}
}

func TestSignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		t.Run("a new id at every sign-in, the old one dead", func(t *testing.T) {
			f := newFixture(t, k)
			first := f.signIn(t, editorEmail, editorPass)
			// Signing in again from a browser that has a session (or an
			// id an attacker planted) gives a new id and ends the old.
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass), cookie: first})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("status %d", rec.Code)
			}
			second := sessionCookie(rec)
			if second == nil || second.Value == first.Value || len(second.Value) != 43 {
				t.Fatalf("the id did not change at sign-in: %v", second)
			}
			if rec := f.do(t, request{path: "/desk", cookie: first}); rec.Code != http.StatusSeeOther {
				t.Errorf("the old id still works: status %d", rec.Code)
			}
			if rec := f.do(t, request{path: "/desk", cookie: second}); rec.Code != http.StatusOK {
				t.Errorf("the new id: status %d", rec.Code)
			}
			planted := f.desk.cookie.set("plantedplantedplantedplantedplantedplanted1")
			rec = f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass), cookie: planted})
			if c := sessionCookie(rec); rec.Code != http.StatusSeeOther || c == nil || c.Value == planted.Value {
				t.Errorf("a planted id survived sign-in: status %d, cookie %v", rec.Code, c)
			}
		})
		t.Run("the cookie's attributes", func(t *testing.T) {
			for _, tt := range []struct {
				base, name, path string
				secure           bool
			}{
				{"http://127.0.0.1:8081", "desk_session", "/desk", false},
				{"https://desk.example.org", "__Host-desk_session", "/", true},
			} {
				f := newFixtureWith(t, k, tt.base)
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass)})
				c := sessionCookie(rec)
				if rec.Code != http.StatusSeeOther || c == nil {
					t.Fatalf("%s: status %d, cookie %v", tt.base, rec.Code, c)
				}
				if c.Name != tt.name || c.Path != tt.path || c.Secure != tt.secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Domain != "" || c.MaxAge != 0 || !c.Expires.IsZero() {
					t.Errorf("%s: cookie %+v, want %s, Path=%s, Secure=%v, HttpOnly, SameSite=Strict, no Domain, a session cookie", tt.base, c, tt.name, tt.path, tt.secure)
				}
				if tt.secure && !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
					t.Errorf("%s: no HSTS", tt.base)
				}
			}
		})
		t.Run("wrong e-mail and wrong password get the same page", func(t *testing.T) {
			f := newFixture(t, k)
			var bodies []string
			for i, form := range []url.Values{
				signInForm(editorEmail, "not the password at all"),
				signInForm("nobody@example.org", editorPass),
			} {
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: form, remote: fmt.Sprintf("198.51.100.%d:1", i)})
				if rec.Code != http.StatusUnprocessableEntity || sessionCookie(rec) != nil {
					t.Fatalf("status %d, cookie %v; want 422 and none", rec.Code, sessionCookie(rec))
				}
				doc := htmltest.Parse(t, rec.Body.Bytes())
				bodies = append(bodies, htmltest.Text(htmltest.One(t, doc, "#sign-in-failed")))
				if v, _ := htmltest.Attr(htmltest.One(t, doc, "#password"), "value"); v != "" {
					t.Error("the password is shown again")
				}
			}
			if bodies[0] != bodies[1] || bodies[0] != failedSignIn {
				t.Errorf("messages %q, want both %q", bodies, failedSignIn)
			}
		})
		t.Run("empty fields are named, and not counted", func(t *testing.T) {
			f := newFixture(t, k)
			for range 6 {
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: url.Values{"email": {""}, "password": {""}}})
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", rec.Code)
				}
				doc := htmltest.Parse(t, rec.Body.Bytes())
				if n := len(htmltest.All(t, doc, ".error-summary-list a")); n != 2 {
					t.Errorf("%d problems listed, want 2", n)
				}
			}
			f.signIn(t, editorEmail, editorPass)
		})
		t.Run("throttled per account, from many addresses", func(t *testing.T) {
			f := newFixture(t, k)
			for i := range 5 {
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, "wrong password here"), remote: fmt.Sprintf("198.51.100.%d:1", i)})
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("failure %d: status %d", i+1, rec.Code)
				}
			}
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass), remote: "203.0.113.7:1"})
			wantTooMany(t, rec, 60)
			f.clock.Add(61 * time.Second)
			rec = f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, "wrong again, sorry"), remote: "203.0.113.8:1"})
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("after the wait: status %d", rec.Code)
			}
			rec = f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass), remote: "203.0.113.9:1"})
			wantTooMany(t, rec, 120) // the delay grows
		})
		t.Run("throttled per client, across many accounts", func(t *testing.T) {
			f := newFixture(t, k)
			for i := range 5 {
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(fmt.Sprintf("guess%d@example.org", i), "a guessed password")})
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("failure %d: status %d", i+1, rec.Code)
				}
			}
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(adminEmail, adminPass)})
			wantTooMany(t, rec, 60)
			if rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(adminEmail, adminPass), remote: "192.0.2.200:1"}); rec.Code != http.StatusSeeOther {
				t.Errorf("another client: status %d", rec.Code)
			}
		})
		t.Run("next comes back to a desk page, never elsewhere", func(t *testing.T) {
			f := newFixture(t, k)
			rec := f.do(t, request{path: "/desk/comments?state=new&page=%2Farticles%2Fx"})
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk/sign-in?next=") {
				t.Fatalf("status %d, Location %q", rec.Code, loc)
			}
			u, _ := url.Parse(loc)
			next := u.Query().Get("next")
			form := signInForm(editorEmail, editorPass)
			form.Set("next", next)
			rec = f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: form})
			if got := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || got != "/desk/comments?state=new&page=%2Farticles%2Fx" {
				t.Errorf("after sign-in: status %d, Location %q", rec.Code, got)
			}
			for _, bad := range []string{"https://evil.example/desk", "//evil.example/desk", "/\\evil.example", "/desk/../etc", "/elsewhere", "/desk/sign-out", "javascript:alert(1)"} {
				form.Set("next", bad)
				rec = f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: form})
				if got := rec.Header().Get("Location"); got != "/desk" {
					t.Errorf("next=%q: Location %q, want /desk", bad, got)
				}
			}
		})
		t.Run("sign-out ends the session in the database", func(t *testing.T) {
			f := newFixture(t, k)
			c := f.signIn(t, editorEmail, editorPass)
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-out", form: url.Values{}, cookie: c})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/desk/sign-in?out=1" {
				t.Fatalf("status %d, Location %q", rec.Code, rec.Header().Get("Location"))
			}
			if cleared := sessionCookie(rec); cleared == nil || cleared.MaxAge >= 0 {
				t.Errorf("the cookie was not deleted: %v", cleared)
			}
			if n, err := f.desk.auth.Sessions(t.Context(), f.editor.ID); err != nil || n != 0 {
				t.Errorf("%d sessions left, %v", n, err)
			}
			if rec := f.do(t, request{path: "/desk", cookie: c}); rec.Code != http.StatusSeeOther {
				t.Errorf("the cookie still works after sign-out: %d", rec.Code)
			}
			if f.auditCount(t, "signout") != 1 || f.auditCount(t, "signin") != 1 {
				t.Error("the audit log lacks the sign-in or the sign-out")
			}
		})
	})
}

func wantTooMany(t *testing.T, rec interface {
	Result() *http.Response
}, atLeast int) {
	t.Helper()
	resp := rec.Result()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < atLeast || secs > atLeast+1 {
		t.Errorf("Retry-After %q, want %d seconds", resp.Header.Get("Retry-After"), atLeast)
	}
	if sessionCookie2(resp) {
		t.Error("a throttled sign-in set a session cookie")
	}
}

func sessionCookie2(resp *http.Response) bool {
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "desk_session") && c.Value != "" {
			return true
		}
	}
	return false
}
