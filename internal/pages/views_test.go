package pages

import (
	"net/http"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"healthsite/internal/content"
	"healthsite/internal/prepared"
	"healthsite/static"
	"healthsite/web"
)

// View models as values: each builder's whole model for a small site,
// compared with what a reader should be shown (as pkgsite tests its
// pages), so that a change to what a page says shows up here as a diff
// of fields, not only as HTML.

const checkerRules = `id: knee-pain
name: Knee pain
description: Pain in your knee.
category: Joints
last_reviewed: 2026-11-01
next_review: 2027-11-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Do you have any of these?
  flags:
    - {id: hot-knee, label: A hot knee, when: your knee is hot, level: urgent, advice: See a doctor promptly.}
    - {id: cannot-stand, label: Cannot stand, when: you cannot stand, level: emergency, advice: Call now.}
symptom_groups:
  - question: Pain
    symptoms:
      - {id: swollen, label: A swollen knee, sections: [{to: knee#swelling}]}
      - {id: stiff, label: A stiff knee, sections: [{to: knee#stiffness}, {to: knee#swelling}]}
`

func viewEnv(t testing.TB) Env {
	t.Helper()
	knee := "---\ntitle: Knee pain\nsummary: Why knees hurt.\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n" +
		"sources:\n  - {title: A paper, publisher: A press, author: Dr A, date: 2025-01-01}\n---\n\n" +
		"## Swelling\n\nA swollen knee is stiff at first.\n\n## Stiffness\n\nA stiff knee.\n\n## When to get medical help\n\nSee a doctor.\n"
	site, err := content.Load(fstest.MapFS{
		"knee.md":                         {Data: []byte(knee)},
		"complaints/knee-pain.yaml":       {Data: []byte(checkerRules)},
		"complaints/knee-pain.cases.yaml": {Data: []byte("cases:\n  - {name: hot, answers: [hot-knee], first_card: urgent}\n  - {name: stiff, answers: [stiff], first_card: none, sections: [knee#stiffness]}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	as, err := prepared.LoadAssets(static.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Env{Site: site, BaseURL: "https://health.example.org", Assets: as, Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

func request(params map[string]string, rawQuery string) Request {
	return Request{Param: func(n string) string { return params[n] }, RawQuery: rawQuery}
}

var notReviewed = web.RulesReview{
	LastReviewed: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	NextReview:   time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC),
}

func TestResultViewModel(t *testing.T) {
	env := viewEnv(t)
	b, err := SymptomResults(env, request(map[string]string{"complaint": "knee-pain"}, "symptom=stiff&symptom=cannot-stand&symptom=hot-knee&symptom=gone"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != http.StatusOK || b.View.Form != nil {
		t.Fatalf("status %d, form %v: want a result", b.Status, b.View.Form)
	}
	want := web.ResultView{
		Caption: "Knee pain",
		Cards: []web.CareCard{
			{Urgency: web.Emergency, Conditions: []string{"you cannot stand"}, Advice: []string{"Call now."}},
			{Urgency: web.Urgent, Conditions: []string{"your knee is hot"}, Advice: []string{"See a doctor promptly."}},
		},
		Unknown: 1,
		Sections: []web.ResultSection{
			{Title: "Swelling", URL: "/articles/knee#swelling", ArticleTitle: "Knee pain", Excerpt: "A swollen knee is stiff at first.", Because: []string{"A stiff knee"}},
			{Title: "Stiffness", URL: "/articles/knee#stiffness", ArticleTitle: "Knee pain", Excerpt: "A stiff knee.", Because: []string{"A stiff knee"}},
		},
		Answers:   []string{"Cannot stand", "A hot knee", "A stiff knee"},
		ChangeURL: "/symptoms/knee-pain?symptom=stiff&symptom=cannot-stand&symptom=hot-knee",
		ShareURL:  "https://health.example.org/symptoms/knee-pain/results?symptom=stiff&symptom=cannot-stand&symptom=hot-knee",
		SiteURL:   "https://health.example.org",
		Review:    notReviewed,
		SafetyNet: "See a doctor if it lasts.",
	}
	if diff := cmp.Diff(want, *b.View.Result); diff != "" {
		t.Errorf("result view (-want +got):\n%s", diff)
	}
	if want := []string{"complaint:knee-pain", "article:knee", "article:knee"}; !cmp.Equal(b.Deps, want) {
		t.Errorf("deps = %q, want %q", b.Deps, want)
	}
}

// Answers that cannot give a result are the form again, at 422, with the
// red flag's card still first and the problem beside its question.
func TestFormWithErrorsViewModel(t *testing.T) {
	env := viewEnv(t)
	b, err := SymptomResults(env, request(map[string]string{"complaint": "knee-pain"}, "symptom=none&symptom=hot-knee"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Status != http.StatusUnprocessableEntity || b.View.Form == nil || !b.Head.ErrorPrefix || !b.Head.NoIndex {
		t.Fatalf("status %d, form %v, head %+v: want the form with errors", b.Status, b.View.Form != nil, b.Head)
	}
	msg := `Select "No, I do not have any of these" or the problems you have, not both`
	want := web.SymptomFormView{
		Cards:     []web.CareCard{{Urgency: web.Urgent, Conditions: []string{"your knee is hot"}, Advice: []string{"See a doctor promptly."}}},
		Caption:   "Check your symptoms",
		Heading:   "Knee pain",
		Lede:      CheckerPromise(env.Site.Complaints...),
		ChooseURL: "/symptoms",
		Action:    "/symptoms/knee-pain/results",
		RedFlags: web.Question{ID: "red-flags", Legend: "Do you have any of these?", Error: msg, Options: []web.Option{
			{Value: "hot-knee", Label: "A hot knee", Checked: true},
			{Value: "cannot-stand", Label: "Cannot stand"},
		}},
		None: web.Option{Value: "none", Label: "No, I do not have any of these", Checked: true},
		Groups: []web.Question{{ID: "group-pain", Legend: "Pain", Options: []web.Option{
			{Value: "swollen", Label: "A swollen knee"},
			{Value: "stiff", Label: "A stiff knee"},
		}}},
		Errors: []web.FormError{{Target: "symptom-hot-knee", Message: msg}},
		Review: notReviewed,
	}
	if diff := cmp.Diff(want, *b.View.Form); diff != "" {
		t.Errorf("form view (-want +got):\n%s", diff)
	}
}

func TestChooserViewModels(t *testing.T) {
	env := viewEnv(t)
	b, err := SymptomChooser(env, request(nil, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := web.ChooserView{
		Heading: "What is your main symptom?",
		Lede:    "Choose the one that bothers you most. We will then ask you about it.",
		Groups:  []web.ComplaintGroup{{Title: "Joints", Complaints: []web.ComplaintLink{{Name: "Knee pain", Description: "Pain in your knee.", URL: "/symptoms/knee-pain"}}}},
		ListID:  "complaints",
	}
	if diff := cmp.Diff(want, b.View); diff != "" || b.Status != http.StatusOK {
		t.Errorf("chooser, status %d (-want +got):\n%s", b.Status, diff)
	}

	// An old link whose answers fit no complaint: the same list at 422,
	// the card of its red flag first, and why.
	b, err = SymptomChooser(env, request(nil, "symptom=cannot-stand&symptom=gone"))
	if err != nil {
		t.Fatal(err)
	}
	want.Cards = []web.CareCard{{Urgency: web.Emergency, Conditions: []string{"you cannot stand"}, Advice: []string{"Call now."}}}
	want.Errors = []web.FormError{{Target: "complaints", Message: unmatchedMessage}}
	if diff := cmp.Diff(want, b.View); diff != "" || b.Status != http.StatusUnprocessableEntity {
		t.Errorf("unmatched, status %d (-want +got):\n%s", b.Status, diff)
	}
}

func TestAboutViewModel(t *testing.T) {
	b, err := About(viewEnv(t), request(nil, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := web.AboutView{Cases: web.CaseCounts{Total: 2, Urgent: 1, NoSign: 1}}
	if diff := cmp.Diff(want, b.View); diff != "" {
		t.Errorf("about (-want +got):\n%s", diff)
	}
}

func TestArticleViewModel(t *testing.T) {
	env := viewEnv(t)
	b, err := Article(env, request(map[string]string{"slug": "knee"}, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := web.ArticleView{
		Title:        "Knee pain",
		Summary:      "Why knees hurt.",
		Clinical:     web.ClinicalReview{State: web.NotReviewedByClinician},
		LastReviewed: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NextReview:   time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Care:         web.Urgent,
		Sections: []web.ArticleSection{
			{ID: "swelling", Title: "Swelling"},
			{ID: "stiffness", Title: "Stiffness"},
			{ID: "when-to-get-medical-help", Title: "When to get medical help", Urgent: true},
		},
		Sources: []web.Source{{Title: "A paper", Author: "Dr A", Publisher: "A press", Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}},
		URL:     "https://health.example.org/articles/knee",
	}
	// The HTML is the renderer's (tested with it); the share links are
	// tested in share_test; the rest is the model.
	ignore := cmp.Options{
		cmpopts.IgnoreFields(web.ArticleView{}, "IntroHTML", "Share"),
		cmpopts.IgnoreFields(web.ArticleSection{}, "HTML"),
		cmpopts.EquateEmpty(),
	}
	if diff := cmp.Diff(want, b.View, ignore); diff != "" {
		t.Errorf("article (-want +got):\n%s", diff)
	}
	if len(b.View.Share) == 0 || b.View.Sections[0].HTML == "" {
		t.Error("no share links or no section HTML")
	}
}
