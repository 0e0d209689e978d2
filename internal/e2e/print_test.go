package e2e

import (
	"strconv"
	"strings"
	"testing"

	"healthsite/internal/browsertest"
)

// A printed result is a summary to take to a doctor: one sheet, with the
// advice, the answers and each section's full address, and no navigation.
func TestPrintedResult(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	// Every answer ticked is the longest result there is.
	p.Navigate(base + formPath)
	all := browsertest.Eval[string](p, `Array.from(document.querySelectorAll("input[name=symptom]:not([value=none])")).map(b => "symptom=" + b.value).join("&")`)
	p.Navigate(base + formPath + "/results?" + all)
	if n := p.PrintPages(); n != 1 {
		t.Errorf("the result with every answer ticked prints on %d pages, want 1", n)
	}
	p.Navigate(base + resultPath)
	if n := p.PrintPages(); n != 1 {
		t.Errorf("the result prints on %d pages, want 1", n)
	}
	checkPrinted(t, p, "result",
		[]string{"See a doctor promptly if", "you feel dizzy and have neck pain", "needs prompt medical attention", "Your answers", "Feeling dizzy",
			base + articlePath + "#", "Questions last reviewed", "See a doctor promptly if your neck pain lasts more than 3 days"},
		[]string{"Skip to main content", "Change your answers"})
	checkLevelPrinted(t, p, ".care-card-heading .visually-hidden", "Urgent advice: ")
}

// checkLevelPrinted checks that a care card's level, hidden on screen but
// for screen readers (the colour says it there), is printed in words:
// paper may be black and white.
func checkLevelPrinted(t *testing.T, p *browsertest.Page, selector, want string) {
	t.Helper()
	el := `document.querySelector(` + strconv.Quote(selector) + `)`
	if got := browsertest.Eval[string](p, el+`.textContent`); got != want {
		t.Errorf("%s says %q, want %q", selector, got, want)
	}
	if pos := browsertest.Eval[string](p, `getComputedStyle(`+el+`).position`); pos != "static" {
		t.Errorf("%s is positioned %s in print, want static: printed, not hidden", selector, pos)
	}
}

// A printed article keeps its address and review dates and drops the
// navigation and share buttons.
func TestPrintedArticle(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	p.Navigate(base + articlePath)
	checkPrinted(t, p, "article",
		[]string{"This page: " + base + articlePath, "Page last reviewed", "Next review due", "Urgent advice"},
		[]string{"Check your symptoms", "Copy link", "Share this page"})
	checkLevelPrinted(t, p, ".care-label .visually-hidden", ":")
}

// checkPrinted renders the open page for print and checks that its text
// shows everything in want and nothing in gone, which is no use on paper.
func checkPrinted(t *testing.T, p *browsertest.Page, what string, want, gone []string) {
	t.Helper()
	p.EmulateMediaType("print")
	printed := browsertest.Eval[string](p, `document.body.innerText`)
	for _, w := range want {
		if !strings.Contains(printed, w) {
			t.Errorf("the printed %s does not show %q", what, w)
		}
	}
	for _, g := range gone {
		if strings.Contains(printed, g) {
			t.Errorf("the printed %s shows %q", what, g)
		}
	}
}
