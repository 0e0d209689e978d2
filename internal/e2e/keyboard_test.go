package e2e

import (
	"testing"

	"healthsite/internal/browsertest"
)

// focusables lists, in document order, what a keyboard user should reach.
const focusables = `[...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])")]
	.filter(e => !e.disabled && e.getClientRects().length > 0 || e.classList.contains("skip-link") || e.type === "checkbox")
	.map(e => e.outerHTML.slice(0, 80))`

// Tabbing through each page must reach every link and control once, in
// document order, each with a visible focus indicator.
func TestKeyboardReachesEverythingInOrderWithVisibleFocus(t *testing.T) {
	base := startSite(t)
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{Width: 1280, Height: 900})
			p.Navigate(base + pg.path)
			want := browsertest.Eval[[]string](p, focusables)
			var got []string
			for i := 0; i < len(want)+1; i++ {
				p.Press("\t")
				el := browsertest.Eval[string](p, `document.activeElement === document.body ? "" : document.activeElement.outerHTML.slice(0, 80)`)
				if el == "" || (len(got) > 0 && el == got[0]) {
					break // wrapped round to the browser or the start
				}
				got = append(got, el)
				if !browsertest.Eval[bool](p, focusVisible) {
					t.Errorf("no visible focus indicator on %s", el)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("Tab reached %d elements, want %d:\ngot  %q\nwant %q", len(got), len(want), got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("Tab stop %d is %s, want %s (document order)", i, got[i], want[i])
				}
			}
		})
	}
}

// focusVisible is true when the focused element, or for our custom
// checkboxes the box drawn by its label, shows a focus style: an outline,
// a box shadow or a changed background.
const focusVisible = `(() => {
	const e = document.activeElement;
	const styled = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)")
		|| s.boxShadow !== "none" || s.backgroundColor === "rgb(255, 221, 0)";
	if (e.type === "checkbox") {
		return styled(getComputedStyle(document.querySelector("label[for='" + e.id + "']"), "::before"));
	}
	return styled(getComputedStyle(e));
})()`
