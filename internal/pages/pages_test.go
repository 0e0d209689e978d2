package pages

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/deps"
	"healthsite/internal/prepared"
	"healthsite/static"
	"healthsite/web"
)

// testEnv is a small site of three articles; b and c share a tag.
func testEnv(t *testing.T) Env {
	t.Helper()
	article := func(title, tags, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: About " + title + ".\nauthor: A writer\n" +
			"last_reviewed: 2026-01-01\nnext_review: 2026-06-01\ntags: [" + tags + "]\n" +
			"sources:\n  - {title: A paper, publisher: A press, author: Dr A, date: 2025-01-01}\n---\n\n" +
			body + "\n\n## A cause {#cause}\n\nThe cause.\n\n## When to get medical help\n\nSee a doctor.\n")}
	}
	site, err := content.Load(fstest.MapFS{
		"a.md": article("Ankle pain", "legs", "Intro."),
		"b.md": article("Back pain", "back, posture", "Intro."),
		"c.md": article("Chest pain", "posture", "Intro."),
	})
	if err != nil {
		t.Fatal(err)
	}
	as, err := prepared.LoadAssets(static.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Env{Site: site, BaseURL: "https://health.example.org", Assets: as, Today: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
}

func slug(s string) func(string) string { return func(string) string { return s } }

func TestArticleView(t *testing.T) {
	env := testEnv(t)
	b, err := Article(env, Request{Param: slug("b")})
	if err != nil {
		t.Fatal(err)
	}
	v := b.View
	if v.Title != "Back pain" || v.Author != "A writer" || v.URL != "https://health.example.org/articles/b" {
		t.Errorf("view = %q by %q at %q", v.Title, v.Author, v.URL)
	}
	if !v.ReviewOverdue {
		t.Error("an article due on 1 June is not shown as overdue on 1 July")
	}
	if len(v.Sections) != 2 || v.Sections[0].ID != "cause" || !strings.Contains(v.Sections[0].HTML, "The cause.") || !v.Sections[1].Urgent {
		t.Errorf("sections = %+v", v.Sections)
	}
	if len(v.Related) != 1 || v.Related[0].URL != "/articles/c" {
		t.Errorf("related = %+v, want the article sharing a tag", v.Related)
	}
	if b.Head.Canonical != v.URL || b.Head.OGType != "article" || b.Head.JSONLD == nil {
		t.Errorf("head: canonical %q, og:type %q, JSON-LD %v", b.Head.Canonical, b.Head.OGType, b.Head.JSONLD)
	}
	want := []string{deps.Article("b"), deps.Tag("back"), deps.Tag("posture"), deps.Listed("c")}
	if !slices.Equal(b.Deps, want) {
		t.Errorf("deps = %v, want %v", b.Deps, want)
	}
	if _, err := Article(env, Request{Param: slug("nope")}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown slug: err = %v, want ErrNotFound", err)
	}
}

// The home page lists a bounded selection: the articles reviewed last,
// newest first, the topics and the letters, and counts every article.
func TestHomeListsASelection(t *testing.T) {
	b, err := Home(testEnv(t), Request{})
	if err != nil {
		t.Fatal(err)
	}
	v := b.View
	if v.Total != 3 || len(v.Recent) != 3 {
		t.Fatalf("home counts %d articles and lists %d, want 3 and 3 (fewer than %d)", v.Total, len(v.Recent), HomeRecent)
	}
	for i := 1; i < len(v.Recent); i++ {
		if v.Recent[i].LastReviewed.After(v.Recent[i-1].LastReviewed) {
			t.Errorf("recently reviewed is not newest first: %v", v.Recent)
		}
	}
	if len(v.Topics) == 0 || len(v.Letters) != 27 {
		t.Errorf("%d topics, %d letters", len(v.Topics), len(v.Letters))
	}
	if !slices.Contains(b.Deps, deps.AllArticles) {
		t.Error("the home page does not depend on the list of articles")
	}
}

func TestErrorPagesForEveryStatus(t *testing.T) {
	env := testEnv(t)
	for _, status := range ErrorStatuses() {
		b, ok := Error(env, status)
		if !ok || b.Status != status || b.View.Heading == "" || b.View.Message == "" {
			t.Errorf("%d: %+v", status, b.View)
		}
		if !b.Head.NoIndex || b.Head.Canonical != "" {
			t.Errorf("%d: an error page must be noindex with no canonical address", status)
		}
	}
	if _, ok := Error(env, 418); ok {
		t.Error("a status without words has a page")
	}
}

// A care card lists each red flag's sign in words ("when") and gives each
// advice once, in the order the flags first give it.
func TestCareCardGivesEachAdviceOnce(t *testing.T) {
	flags := []*checker.RedFlag{
		{ID: "a", Label: "Sign A", When: "you have sign A", Level: contentfile.Urgent, Advice: "See a doctor promptly."},
		{ID: "b", Label: "Sign B", When: "you have sign B", Level: contentfile.Urgent, Advice: "Go to a clinic today."},
		{ID: "c", Label: "Sign C", When: "you have sign C", Level: contentfile.Urgent, Advice: "See a doctor promptly."},
	}
	got := careCard(checker.Card{Level: contentfile.Urgent, RedFlags: flags})
	if got.Urgency != web.Urgent {
		t.Errorf("urgency = %v, want urgent", got.Urgency)
	}
	if want := []string{"you have sign A", "you have sign B", "you have sign C"}; !slices.Equal(got.Conditions, want) {
		t.Errorf("conditions = %q, want %q", got.Conditions, want)
	}
	if want := []string{"See a doctor promptly.", "Go to a clinic today."}; !slices.Equal(got.Advice, want) {
		t.Errorf("advice = %q, want %q", got.Advice, want)
	}
}

// What the checker promises follows the most urgent advice its rules can
// give: rules with an emergency sign are never said to lead only to "see a
// doctor promptly".
func TestCheckerPromiseFollowsTheRules(t *testing.T) {
	complaint := func(levels ...contentfile.Level) *checker.Complaint {
		c := &checker.Complaint{}
		for _, l := range levels {
			c.RedFlags = append(c.RedFlags, &checker.RedFlag{Level: l})
		}
		return c
	}
	tests := []struct {
		name string
		cs   []*checker.Complaint
		want string
	}{
		{"urgent only", []*checker.Complaint{complaint(contentfile.Urgent, contentfile.Urgent)}, "see a doctor promptly"},
		{"an emergency sign", []*checker.Complaint{complaint(contentfile.Urgent, contentfile.Emergency)}, "get emergency help or see a doctor promptly"},
		{"every level, across complaints", []*checker.Complaint{complaint(contentfile.Soon), complaint(contentfile.Emergency, contentfile.Urgent)}, "get emergency help or see a doctor promptly or speak to a doctor"},
		{"soon only", []*checker.Complaint{complaint(contentfile.Soon)}, "speak to a doctor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckerPromise(tt.cs...)
			if want := "anything you tick means you should " + tt.want + ", and point you"; !strings.Contains(got, want) {
				t.Errorf("CheckerPromise = %q, want it to say %q", got, want)
			}
			if !strings.Contains(got, "mention what you ticked") {
				t.Errorf("CheckerPromise = %q: it should promise sections that mention what was ticked, not that explain it", got)
			}
		})
	}
}
