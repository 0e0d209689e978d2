package e2e

import (
	"fmt"
	"strings"
	"testing"

	"healthsite/internal/browsertest"
)

// pages are every kind of page and state a reader can reach.
var pages = []struct {
	name, path string
	status     int
	screenshot bool
}{
	{"home", "/", 200, true},
	{"article", articlePath, 200, true},
	{"about", "/about", 200, false},
	{"chooser", chooserPath, 200, true},
	{"chooser-with-errors", unmatchedPath, 422, true},
	{"form", formPath, 200, true},
	{"form-with-errors", errorPath, 422, true},
	{"result-with-red-flags", resultPath, 200, true},
	{"not-found", "/no-such-page", 404, false},
	{"search", "/search?q=neck+pain", 200, true},
	{"search-did-you-mean", "/search?q=nekc+pain", 200, false},
	{"search-no-results", "/search?q=xyzzy", 200, true},
	{"search-too-long", "/search?q=" + strings.Repeat("a", 201), 400, false},
	{"a-to-z", "/articles", 200, true},
	{"a-to-z-letter", "/a-z/n", 200, false},
	{"topics", "/topics", 200, false},
	{"topic", "/topics/neck", 200, true},
}

func TestEveryPageRendersCleanlyAndAccessibly(t *testing.T) {
	base := startSite(t)
	for _, pg := range pages {
		for _, width := range []int64{375, 1280} {
			t.Run(fmt.Sprintf("%s/%d", pg.name, width), func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: width, Height: 900})
				p.Navigate(base + pg.path)
				if got := browsertest.Eval[int](p, `document.querySelectorAll("h1").length`); got != 1 {
					t.Errorf("%d h1 elements, want 1", got)
				}
				p.CheckAxe(pg.name)
				// Chromium logs the page's own error status; that one is intended.
				expected := ""
				if pg.status != 200 {
					expected = fmt.Sprintf("the server responded with a status of %d", pg.status)
				}
				p.CheckNoProblems(pg.name, expected)
				if pg.screenshot {
					p.Screenshot(fmt.Sprintf("%s-%d", pg.name, width))
				}
			})
		}
	}
}

func TestNoHorizontalScrollOnPhones(t *testing.T) {
	base := startSite(t)
	for _, pg := range pages {
		for _, width := range []int64{320, 375} {
			t.Run(fmt.Sprintf("%s/%d", pg.name, width), func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: width, Height: 800})
				p.Navigate(base + pg.path)
				if overflow := browsertest.Eval[int](p, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
					t.Errorf("the page scrolls sideways by %dpx at %dpx wide", overflow, width)
				}
			})
		}
	}
}

// Text must reflow, not overflow, when a reader makes it twice as big.
func TestTextScalesTo200Percent(t *testing.T) {
	base := startSite(t)
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{Width: 640, Height: 800})
			p.Navigate(base + pg.path)
			before := browsertest.Eval[float64](p, `parseFloat(getComputedStyle(document.querySelector("main p, main li")).fontSize)`)
			browsertest.Eval[bool](p, `document.documentElement.style.fontSize = "200%", true`)
			after := browsertest.Eval[float64](p, `parseFloat(getComputedStyle(document.querySelector("main p, main li")).fontSize)`)
			if after < before*1.9 {
				t.Errorf("text went from %.0fpx to %.0fpx when the user font size doubled: sizes must be relative", before, after)
			}
			if overflow := browsertest.Eval[int](p, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
				t.Errorf("at 200%% text the page scrolls sideways by %dpx", overflow)
			}
		})
	}
}

func TestReducedMotionIsRespected(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	p.EmulateMedia("prefers-reduced-motion", "reduce")
	p.Navigate(base + articlePath)
	if got := browsertest.Eval[string](p, `getComputedStyle(document.documentElement).scrollBehavior`); got != "auto" {
		t.Errorf("scroll-behavior = %q with reduced motion, want auto", got)
	}
	p.EmulateMedia("prefers-reduced-motion", "no-preference")
	if got := browsertest.Eval[string](p, `getComputedStyle(document.documentElement).scrollBehavior`); got != "smooth" {
		t.Errorf("scroll-behavior = %q without a preference, want smooth (this test would pass vacuously otherwise)", got)
	}
}

func TestSkipLinkMovesFocusToMain(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{})
	p.Navigate(base + articlePath)
	p.Press("\t")
	if got := browsertest.Eval[string](p, `document.activeElement.className`); got != "skip-link" {
		t.Fatalf("first Tab focuses %q, want the skip link", got)
	}
	if visible := browsertest.Eval[bool](p, `document.activeElement.getBoundingClientRect().left >= 0`); !visible {
		t.Error("the focused skip link is off screen")
	}
	p.Press("\r")
	if got := browsertest.Eval[string](p, `document.activeElement.id`); got != "main-content" {
		t.Errorf("after the skip link focus is on %q, want main-content", got)
	}
}

func TestContentsAndSelfLinksGoToTheirSections(t *testing.T) {
	base := startSite(t)
	for _, link := range []string{
		`nav.contents a[href="#neck-muscle-strain"]`,
		`a.self-link[href="#cervical-facet-joint-disorder"]`,
		`nav.contents a[href="#when-to-get-medical-help"]`,
	} {
		t.Run(link, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{Width: 375, Height: 700})
			p.Navigate(base + articlePath)
			id := link[strings.Index(link, "#")+1 : strings.LastIndex(link, `"`)]
			p.Click(link)
			p.WaitFor(`location.hash === "#` + id + `"`)
			if got := browsertest.Eval[string](p, `document.querySelector(":target") ? document.querySelector(":target").id : ""`); got != id {
				t.Errorf(":target is %q, want %q", got, id)
			}
			p.WaitFor(`Math.abs(document.getElementById("` + id + `").getBoundingClientRect().top) < 80`)
		})
	}
}
