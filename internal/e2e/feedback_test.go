package e2e

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"healthsite/articles"
	"healthsite/internal/browsertest"
	"healthsite/internal/content"
	"healthsite/internal/feedback"
	"healthsite/internal/server"
	"healthsite/internal/store"
	"healthsite/static"
)

// serveWithFeedback serves the bundled site as startSite does, with a
// feedback store on a SQLite file of the test's own.
func serveWithFeedback(t *testing.T) (string, *store.DB) {
	t.Helper()
	site, err := content.LoadWith(articles.FS, server.ContentOptions(static.FS))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), "sqlite:"+t.TempDir()+"/feedback.db")
	if err != nil {
		t.Fatal(err)
	}
	fs := feedback.New(db, feedback.Options{})
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	srv, err := server.New(site, server.Config{BaseURL: base, Feedback: fs, FeedbackMonths: 18})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close(); fs.Close(); db.Close() })
	return base, db
}

func stored(t *testing.T, db *store.DB) (answers, comments int) {
	t.Helper()
	if err := db.SQL.QueryRow("SELECT count(*) FROM answers").Scan(&answers); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL.QueryRow("SELECT count(*) FROM comments").Scan(&comments); err != nil {
		t.Fatal(err)
	}
	return answers, comments
}

// Every page that asks "Is this page helpful?" passes axe at 375 and 1280
// pixels, before and after answering, and with a comment sent back with
// what is wrong; with JavaScript off, the whole flow is forms and
// redirects: answer, comment, thanks.
func TestFeedbackWithoutJavaScript(t *testing.T) {
	base, db := serveWithFeedback(t)
	for _, path := range []string{articlePath, chooserPath, formPath} {
		for _, width := range []int64{375, 1280} {
			name := strings.ReplaceAll(strings.Trim(path, "/"), "/", "-") + "-" + map[int64]string{375: "375", 1280: "1280"}[width]
			t.Run(name, func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: width, Height: 900, NoJavaScript: true})
				p.Navigate(base + path)
				if got := browsertest.Eval[string](p, `document.querySelector("#feedback legend").textContent.trim()`); got != "Is this page helpful?" {
					t.Fatalf("the question is %q", got)
				}
				p.CheckAxe("feedback asked, " + name)
				before, _ := stored(t, db)
				p.ClickAndWait(`#feedback button[value="no"]`)
				if got := browsertest.Eval[string](p, `location.pathname + location.hash`); got != path+"#feedback" {
					t.Errorf("after answering the reader is at %s, want %s#feedback", got, path)
				}
				if after, _ := stored(t, db); after != before+1 {
					t.Errorf("%d answers stored, want %d", after, before+1)
				}
				if got := browsertest.Eval[string](p, `document.querySelector("#feedback label[for=feedback-comment]").textContent.trim()`); got != "What was wrong? (optional)" {
					t.Errorf("after No the block asks %q", got)
				}
				p.CheckAxe("feedback answered, " + name)

				// Too long: the form again, on a page of its own, with the
				// comment kept and the error beside it.
				// (maxlength stops a person typing more; a pasted-in or
				// scripted form is what the server must still refuse.)
				p.Do(chromedp.RemoveAttribute(chromedp.ID("feedback-comment"), "maxlength"))
				p.Do(chromedp.SetValue(chromedp.ID("feedback-comment"), strings.Repeat("a", 1001)))
				p.ClickAndWait(`#feedback button[type=submit]`)
				if got := browsertest.Eval[string](p, `document.title`); !strings.HasPrefix(got, "Error: ") {
					t.Errorf("title %q, want an Error: prefix", got)
				}
				if n := browsertest.Eval[int](p, `document.getElementById("feedback-comment").value.length`); n != 1001 {
					t.Errorf("the comment sent back has %d characters, want the 1001 written", n)
				}
				p.CheckAxe("feedback sent back with an error, " + name)

				p.Do(chromedp.SetValue(chromedp.ID("feedback-comment"), "The list of medicines was hard to follow."))
				p.ClickAndWait(`#feedback button[type=submit]`)
				if got := browsertest.Eval[string](p, `document.querySelector("#feedback h2").textContent.trim()`); got != "Thank you for your feedback" {
					t.Errorf("after the comment the block says %q", got)
				}
				if _, comments := stored(t, db); comments == 0 {
					t.Error("no comment stored")
				}
				p.CheckAxe("feedback thanks, " + name)
				p.Screenshot("feedback-thanks-" + name)
				p.CheckNoProblems("feedback "+name, "status of 422")
			})
		}
	}
}

// With JavaScript the answer is sent in place: the page does not change,
// the block does, and focus moves to it; the comment too.
func TestFeedbackInPlace(t *testing.T) {
	base, db := serveWithFeedback(t)
	p := browsertest.NewPage(t, browsertest.Options{Width: 375, Height: 900})
	p.Navigate(base + articlePath)
	browsertest.Eval[bool](p, `window.marker = true`)
	p.Click(`#feedback button[value="yes"]`)
	p.WaitFor(`document.querySelector("#feedback textarea") !== null`)
	if !browsertest.Eval[bool](p, `window.marker === true && location.pathname === "`+articlePath+`" && location.search === ""`) {
		t.Error("the page was loaded again: the answer was not sent in place")
	}
	if got := browsertest.Eval[string](p, `document.activeElement.id`); got != "feedback" {
		t.Errorf("focus is on %q, want the feedback block", got)
	}
	if got := browsertest.Eval[string](p, `document.querySelector("#feedback label[for=feedback-comment]").textContent.trim()`); got != "What helped? (optional)" {
		t.Errorf("after Yes the block asks %q", got)
	}
	p.Do(chromedp.SendKeys(chromedp.ID("feedback-comment"), "The section on posture."))
	p.Click(`#feedback button[type=submit]`)
	p.WaitFor(`document.querySelector("#feedback textarea") === null`)
	if got := browsertest.Eval[string](p, `document.querySelector("#feedback h2").textContent.trim()`); got != "Thank you for your feedback" {
		t.Errorf("the block says %q", got)
	}
	if answers, comments := stored(t, db); answers != 1 || comments != 1 {
		t.Errorf("%d answers and %d comments stored, want 1 and 1", answers, comments)
	}
	p.CheckAxe("feedback sent in place")
	p.CheckNoProblems("feedback in place", "")
}
