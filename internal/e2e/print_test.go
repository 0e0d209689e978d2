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
	p.Navigate(base + "/symptoms")
	all := browsertest.Eval[string](p, `Array.from(document.querySelectorAll("input[name=symptom]:not([value=none])")).map(b => "symptom=" + b.value).join("&")`)
	p.Navigate(base + "/symptoms/results?" + all)
	if n := p.PrintPages(); n != 1 {
		t.Errorf("the result with every answer ticked prints on %d pages, want 1", n)
	}
	p.Navigate(base + resultPath)
	if n := p.PrintPages(); n != 1 {
		t.Errorf("the result prints on %d pages, want 1", n)
	}
	p.EmulateMediaType("print")
	printed := browsertest.Eval[string](p, `document.body.innerText`)
	for _, want := range []string{"See a doctor promptly if", "Your answers", "Feeling dizzy", base + articlePath + "#"} {
		if !strings.Contains(printed, want) {
			t.Errorf("the printed result does not show %q", want)
		}
	}
	for _, gone := range []string{"Skip to main content", "Change your answers"} {
		if strings.Contains(printed, gone) {
			t.Errorf("the printed result shows %q, which is no use on paper", gone)
		}
	}
}

// A printed article keeps its address and review dates and drops the
// navigation and share buttons.
func TestPrintedArticle(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	p.Navigate(base + articlePath)
	p.EmulateMediaType("print")
	printed := browsertest.Eval[string](p, `document.body.innerText`)
	for _, want := range []string{"This page: " + base + articlePath, "Page last reviewed", "Next review due"} {
		if !strings.Contains(printed, want) {
			t.Errorf("the printed article does not show %q", want)
		}
	}
	for _, gone := range []string{"Check your symptoms", "Copy link", "Share this page"} {
		if strings.Contains(printed, gone) {
			t.Errorf("the printed article shows %q", gone)
		}
	}
}
