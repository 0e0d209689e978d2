package e2e

import (
	"strings"
	"testing"

	"healthsite/internal/browsertest"
)

// The whole checker as a reader uses it: choose the main symptom, tick,
// submit, read the advice, follow a section link. It must work with
// JavaScript on and off.
func TestSymptomFlow(t *testing.T) {
	base := startSite(t)
	for _, js := range []bool{true, false} {
		name := "javascript-on"
		if !js {
			name = "javascript-off"
		}
		t.Run(name, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{Width: 375, Height: 800, NoJavaScript: !js})
			p.Navigate(base + chooserPath)
			p.ClickAndWait(`#complaints a[href="` + formPath + `"]`)
			if got := browsertest.Eval[string](p, `location.pathname`); got != formPath {
				t.Fatalf("choosing the complaint went to %s, want %s", got, formPath)
			}
			// Tick by clicking the labels, as a person taps them.
			p.Click(`label[for="symptom-stiff-neck"]`)
			p.Click(`label[for="symptom-tender-when-pressed"]`)
			p.Click(`label[for="symptom-dizziness"]`)
			p.ClickAndWait(`form.symptom-form button[type="submit"]`)

			if got := browsertest.Eval[string](p, `location.pathname`); got != formPath+"/results" {
				t.Fatalf("submitting went to %s, want %s/results", got, formPath)
			}
			first := browsertest.Eval[string](p, `document.querySelector("main h1").nextElementSibling.className`)
			if !strings.Contains(first, "care-card-urgent") {
				t.Fatalf("first thing after the heading is %q, want the red-flag care card", first)
			}
			if y := browsertest.Eval[float64](p, `document.querySelector(".care-card").getBoundingClientRect().top`); y > 800 {
				t.Errorf("the red-flag card starts at %.0fpx, below the first screen", y)
			}
			href := browsertest.Eval[string](p, `document.querySelector(".result-title a").getAttribute("href")`)
			id := href[strings.Index(href, "#")+1:]
			p.ClickAndWait(".result-title a")
			if got := browsertest.Eval[string](p, `location.pathname + location.hash`); got != href {
				t.Errorf("landed on %s, want %s", got, href)
			}
			if got := browsertest.Eval[string](p, `document.querySelector(":target") ? document.querySelector(":target").id : ""`); got != id {
				t.Errorf(":target is %q, want %q", got, id)
			}
			p.CheckNoProblems(name, "")
		})
	}
}

// "No, I do not have any of these" excludes the red flags. With JavaScript
// the boxes untick each other; without it the server explains the conflict.
func TestExclusiveNoneOption(t *testing.T) {
	base := startSite(t)
	t.Run("javascript-on", func(t *testing.T) {
		p := browsertest.NewPage(t, browsertest.Options{})
		p.Navigate(base + formPath)
		p.Click(`label[for="symptom-dizziness"]`)
		p.Click(`label[for="symptom-none"]`)
		if browsertest.Eval[bool](p, `document.getElementById("symptom-dizziness").checked`) {
			t.Error(`ticking "none" left a red flag ticked`)
		}
		p.Click(`label[for="symptom-arm-numbness"]`)
		if browsertest.Eval[bool](p, `document.getElementById("symptom-none").checked`) {
			t.Error(`ticking a red flag left "none" ticked`)
		}
		p.CheckNoProblems("exclusive", "")
	})
	t.Run("javascript-off", func(t *testing.T) {
		p := browsertest.NewPage(t, browsertest.Options{NoJavaScript: true})
		p.Navigate(base + formPath)
		p.Click(`label[for="symptom-dizziness"]`)
		p.Click(`label[for="symptom-none"]`)
		p.Click(`label[for="symptom-swelling"]`)
		p.ClickAndWait(`form.symptom-form button[type="submit"]`)
		if got := browsertest.Eval[string](p, `document.title`); !strings.HasPrefix(got, "Error: ") {
			t.Errorf("title = %q, want an Error: prefix", got)
		}
		// The answers are kept, and the summary link takes the reader to the question.
		for _, id := range []string{"symptom-dizziness", "symptom-none", "symptom-swelling"} {
			if !browsertest.Eval[bool](p, `document.getElementById("`+id+`").checked`) {
				t.Errorf("%s was not kept ticked", id)
			}
		}
		p.Click(".error-summary a")
		p.WaitFor(`location.hash === "#symptom-pain-over-three-days"`)
		p.CheckAxe("form with errors after submitting")
	})
}

// An old result link, shared before complaints had addresses of their
// own, still lands on the same result, in the browser as for a crawler.
func TestOldResultLinkLandsOnItsComplaint(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{NoJavaScript: true})
	p.Navigate(base + "/symptoms/results?symptom=dizziness&symptom=stiff-neck")
	if got := browsertest.Eval[string](p, `location.pathname + location.search`); got != formPath+"/results?symptom=dizziness&symptom=stiff-neck" {
		t.Errorf("the old link landed on %s", got)
	}
	if got := browsertest.Eval[string](p, `document.querySelector(".care-card h2").textContent`); !strings.Contains(got, "See a doctor promptly if") {
		t.Errorf("the result's care card says %q", got)
	}
	p.CheckNoProblems("old result link", "")
}

// A red flag wins over every other answer, with JavaScript off too: ticked
// alone, ticked with "No, I do not have any of these" (which only the
// server can catch without JavaScript), or in a link with too many
// answers, the first thing the reader sees is its care card, above any
// error summary, on the first screen.
func TestRedFlagFirstWithoutJavaScript(t *testing.T) {
	base := startSite(t)
	flags := []struct{ id, when string }{
		{"pain-over-three-days", "your neck pain has lasted more than 3 days"},
		{"dizziness", "you feel dizzy"},
		{"arm-numbness", "numbness in an arm"},
	}
	tooMany := strings.Repeat("symptom=stiff-neck&symptom=x&", 30)
	tooLong := strings.Repeat("symptom=stiff-neck&symptom=x&", 160) // over 4 KiB: 414
	for _, f := range flags {
		cases := []struct {
			name string
			// tick are the labels clicked on the form; url, when set, is
			// visited instead.
			tick    []string
			url     string
			summary bool
		}{
			{name: "alone", tick: []string{f.id}},
			{name: "with-none", tick: []string{f.id, "none", "swelling"}, summary: true},
			{name: "too-many-answers", url: formPath + "/results?" + tooMany + "symptom=" + f.id},
			{name: "address-too-long", url: formPath + "/results?" + tooLong + "symptom=" + f.id},
		}
		for _, c := range cases {
			t.Run(f.id+"/"+c.name, func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: 375, Height: 800, NoJavaScript: true})
				if c.url != "" {
					p.Navigate(base + c.url)
				} else {
					p.Navigate(base + formPath)
					for _, id := range c.tick {
						p.Click(`label[for="symptom-` + id + `"]`)
					}
					p.ClickAndWait(`form.symptom-form button[type="submit"]`)
				}
				// The first element of main, passing over the results
				// page's heading, is the care card.
				first := browsertest.Eval[string](p, `(() => {
					let n = document.querySelector("main").firstElementChild;
					if (n && n.tagName === "H1" && n.textContent.includes("Your results")) n = n.nextElementSibling;
					return n ? n.className + "|" + n.textContent : "";
				})()`)
				if !strings.Contains(first, "care-card") || !strings.Contains(first, f.when) {
					t.Fatalf("the first thing in main is %q, want the care card listing %q", first, f.when)
				}
				if y := browsertest.Eval[float64](p, `document.querySelector(".care-card").getBoundingClientRect().top`); y > 800 {
					t.Errorf("the care card starts at %.0fpx, below the first screen", y)
				}
				after := browsertest.Eval[bool](p, `(() => {
					const s = document.querySelector(".error-summary");
					return !!s && !!(document.querySelector(".care-card").compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
				})()`)
				if after != c.summary {
					t.Errorf("an error summary after the card: %v, want %v", after, c.summary)
				}
				p.Screenshot("red-flag-first-" + f.id + "-" + c.name)
				p.CheckAxe("red flag first: " + f.id + " " + c.name)
			})
		}
	}
}
