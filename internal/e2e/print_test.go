package e2e

import (
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
		[]string{"See a doctor promptly if", "Your answers", "Feeling dizzy", base + articlePath + "#", "Questions last reviewed"},
		[]string{"Skip to main content", "Change your answers"})
}

// A printed article keeps its address and review dates and drops the
// navigation and share buttons.
func TestPrintedArticle(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	p.Navigate(base + articlePath)
	checkPrinted(t, p, "article",
		[]string{"This page: " + base + articlePath, "Page last reviewed", "Next review due"},
		[]string{"Check your symptoms", "Copy link", "Share this page"})
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
