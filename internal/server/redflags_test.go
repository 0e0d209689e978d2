package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"healthsite/internal/htmltest"
)

// A red flag must win over every other answer: whatever else is wrong with
// a request that names one (a contradiction, too many answers, an answer
// that cannot be read, an unknown complaint, an old link that fits no one
// complaint, too many requests), the page that answers it starts with the
// flag's care card, above any error summary.
func TestRedFlagAdviceIsNeverHidden(t *testing.T) {
	s, _ := newTestServer(t)
	rules, ok := s.Site().Complaint("neck-pain")
	if !ok {
		t.Fatal("the bundled site has no neck-pain complaint")
	}
	if len(rules.RedFlags) == 0 || len(rules.Symptoms) == 0 {
		t.Fatal("the bundled complaint has no red flags or no symptoms")
	}
	symptom := rules.Symptoms[0].ID
	many := func(flag string) string {
		q := url.Values{}
		for i := range 60 {
			q.Add("symptom", "filler-"+string(rune('a'+i%26))+strings.Repeat("x", i/26))
		}
		q.Add("symptom", flag)
		return q.Encode()
	}
	// long: a link of n answers ending with flag, over the 4 KiB a query
	// may have (414); past 10,000 answers, more than url.ParseQuery reads.
	long := func(flag string, n int) string {
		var q strings.Builder
		for i := range n {
			fmt.Fprintf(&q, "symptom=answer-%d&", i)
		}
		return q.String() + "symptom=" + flag
	}
	for _, flag := range rules.RedFlags {
		tests := []struct {
			name   string
			path   string
			status int
			// errorSummary: the page also has an error summary, which
			// must come after the card.
			errorSummary bool
		}{
			{"the flag alone", "/symptoms/neck-pain/results?symptom=" + flag.ID, 200, false},
			{"the flag with a symptom", "/symptoms/neck-pain/results?symptom=" + symptom + "&symptom=" + flag.ID, 200, false},
			{"the flag with none", "/symptoms/neck-pain/results?symptom=none&symptom=" + flag.ID, 422, true},
			{"none first, the flag and a symptom", "/symptoms/neck-pain/results?symptom=none&symptom=" + symptom + "&symptom=" + flag.ID, 422, true},
			{"the flag among too many answers", "/symptoms/neck-pain/results?" + many(flag.ID), 400, false},
			{"the flag beside an answer too long", "/symptoms/neck-pain/results?symptom=" + strings.Repeat("x", 65) + "&symptom=" + flag.ID, 400, false},
			{"the flag beside an answer that is not UTF-8", "/symptoms/neck-pain/results?symptom=%ff&symptom=" + flag.ID, 400, false},
			{"the flag after a bad escape", "/symptoms/neck-pain/results?symptom=" + flag.ID + "&symptom=%zz", 400, false},
			{"the form, the flag ticked", "/symptoms/neck-pain?symptom=" + flag.ID, 200, false},
			{"the form, the flag with none", "/symptoms/neck-pain?symptom=none&symptom=" + flag.ID, 200, false},
			{"the form, too many answers", "/symptoms/neck-pain?" + many(flag.ID), 400, false},
			{"an unknown complaint", "/symptoms/no-such-complaint/results?symptom=" + flag.ID, 404, false},
			{"an old link that fits no complaint", "/symptoms/results?symptom=" + flag.ID + "&symptom=gone", 422, true},
			{"an old link with too many answers", "/symptoms/results?" + many(flag.ID), 400, false},
			{"an old form link that fits no complaint", "/symptoms?symptom=" + flag.ID + "&symptom=gone", 422, true},
			{"the flag in an address too long", "/symptoms/neck-pain/results?" + long(flag.ID, 300), 414, false},
			{"the flag after 10,000 answers", "/symptoms/neck-pain/results?" + long(flag.ID, 10_001), 414, false},
			{"the form, an address too long", "/symptoms/neck-pain?" + long(flag.ID, 300), 414, false},
			{"an address too long, with a slash", "/symptoms/neck-pain/results/?" + long(flag.ID, 300), 414, false},
			{"an unknown complaint, an address too long", "/symptoms/no-such-complaint/results?" + long(flag.ID, 300), 414, false},
			{"an old link, an address too long", "/symptoms/results?" + long(flag.ID, 300), 414, false},
		}
		for _, tt := range tests {
			t.Run(flag.ID+"/"+tt.name, func(t *testing.T) {
				rec := do(t, s, http.MethodGet, tt.path)
				if rec.Code != tt.status {
					t.Fatalf("status = %d, want %d", rec.Code, tt.status)
				}
				if got := rec.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store: the page shows a reader's answers", got)
				}
				checkCardFirst(t, htmltest.Parse(t, rec.Body.Bytes()), flag.When, tt.errorSummary)
			})
		}
	}
}

// A reader over the rate limit who ticked a red flag still gets its advice.
func TestRedFlagAdviceOnTooManyRequests(t *testing.T) {
	cfg := testConfig()
	cfg.RateLimit = RateLimit{Requests: 1, Window: 60_000_000_000}
	s, _ := newTestServerWith(t, cfg)
	rules, _ := s.Site().Complaint("neck-pain")
	flag := rules.RedFlags[0]
	path := "/symptoms/neck-pain/results?symptom=" + flag.ID
	if rec := do(t, s, http.MethodGet, path); rec.Code != 200 {
		t.Fatalf("first request: status %d, want 200", rec.Code)
	}
	rec := do(t, s, http.MethodGet, path)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("second request: status %d, want 429", rec.Code)
	}
	if rec.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	checkCardFirst(t, htmltest.Parse(t, rec.Body.Bytes()), flag.When, false)

	// Without a red flag the 429 page is the plain one.
	rec = do(t, s, http.MethodGet, "/symptoms/neck-pain/results?symptom="+rules.Symptoms[0].ID)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("third request: status %d, want 429", rec.Code)
	}
	if cards := htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), ".care-card"); len(cards) != 0 {
		t.Errorf("a 429 for answers without a red flag shows %d care cards", len(cards))
	}
}

// checkCardFirst checks that the first thing in main (after the heading
// of a result, which names the page) is a care card that lists when, and
// that an error summary, if wanted, comes after it.
func checkCardFirst(t *testing.T, doc *html.Node, when string, errorSummary bool) {
	t.Helper()
	main := htmltest.One(t, doc, "main")
	first := firstElement(main)
	if first != nil && first.Data == "h1" && strings.Contains(htmltest.Text(first), "Your results") {
		first = nextElement(first)
	}
	if first == nil || !strings.Contains(attr(first, "class"), "care-card") {
		t.Fatalf("the first thing in main is not a care card: %q", htmltest.Text(main)[:min(200, len(htmltest.Text(main)))])
	}
	if !strings.Contains(htmltest.Text(first), when) {
		t.Errorf("the first care card = %q, want it to list %q", htmltest.Text(first), when)
	}
	summaries := htmltest.All(t, doc, ".error-summary")
	if errorSummary != (len(summaries) == 1) {
		t.Fatalf("%d error summaries, want error summary: %v", len(summaries), errorSummary)
	}
	if errorSummary {
		for n := first; n != nil; n = nextElement(n) {
			if n == summaries[0] {
				return
			}
		}
		t.Error("the error summary does not come after the care card")
	}
}

// Every triage case of the bundled site, asked of the real router as a
// reader's browser would: the first care card and the section links of
// the page are what the case expects. checker.RunCases checks the same
// through the checker's Evaluate; this checks the page shows it.
func TestTriageCasesThroughTheRouter(t *testing.T) {
	s, _ := newTestServer(t)
	n := 0
	for _, c := range s.Site().Complaints {
		if c.Cases == nil {
			t.Fatalf("complaint %s has no triage cases", c.ID)
		}
		for _, cs := range c.Cases.Cases {
			n++
			t.Run(cs.Name, func(t *testing.T) {
				q := url.Values{"symptom": cs.Answers}
				rec := do(t, s, http.MethodGet, "/symptoms/"+c.ID+"/results?"+q.Encode())
				if rec.Code != http.StatusOK && rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", rec.Code)
				}
				doc := htmltest.Parse(t, rec.Body.Bytes())
				first := "none"
				if cards := htmltest.All(t, doc, ".care-card"); len(cards) > 0 {
					class := attr(cards[0], "class")
					for level, cls := range map[string]string{"emergency": "care-card-emergency", "urgent": "care-card-urgent", "soon": "care-card-non-urgent"} {
						if strings.Contains(class, cls) {
							first = level
						}
					}
				}
				if first != cs.FirstCard {
					t.Errorf("first care card %s, want %s", first, cs.FirstCard)
				}
				var links []string
				for _, a := range htmltest.All(t, doc, ".result-title a") {
					links = append(links, strings.TrimPrefix(attr(a, "href"), "/articles/"))
				}
				for _, want := range cs.Sections {
					if !slices.Contains(links, want) {
						t.Errorf("no link to %s among %q", want, links)
					}
				}
				for _, not := range cs.NotSections {
					if slices.Contains(links, not) {
						t.Errorf("a link to %s, which the case rules out", not)
					}
				}
			})
		}
	}
	if n < 25 {
		t.Errorf("%d cases, want the bundled complaint's full set", n)
	}
}
