package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"healthsite/internal/content"
	"healthsite/internal/htmltest"
)

func TestSymptomForm(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/symptoms/neck-pain")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	fieldsets := htmltest.All(t, doc, "form fieldset")
	if len(fieldsets) < 2 {
		t.Fatalf("%d fieldsets, want red flags then symptom groups", len(fieldsets))
	}
	if got := htmltest.Text(htmltest.One(t, fieldsets[0], "legend")); got != "Do you have any of these?" {
		t.Errorf("first question = %q, want the red flags", got)
	}
	boxes := htmltest.All(t, fieldsets[0], `input[type="checkbox"][name="symptom"]`)
	if last := boxes[len(boxes)-1]; attr(last, "value") != "none" {
		t.Errorf("last red-flag option = %q, want none", attr(last, "value"))
	}
	if !strings.Contains(htmltest.Text(doc), "No, I do not have any of these") {
		t.Error("the exclusive option is not labelled")
	}
	for _, fs := range fieldsets {
		htmltest.One(t, fs, "legend")
	}
	for _, box := range htmltest.All(t, doc, `input[type="checkbox"]`) {
		htmltest.One(t, doc, `label[for="`+attr(box, "id")+`"]`)
		if _, checked := htmltest.Attr(box, "checked"); checked {
			t.Errorf("%s is ticked on a fresh form", attr(box, "id"))
		}
	}
	form := htmltest.One(t, doc, "form.symptom-form")
	if attr(form, "method") != "get" || attr(form, "action") != "/symptoms/neck-pain/results" {
		t.Errorf("form method=%q action=%q, want a GET to /symptoms/neck-pain/results", attr(form, "method"), attr(form, "action"))
	}
	htmltest.One(t, form, `button[type="submit"]`)
	text := htmltest.Text(doc)
	for _, want := range []string{"This is not a diagnosis", "Questions last reviewed: 24 November 2026", "Along with neck pain. Select all that apply."} {
		if !strings.Contains(text, want) {
			t.Errorf("form page does not say %q", want)
		}
	}
	// The checker knows only the signs its rules list: the lede says it
	// tells whether anything ticked is one, not whether to get help.
	lede := htmltest.Text(htmltest.One(t, doc, "main .lede"))
	if want := "We will tell you if anything you tick means you should see a doctor promptly"; !strings.Contains(lede, want) {
		t.Errorf("lede = %q, want it to say %q", lede, want)
	}
}

// The home page says only what is true and can be checked: the same
// words in its title and heading, and a callout promising only what the
// checker does.
func TestHomePromisesOnlyWhatIsTrue(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	const tagline = "Health information from cited sources, reviewed on a schedule"
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != tagline {
		t.Errorf("h1 = %q, want %q", got, tagline)
	}
	if got := htmltest.Text(htmltest.One(t, doc, "title")); got != tagline+" - Healthsite" {
		t.Errorf("title = %q, want the heading's words", got)
	}
	callout := htmltest.Text(htmltest.One(t, doc, ".callout"))
	if want := "We will tell you if anything you tick means you should see a doctor promptly"; !strings.Contains(callout, want) {
		t.Errorf("callout = %q, want it to say %q", callout, want)
	}
	text := htmltest.Text(doc)
	for _, claim := range []string{"you can trust", "tell you when to see a doctor"} {
		if strings.Contains(text, claim) {
			t.Errorf("the home page still claims %q", claim)
		}
	}
}

func TestSymptomFormPreTicks(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/symptoms/neck-pain?symptom=dizziness&symptom=stiff-neck&symptom=gone")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	var ticked []string
	for _, box := range htmltest.All(t, doc, `input[checked]`) {
		ticked = append(ticked, attr(box, "value"))
	}
	if strings.Join(ticked, ",") != "dizziness,stiff-neck" {
		t.Errorf("ticked = %v, want dizziness and stiff-neck", ticked)
	}
}

func TestSymptomResults(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/symptoms/neck-pain/results?symptom=limited-movement&symptom=arm-numbness&symptom=tight-muscles&symptom=limited-movement")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	for header, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8"} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	main := htmltest.One(t, doc, "main")

	// The red-flag card comes before everything else in main but the h1.
	first := nextElement(firstElement(main))
	if first == nil || !strings.Contains(attr(first, "class"), "care-card-urgent") {
		t.Fatalf("first block after the h1 is %v, want the urgent care card", first)
	}
	heading := htmltest.Text(htmltest.One(t, first, "h2"))
	if heading != "Urgent advice: See a doctor promptly if:" {
		t.Errorf("card heading = %q", heading)
	}
	htmltest.One(t, first, "h2 .visually-hidden")
	// The card says the sign in words, completing its heading, then the
	// advice once (the rules' "when" and "advice").
	if got := htmltest.Text(htmltest.One(t, first, "li")); got != "you feel numbness in an arm and have neck pain" {
		t.Errorf("card lists %q, want the ticked sign in words", got)
	}
	if got := htmltest.All(t, first, "p"); len(got) != 1 || htmltest.Text(got[0]) != "Neck pain like this needs prompt medical attention: see a doctor promptly." {
		t.Errorf("card gives %d advice paragraphs, want the advice once", len(got))
	}

	items := htmltest.All(t, doc, ".result-item")
	if len(items) != 2 {
		t.Fatalf("%d sections, want 2", len(items))
	}
	// Muscle tension is reached by both ticked symptoms, so it comes first.
	link := htmltest.One(t, items[0], ".result-title a")
	if got, want := attr(link, "href"), "/articles/"+seedSlug+"#muscle-tension-and-protective-spasm"; got != want {
		t.Errorf("first section = %q, want %q", got, want)
	}
	if got := htmltest.Text(htmltest.One(t, items[0], ".because")); !strings.Contains(got, "as far or as freely") || !strings.Contains(got, "tight or clenched") {
		t.Errorf("because = %q, want both ticked symptoms", got)
	}
	text := htmltest.Text(main)
	for _, want := range []string{"This is not a diagnosis", "If your symptoms get worse or you are worried, get medical help"} {
		if !strings.Contains(text, want) {
			t.Errorf("result does not say %q", want)
		}
	}
	if strings.Contains(strings.ToLower(text), "you have ") {
		t.Error("result words suggest a diagnosis (\"you have ...\")")
	}
	change := htmltest.One(t, doc, `a[href^="/symptoms/neck-pain?"]`)
	if got, want := attr(change, "href"), "/symptoms/neck-pain?symptom=limited-movement&symptom=arm-numbness&symptom=tight-muscles"; got != want {
		t.Errorf("change link = %q, want %q (duplicates once)", got, want)
	}
	share := htmltest.One(t, doc, ".share-url a")
	if got, want := attr(share, "href"), "https://health.example.org/symptoms/neck-pain/results?symptom=limited-movement&symptom=arm-numbness&symptom=tight-muscles"; got != want {
		t.Errorf("share link = %q, want %q", got, want)
	}
	for i, item := range items {
		link := attr(htmltest.One(t, item, ".result-title a"), "href")
		if got := htmltest.Text(htmltest.One(t, item, ".print-url")); got != "https://health.example.org"+link {
			t.Errorf("section %d prints %q, want its full address", i+1, got)
		}
	}
	canon := htmltest.One(t, doc, `link[rel="canonical"]`)
	if got, want := attr(canon, "href"), "https://health.example.org/symptoms/neck-pain"; got != want {
		t.Errorf("canonical = %q, want %q: results are views of the form, not pages to index", got, want)
	}
	// The rules' review dates, as articles show theirs.
	if dates := htmltest.Text(htmltest.One(t, doc, ".review-dates")); !strings.Contains(dates, "Questions last reviewed: 24 November 2026") || !strings.Contains(dates, "Next review due: 24 November 2027") {
		t.Errorf("review dates = %q", dates)
	}
	if n := len(htmltest.All(t, doc, ".review-notice")); n != 0 {
		t.Error("rules not yet due for review show the overdue notice")
	}

	again := do(t, s, "GET", "/symptoms/neck-pain/results?symptom=limited-movement&symptom=arm-numbness&symptom=tight-muscles&symptom=limited-movement")
	if again.Body.String() != rec.Body.String() {
		t.Error("the same result URL gave a different page")
	}
}

// With every red flag ticked, the card lists each sign in words, in the
// order of the link (the form's, when it is sent), and gives the advice
// once; the safety net repeats the
// source's thresholds whatever was ticked.
func TestSymptomResultsEveryRedFlag(t *testing.T) {
	s, _ := newTestServer(t)
	for _, tt := range []struct {
		name, query string
		conditions  []string
	}{
		{"every red flag", "symptom=pain-over-three-days&symptom=dizziness&symptom=arm-numbness", []string{
			"your neck pain has lasted more than 3 days",
			"you feel dizzy and have neck pain",
			"you feel numbness in an arm and have neck pain",
		}},
		{"no red flag", "symptom=stiff-neck", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, "GET", "/symptoms/neck-pain/results?"+tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d", rec.Code)
			}
			doc := htmltest.Parse(t, rec.Body.Bytes())
			cards := htmltest.All(t, doc, ".care-card")
			if len(tt.conditions) == 0 {
				if len(cards) != 0 {
					t.Errorf("%d care cards without a red flag ticked", len(cards))
				}
			} else {
				if len(cards) != 1 {
					t.Fatalf("%d care cards, want one for the urgent level", len(cards))
				}
				var got []string
				for _, li := range htmltest.All(t, cards[0], "li") {
					got = append(got, htmltest.Text(li))
				}
				if strings.Join(got, "|") != strings.Join(tt.conditions, "|") {
					t.Errorf("conditions\n got %q\nwant %q", got, tt.conditions)
				}
				if n := strings.Count(htmltest.Text(cards[0]), "needs prompt medical attention"); n != 1 {
					t.Errorf("the advice is given %d times, want once", n)
				}
			}
			safety := htmltest.Text(htmltest.One(t, doc, ".safety-net"))
			if want := "See a doctor promptly if your neck pain lasts more than 3 days. See a doctor promptly too if you start to feel dizzy or an arm starts to feel numb."; !strings.Contains(safety, want) {
				t.Errorf("safety net = %q, want the source's thresholds: %q", safety, want)
			}
		})
	}
}

func TestSymptomResultsBadInput(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct {
		name       string
		method     string
		query      string
		wantStatus int
		wantText   []string
	}{
		{"nothing ticked", "GET", "", 422, []string{"There is a problem", "Select at least one thing you feel"}},
		{"only unknown ids", "GET", "symptom=gone&symptom=also-gone", 422, []string{"There is a problem"}},
		{"none with a red flag", "GET", "symptom=none&symptom=dizziness&symptom=stiff-neck", 422, []string{`Select "No, I do not have any of these" or the problems you have, not both`}},
		{"unknown among known", "GET", "symptom=stiff-neck&symptom=gone&symptom=%3Cb%3Eold%3C%2Fb%3E", 200, []string{"2 answers in this link are no longer recognised"}},
		{"too many values", "GET", strings.Repeat("symptom=stiff-neck&", 51), 400, []string{"could not understand"}},
		{"value too long", "GET", "symptom=" + strings.Repeat("x", 65), 400, []string{"could not understand"}},
		{"invalid UTF-8", "GET", "symptom=%ff", 400, []string{"could not understand"}},
		{"bad escape", "GET", "symptom=%zz", 400, []string{"could not understand"}},
		{"POST", "POST", "symptom=stiff-neck", 405, nil},
		{"PUT", "PUT", "symptom=stiff-neck", 405, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, tt.method, "/symptoms/neck-pain/results?"+tt.query)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			body := rec.Body.String()
			if strings.Contains(body, "<b>old") || strings.Contains(body, "goroutine") {
				t.Error("the page echoes input unescaped or shows a stack trace")
			}
			doc := htmltest.Parse(t, rec.Body.Bytes())
			text := htmltest.Text(doc)
			for _, want := range tt.wantText {
				if !strings.Contains(text, want) {
					t.Errorf("page does not say %q", want)
				}
			}
			if tt.wantStatus != 422 {
				return
			}
			title := htmltest.Text(htmltest.One(t, doc, "title"))
			if !strings.HasPrefix(title, "Error: ") {
				t.Errorf("title = %q, want an Error: prefix", title)
			}
			summary := htmltest.One(t, doc, ".error-summary")
			// The error summary comes first, after any care card (red
			// flags first: redflags_test.go).
			first := firstElement(htmltest.One(t, doc, "main"))
			for first != nil && strings.Contains(attr(first, "class"), "care-card") {
				first = nextElement(first)
			}
			if first != summary {
				t.Errorf("error summary is not the first thing in main after the care cards")
			}
			for _, a := range htmltest.All(t, summary, "a") {
				target := strings.TrimPrefix(attr(a, "href"), "#")
				htmltest.One(t, doc, `input[id="`+target+`"]`)
			}
			// The message beside the field is marked as the field's error
			// and read out with it.
			msg := htmltest.One(t, doc, ".error-message")
			group := htmltest.One(t, doc, ".form-group-error")
			fieldset := htmltest.One(t, group, "fieldset")
			if !strings.Contains(" "+attr(fieldset, "aria-describedby")+" ", " "+attr(msg, "id")+" ") {
				t.Errorf("fieldset aria-describedby = %q, want it to name the error %q", attr(fieldset, "aria-describedby"), attr(msg, "id"))
			}
			htmltest.One(t, group, ".error-message")
		})
	}
}

// Every link a result can give must land on an element with that id in the
// article page.
func TestEveryResultLinkLandsOnASection(t *testing.T) {
	s, _ := newTestServer(t)
	rules, _ := s.Site().Complaint("neck-pain")
	articleIDs := map[string]map[string]bool{}
	ids := func(path string) map[string]bool {
		if got, ok := articleIDs[path]; ok {
			return got
		}
		rec := do(t, s, "GET", path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, rec.Code)
		}
		found := map[string]bool{}
		for _, n := range htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), "[id]") {
			found[attr(n, "id")] = true
		}
		articleIDs[path] = found
		return found
	}
	for _, sy := range rules.Symptoms {
		t.Run(sy.ID, func(t *testing.T) {
			rec := do(t, s, "GET", "/symptoms/neck-pain/results?symptom="+url.QueryEscape(sy.ID))
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d", rec.Code)
			}
			links := htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), ".result-title a")
			if len(links) == 0 {
				t.Fatal("no sections in the result")
			}
			for _, l := range links {
				path, frag, _ := strings.Cut(attr(l, "href"), "#")
				if !ids(path)[frag] {
					t.Errorf("%s links to #%s, which %s does not have", sy.ID, frag, path)
				}
			}
		})
	}
}

func firstElement(n *html.Node) *html.Node {
	c := n.FirstChild
	for c != nil && c.Type != html.ElementNode {
		c = c.NextSibling
	}
	return c
}

func nextElement(n *html.Node) *html.Node {
	if n == nil {
		return nil
	}
	c := n.NextSibling
	for c != nil && c.Type != html.ElementNode {
		c = c.NextSibling
	}
	return c
}

func TestResultCardsMostUrgentFirst(t *testing.T) {
	body := "\n## Cause\n\nText.\n\n## When to get medical help\n\nNow.\n"
	fm := "---\ntitle: T\nsummary: S\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n"
	rules := `id: t
name: T pain
description: Pain in t.
last_reviewed: 2026-01-01
next_review: 2027-01-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Any of these?
  flags:
    - {id: later, label: Later flag, when: the later flag is there, level: soon, advice: Book an appointment.}
    - {id: now, label: Now flag, when: the now flag is there, level: emergency, advice: Call now.}
    - {id: today, label: Today flag, when: the today flag is there, level: urgent, advice: See a doctor today.}
symptom_groups:
  - question: Pain
    symptoms:
      - {id: sore, label: Sore, sections: [{to: t#cause}]}
`
	site, err := content.Load(fstest.MapFS{"t.md": {Data: []byte(fm + body)}, "complaints/t.yaml": {Data: []byte(rules)}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, Config{BaseURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, s, "GET", "/symptoms/t/results?symptom=later&symptom=sore&symptom=today&symptom=now")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	var got []string
	for _, h := range htmltest.All(t, doc, ".care-card h2") {
		got = append(got, htmltest.Text(h))
	}
	want := []string{
		"Emergency: Call your emergency number or go to an emergency department now if:",
		"Urgent advice: See a doctor promptly if:",
		"Non-urgent advice: Speak to a doctor if:",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cards =\n%q\nwant\n%q", got, want)
	}
	if links := htmltest.All(t, doc, ".care-card-emergency a"); len(links) != 0 {
		t.Errorf("the emergency card has %d links away from it, want none", len(links))
	}
	if card := nextElement(firstElement(htmltest.One(t, doc, "main"))); !strings.Contains(attr(card, "class"), "care-card-emergency") {
		t.Errorf("the emergency card is not the first thing after the heading")
	}
}

func attr(n *html.Node, name string) string {
	v, _ := htmltest.Attr(n, name)
	return v
}
