package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-chi/chi/v5"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
	"healthsite/internal/htmltest"
	"healthsite/internal/pages"
	"healthsite/internal/store/storetest"
	"healthsite/static"
	"healthsite/web"
)

// samplePath fills a pattern's parameters with a value that exists.
func (s *Server) samplePath(p page) string {
	path := strings.NewReplacer("{slug}", seedSlug, "{complaint}", "neck-pain", "{letter}", "n", "{tag}", "neck").Replace(p.pattern)
	return strings.Replace(path, "{name}", strings.TrimPrefix(s.assets.URL("site.css"), "/static/"), 1)
}

// Every page of the table serves, and the router has no route the table
// does not define.
func TestPageTableIsTheRouter(t *testing.T) {
	s, _, _ := newFeedbackServer(t, storetest.Kinds[0])
	if err := s.IndexSearch(context.Background()); err != nil { // for /readyz
		t.Fatal(err)
	}
	patterns := map[string]bool{}
	for _, p := range s.table {
		patterns[p.pattern] = true
		path := s.samplePath(p)
		want := http.StatusOK
		switch p.name {
		case "symptom-results":
			path += "?symptom=dizziness"
		case "old-symptom-results": // only ever sends old links on
			path += "?symptom=dizziness"
			want = http.StatusMovedPermanently
		case "feedback": // a form's endpoint: it takes a POST
			if rec := post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}}, nil); rec.Code != http.StatusSeeOther {
				t.Errorf("%s: POST status %d, want 303", p.name, rec.Code)
			}
			continue
		}
		if rec := do(t, s, "GET", path); rec.Code != want {
			t.Errorf("%s (%s): status %d, want %d", p.name, path, rec.Code, want)
		}
	}
	err := chi.Walk(s.router.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !patterns[route] && !patterns[strings.TrimSuffix(route, "/")] {
			t.Errorf("route %s %s is not in the page table", method, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every page has one address: the same with a trailing slash redirects to it.
func TestTrailingSlashRedirectsForEveryPage(t *testing.T) {
	s, _ := newTestServer(t)
	for _, p := range s.table {
		if p.render == nil || p.pattern == "/" {
			continue
		}
		path := s.samplePath(p)
		rec := do(t, s, "GET", path+"/?symptom=dizziness")
		if rec.Code != http.StatusMovedPermanently {
			t.Errorf("%s/: status %d, want 301", path, rec.Code)
			continue
		}
		if got, want := rec.Header().Get("Location"), path+"?symptom=dizziness"; got != want {
			t.Errorf("%s/: Location %q, want %q (the query kept)", path, got, want)
		}
	}
	if rec := do(t, s, "GET", "/articles/unknown/"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown slug with slash: status %d, want 404 (no redirect to nowhere)", rec.Code)
	}
}

func TestConcurrentFirstRequestsRenderOnce(t *testing.T) {
	s, _ := newTestServer(t)
	path := "/articles/" + seedSlug
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if rec := do(t, s, "GET", path); rec.Code != http.StatusOK {
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	wg.Wait()
	if n := s.renders.count(path); n != 1 {
		t.Errorf("20 concurrent first requests rendered the page %d times, want 1", n)
	}
}

func TestPageCacheStaysWithinItsBound(t *testing.T) {
	site, err := content.Load(corpus.FS(60))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.PageCacheBytes = 200 << 10
	s, err := New(site, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for round := range 2 {
		for _, a := range site.Articles {
			rec := get(t, s, "GET", "/articles/"+a.Slug, http.Header{"Accept-Encoding": {"gzip"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("round %d: %s: status %d", round, a.Slug, rec.Code)
			}
			if st := s.pages.Stats(); st.Bytes > cfg.PageCacheBytes {
				t.Fatalf("the page cache holds %d bytes, over its bound of %d", st.Bytes, cfg.PageCacheBytes)
			}
		}
	}
	st := s.pages.Stats()
	if st.Entries == 0 || st.Entries >= len(site.Articles) {
		t.Errorf("the cache holds %d of %d pages: want it full and evicting", st.Entries, len(site.Articles))
	}
}

// articleFile is a valid article with the given title, tags and text.
func articleFile(title, text string, tags ...string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: About " + title + ".\nlast_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
		"tags: [" + strings.Join(tags, ", ") + "]\nsources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\n" +
		text + "\n\n## Cause {#cause}\n\n" + text + "\n\n## When to get medical help\n\nSee a doctor.\n")}
}

// Editing one article remakes its page, the lists and pages that show it
// and the feed, and leaves every other kept page alone: counted in renders.
func TestReloadRemakesOnlyWhatShowsTheChange(t *testing.T) {
	fsys := fstest.MapFS{
		"ankle.md": articleFile("Ankle pain", "Ankles hurt.", "legs"),
		"calf.md":  articleFile("Calf pain", "Calves hurt.", "legs"),
		"back.md":  articleFile("Back pain", "Backs hurt.", "back"),
		"complaints/aches.yaml": {Data: []byte(`id: aches
name: Aches
description: Aches anywhere.
last_reviewed: 2026-01-01
next_review: 2030-01-01
safety_net: See a doctor if it lasts.
red_flags:
  question: Any of these?
  flags:
    - {id: flag, label: A flag, when: you have the flag, level: urgent, advice: See a doctor.}
symptom_groups:
  - question: Pain
    symptoms:
      - {id: ankle-ache, label: Ankle ache, sections: [{to: ankle#cause}]}
      - {id: back-ache, label: Back ache, sections: [{to: back#cause}]}
`)},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	paths := []string{"/", "/articles/ankle", "/articles/calf", "/articles/back", "/feed.xml", "/sitemap.xml"}
	results := map[string]string{ // path -> answer cache key
		"/symptoms/aches/results?symptom=ankle-ache": "symptom-results:aches?symptom=ankle-ache#0",
		"/symptoms/aches/results?symptom=back-ache":  "symptom-results:aches?symptom=back-ache#0",
	}
	visit := func() map[string]int {
		renders := map[string]int{}
		for _, p := range paths {
			if rec := do(t, s, "GET", p); rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", p, rec.Code)
			}
			renders[p] = s.renders.count(p)
		}
		for p, key := range results {
			if rec := do(t, s, "GET", p); rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", p, rec.Code)
			}
			renders[p] = s.renders.count(key)
		}
		return renders
	}
	edit := func(file string, f *fstest.MapFile) {
		t.Helper()
		fsys[file] = f
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
		for p := range after {
			if after[p] != before[p] {
				out = append(out, p)
			}
		}
		slices.Sort(out)
		return out
	}

	first := visit()
	for p, n := range first {
		if n != 1 {
			t.Fatalf("%s rendered %d times on first visit", p, n)
		}
	}
	if again := visit(); len(remade(first, again)) != 0 {
		t.Fatalf("a second visit with nothing changed remade %v", remade(first, again))
	}

	t.Run("text edited", func(t *testing.T) {
		before := visit()
		edit("ankle.md", articleFile("Ankle pain", "Ankles ache.", "legs"))
		got := remade(before, visit())
		want := []string{"/articles/ankle", "/symptoms/aches/results?symptom=ankle-ache"}
		// The result that quotes the ankle article is remade; the back
		// article and its result, and the lists, which show no text, are kept.
		if !slices.Equal(got, want) {
			t.Errorf("remade %v, want %v", got, want)
		}
		if body := do(t, s, "GET", "/articles/ankle").Body.String(); !strings.Contains(body, "Ankles ache.") {
			t.Error("the edited text is not served")
		}
	})
	t.Run("retitled", func(t *testing.T) {
		before := visit()
		edit("ankle.md", articleFile("Aching ankle", "Ankles ache.", "legs"))
		got := remade(before, visit())
		want := []string{"/", "/articles/ankle", "/articles/calf", "/feed.xml", "/sitemap.xml", "/symptoms/aches/results?symptom=ankle-ache"}
		if !slices.Equal(got, want) {
			t.Errorf("remade %v, want %v (calf lists ankle as related; back does not)", got, want)
		}
		if body := do(t, s, "GET", "/articles/calf").Body.String(); !strings.Contains(body, "Aching ankle") {
			t.Error("the related list on calf does not show the new title")
		}
	})
	t.Run("removed", func(t *testing.T) {
		delete(fsys, "calf.md")
		next, ch, err := s.Site().Reload(fsys, []string{"calf.md"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(next, ch); err != nil {
			t.Fatal(err)
		}
		if rec := do(t, s, "GET", "/articles/calf"); rec.Code != http.StatusNotFound {
			t.Errorf("a removed article: status %d, want 404", rec.Code)
		}
		for _, p := range []string{"/", "/feed.xml", "/sitemap.xml", "/articles/ankle"} {
			if body := do(t, s, "GET", p).Body.String(); strings.Contains(body, "/articles/calf") {
				t.Errorf("%s still links the removed article", p)
			}
		}
		doc := htmltest.Parse(t, do(t, s, "GET", "/").Body.Bytes())
		if n := len(htmltest.All(t, doc, ".article-list li")); n != 2 {
			t.Errorf("home lists %d articles, want 2", n)
		}
	})
}

// A page made from the site before a reload must never be kept after it.
func TestNoPageFromAnOldSiteIsKept(t *testing.T) {
	fsys := fstest.MapFS{"a.md": articleFile("Ankle pain", "Version 1.", "legs")}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 2; i <= 5; i++ {
		fsys["a.md"] = articleFile("Ankle pain", fmt.Sprintf("Version %d.", i), "legs")
		var wg sync.WaitGroup
		wg.Go(func() { do(t, s, "GET", "/articles/a") }) // may race with the swap
		next, ch, err := s.Site().Reload(fsys, []string{"a.md"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(next, ch); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if body := do(t, s, "GET", "/articles/a").Body.String(); !strings.Contains(body, fmt.Sprintf("Version %d.", i)) {
			t.Fatalf("after reload %d the page does not show the new text", i)
		}
	}
}

// A picture from static/ in an article's text is served under its hashed
// name; a missing one stops the site from starting.
func TestPicturesInArticles(t *testing.T) {
	page := func(picture string) fstest.MapFS {
		f := articleFile("Ankle pain", "![A drawing of an ankle](/static/"+picture+")", "legs")
		return fstest.MapFS{"a.md": f}
	}
	site, err := content.Load(page("share.png"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doc := htmltest.Parse(t, do(t, s, "GET", "/articles/a").Body.Bytes())
	src := attr(htmltest.All(t, doc, "article img")[0], "src")
	if src != s.assets.URL("share.png") {
		t.Errorf("img src = %q, want the hashed address %q", src, s.assets.URL("share.png"))
	}
	if rec := do(t, s, "GET", src); rec.Code != http.StatusOK {
		t.Errorf("GET %s: %d", src, rec.Code)
	}

	// Loading with the server's options refuses a picture static/ lacks.
	if _, err = content.LoadWith(page("missing.png"), ContentOptions(static.FS)); err == nil || !strings.Contains(err.Error(), "a.md:15: the picture /static/missing.png is not in static/") {
		t.Errorf("a missing picture: err = %v", err)
	}
}

// A page's row is the whole truth about it: a throwaway table with one new
// private page, and nothing else changed, gets every private behaviour
// from that row alone: no cache stores any of its responses, none sends
// a referrer or may be indexed, the access log never holds its query, and
// one client may ask for it only so often.
func TestPrivacyComesFromTheRow(t *testing.T) {
	cfg := testConfig()
	cfg.RateLimit = RateLimit{Requests: 3, Window: time.Minute}
	s, logs := newTestServerWith(t, cfg)
	notes := func(env pages.Env, req pages.Request) (pages.Built[web.ErrorView], error) {
		if req.RawQuery == "" {
			return pages.Built[web.ErrorView]{}, pages.ErrNotFound
		}
		return pages.Built[web.ErrorView]{Status: http.StatusOK, Head: env.Head("Notes", "Notes.", ""), View: web.ErrorView{Heading: "Your notes", Message: "Noted."}}, nil
	}
	table := append(s.pageTable(),
		htmlPage("notes", "/private-notes/{id}", notes, web.ErrorPage).
			holding(private).keptBy(keepNone, nil).limitedAs("notes"))
	s.router = s.routes(table)

	for _, tt := range []struct {
		name, target string
		status       int
	}{
		{"the page", "/private-notes/1?text=my+secret+symptom", 200},
		{"an error", "/private-notes/1", 404},
		{"the page with a slash", "/private-notes/1/?text=my+secret+symptom", 301},
		{"another method", "/private-notes/1?text=my+secret+symptom", 405},
		{"under its address", "/private-notes/1/2?text=my+secret+symptom", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodGet
			if tt.status == 405 {
				method = http.MethodPost
			}
			rec := do(t, s, method, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			if tt.status != 405 && tt.name != "under its address" {
				if got := rec.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q", got)
				}
				if got := rec.Header().Get("X-Robots-Tag"); got != "noindex" {
					t.Errorf("X-Robots-Tag = %q", got)
				}
			}
		})
	}
	// The public pages beside it are as they were.
	if rec := do(t, s, http.MethodGet, "/about"); rec.Header().Get("Referrer-Policy") == "no-referrer" || rec.Header().Get("Cache-Control") == "no-store" {
		t.Errorf("the about page took the private page's headers: %v", rec.Header())
	}
	// Its rate limit is its own: three requests in the window, then 429.
	var codes []int
	for range 3 {
		codes = append(codes, do(t, s, http.MethodGet, "/private-notes/2?text=again").Code)
	}
	if !slices.Equal(codes, []int{200, 429, 429}) {
		t.Errorf("statuses %v, want the limit of 3 reached (two requests above counted already)", codes)
	}
	if rec := do(t, s, http.MethodGet, "/search?q=neck"); rec.Code == http.StatusTooManyRequests {
		t.Error("the notes' count limited search, another class")
	}
	s.FlushLogs()
	if strings.Contains(logs.String(), "secret") || strings.Contains(logs.String(), "text=") {
		t.Errorf("the query reached the log:\n%s", logs.String())
	}
}
