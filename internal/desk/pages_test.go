package desk

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"healthsite/internal/feedback"
	"healthsite/internal/htmltest"
	"healthsite/internal/store/storetest"
)

// page gets path as who and parses it, failing unless the status is want.
func (f *fixture) page(t *testing.T, c *http.Cookie, path string, want int) *html.Node {
	t.Helper()
	rec := f.do(t, request{path: path, cookie: c})
	if rec.Code != want {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, rec.Code, want, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	htmltest.One(t, doc, `meta[name="robots"][content="noindex, nofollow"]`)
	if n := len(htmltest.All(t, doc, "script")); n != 0 {
		t.Errorf("GET %s: %d scripts; the desk has none", path, n)
	}
	if n := len(htmltest.All(t, doc, "h1")); n != 1 {
		t.Errorf("GET %s: %d h1", path, n)
	}
	return doc
}

func texts(t *testing.T, doc *html.Node, sel string) []string {
	var out []string
	for _, n := range htmltest.All(t, doc, sel) {
		out = append(out, htmltest.Text(n))
	}
	return out
}

func TestPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		f := newFixture(t, k)
		editor := f.signIn(t, editorEmail, editorPass)
		admin := f.signIn(t, adminEmail, adminPass)

		t.Run("needs attention ranks the pages and explains the score", func(t *testing.T) {
			doc := f.page(t, editor, "/desk", http.StatusOK)
			htmltest.One(t, doc, `a[aria-current="page"][href="/desk"]`)
			htmltest.One(t, doc, "details.desk-explain summary")
			rows := htmltest.All(t, doc, "table.desk-table tbody tr")
			if len(rows) < 2 {
				t.Fatalf("%d rows", len(rows))
			}
			first := htmltest.Text(rows[0])
			// 32 answers to the article over 30 days, 24 of them No (75%).
			if !strings.Contains(first, "Neck pain after a neck massage") || !strings.Contains(first, "said No") {
				t.Errorf("first row: %q", first)
			}
			htmltest.One(t, rows[0], `a[href="/desk/pages`+articlePath+`"]`)
			htmltest.One(t, rows[0], `a[href="https://health.example.org`+articlePath+`"]`)
			// No admin links for an editor.
			if n := len(htmltest.All(t, doc, `a[href="/desk/accounts"]`)); n != 0 {
				t.Error("an editor sees the accounts link")
			}
			f.page(t, editor, "/desk?page=99", http.StatusNotFound)
			f.page(t, editor, "/desk?page=abc", http.StatusBadRequest)
		})
		t.Run("a page's feedback by period and section, with its comments", func(t *testing.T) {
			doc := f.page(t, editor, "/desk/pages"+articlePath, http.StatusOK)
			secs := strings.Join(texts(t, doc, "#sections-caption ~ tbody th"), "|")
			if !strings.Contains(secs, "Whole page") || !strings.Contains(secs, "Neck muscle strain") {
				t.Errorf("sections: %q", secs)
			}
			if got := texts(t, doc, ".desk-facts dt"); strings.Join(got, ",") != "Last reviewed,Next review,Clinical sign-off" {
				t.Errorf("facts: %q", got)
			}
			quotes := texts(t, doc, ".desk-quote")
			if len(quotes) != 2 || quotes[0] != commentText {
				t.Errorf("comments: %q", quotes)
			}
			f.page(t, editor, "/desk/pages/symptoms/neck-pain", http.StatusOK)
			f.page(t, editor, "/desk/pages/articles/no-such-article", http.StatusNotFound)
			f.page(t, editor, "/desk/pages/%ff", http.StatusBadRequest)
		})
		t.Run("the queue filters, pages and refuses bad filters", func(t *testing.T) {
			doc := f.page(t, editor, "/desk/comments", http.StatusOK)
			if n := len(htmltest.All(t, doc, `input[type="checkbox"][name="id"]`)); n != 3 {
				t.Errorf("%d comments, want 3", n)
			}
			// A formula is shown as text, never run or unescaped.
			if !strings.Contains(htmltest.Text(doc), "=cmd|' /C calc'!A0") {
				t.Error("the formula comment is not shown as text")
			}
			doc = f.page(t, editor, "/desk/comments?page=%2Fsymptoms%2Fneck-pain", http.StatusOK)
			if got := texts(t, doc, ".desk-quote"); len(got) != 1 || got[0] != "Please add more about headaches" {
				t.Errorf("filtered by page: %q", got)
			}
			htmltest.One(t, doc, `a[href="/desk/comments.csv?page=%2Fsymptoms%2Fneck-pain"]`)
			for _, bad := range []string{
				"state=deleted", "from=yesterday", "from=2026-12-04&to=2026-12-01", "page=no-slash",
				"page=%00", "after=garbage", "to=%ff%fe",
			} {
				doc := f.page(t, editor, "/desk/comments?"+bad, http.StatusBadRequest)
				htmltest.One(t, doc, ".error-summary")
				if strings.Contains(htmltest.Text(doc), "yesterday") && !strings.Contains(bad, "yesterday") {
					t.Errorf("%s: echoes", bad)
				}
			}
		})
		t.Run("marking goes back to the same queue, and is audited", func(t *testing.T) {
			form := url.Values{"id": {string(f.comments[0]), string(f.comments[1])}, "state": {"actionable"}, "return": {"state=new"}}
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/comments/mark", form: form, cookie: editor})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/desk/comments?as=actionable&marked=2&state=new" {
				t.Fatalf("status %d, Location %q", rec.Code, rec.Header().Get("Location"))
			}
			doc := f.page(t, editor, rec.Header().Get("Location"), http.StatusOK)
			if got := htmltest.Text(htmltest.One(t, doc, `.inset[role="status"]`)); got != "2 comments marked actionable." {
				t.Errorf("notice %q", got)
			}
			if n := len(htmltest.All(t, doc, `input[name="id"]`)); n != 1 {
				t.Errorf("%d new comments left, want 1", n)
			}
			if f.auditCount(t, "comments.mark") != 1 {
				t.Error("the marking is not in the audit log")
			}
			// Nothing ticked: back with a message, nothing changed.
			rec = f.do(t, request{method: http.MethodPost, path: "/desk/comments/mark", form: url.Values{"state": {"spam"}, "return": {""}}, cookie: editor})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/desk/comments?unmarked=1" {
				t.Errorf("nothing ticked: status %d, Location %q", rec.Code, rec.Header().Get("Location"))
			}
			for name, form := range map[string]url.Values{
				"bad state":   {"id": {string(f.comments[0])}, "state": {"deleted"}},
				"bad id":      {"id": {"x"}, "state": {"spam"}},
				"bad return":  {"id": {string(f.comments[0])}, "state": {"spam"}, "return": {"page=no-slash"}},
				"return away": {"id": {string(f.comments[0])}, "state": {"spam"}, "return": {"%zz"}},
			} {
				if rec := f.do(t, request{method: http.MethodPost, path: "/desk/comments/mark", form: form, cookie: editor}); rec.Code != http.StatusBadRequest {
					t.Errorf("%s: status %d, want 400", name, rec.Code)
				}
			}
		})
		t.Run("CSV of what the filter shows, formulas defused, audited", func(t *testing.T) {
			before := f.auditCount(t, "comments.export")
			rec := f.do(t, request{path: "/desk/comments.csv?page=" + url.QueryEscape(articlePath), cookie: editor})
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
				!strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="healthsite-comments-2026-12-04.csv"`) {
				t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
			}
			rows, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(feedback.CommentsHeader, ",") || rows[2][5] != "'=cmd|' /C calc'!A0" {
				t.Errorf("CSV: %q", rows)
			}
			if f.auditCount(t, "comments.export") != before+1 {
				t.Error("the export is not in the audit log")
			}
			if rec := f.do(t, request{path: "/desk/comments.csv?state=nope", cookie: editor}); rec.Code != http.StatusBadRequest {
				t.Errorf("a bad filter: status %d", rec.Code)
			}
		})
		t.Run("the audit log, for admins", func(t *testing.T) {
			doc := f.page(t, admin, "/desk/audit", http.StatusOK)
			all := strings.Join(texts(t, doc, "tbody td"), " ")
			for _, want := range []string{"signin", "account.add", "comments.mark", "comments.export", editorEmail} {
				if !strings.Contains(all, want) {
					t.Errorf("the audit log lacks %q", want)
				}
			}
			f.page(t, admin, "/desk/audit?before=x", http.StatusBadRequest)
		})
		t.Run("accounts: add shows the password once; it works", func(t *testing.T) {
			doc := f.page(t, admin, "/desk/accounts", http.StatusOK)
			if n := len(htmltest.All(t, doc, "tbody tr")); n != 2 {
				t.Errorf("%d accounts", n)
			}
			// The admin cannot disable themselves: no button for it.
			if n := len(htmltest.All(t, doc, `form[action$="/disable"]`)); n != 1 {
				t.Errorf("%d disable buttons, want 1 (not for the admin looking)", n)
			}
			rec := f.do(t, request{method: http.MethodPost, path: "/desk/accounts", form: url.Values{"email": {"New.Person@Example.org"}, "role": {"editor"}}, cookie: admin})
			if rec.Code != http.StatusOK {
				t.Fatalf("add: status %d", rec.Code)
			}
			doc = htmltest.Parse(t, rec.Body.Bytes())
			pw := htmltest.Text(htmltest.One(t, doc, ".desk-password code"))
			f.signIn(t, "new.person@example.org", pw)
			for name, form := range map[string]url.Values{
				"again":    {"email": {"new.person@example.org"}, "role": {"editor"}},
				"no email": {"email": {"not an e-mail"}, "role": {"editor"}},
				"no role":  {"email": {"other@example.org"}, "role": {"owner"}},
			} {
				rec := f.do(t, request{method: http.MethodPost, path: "/desk/accounts", form: form, cookie: admin})
				if rec.Code != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", name, rec.Code)
					continue
				}
				htmltest.One(t, htmltest.Parse(t, rec.Body.Bytes()), ".error-summary")
			}
			self := "/desk/accounts/" + strconv.FormatInt(f.admin.ID, 10) + "/disable"
			if rec := f.do(t, request{method: http.MethodPost, path: self, form: url.Values{}, cookie: admin}); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("disabling oneself: status %d, want 422", rec.Code)
			}
			for _, p := range []string{"/desk/accounts/9999/disable", "/desk/accounts/x/reset-password", "/desk/accounts/-1/disable"} {
				if rec := f.do(t, request{method: http.MethodPost, path: p, form: url.Values{}, cookie: admin}); rec.Code != http.StatusNotFound {
					t.Errorf("%s: status %d, want 404", p, rec.Code)
				}
			}
		})
		t.Run("errors are friendly pages with the right status", func(t *testing.T) {
			f.page(t, editor, "/desk/no-such-page", http.StatusNotFound)
			f.page(t, nil, "/", http.StatusNotFound)
			rec := f.do(t, request{method: http.MethodDelete, path: "/desk/comments", cookie: editor})
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("DELETE: status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
			}
			if rec := f.do(t, request{method: "BREW", path: "/desk"}); rec.Code != http.StatusNotImplemented {
				t.Errorf("BREW: status %d", rec.Code)
			}
			if rec := f.do(t, request{path: "/desk/comments?page=" + strings.Repeat("a", 5000), cookie: editor}); rec.Code != http.StatusRequestURITooLong {
				t.Errorf("a long address: status %d", rec.Code)
			}
			big := url.Values{"email": {strings.Repeat("a", 70<<10)}, "password": {"x"}}
			if rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: big}); rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("a large form: status %d", rec.Code)
			}
			if rec := f.do(t, request{method: http.MethodHead, path: "/desk", cookie: editor}); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Errorf("HEAD: status %d, %d bytes", rec.Code, rec.Body.Len())
			}
		})
	})
}

// A reader's comment with markup is shown as text, everywhere.
func TestCommentsAreEscaped(t *testing.T) {
	f := newFixture(t, storetest.Kinds[0])
	s := feedback.New(f.db, feedback.Options{Today: func() feedback.Date { return feedback.DateOf(f.clock.Now()) }})
	defer s.Close()
	tok, err := s.Record(context.Background(), feedback.Answer{Page: articlePath})
	if err != nil {
		t.Fatal(err)
	}
	const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	if err := s.Comment(context.Background(), tok, "", evil); err != nil {
		t.Fatal(err)
	}
	c := f.signIn(t, editorEmail, editorPass)
	for _, p := range []string{"/desk/comments", "/desk/pages" + articlePath} {
		rec := f.do(t, request{path: p, cookie: c})
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<script>") || strings.Contains(rec.Body.String(), "<img src=x") {
			t.Errorf("%s: status %d; the comment's markup reached the page", p, rec.Code)
		}
		if !strings.Contains(htmltest.Text(htmltest.Parse(t, rec.Body.Bytes())), evil) {
			t.Errorf("%s: the comment is not shown as text", p)
		}
	}
}
