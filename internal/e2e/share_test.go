package e2e

import (
	"testing"

	"healthsite/internal/browsertest"
)

// "Copy link" beside a section puts the section's absolute address on the
// clipboard, or, where the clipboard is refused, in the page's fallback field.
func TestCopyLinkCopiesTheSectionAddress(t *testing.T) {
	base := startSite(t)
	want := base + articlePath + "#neck-muscle-strain"
	for _, clipboard := range []bool{true, false} {
		name := "clipboard-allowed"
		if !clipboard {
			name = "clipboard-refused"
		}
		t.Run(name, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{})
			if clipboard {
				p.AllowClipboard(base)
			} else {
				p.Navigate("about:blank")
			}
			p.Navigate(base + articlePath)
			if !clipboard {
				// Take the clipboard away, as some browsers and settings do.
				browsertest.Eval[bool](p, `Object.defineProperty(navigator, "clipboard", {value: undefined}), true`)
			}
			p.Click(`a.self-link[href="#neck-muscle-strain"] + button.copy-link`)
			if clipboard {
				p.WaitFor(`document.querySelector('button.copy-link[data-copied]')`)
				got := browsertest.Eval[string](p, `navigator.clipboard.readText()`)
				if got != want {
					t.Errorf("clipboard holds %q, want %q", got, want)
				}
			} else {
				p.WaitFor(`document.querySelector("input.copy-fallback")`)
				if got := browsertest.Eval[string](p, `document.querySelector("input.copy-fallback").value`); got != want {
					t.Errorf("fallback shows %q, want %q", got, want)
				}
				if focused := browsertest.Eval[string](p, `document.activeElement.className`); focused != "copy-fallback" {
					t.Errorf("focus is on %q, want the fallback field, selected for copying", focused)
				}
			}
			p.CheckNoProblems(name, "")
		})
	}
}

// With JavaScript off there is no copy button, and the "#" link is a plain
// link that goes to its section.
func TestSectionLinkWorksWithoutJavaScript(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{NoJavaScript: true})
	p.Navigate(base + articlePath)
	if n := browsertest.Eval[int](p, `document.querySelectorAll("button.copy-link").length`); n != 0 {
		t.Errorf("%d copy buttons without JavaScript, want none", n)
	}
	if browsertest.Eval[bool](p, `!document.querySelector(".share-copy").hidden`) {
		t.Error("the share block's copy button shows without JavaScript")
	}
	p.Click(`a.self-link[href="#cervical-facet-joint-disorder"]`)
	p.WaitFor(`location.hash === "#cervical-facet-joint-disorder"`)
	if got := browsertest.Eval[string](p, `document.querySelector(":target").id`); got != "cervical-facet-joint-disorder" {
		t.Errorf(":target = %q", got)
	}
}
