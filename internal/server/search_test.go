package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/htmltest"
	"healthsite/internal/search"
)

// newSearchServer is newTestServer with its search index built.
func newSearchServer(t testing.TB) (*Server, *logBuffer) {
	t.Helper()
	s, logs := newTestServer(t)
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, logs
}

func searchPath(q string) string { return "/search?q=" + url.QueryEscape(q) }

// Until the index is built, search says so: 503 with Retry-After, never
// results from nothing. Other pages are served meanwhile.
func TestSearchWaitsForItsIndex(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", searchPath("neck pain"))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("before indexing: status %d, want 503", rec.Code)
	}
	if got := rec.Header().Get("Retry-After"); got == "" {
		t.Error("503 without Retry-After")
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Sorry, search is not ready yet" {
		t.Errorf("h1 = %q", got)
	}
	if rec := do(t, s, "GET", "/articles"); rec.Code != http.StatusOK {
		t.Errorf("the A to Z while indexing: %d", rec.Code)
	}
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rec := do(t, s, "GET", searchPath("neck pain")); rec.Code != http.StatusOK {
		t.Errorf("after indexing: status %d, want 200", rec.Code)
	}
}

func TestSearchPage(t *testing.T) {
	s, _ := newSearchServer(t)
	rec := do(t, s, "GET", searchPath("inflamed tissue"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	htmltest.One(t, doc, `meta[name="robots"][content="noindex"]`)
	if got := attr(htmltest.One(t, doc, "main input#search-q"), "value"); got != "inflamed tissue" {
		t.Errorf("the box holds %q", got)
	}
	first := htmltest.All(t, doc, ".search-sections a")
	if len(first) == 0 || attr(first[0], "href") != "/articles/"+seedSlug+"#neck-and-shoulder-fasciitis" {
		t.Fatalf("first section link: %v", first)
	}
	if marks := htmltest.All(t, doc, ".search-sections .snippet mark"); len(marks) == 0 {
		t.Error("no matched word is marked")
	}
	if got := htmltest.Text(htmltest.One(t, doc, "title")); !strings.HasPrefix(got, "Search results for inflamed tissue") {
		t.Errorf("title = %q", got)
	}

	// Did you mean, with the results of the suggestion.
	doc = htmltest.Parse(t, do(t, s, "GET", searchPath("nekc pain")).Body.Bytes())
	if got := attr(htmltest.One(t, doc, ".search-suggestion a"), "href"); got != "/search?q=neck+pain" {
		t.Errorf("suggestion links %q", got)
	}
	// Nothing found: help, and the way to the A to Z and the checker.
	doc = htmltest.Parse(t, do(t, s, "GET", searchPath("xyzzy")).Body.Bytes())
	htmltest.One(t, doc, `main a[href="/articles"]`)
	htmltest.One(t, doc, `main .safety-net`)
	// The empty form.
	rec = do(t, s, "GET", "/search")
	if rec.Code != http.StatusOK {
		t.Errorf("the empty form: %d", rec.Code)
	}
	if got := htmltest.Text(htmltest.One(t, htmltest.Parse(t, rec.Body.Bytes()), "h1")); got != "Search" {
		t.Errorf("the empty form's h1 = %q", got)
	}
}

// A query longer than a person types gets a page saying so, with the box
// empty again.
func TestSearchTooLong(t *testing.T) {
	s, _ := newSearchServer(t)
	q := strings.Repeat("neck ", 41) // 205 characters
	rec := do(t, s, "GET", searchPath(q))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	if got := htmltest.Text(htmltest.One(t, doc, "#search-q-error")); !strings.Contains(got, "Your search is too long") {
		t.Errorf("error = %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, "title")); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("title = %q", got)
	}
	if strings.Contains(rec.Body.String(), "neck neck") {
		t.Error("the long query is shown back")
	}
	if rec := do(t, s, "GET", searchPath(strings.Repeat("é", 200))); rec.Code != http.StatusOK {
		t.Errorf("200 characters, 400 bytes: status %d, want 200: the limit is in characters", rec.Code)
	}
}

// Whatever is typed, search never fails and never shows the query as
// markup; engine syntax is searched as words.
func TestHostileSearches(t *testing.T) {
	s, logs := newSearchServer(t)
	for _, raw := range []string{
		`q=` + url.QueryEscape(`<script>alert(1)</script>`),
		`q=` + url.QueryEscape(`"><img src=x onerror=alert(1)>`),
		`q=` + url.QueryEscape(`"neck`), `q=` + url.QueryEscape(`neck"pain"`), `q=*`, `q=neck*`, `q=` + url.QueryEscape(`NEAR(neck pain, 2)`),
		`q=neck+AND`, `q=AND+OR+NOT`, `q=(((neck`, `q=neck)))`, `q=` + url.QueryEscape(`title:neck`), `q=` + url.QueryEscape(`{title}:neck ^pain`),
		`q=%FF%FEneck`, `q=neck%00pain`, `q=%00`, `q=` + url.QueryEscape(`'; DROP TABLE sections; --`),
		`q=neck&q=pain`, `q=neck&page=0`, `q=neck&page=-1`, `q=neck&page=abc`, `q=neck&page=99999999999999999999`,
		`q=neck&page=2`, `q=%zz`, `q=neck;x`, `q=` + strings.Repeat("x", 10<<10), `q=` + url.QueryEscape(strings.Repeat("ü", 150)),
	} {
		rec := do(t, s, "GET", "/search?"+raw)
		if rec.Code >= 500 {
			t.Errorf("%.60s: status %d", raw, rec.Code)
			continue
		}
		body := rec.Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%.60s: the page holds the query unescaped", raw)
		}
		doc := htmltest.Parse(t, rec.Body.Bytes())
		for _, sel := range []string{"script", "img", "[onerror]"} {
			if n := len(htmltest.All(t, doc, sel)); n != 0 {
				t.Errorf("%.60s: the page has %d %s", raw, n, sel)
			}
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%.60s: Content-Type %q", raw, rec.Header().Get("Content-Type"))
		}
	}
	s.FlushLogs()
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("hostile searches logged errors:\n%s", logs.String())
	}
}

// Every response of the search page, whatever its status, keeps the query
// out of caches, referrers and search engines, and no query reaches the
// access log.
func TestSearchPrivacy(t *testing.T) {
	cfg := testConfig()
	cfg.RateLimit.Requests = 12
	s, logs := newTestServerWith(t, cfg)
	secret := "zebraquery"
	targets := []string{
		searchPath(secret),                       // 503: not indexed yet
		"/search/?q=" + secret,                   // 301 to /search?q=
		searchPath(strings.Repeat(secret, 30)),   // 400: too long
		"/search?q=" + secret + "&page=x",        // 404
		"/search?q=%zz" + secret,                 // 400: unreadable
		"/search?" + strings.Repeat(secret, 500), // 414
	}
	check := func(target string, rec *httptest.ResponseRecorder) {
		t.Helper()
		h := rec.Header()
		for name, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"} {
			if got := h.Get(name); got != want && !(name == "X-Robots-Tag" && rec.Code == http.StatusRequestURITooLong) {
				t.Errorf("%.50s (%d): %s = %q, want %q", target, rec.Code, name, got, want)
			}
		}
	}
	for _, target := range targets {
		check(target, do(t, s, "GET", target))
	}
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{searchPath(secret), searchPath("neck " + secret), "/search"} {
		rec := do(t, s, "GET", target)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d", target, rec.Code)
		}
		check(target, rec)
		rec = get(t, s, "GET", target, http.Header{"If-None-Match": {rec.Header().Get("ETag")}, "Accept-Encoding": {"gzip"}})
		check(target+" (304)", rec)
	}
	var limited bool
	for range 20 {
		rec := do(t, s, "GET", searchPath(secret))
		check("rate limited", rec)
		limited = limited || rec.Code == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("searches are not rate limited")
	}
	s.FlushLogs()
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the query reached the log:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"path":"/search"`) {
		t.Error("the searches are not in the access log at all: this test would pass vacuously")
	}
}

// A repeated search is served from memory; an edit in the preview
// re-indexes the article at once and drops the kept results.
func TestSearchFollowsEdits(t *testing.T) {
	fsys := fstest.MapFS{
		"ankle.md": articleFile("Ankle pain", "Ankles ache after running.", "legs"),
		"back.md":  articleFile("Back pain", "Backs ache after lifting.", "back"),
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
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	key := "search:1:ache"
	firstLinks := func(q string) []string {
		t.Helper()
		rec := do(t, s, "GET", searchPath(q))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", q, rec.Code)
		}
		var out []string
		for _, a := range htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), ".search-result-title a") {
			out = append(out, attr(a, "href"))
		}
		return out
	}
	if got := firstLinks("ache"); !slices.Equal(got, []string{"/articles/ankle", "/articles/back"}) && !slices.Equal(got, []string{"/articles/back", "/articles/ankle"}) {
		t.Fatalf("ache finds %v", got)
	}
	firstLinks("ache")
	if n := s.renders.count(key); n != 1 {
		t.Errorf("a repeated search was made %d times, want once", n)
	}
	fsys["back.md"] = articleFile("Back pain", "Backs hurt after lifting.", "back")
	next, ch, err := s.Site().Reload(fsys, []string{"back.md"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(next, ch); err != nil {
		t.Fatal(err)
	}
	if got := firstLinks("ache"); !slices.Equal(got, []string{"/articles/ankle"}) {
		t.Errorf("after the edit, ache finds %v, want only the ankle", got)
	}
	if n := s.renders.count(key); n != 2 {
		t.Errorf("the kept search was made %d times, want it made again after the edit", n)
	}
	if got := firstLinks("hurt"); !slices.Equal(got, []string{"/articles/back"}) {
		t.Errorf("after the edit, hurt finds %v", got)
	}

	// Saving the synonyms file changes what a word finds, at once.
	if got := firstLinks("throb"); len(got) != 0 {
		t.Fatalf("throb finds %v before it is a synonym", got)
	}
	fsys["synonyms.yaml"] = &fstest.MapFile{Data: []byte("last_reviewed: 2026-01-01\nnext_review: 2027-01-01\ngroups:\n  - [ache, throb]\n")}
	next, ch, err = s.Site().Reload(fsys, []string{"synonyms.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(next, ch); err != nil {
		t.Fatal(err)
	}
	if got := firstLinks("throb"); !slices.Equal(got, []string{"/articles/ankle"}) {
		t.Errorf("after the synonyms changed, throb finds %v, want the ankle (ache)", got)
	}

	// A new site (not an edit) gets a new index; search waits for it.
	fsys["calf.md"] = articleFile("Calf pain", "Calves cramp.", "legs")
	fresh, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(fresh); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return do(t, s, "GET", searchPath("cramp")).Code == http.StatusOK })
	if got := firstLinks("cramp"); !slices.Equal(got, []string{"/articles/calf"}) {
		t.Errorf("after Update, cramp finds %v", got)
	}
}

func TestOpenSearchDescription(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/opensearch.xml")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">`, `<ShortName>Healthsite</ShortName>`, `template="https://health.example.org/search?q={searchTerms}"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the description lacks %s:\n%s", want, body)
		}
	}
}

// waitFor polls ok until it holds, failing the test after ten seconds.
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// The index lives in a file under SearchDir, removed at Close; when it
// cannot be made there, in memory, with a warning.
func TestSearchIndexFolder(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.SearchDir = dir
	s, _ := newTestServerWith(t, cfg)
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in SearchDir, want the index's folder", len(entries))
	}
	if rec := do(t, s, "GET", searchPath("fasciitis")); rec.Code != http.StatusOK {
		t.Errorf("search: %d", rec.Code)
	}
	s.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Close left %d entries in SearchDir", len(entries))
	}

	cfg.SearchDir = filepath.Join(dir, "no", "such", "folder")
	s, logs := newTestServerWith(t, cfg)
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rec := do(t, s, "GET", searchPath("fasciitis")); rec.Code != http.StatusOK {
		t.Errorf("search with the index in memory: %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "keeping it in memory") {
		t.Error("no warning that the index is kept in memory")
	}
}

// An index built for a site that a save replaced while it was built (an
// author saving just after start-up) re-reads what the save changed and
// serves, rather than being thrown away and built again.
func TestIndexCatchesUpWithEdits(t *testing.T) {
	fsys := fstest.MapFS{
		"ankle.md": articleFile("Ankle pain", "Ankles ache after running.", "legs"),
		"back.md":  articleFile("Back pain", "Backs ache after lifting.", "back"),
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
	ix, err := search.Build(context.Background(), site, "")
	if err != nil {
		t.Fatal(err)
	}
	// The save lands while ix is being built for site.
	fsys["back.md"] = articleFile("Back pain", "Backs hurt after lifting.", "back")
	next, ch, err := site.Reload(fsys, []string{"back.md"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(next, ch); err != nil {
		t.Fatal(err)
	}
	if !s.installIndex(context.Background(), ix, site) {
		t.Fatal("the index one save behind was not installed")
	}
	if ix.Site() != s.Site() {
		t.Fatal("the installed index holds another site than the one served")
	}
	rec := do(t, s, "GET", searchPath("hurt"))
	if rec.Code != http.StatusOK {
		t.Fatalf("hurt: %d", rec.Code)
	}
	links := htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), ".search-result-title a")
	if len(links) != 1 || attr(links[0], "href") != "/articles/back" {
		t.Errorf("hurt finds %d results, want the edited back article", len(links))
	}
}

// "cervical" is also the cervix and "sore" a sore throat: searches for
// those must not send a reader to the article on neck pain, whatever the
// fallbacks (spelling, fewer words) would otherwise find. "cervical spine"
// and "sore neck" still find it.
func TestSearchSynonymsDoNotCrossMeanings(t *testing.T) {
	s, _ := newSearchServer(t)
	const neck = "/articles/neck-pain-after-cervical-massage"
	found := func(q string) bool {
		t.Helper()
		rec := do(t, s, "GET", searchPath(q))
		if rec.Code != http.StatusOK {
			t.Fatalf("%q: status %d", q, rec.Code)
		}
		for _, a := range htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), "main a") {
			if strings.HasPrefix(attr(a, "href"), neck) {
				return true
			}
		}
		return false
	}
	for _, q := range []string{"cervical screening", "cervical smear", "sore throat", "a sore throat"} {
		if found(q) {
			t.Errorf("%q finds the neck pain article", q)
		}
	}
	for _, q := range []string{"cervical spine", "sore neck", "neck massage", "tender area"} {
		if !found(q) {
			t.Errorf("%q does not find the neck pain article", q)
		}
	}
}
