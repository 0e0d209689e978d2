package desk

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"healthsite/internal/htmltest"
)

// Component tests: each renders from a literal view, as internal/desk
// builds them, and reads the HTML with a parser.

func render(t *testing.T, c templ.Component) *html.Node {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return htmltest.Parse(t, buf.Bytes())
}

var head = Head{Title: "Comments", Stylesheets: []string{"/desk/static/site.1.css", "/desk/static/desk.2.css"}, Icon: "/desk/static/favicon.3.ico"}

func TestLayout(t *testing.T) {
	doc := render(t, ErrorPage(head, ErrorView{Heading: "Page not found", Message: "Check the address."}))
	if got := htmltest.Text(htmltest.One(t, doc, "title")); got != "Comments - "+Name {
		t.Errorf("title %q", got)
	}
	htmltest.One(t, doc, `meta[name="robots"][content="noindex, nofollow"]`)
	htmltest.One(t, doc, `meta[name="referrer"][content="no-referrer"]`)
	htmltest.One(t, doc, `a.skip-link[href="#main-content"]`)
	if n := len(htmltest.All(t, doc, `link[rel="stylesheet"]`)); n != 2 {
		t.Errorf("%d stylesheets", n)
	}
	for _, sel := range []string{"script", "iframe", "object", "embed"} {
		if n := len(htmltest.All(t, doc, sel)); n != 0 {
			t.Errorf("%d %s elements", n, sel)
		}
	}
	if n := len(htmltest.All(t, doc, "nav")) + len(htmltest.All(t, doc, `form[action="/desk/sign-out"]`)); n != 0 {
		t.Error("signed out, the header shows the desk's navigation or sign-out")
	}

	editor := head
	editor.Nav = Nav{Email: "edith@example.org", Current: "comments"}
	doc = render(t, ErrorPage(editor, ErrorView{Heading: "x"}))
	htmltest.One(t, doc, `nav[aria-label="Desk"] a[href="/desk/comments"][aria-current="page"]`)
	htmltest.One(t, doc, `form[action="/desk/sign-out"][method="post"] button`)
	if n := len(htmltest.All(t, doc, `a[href="/desk/accounts"]`)) + len(htmltest.All(t, doc, `a[href="/desk/audit"]`)); n != 0 {
		t.Error("an editor sees the admins' links")
	}
	admin := editor
	admin.Nav.Admin = true
	doc = render(t, ErrorPage(admin, ErrorView{Heading: "x"}))
	if n := len(htmltest.All(t, doc, `a[href="/desk/accounts"]`)) + len(htmltest.All(t, doc, `a[href="/desk/audit"]`)); n != 2 {
		t.Error("an admin lacks the admins' links")
	}
	withErrors := head
	withErrors.ErrorPrefix = true
	if got := htmltest.Text(htmltest.One(t, render(t, ErrorPage(withErrors, ErrorView{})), "title")); got != "Error: Comments - "+Name {
		t.Errorf("title with errors %q", got)
	}
}

func TestSignInPage(t *testing.T) {
	doc := render(t, SignInPage(head, SignInView{Email: "a@b.c", Next: "/desk/comments",
		Errors: []FieldError{{Field: "password", Message: "Enter your password"}}}))
	htmltest.One(t, doc, `form[action="/desk/sign-in"][method="post"] input[type="hidden"][name="next"][value="/desk/comments"]`)
	htmltest.One(t, doc, `input#email[type="email"][autocomplete="username"][value="a@b.c"]`)
	htmltest.One(t, doc, `input#password[type="password"][autocomplete="current-password"]:not([value])`)
	htmltest.One(t, doc, `.error-summary a[href="#password"]`)
	htmltest.One(t, doc, `.form-group-error #password-error`)
}

func TestCommentsPage(t *testing.T) {
	v := CommentsView{
		Comments: []CommentRow{{ID: "abc", Day: "4 December 2026", Page: "/articles/a", PageURL: "/desk/pages/articles/a", Answer: "No", Text: "<b>hi</b>", State: "new"}},
		Total:    1, Return: "state=new", ExportURL: "/desk/comments.csv?state=new", Next: "/desk/comments?after=x",
		Filter: FilterForm{States: []Option{{Value: "new", Label: "New", Selected: true}}},
	}
	doc := render(t, CommentsPage(head, v))
	htmltest.One(t, doc, `form[action="/desk/comments"][method="get"] select#state option[value="new"][selected]`)
	form := htmltest.One(t, doc, `form[action="/desk/comments/mark"][method="post"]`)
	htmltest.One(t, form, `input[type="hidden"][name="return"][value="state=new"]`)
	htmltest.One(t, form, `input#c-abc[type="checkbox"][name="id"][value="abc"]`)
	htmltest.One(t, form, `label[for="c-abc"] .visually-hidden`)
	if n := len(htmltest.All(t, form, `button[name="state"]`)); n != 8 {
		t.Errorf("%d mark buttons, want 4 above and 4 below", n)
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".desk-quote")); got != "<b>hi</b>" {
		t.Errorf("comment %q, want its markup as text", got)
	}
	htmltest.One(t, doc, `a[href="/desk/comments.csv?state=new"]`)
	htmltest.One(t, doc, `a[rel="next"][href="/desk/comments?after=x"]`)
}

func TestPasswordPage(t *testing.T) {
	doc := render(t, PasswordPage(head, PasswordView{Email: "a@b.c", Password: "ABCDE-FGHIJ", Added: true}))
	if got := htmltest.Text(htmltest.One(t, doc, ".desk-password code")); got != "ABCDE-FGHIJ" {
		t.Errorf("password shown as %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Account added" {
		t.Errorf("h1 %q", got)
	}
}
