package web

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"healthsite/internal/htmltest"
)

// Component tests: each renders a component from a literal view model, as
// internal/pages would build it, and reads the HTML with a parser. No site
// is loaded.

func render(t *testing.T, c templ.Component) *html.Node {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return htmltest.Parse(t, buf.Bytes())
}

func attr(n *html.Node, name string) string {
	v, _ := htmltest.Attr(n, name)
	return v
}

var testHead = Head{Title: "A page", Description: "What it is.", Canonical: "https://health.example.org/a", Stylesheet: "/static/site.0123456789.css", OGType: "website"}

var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func TestLayout(t *testing.T) {
	doc := render(t, ErrorPage(testHead, ErrorView{Heading: "Page not found", Message: "Check the address."}))
	if got := htmltest.Text(htmltest.One(t, doc, "title")); got != "A page - "+SiteName {
		t.Errorf("title = %q", got)
	}
	htmltest.One(t, doc, `html[lang="en-GB"]`)
	htmltest.One(t, doc, `link[rel="canonical"][href="https://health.example.org/a"]`)
	htmltest.One(t, doc, `a.skip-link[href="#main-content"]`)
	htmltest.One(t, doc, `main#main-content`)
	htmltest.One(t, doc, `nav[aria-label="Main"]`)
	htmltest.One(t, doc, `link[rel="alternate"][type="application/atom+xml"][href="/feed.xml"]`)
	if !strings.Contains(htmltest.Text(htmltest.One(t, doc, "footer")), "It is not a diagnosis") {
		t.Error("the footer does not say the site is not a diagnosis")
	}
	if n := len(htmltest.All(t, doc, `meta[name="robots"]`)); n != 0 {
		t.Error("a page to index says noindex")
	}

	withErrors := testHead
	withErrors.ErrorPrefix, withErrors.NoIndex, withErrors.Canonical = true, true, ""
	doc = render(t, ErrorPage(withErrors, ErrorView{}))
	if got := htmltest.Text(htmltest.One(t, doc, "title")); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("a page with errors is titled %q, want it to start with Error:", got)
	}
	htmltest.One(t, doc, `meta[name="robots"][content="noindex"]`)
	if n := len(htmltest.All(t, doc, `link[rel="canonical"]`)); n != 0 {
		t.Error("a page without an address has a canonical link")
	}
}

func TestJSONLDCannotCloseItsScript(t *testing.T) {
	h := testHead
	h.JSONLD = map[string]string{"headline": `</script><script>alert(1)</script>`}
	doc := render(t, ErrorPage(h, ErrorView{}))
	scripts := htmltest.All(t, doc, "script")
	if len(scripts) != 1 || attr(scripts[0], "type") != "application/ld+json" {
		t.Fatalf("want one JSON-LD script element, got %d", len(scripts))
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(htmltest.Text(scripts[0])), &got); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	if got["headline"] != `</script><script>alert(1)</script>` {
		t.Errorf("headline = %q", got["headline"])
	}
}

func TestDevBanner(t *testing.T) {
	h := testHead
	h.Dev = DevPreview{Script: "/static/dev.0123456789.js", Problems: []string{"a.md:3: front matter: <b>bad</b>"}}
	doc := render(t, ErrorPage(h, ErrorView{}))
	banner := htmltest.One(t, doc, `.dev-banner[role="alert"]`)
	if got := htmltest.Text(htmltest.One(t, banner, "code")); got != "a.md:3: front matter: <b>bad</b>" {
		t.Errorf("problem shown as %q: it must be text, escaped", got)
	}
	htmltest.One(t, doc, `script[src="/static/dev.0123456789.js"][defer]`)
}

func TestArticlePage(t *testing.T) {
	v := ArticleView{
		Title: "Neck pain", Summary: "Why it hurts.", Author: "The team",
		LastReviewed: day, NextReview: day.AddDate(1, 0, 0),
		IntroHTML: "<p>Intro.</p>", Care: Urgent,
		Sections: []ArticleSection{
			{ID: "cause", Title: "A cause", HTML: `<h2 id="cause">A cause</h2><p>Text.</p>`},
			{ID: "when-to-get-medical-help", Title: "When to get medical help", HTML: `<h2 id="when-to-get-medical-help">When to get medical help</h2>`, Urgent: true},
		},
		Sources: []Source{{Title: "A paper", Author: "Dr A", Publisher: "A press", Date: day, URL: "https://example.org/p"}},
		URL:     "https://health.example.org/articles/neck-pain",
		Share:   []ShareLink{{Name: "Email", URL: "mailto:?subject=Neck%20pain"}},
		Related: []Link{{Title: "Back pain", URL: "/articles/back-pain"}},
	}
	doc := render(t, ArticlePage(testHead, v))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Neck pain" {
		t.Errorf("h1 = %q", got)
	}
	var contents []string
	for _, a := range htmltest.All(t, doc, "nav.contents a") {
		contents = append(contents, attr(a, "href"))
	}
	if strings.Join(contents, " ") != "#cause #when-to-get-medical-help" {
		t.Errorf("contents link to %v", contents)
	}
	htmltest.One(t, doc, `section.care-card.care-card-urgent[aria-labelledby="when-to-get-medical-help"]`)
	if n := len(htmltest.All(t, doc, "section.care-card")); n != 1 {
		t.Errorf("%d care cards, want only the urgent section", n)
	}
	htmltest.One(t, doc, `.review-dates time[datetime="2026-11-24"]`)
	htmltest.One(t, doc, `.review-dates time[datetime="2027-11-24"]`)
	if got := htmltest.Text(htmltest.One(t, doc, ".byline")); got != "Written by The team. Not reviewed by a clinician." {
		t.Errorf("byline = %q", got)
	}
	htmltest.One(t, doc, `.sources a[rel="external noopener noreferrer"][href="https://example.org/p"]`)
	htmltest.One(t, doc, `.related a[href="/articles/back-pain"]`)
	htmltest.One(t, doc, `button[data-copy-url="https://health.example.org/articles/neck-pain"]`)
	if n := len(htmltest.All(t, doc, ".review-notice")); n != 0 {
		t.Error("a current article shows the review notice")
	}

	// The card's colour follows its level (its words are in the heading,
	// which the Markdown renderer makes).
	for care, class := range map[Urgency]string{Emergency: "care-card-emergency", Soon: "care-card-non-urgent"} {
		v := v
		v.Care = care
		doc := render(t, ArticlePage(testHead, v))
		htmltest.One(t, doc, "section.care-card."+class)
	}

	v.ReviewOverdue = true
	v.Related = nil
	doc = render(t, ArticlePage(testHead, v))
	if !strings.Contains(htmltest.Text(htmltest.One(t, doc, ".review-notice")), "due for review") {
		t.Error("an overdue article does not say it is due for review")
	}
	if n := len(htmltest.All(t, doc, ".related")); n != 0 {
		t.Error("an article with no related articles shows the related block")
	}
}

// The byline says whether a clinician signed off the text as it is, in
// all three states: a missing name is never left for readers to guess at,
// and an edit since the sign-off is never hidden behind a name. The
// review dates at the end say the same.
func TestArticleBylineSaysWhoReviewedIt(t *testing.T) {
	signed := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		author   string
		clinical ClinicalReview
		want     string
	}{
		{"reviewed", "The team", ClinicalReview{State: ReviewedByClinician, By: "Dr A. Example, GP", Date: signed}, "Written by The team. Reviewed by Dr A. Example, GP on 4 December 2026."},
		{"changed since", "The team", ClinicalReview{State: ChangedSinceClinicalReview, By: "Dr A. Example, GP", Date: signed}, "Written by The team. Changed since it was reviewed by a clinician on 4 December 2026."},
		{"not reviewed", "The team", ClinicalReview{}, "Written by The team. Not reviewed by a clinician."},
		{"no author", "", ClinicalReview{}, "Not reviewed by a clinician."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ArticleView{Title: "T", Author: tt.author, Clinical: tt.clinical, LastReviewed: day, NextReview: day}
			doc := render(t, ArticlePage(testHead, v))
			if got := htmltest.Text(htmltest.One(t, doc, ".byline")); got != tt.want {
				t.Errorf("byline = %q, want %q", got, tt.want)
			}
			if got := htmltest.Text(htmltest.One(t, doc, "dl.review-dates")); !strings.Contains(got, tt.clinical.Sentence()) {
				t.Errorf("review dates %q do not say %q", got, tt.clinical.Sentence())
			}
			if tt.clinical.State == ChangedSinceClinicalReview && strings.Contains(htmltest.Text(doc), tt.clinical.By) {
				t.Errorf("the page names %q, whose sign-off has lapsed", tt.clinical.By)
			}
		})
	}
}

func TestAboutPageSaysUnreviewedArticlesAreNotReviewedByAClinician(t *testing.T) {
	doc := render(t, AboutPage(testHead, AboutView{}))
	text := htmltest.Text(htmltest.One(t, doc, "main"))
	for _, want := range []string{`Pages that no clinician has reviewed say so: "Not reviewed by a clinician".`, "the page says it has changed since a clinician reviewed it"} {
		if !strings.Contains(text, want) {
			t.Errorf("the about page does not say %q", want)
		}
	}
	htmltest.One(t, doc, "h2#clinical-review")
	if n := len(htmltest.All(t, doc, "h2#how-the-checker-is-tested")); n != 0 {
		t.Error("a site without triage cases says how its checker is tested")
	}
}

// The about page says how the checker is tested, with its counts.
func TestAboutPageCountsTheCases(t *testing.T) {
	doc := render(t, AboutPage(testHead, AboutView{Cases: CaseCounts{Total: 1031, Emergency: 2, Urgent: 9, NoSign: 1020}}))
	htmltest.One(t, doc, "h2#how-the-checker-is-tested")
	if want := "1,031 test cases, all passing: 2 emergency, 9 urgent, 1,020 with no urgent sign."; !strings.Contains(htmltest.Text(doc), want) {
		t.Errorf("the about page does not say %q", want)
	}
}

// Plain language: no sentence on the about page is over 25 words.
func TestAboutPageIsPlain(t *testing.T) {
	doc := render(t, AboutPage(testHead, AboutView{Cases: CaseCounts{Total: 29, Urgent: 10, NoSign: 19}, FeedbackMonths: 18}))
	for _, p := range htmltest.All(t, doc, "main p") {
		for _, s := range regexp.MustCompile(`[.!?]\s+`).Split(htmltest.Text(p), -1) {
			if n := len(strings.Fields(s)); n > 25 {
				t.Errorf("a sentence of %d words: %q", n, s)
			}
		}
	}
}

func TestHomePage(t *testing.T) {
	v := HomeView{
		Recent: []ArticleCard{
			{Title: "Back pain", URL: "/articles/back-pain", Summary: "Why.", LastReviewed: day},
			{Title: "Neck pain", URL: "/articles/neck-pain", Summary: "Why.", LastReviewed: day},
		},
		Topics:         []TopicLink{{Name: "Muscles and joints", URL: "/topics/muscles-and-joints", Count: 12}},
		Letters:        []LetterLink{{Label: "A"}, {Label: "B", URL: "/a-z/b"}, {Label: "N", URL: "/a-z/n"}},
		Total:          2,
		CheckerPromise: "Tick what you feel. We will tell you if anything you tick means you should get emergency help.",
	}
	doc := render(t, HomePage(testHead, v))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != SiteTagline {
		t.Errorf("h1 = %q, want the tagline the title uses too", got)
	}
	links := htmltest.All(t, doc, ".article-list a")
	if len(links) != 2 || attr(links[1], "href") != "/articles/neck-pain" {
		t.Errorf("home lists %d recently reviewed articles", len(links))
	}
	form := htmltest.One(t, doc, `main form[action="/search"][method="get"]`)
	input := htmltest.One(t, form, `input[name="q"][type="search"]`)
	htmltest.One(t, form, `label[for="`+attr(input, "id")+`"]`)
	if got := htmltest.Text(htmltest.All(t, doc, "main .callout p")[0]); got != v.CheckerPromise {
		t.Errorf("the checker's callout says %q, want the promise pages made from its rules", got)
	}
	htmltest.One(t, doc, `main .callout a[href="/symptoms"]`)
	htmltest.One(t, doc, `.topic-list a[href="/topics/muscles-and-joints"]`)
	htmltest.One(t, doc, `main a[href="/topics"]`)
	letters := htmltest.All(t, doc, ".az-nav a")
	if len(letters) != 2 || attr(letters[0], "href") != "/a-z/b" {
		t.Errorf("the A to Z links %d letters, want the two with articles", len(letters))
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".az-empty")); got != "No articles starting with A" {
		t.Errorf("a letter without articles reads %q", got)
	}
}

func TestChooserPage(t *testing.T) {
	v := ChooserView{
		Heading: "What is your main symptom?", Lede: "Choose one.", ListID: "complaints",
		Groups: []ComplaintGroup{
			{Title: "Muscles and joints", Complaints: []ComplaintLink{
				{Name: "Back pain", Description: "Pain in your back.", URL: "/symptoms/back-pain"},
				{Name: "Knee pain", Description: "Pain in your knee.", URL: "/symptoms/knee-pain"},
			}},
			{Title: "Other symptoms", Complaints: []ComplaintLink{{Name: "Headache", Description: "Pain in your head.", URL: "/symptoms/headache"}}},
		},
	}
	doc := render(t, ChooserPage(testHead, v))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "What is your main symptom?" {
		t.Errorf("h1 = %q", got)
	}
	var groups []string
	for _, h := range htmltest.All(t, doc, "#complaints h2") {
		groups = append(groups, htmltest.Text(h))
	}
	if strings.Join(groups, "|") != "Muscles and joints|Other symptoms" {
		t.Errorf("groups %q", groups)
	}
	lists := htmltest.All(t, doc, "#complaints ul.complaint-list")
	if len(lists) != 2 || len(htmltest.All(t, lists[0], "li")) != 2 {
		t.Fatalf("%d lists of complaints, want 2 (2 complaints in the first)", len(lists))
	}
	link := htmltest.One(t, lists[1], "a")
	if attr(link, "href") != "/symptoms/headache" || htmltest.Text(link) != "Headache" {
		t.Errorf("link %q to %q", htmltest.Text(link), attr(link, "href"))
	}
	if got := htmltest.Text(htmltest.One(t, lists[1], ".complaint-description")); got != "Pain in your head." {
		t.Errorf("description = %q", got)
	}
	if !strings.Contains(htmltest.Text(doc), "This is not a diagnosis") {
		t.Error("the chooser does not say it is not a diagnosis")
	}
	if n := len(htmltest.All(t, doc, ".error-summary")); n != 0 {
		t.Error("a chooser without errors shows an error summary")
	}

	// Complaints in no category are listed without a heading.
	v.Groups = []ComplaintGroup{{Complaints: v.Groups[1].Complaints}}
	v.Errors = []FormError{{Target: "complaints", Message: "We could not tell which symptom."}}
	doc = render(t, ChooserPage(testHead, v))
	if n := len(htmltest.All(t, doc, "#complaints h2")); n != 0 {
		t.Errorf("%d group headings for complaints in no category", n)
	}
	htmltest.One(t, doc, `.error-summary[role="alert"] a[href="#complaints"]`)
	htmltest.One(t, doc, `#complaints[tabindex="-1"]`)
}

func TestSymptomFormPage(t *testing.T) {
	v := SymptomFormView{
		Caption: "Check your symptoms", Heading: "Back pain", Lede: "Tick what you feel.", ChooseURL: "/symptoms", Action: "/symptoms/back-pain/results",
		RedFlags: Question{ID: "red-flags", Legend: "Do you have any of these?", Hint: "Along with back pain.",
			Options: []Option{{Value: "dizziness", Label: "Feeling dizzy", Checked: true}}},
		None: Option{Value: "none", Label: "No, I do not have any of these"},
		Groups: []Question{
			{ID: "group-pain", Legend: "Pain", Hint: "Select all that apply.", Options: []Option{{Value: "sore", Label: "Sore", Hint: "Where you press."}}},
			{ID: "group-movement", Legend: "Movement", Options: []Option{{Value: "stiff", Label: "Stiff"}}},
		},
		Review: RulesReview{LastReviewed: day, NextReview: day.AddDate(1, 0, 0)},
	}
	doc := render(t, SymptomFormPage(testHead, v))
	h1 := htmltest.One(t, doc, "h1")
	// Text puts a space between text nodes: the caption's hidden colon is one.
	if got := strings.ReplaceAll(htmltest.Text(h1), " :", ":"); got != "Check your symptoms: Back pain" {
		t.Errorf("h1 = %q, want the caption and the complaint", got)
	}
	htmltest.One(t, h1, ".caption")
	htmltest.One(t, doc, `main a[href="/symptoms"]`)
	if got := htmltest.Text(htmltest.One(t, doc, "#red-flags-hint")); got != "Along with back pain." {
		t.Errorf("red flag hint = %q", got)
	}
	// A question without a hint has no hint paragraph, and is described
	// by nothing that is not there.
	if n := len(htmltest.All(t, doc, "#group-movement-hint")); n != 0 {
		t.Error("a question without a hint shows one")
	}
	if _, ok := htmltest.Attr(htmltest.One(t, doc, "fieldset#group-movement"), "aria-describedby"); ok {
		t.Error("a question without a hint or an error has aria-describedby")
	}
	form := htmltest.One(t, doc, `form[method="get"][action="/symptoms/back-pain/results"]`)
	htmltest.One(t, form, `#symptom-dizziness[checked]`)
	htmltest.One(t, form, `[data-exclusive-group] #symptom-none[data-exclusive]`)
	htmltest.One(t, form, `#symptom-sore[aria-describedby="symptom-sore-hint"]`)
	for _, box := range htmltest.All(t, form, "input") {
		htmltest.One(t, form, `label[for="`+attr(box, "id")+`"]`)
	}
	if n := len(htmltest.All(t, doc, ".error-summary")) + len(htmltest.All(t, doc, ".error-message")); n != 0 {
		t.Error("a fresh form shows errors")
	}
	dates := htmltest.Text(htmltest.One(t, doc, ".review-dates"))
	for _, want := range []string{"Questions last reviewed: 24 November 2026", "Next review due: 24 November 2027"} {
		if !strings.Contains(dates, want) {
			t.Errorf("review dates %q do not say %q", dates, want)
		}
	}
	if n := len(htmltest.All(t, doc, ".review-notice")); n != 0 {
		t.Error("rules not due for review show the notice")
	}

	v.Groups[0].Error = "Select at least one thing you feel"
	v.Errors = []FormError{{Target: "symptom-sore", Message: "Select at least one thing you feel"}}
	v.Review.Overdue = true
	doc = render(t, SymptomFormPage(testHead, v))
	htmltest.One(t, doc, `.error-summary a[href="#symptom-sore"]`)
	fs := htmltest.One(t, doc, `fieldset#group-pain`)
	if got := attr(fs, "aria-describedby"); got != "group-pain-hint group-pain-error" {
		t.Errorf("fieldset aria-describedby = %q, want the hint and the error", got)
	}
	htmltest.One(t, doc, `.form-group-error #group-pain-error.error-message`)
	if got := attr(htmltest.One(t, doc, "fieldset#red-flags"), "aria-describedby"); got != "red-flags-hint" {
		t.Errorf("a question without an error is described by %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".review-notice")); !strings.HasPrefix(got, "This page is due for review.") {
		t.Errorf("overdue notice = %q", got)
	}
}

func TestResultPage(t *testing.T) {
	v := ResultView{
		Cards: []CareCard{
			{Urgency: Emergency, Conditions: []string{"you have chest pain"}, Advice: []string{"Call now."}},
			{Urgency: Urgent, Conditions: []string{"you feel dizzy and have back pain"}, Advice: []string{"See a doctor promptly."}},
		},
		SafetyNet: "See a doctor promptly if your back pain lasts more than 3 days.",
		Unknown:   2,
		Sections:  []ResultSection{{Title: "A cause", URL: "/articles/a#cause", ArticleTitle: "A", Excerpt: "Text.", Because: []string{"Sore", "Stiff"}}},
		Answers:   []string{"Feeling dizzy", "Sore"},
		ChangeURL: "/symptoms/back-pain?symptom=dizziness", ShareURL: "https://health.example.org/symptoms/back-pain/results?symptom=dizziness", SiteURL: "https://health.example.org",
		Caption: "Back pain",
		Review:  RulesReview{LastReviewed: day, NextReview: day.AddDate(1, 0, 0), Clinical: ClinicalReview{State: ReviewedByClinician, By: "Dr A. Example", Date: day}},
	}
	doc := render(t, ResultPage(testHead, v))
	if got := strings.ReplaceAll(htmltest.Text(htmltest.One(t, doc, "h1")), " :", ":"); got != "Back pain: Your results" {
		t.Errorf("h1 = %q, want the complaint as a caption, then Your results", got)
	}
	cards := htmltest.All(t, doc, ".care-card")
	if len(cards) != 2 || !strings.Contains(attr(cards[0], "class"), "care-card-emergency") {
		t.Fatalf("cards: %d, first %q; want the emergency first", len(cards), attr(cards[0], "class"))
	}
	if got := htmltest.Text(htmltest.One(t, cards[0], "h2")); !strings.HasPrefix(got, "Emergency: ") {
		t.Errorf("the emergency card's heading %q does not say its urgency in words", got)
	}
	if !strings.Contains(htmltest.Text(doc), "2 answers in this link are no longer recognised") {
		t.Error("unknown answers are not mentioned")
	}
	htmltest.One(t, doc, `.result-list a[href="/articles/a#cause"]`)
	if got := htmltest.Text(htmltest.One(t, doc, ".because")); got != "Because you ticked: Sore; Stiff" {
		t.Errorf("because = %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".print-url")); got != "https://health.example.org/articles/a#cause" {
		t.Errorf("printed address = %q", got)
	}
	htmltest.One(t, doc, `.notice-not-diagnosis`)
	safety := htmltest.All(t, doc, ".safety-net p")
	if len(safety) != 2 || htmltest.Text(safety[0]) != "See a doctor promptly if your back pain lasts more than 3 days." {
		t.Errorf("safety net = %d paragraphs, want the complaint's thresholds first, then the general advice", len(safety))
	}
	if n := len(htmltest.All(t, doc, `a[href="/symptoms/back-pain?symptom=dizziness"]`)); n != 2 {
		t.Errorf("%d links to change the answers, want 2 (unknown answers, and after the answers)", n)
	}
	dates := htmltest.Text(htmltest.One(t, doc, ".review-dates"))
	for _, want := range []string{"Questions last reviewed: 24 November 2026", "Next review due: 24 November 2027", "Clinical review: Reviewed by Dr A. Example on 24 November 2026."} {
		if !strings.Contains(dates, want) {
			t.Errorf("review dates %q do not say %q", dates, want)
		}
	}
	if n := len(htmltest.All(t, doc, ".review-notice")); n != 0 {
		t.Error("rules not due for review show the notice")
	}

	// Without thresholds of its own, the safety net gives the general advice.
	v.SafetyNet = ""
	doc = render(t, ResultPage(testHead, v))
	if got := htmltest.All(t, doc, ".safety-net p"); len(got) != 1 || !strings.HasPrefix(htmltest.Text(got[0]), "If your symptoms get worse") {
		t.Errorf("safety net without thresholds: %d paragraphs", len(got))
	}

	// Overdue rules: the notice comes after the red-flag advice, which
	// stays first.
	v.Review.Overdue = true
	doc = render(t, ResultPage(testHead, v))
	notice := htmltest.One(t, doc, ".review-notice")
	if !strings.Contains(htmltest.Text(notice), "This page is due for review.") {
		t.Errorf("notice = %q", htmltest.Text(notice))
	}
	var order []string
	for _, n := range htmltest.All(t, doc, "main > *") {
		order = append(order, attr(n, "class"))
	}
	if len(order) < 4 || !strings.Contains(order[1], "care-card") || !strings.Contains(order[2], "care-card") || order[3] != "review-notice" {
		t.Errorf("main starts %q, want the heading, the cards, then the notice", order)
	}
}

// A care card lists the signs in words, completing its heading, then
// gives its advice once: never "you ticked: ..." with an advice line per
// sign.
func TestCareCard(t *testing.T) {
	card := CareCard{
		Urgency:    Urgent,
		Conditions: []string{"your back pain has lasted more than 3 days", "you feel dizzy and have back pain"},
		Advice:     []string{"Back pain like this needs prompt medical attention."},
	}
	doc := render(t, ResultPage(testHead, ResultView{Cards: []CareCard{card}}))
	c := htmltest.One(t, doc, ".care-card.care-card-urgent")
	h2 := htmltest.One(t, c, "h2.care-card-heading")
	if got := htmltest.Text(h2); got != "Urgent advice: See a doctor promptly if:" {
		t.Errorf("heading = %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, h2, ".visually-hidden")); got != "Urgent advice:" {
		t.Errorf("hidden prefix = %q, want the urgency in words", got)
	}
	var conditions []string
	for _, li := range htmltest.All(t, c, ".care-card-content li") {
		conditions = append(conditions, htmltest.Text(li))
	}
	if strings.Join(conditions, "|") != "your back pain has lasted more than 3 days|you feel dizzy and have back pain" {
		t.Errorf("conditions = %q, want the signs in words, in order", conditions)
	}
	advice := htmltest.All(t, c, ".care-card-advice")
	if len(advice) != 1 || htmltest.Text(advice[0]) != "Back pain like this needs prompt medical attention." {
		t.Errorf("%d advice paragraphs, want the advice once", len(advice))
	}
	if strings.Contains(htmltest.Text(c), "you ticked") {
		t.Error("the card repeats what was ticked instead of saying the signs in words")
	}
	// The list comes before the advice.
	htmltest.One(t, c, ".care-card-content > ul:first-child + p.care-card-advice:last-child")
}

// The about page says exactly what feedback keeps, and for how long.
func TestAboutPageSaysWhatFeedbackKeeps(t *testing.T) {
	doc := render(t, AboutPage(testHead, AboutView{FeedbackMonths: 18}))
	text := htmltest.Text(htmltest.One(t, doc, "main"))
	for _, want := range []string{"the day, but not the time", "We keep comments for 18 months", "We do not keep your IP address", "remove e-mail addresses, phone numbers and long numbers"} {
		if !strings.Contains(text, want) {
			t.Errorf("the about page does not say %q", want)
		}
	}
	if n := len(htmltest.All(t, render(t, AboutPage(testHead, AboutView{})), "h2#feedback")); n != 0 {
		t.Error("a site that asks for no feedback says what it keeps")
	}
}
