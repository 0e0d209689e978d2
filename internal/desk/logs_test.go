package desk

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"healthsite/internal/server"
	"healthsite/internal/store/storetest"
)

// Nothing secret reaches the logs: not a password (right, wrong, or typed
// into the e-mail box), not a session id, not a reader's comment, not a
// filter. The test does everything an editor does, including a failure
// the desk logs, then reads every line written.
func TestNothingSecretIsLogged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		f := newFixture(t, k)
		const typedIntoEmail = "hunter2-my-real-password"
		f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(typedIntoEmail, editorPass)})
		f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, "a wrong password guessed")})
		editor := f.signIn(t, editorEmail, editorPass)
		admin := f.signIn(t, adminEmail, adminPass)
		for _, p := range []string{"/desk", "/desk/pages" + articlePath, "/desk/comments?page=%2Farticles%2Fsecret-filter", "/desk/comments", "/desk/comments.csv"} {
			if rec := f.do(t, request{path: p, cookie: editor}); rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", p, rec.Code)
			}
		}
		f.do(t, request{method: http.MethodPost, path: "/desk/comments/mark", cookie: editor,
			form: url.Values{"id": {string(f.comments[0])}, "state": {"spam"}, "return": {""}}})
		rec := f.do(t, request{method: http.MethodPost, path: "/desk/accounts", cookie: admin, form: url.Values{"email": {"new@example.org"}, "role": {"editor"}}})
		generated := strings.TrimSpace(extract(rec.Body.String(), `<code>`, `</code>`))
		f.do(t, request{path: "/desk/audit", cookie: editor}) // forbidden, audited
		// A database failure: the error is logged, with nothing secret.
		if _, err := f.db.SQL.Exec(`DROP TABLE desk_audit`); err != nil {
			t.Fatal(err)
		}
		if rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: signInForm(editorEmail, editorPass)}); rec.Code != http.StatusInternalServerError {
			t.Errorf("with the audit log gone, sign-in: status %d, want 500", rec.Code)
		}
		f.desk.access.Flush()
		logs := f.logs.String()
		if !strings.Contains(logs, `"status":500`) || !strings.Contains(logs, "desk request failed") {
			t.Fatalf("the logs lack the requests and the failure:\n%s", logs)
		}
		for name, secret := range map[string]string{
			"the password": editorPass, "the admin's password": adminPass, "a wrong password": "a wrong password guessed",
			"a password typed as an e-mail": typedIntoEmail, "a generated password": generated,
			"the editor's session id": editor.Value, "the admin's session id": admin.Value,
			"a reader's comment": commentText, "a comment's start": "dizziness", "a filter": "secret-filter",
			"a comment id": string(f.comments[0]),
		} {
			if secret == "" {
				t.Fatalf("%s is empty", name)
			}
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %s", name)
			}
		}
	})
}

func extract(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}

// The public site's handler knows no desk route: each answers 404 there,
// whatever the method, never a sign-in page or a redirect to one.
func TestPublicSiteKnowsNoDeskRoute(t *testing.T) {
	f := newFixture(t, storetest.Kinds[0])
	public, err := server.New(bundledSite(t), server.Config{BaseURL: "https://health.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(public.Close)
	for _, rt := range f.desk.table {
		s := samples[rt.name]
		req := s.req(f)
		for _, method := range []string{rt.method, http.MethodGet, http.MethodHead} {
			r := httptest.NewRequest(method, "https://health.example.org"+req.path, nil)
			if c := f.signIn(t, editorEmail, editorPass); c != nil {
				r.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			public.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotFound {
				t.Errorf("public %s %s (%s): status %d, want 404", method, req.path, rt.name, rec.Code)
			}
			if strings.Contains(strings.ToLower(rec.Body.String()), "sign in") || rec.Header().Get("Location") != "" {
				t.Errorf("public %s %s: mentions signing in or redirects", method, req.path)
			}
		}
	}
}
