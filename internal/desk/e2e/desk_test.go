// Package e2e uses the editors' desk as an editor would, in real headless
// Chromium: every page at phone and desktop widths with axe-core, and a
// whole session (sign in, mark a comment, export CSV) with JavaScript
// turned off, since the desk has none.
package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"healthsite/articles"
	"healthsite/internal/browsertest"
	"healthsite/internal/content"
	"healthsite/internal/desk"
	"healthsite/internal/desk/auth"
	"healthsite/internal/desk/password"
	"healthsite/internal/feedback"
	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

func TestMain(m *testing.M) {
	os.Exit(browsertest.Main(m, "internal/desk/e2e"))
}

const (
	editorEmail = "edith@example.org"
	adminEmail  = "adam@example.org"
	pass        = "a long passphrase for the desk"
	articlePath = "/articles/neck-pain-after-cervical-massage"
)

// startDesk serves a desk over a new SQLite database with the bundled
// articles, some feedback, an editor and an admin, on a loopback port.
func startDesk(t *testing.T) string {
	t.Helper()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Kinds[0].Open(t)
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	d, err := desk.New(desk.Config{DB: db, Site: func() *content.Site { return site }, BaseURL: base,
		Auth: auth.Options{Params: password.Params{MemoryKiB: 1024, Time: 1, Threads: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	for _, a := range []struct {
		email string
		role  auth.Role
	}{{editorEmail, auth.Editor}, {adminEmail, auth.Admin}} {
		if _, err := d.Auth().AddAccount(context.Background(), a.email, a.role, pass, auth.CommandLine); err != nil {
			t.Fatal(err)
		}
	}
	seed(t, db)
	ts.Config.Handler = d
	ts.Start()
	t.Cleanup(ts.Close)
	return base
}

// seed records answers about the article over the last 30 days, and
// three comments, one with markup and one like a formula.
func seed(t *testing.T, db *store.DB) {
	t.Helper()
	today := feedback.DateOf(time.Now().UTC())
	day := today
	s := feedback.New(db, feedback.Options{Today: func() feedback.Date { return day }})
	defer s.Close()
	ctx := context.Background()
	for i := range 40 {
		day = today.AddDays(-(i % 30))
		section := ""
		if i%3 == 0 {
			section = "neck-muscle-strain"
		}
		if _, err := s.Record(ctx, feedback.Answer{Page: articlePath, Section: section, Helpful: i%3 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	for i, text := range []string{
		"The part about dizziness did not say how soon to see a doctor.",
		"<b>Bold</b> claims need sources",
		"=HYPERLINK(\"http://evil.example\")",
	} {
		day = today.AddDays(-i)
		page := articlePath
		if i == 2 {
			page = "/symptoms/neck-pain"
		}
		tok, err := s.Record(ctx, feedback.Answer{Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Comment(ctx, tok, "", text); err != nil {
			t.Fatal(err)
		}
	}
}

// signIn signs in through the form, as a person would. The tabs of a
// test binary share one browser, and so its cookies: each test starts
// signed out.
func signIn(t *testing.T, p *browsertest.Page, base, email string) {
	t.Helper()
	signOutEverywhere(t, p)
	p.Navigate(base + "/desk/sign-in")
	p.Do(chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), pass))
	p.ClickAndWait("form.desk-form button[type=submit]")
	if got := browsertest.Eval[string](p, `location.pathname`); got != "/desk" {
		t.Fatalf("after signing in, at %s", got)
	}
}

func signOutEverywhere(t *testing.T, p *browsertest.Page) {
	t.Helper()
	if _, err := chromedp.Call(p.Ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

var pages = []struct {
	name, path string
	admin      bool
	status     int
}{
	{"sign-in", "/desk/sign-in", false, 200},
	{"needs-attention", "/desk", false, 200},
	{"page", "/desk/pages" + articlePath, false, 200},
	{"comments", "/desk/comments", false, 200},
	{"comments-bad-filter", "/desk/comments?from=yesterday&state=gone", false, 400},
	{"audit", "/desk/audit", true, 200},
	{"accounts", "/desk/accounts", true, 200},
	{"not-found", "/desk/nothing-here", false, 404},
}

func TestEveryDeskPageIsAccessible(t *testing.T) {
	base := startDesk(t)
	for _, width := range []int64{375, 1280} {
		for _, pg := range pages {
			t.Run(fmt.Sprintf("%s/%d", pg.name, width), func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: width, Height: 900, NoJavaScript: true})
				signOutEverywhere(t, p)
				if pg.name != "sign-in" {
					email := editorEmail
					if pg.admin {
						email = adminEmail
					}
					signIn(t, p, base, email)
				}
				p.Navigate(base + pg.path)
				if got := browsertest.Eval[int](p, `document.querySelectorAll("h1").length`); got != 1 {
					t.Errorf("%d h1 elements, want 1", got)
				}
				p.CheckAxe(pg.name)
				expected := ""
				if pg.status != 200 {
					expected = fmt.Sprintf("the server responded with a status of %d", pg.status)
				}
				p.CheckNoProblems(pg.name, expected)
				if overflow := browsertest.Eval[int](p, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
					t.Errorf("the page scrolls sideways by %dpx", overflow)
				}
				p.Screenshot(fmt.Sprintf("desk-%s-%d", pg.name, width))
			})
		}
	}
}

// An editor signs in, marks a comment reviewed and downloads the queue as
// CSV, with JavaScript off.
func TestSignInMarkAndExport(t *testing.T) {
	base := startDesk(t)
	p := browsertest.NewPage(t, browsertest.Options{NoJavaScript: true})
	signIn(t, p, base, editorEmail)

	p.Navigate(base + "/desk/comments?state=new")
	before := browsertest.Eval[int](p, `document.querySelectorAll('input[name="id"]').length`)
	if before != 3 {
		t.Fatalf("%d new comments, want 3", before)
	}
	p.Click(`input[name="id"]`) // the newest
	p.ClickAndWait(`.desk-actions button[value="reviewed"]`)
	if got := browsertest.Eval[string](p, `document.querySelector('.inset[role="status"]').textContent.trim()`); got != "1 comment marked reviewed." {
		t.Errorf("after marking: %q", got)
	}
	if got := browsertest.Eval[int](p, `document.querySelectorAll('input[name="id"]').length`); got != before-1 {
		t.Errorf("%d new comments after marking one, want %d", got, before-1)
	}
	p.Screenshot("desk-comments-marked")

	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(p.Ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(p.Ctx, 20*time.Second)
	defer cancel()
	done := make(chan string, 1)
	go func() {
		for ev, err := range chromedp.BrowserEvents(ctx, browser.DownloadProgress) {
			if err != nil {
				return
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				done <- ev.GUID
				return
			}
		}
	}()
	p.Click(`a[href^="/desk/comments.csv"]`)
	var guid string
	select {
	case guid = <-done:
	case <-ctx.Done():
		t.Fatal("the CSV did not download")
	}
	f, err := os.Open(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(feedback.CommentsHeader, ",") {
		t.Errorf("the CSV of the 2 new comments left: %q", rows)
	}
	for _, r := range rows[1:] {
		if r[4] != "new" {
			t.Errorf("a %s comment in the CSV of new ones", r[4])
		}
	}
}

func ptr[T any](v T) *T { return &v }
