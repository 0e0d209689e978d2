package server

import (
	"io/fs"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/articles"
	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/htmltest"
)

// withSecondComplaint is the bundled articles and rules plus a second
// complaint kept in testdata (a headache, with its own article).
func withSecondComplaint(t testing.TB) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	copyInto := func(from fs.FS) {
		err := fs.WalkDir(from, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(from, name)
			fsys[name] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	copyInto(articles.FS)
	copyInto(os.DirFS("testdata/second-complaint"))
	return fsys
}

func newServerFor(t testing.TB, fsys fs.FS) *Server {
	t.Helper()
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// /symptoms asks for the main symptom: every complaint, by category, each
// linking to its form. It holds no answers, so it is kept like any page.
func TestChooser(t *testing.T) {
	s := newServerFor(t, withSecondComplaint(t))
	rec := do(t, s, "GET", "/symptoms")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control = %q, want the shared pages' public, max-age=300", got)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "What is your main symptom?" {
		t.Errorf("h1 = %q", got)
	}
	var groups, links []string
	for _, h := range htmltest.All(t, doc, "#complaints h2") {
		groups = append(groups, htmltest.Text(h))
	}
	for _, a := range htmltest.All(t, doc, "#complaints a") {
		links = append(links, htmltest.Text(a)+" "+attr(a, "href"))
	}
	if want := []string{"Head and face", "Muscles, bones and joints"}; !slices.Equal(groups, want) {
		t.Errorf("categories %q, want %q", groups, want)
	}
	if want := []string{"Headache /symptoms/headache", "Neck pain after a massage or manipulation /symptoms/neck-pain"}; !slices.Equal(links, want) {
		t.Errorf("complaints %q, want %q", links, want)
	}
	htmltest.One(t, doc, `link[rel="canonical"][href="`+testBase+`/symptoms"]`)

	// With one complaint the reader still chooses it.
	one, _ := newTestServer(t)
	doc = htmltest.Parse(t, do(t, one, "GET", "/symptoms").Body.Bytes())
	if n := len(htmltest.All(t, doc, "#complaints a")); n != 1 {
		t.Errorf("the bundled site's chooser lists %d complaints, want 1", n)
	}
	htmltest.One(t, doc, `#complaints a[href="/symptoms/neck-pain"]`)
	if rec := do(t, one, "GET", "/symptoms/no-such-complaint"); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown complaint's form: status %d, want 404", rec.Code)
	}
	if rec := do(t, one, "GET", "/symptoms/no-such-complaint/results?symptom=dizziness"); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown complaint's results: status %d, want 404", rec.Code)
	}
}

// Links shared before complaints had addresses of their own keep working:
// each shape of old link, on a site with the one bundled complaint and on
// one with a second.
func TestOldSymptomLinks(t *testing.T) {
	one, _ := newTestServer(t)
	two := newServerFor(t, withSecondComplaint(t))
	tests := []struct {
		name       string
		s          *Server
		target     string
		wantStatus int
		wantTo     string // Location of a redirect
	}{
		{"a result", one, "/symptoms/results?symptom=dizziness&symptom=stiff-neck", 301, "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck"},
		{"a result, answers in their order, duplicates once", one, "/symptoms/results?symptom=stiff-neck&symptom=dizziness&symptom=stiff-neck", 301, "/symptoms/neck-pain/results?symptom=stiff-neck&symptom=dizziness"},
		{"a result, other parameters dropped", one, "/symptoms/results?utm_source=mail&symptom=swelling", 301, "/symptoms/neck-pain/results?symptom=swelling"},
		{"a result with none", one, "/symptoms/results?symptom=none&symptom=swelling", 301, "/symptoms/neck-pain/results?symptom=none&symptom=swelling"},
		{"a result that gave the form again (none and a red flag)", one, "/symptoms/results?symptom=none&symptom=dizziness", 301, "/symptoms/neck-pain/results?symptom=none&symptom=dizziness"},
		{"a result with nothing ticked, one complaint", one, "/symptoms/results", 301, "/symptoms/neck-pain/results"},
		{"a result with an unknown answer", one, "/symptoms/results?symptom=stiff-neck&symptom=gone", 422, ""},
		{"a result with only unknown answers", one, "/symptoms/results?symptom=gone", 422, ""},
		{"a result that cannot be read", one, "/symptoms/results?symptom=%ff", 400, ""},
		{"a result with a trailing slash", one, "/symptoms/results/?symptom=dizziness", 301, "/symptoms/results?symptom=dizziness"},
		{"a change-your-answers link", one, "/symptoms?symptom=dizziness&symptom=stiff-neck", 301, "/symptoms/neck-pain?symptom=dizziness&symptom=stiff-neck"},
		{"a change-your-answers link with an unknown answer", one, "/symptoms?symptom=gone", 422, ""},
		{"a change-your-answers link that cannot be read", one, "/symptoms?symptom=%zz", 400, ""},
		{"the chooser with another parameter", one, "/symptoms?utm_source=mail", 200, ""},
		{"a neck-pain result beside a second complaint", two, "/symptoms/results?symptom=tender-when-pressed&symptom=arm-numbness", 301, "/symptoms/neck-pain/results?symptom=tender-when-pressed&symptom=arm-numbness"},
		{"a headache result", two, "/symptoms/results?symptom=behind-eyes", 301, "/symptoms/headache/results?symptom=behind-eyes"},
		{"a headache change link", two, "/symptoms?symptom=forehead-band", 301, "/symptoms/headache?symptom=forehead-band"},
		{"answers split across complaints", two, "/symptoms/results?symptom=stiff-neck&symptom=behind-eyes", 422, ""},
		{"a change link split across complaints", two, "/symptoms?symptom=stiff-neck&symptom=behind-eyes", 422, ""},
		{"only none, two complaints", two, "/symptoms/results?symptom=none", 422, ""},
		{"nothing ticked, two complaints", two, "/symptoms/results", 422, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, tt.s, "GET", tt.target)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (Location %q)", rec.Code, tt.wantStatus, rec.Header().Get("Location"))
			}
			if got := rec.Header().Get("Location"); got != tt.wantTo {
				t.Errorf("Location %q, want %q", got, tt.wantTo)
			}
			if tt.wantStatus == http.StatusOK {
				return
			}
			// Whatever the answer, the address held answers: no referrer
			// carries them on, and no cache keeps them.
			if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy = %q, want no-referrer", got)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if tt.wantStatus != http.StatusUnprocessableEntity {
				return
			}
			// The friendly 422: the list of complaints, and why.
			doc := htmltest.Parse(t, rec.Body.Bytes())
			if got := htmltest.Text(htmltest.One(t, doc, "title")); !strings.HasPrefix(got, "Error: ") {
				t.Errorf("title %q, want an Error: prefix", got)
			}
			summary := htmltest.One(t, doc, ".error-summary")
			if !strings.Contains(htmltest.Text(summary), "Choose your main symptom to start again") {
				t.Errorf("error summary = %q", htmltest.Text(summary))
			}
			htmltest.One(t, doc, `#complaints a[href="/symptoms/neck-pain"]`)
			htmltest.One(t, doc, `meta[name="robots"][content="noindex"]`)
		})
	}
	// Following the redirect lands on the same result the old address gave.
	rec := do(t, one, "GET", "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "A stiff neck") {
		t.Errorf("the redirect's target: status %d", rec.Code)
	}
}

// A second complaint speaks in its own words on every page of the
// checker, and never in the bundled complaint's; and the bundled one never
// in the second's.
func TestSecondComplaintHasItsOwnWords(t *testing.T) {
	s := newServerFor(t, withSecondComplaint(t))
	neck, _ := s.Site().Complaint("neck-pain")
	headache, _ := s.Site().Complaint("headache")
	wordsOf := func(c *checker.Complaint) []string {
		words := []string{c.Name, c.Description, c.RedFlagQuestion.Text, c.RedFlagQuestion.Hint}
		for _, f := range c.RedFlags {
			words = append(words, f.Label, f.Advice)
		}
		for _, g := range c.Groups {
			words = append(words, g.Question.Text, g.Question.Hint)
		}
		for _, sy := range c.Symptoms {
			words = append(words, sy.Label)
		}
		return slices.DeleteFunc(words, func(w string) bool { return w == "" })
	}
	pages := []struct {
		name, target string
		status       int
		own          []string // words of its complaint the page must show
	}{
		{"form", "/symptoms/headache", 200, []string{"Headache", "Have you noticed any of these as well?", "Along with your headache. Tick all that are true.", "Where does your head ache?", "Tick every place it aches.", "A tight band across your forehead", "A test headache flag with a fever"}},
		{"form with answers", "/symptoms/headache?symptom=behind-eyes", 200, []string{"An ache behind your eyes"}},
		{"form with errors", "/symptoms/headache/results?symptom=none&symptom=headache-fever", 422, []string{"Have you noticed any of these as well?"}},
		{"results", "/symptoms/headache/results?symptom=sudden-worst-headache&symptom=forehead-band", 200, []string{"Headache", "A test headache flag, sudden and severe", "Test advice for the headache flag: call your emergency number.", "Pressure across the forehead", "A tight band across your forehead", "Reviewed by Test reviewer (test data) on 4 December 2026."}},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			rec := do(t, s, "GET", pg.target)
			if rec.Code != pg.status {
				t.Fatalf("status %d, want %d", rec.Code, pg.status)
			}
			text := htmltest.Text(htmltest.Parse(t, rec.Body.Bytes()))
			for _, w := range pg.own {
				if !strings.Contains(text, w) {
					t.Errorf("does not say %q", w)
				}
			}
			if strings.Contains(strings.ToLower(rec.Body.String()), "neck") {
				t.Error(`the headache page says "neck"`)
			}
			for _, w := range wordsOf(neck) {
				if strings.Contains(text, w) {
					t.Errorf("shows the neck-pain complaint's words %q", w)
				}
			}
		})
	}
	t.Run("the bundled complaint", func(t *testing.T) {
		for _, target := range []string{"/symptoms/neck-pain", "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck", "/symptoms/neck-pain/results"} {
			text := htmltest.Text(htmltest.Parse(t, do(t, s, "GET", target).Body.Bytes()))
			for _, w := range wordsOf(headache) {
				if strings.Contains(text, w) {
					t.Errorf("%s shows the headache complaint's words %q", target, w)
				}
			}
		}
	})
}

// Every complaint is on the chooser, and every answer of its rules is a
// checkbox on its form: following links from /symptoms reaches them all.
func TestEveryComplaintAndAnswerIsReachable(t *testing.T) {
	s := newServerFor(t, withSecondComplaint(t))
	doc := htmltest.Parse(t, do(t, s, "GET", "/symptoms").Body.Bytes())
	reached := map[string]bool{}
	for _, a := range htmltest.All(t, doc, "#complaints a") {
		href := attr(a, "href")
		rec := do(t, s, "GET", href)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", href, rec.Code)
		}
		for _, box := range htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), `form input[name="symptom"]`) {
			reached[href+" "+attr(box, "value")] = true
		}
	}
	for _, c := range s.Site().Complaints {
		want := []string{checker.NoneID}
		for _, f := range c.RedFlags {
			want = append(want, f.ID)
		}
		for _, sy := range c.Symptoms {
			want = append(want, sy.ID)
		}
		for _, id := range want {
			if !reached["/symptoms/"+c.ID+" "+id] {
				t.Errorf("%s: answer %q cannot be reached from /symptoms", c.ID, id)
			}
		}
	}
}

// Editing a complaint's rules in the preview remakes that complaint's form
// and results, and the list of complaints only when it shows the change;
// the other complaint's pages are kept. Counted in renders.
func TestEditingRulesRemakesOnlyThatComplaint(t *testing.T) {
	fsys := withSecondComplaint(t)
	s := newServerFor(t, fsys)
	type visit struct{ path, key string }
	visits := []visit{
		{"/symptoms", "/symptoms"},
		{"/sitemap.xml", "/sitemap.xml"},
		{"/symptoms/headache", "symptom-form:headache?#0"},
		{"/symptoms/headache/results?symptom=behind-eyes", "symptom-results:headache?symptom=behind-eyes#0"},
		{"/symptoms/neck-pain", "symptom-form:neck-pain?#0"},
		{"/symptoms/neck-pain/results?symptom=stiff-neck", "symptom-results:neck-pain?symptom=stiff-neck#0"},
	}
	count := func() map[string]int {
		out := map[string]int{}
		for _, v := range visits {
			if rec := do(t, s, "GET", v.path); rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", v.path, rec.Code)
			}
			out[v.path] = s.renders.count(v.key)
		}
		return out
	}
	edit := func(old, new string) {
		t.Helper()
		const file = "complaints/headache.yaml"
		src := string(fsys[file].Data)
		if !strings.Contains(src, old) {
			t.Fatalf("%s has no %q", file, old)
		}
		fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
		next, ch, err := s.Site().Reload(fsys, []string{file})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(next, ch); err != nil {
			t.Fatal(err)
		}
	}
	remade := func(before, after map[string]int) []string {
		var out []string
		for _, v := range visits {
			if after[v.path] != before[v.path] {
				out = append(out, v.path)
			}
		}
		return out
	}
	first := count()
	for p, n := range first {
		if n != 1 {
			t.Fatalf("%s rendered %d times on the first visit", p, n)
		}
	}
	t.Run("a label", func(t *testing.T) {
		before := count()
		edit("An ache behind your eyes", "An ache just behind your eyes")
		after := count()
		if got, want := remade(before, after), []string{"/symptoms/headache", "/symptoms/headache/results?symptom=behind-eyes"}; !slices.Equal(got, want) {
			t.Errorf("remade %q, want %q", got, want)
		}
		for _, target := range []string{"/symptoms/headache", "/symptoms/headache/results?symptom=behind-eyes"} {
			if body := do(t, s, "GET", target).Body.String(); !strings.Contains(body, "An ache just behind your eyes") {
				t.Errorf("%s does not show the new label", target)
			}
		}
	})
	t.Run("the name", func(t *testing.T) {
		before := count()
		edit("name: Headache", "name: Headaches")
		if got, want := remade(before, count()), []string{"/symptoms", "/sitemap.xml", "/symptoms/headache", "/symptoms/headache/results?symptom=behind-eyes"}; !slices.Equal(got, want) {
			t.Errorf("remade %q, want %q", got, want)
		}
		if body := do(t, s, "GET", "/symptoms").Body.String(); !strings.Contains(body, ">Headaches<") {
			t.Error("the chooser does not show the new name")
		}
	})
	t.Run("the site-wide red flags", func(t *testing.T) {
		before := count()
		fsys[checker.SiteWideFile] = &fstest.MapFile{Data: []byte("last_reviewed: 2026-11-01\nnext_review: 2027-11-01\nred_flags:\n  - {id: test-site-flag, label: A test sign for every complaint, when: the test sign for every complaint is there, level: emergency, advice: Test advice.}\n")}
		next, ch, err := s.Site().Reload(fsys, []string{checker.SiteWideFile})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(next, ch); err != nil {
			t.Fatal(err)
		}
		if got, want := remade(before, count()), []string{"/symptoms/headache", "/symptoms/headache/results?symptom=behind-eyes", "/symptoms/neck-pain", "/symptoms/neck-pain/results?symptom=stiff-neck"}; !slices.Equal(got, want) {
			t.Errorf("remade %q, want %q", got, want)
		}
		for _, target := range []string{"/symptoms/headache", "/symptoms/neck-pain"} {
			if body := do(t, s, "GET", target).Body.String(); !strings.Contains(body, "A test sign for every complaint") {
				t.Errorf("%s does not ask the site-wide red flag", target)
			}
		}
	})
}

// Rules past their review date are still served, with the notice overdue
// articles show.
func TestOverdueRulesTellReaders(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	rules, _ := site.Complaint("neck-pain")
	cfg.Now = func() time.Time { return rules.NextReview.AddDate(0, 0, 2) }
	s, err := New(site, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, target := range []string{"/symptoms/neck-pain", "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck", "/symptoms/neck-pain/results?symptom=swelling"} {
		doc := htmltest.Parse(t, do(t, s, "GET", target).Body.Bytes())
		notice := htmltest.Text(htmltest.One(t, doc, ".review-notice"))
		if !strings.Contains(notice, "This page is due for review.") || !strings.Contains(notice, rules.NextReview.Human()) {
			t.Errorf("%s: notice %q", target, notice)
		}
	}
	cfg.Now = func() time.Time { return rules.NextReview.Time }
	onTime, err := New(site, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer onTime.Close()
	doc := htmltest.Parse(t, do(t, onTime, "GET", "/symptoms/neck-pain/results?symptom=swelling").Body.Bytes())
	if n := len(htmltest.All(t, doc, ".review-notice")); n != 0 {
		t.Error("rules on their review day show the overdue notice")
	}
}
