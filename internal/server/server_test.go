package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/htmltest"
)

const seedSlug = "neck-pain-after-cervical-massage"

// newTestServer serves the bundled articles, logging errors and access
// lines into the returned buffer (call FlushLogs before reading it).
func newTestServer(t testing.TB) (*Server, *logBuffer) {
	t.Helper()
	return newTestServerWith(t, testConfig())
}

// newTestServerWith is newTestServer with another configuration.
func newTestServerWith(t testing.TB, cfg Config) (*Server, *logBuffer) {
	t.Helper()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatalf("loading bundled articles: %v", err)
	}
	logs := &logBuffer{}
	cfg.BaseURL = "https://health.example.org/"
	cfg.Logger, cfg.AccessLog = slog.New(slog.NewJSONHandler(logs, nil)), logs
	s, err := New(site, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s, logs
}

// testConfig is the configuration the command runs with by default.
func testConfig() Config {
	return Config{
		BaseURL:          testBase,
		PageCacheBytes:   DefaultPageCacheBytes,
		AnswerCacheBytes: DefaultAnswerCacheBytes,
		SearchCacheBytes: DefaultSearchCacheBytes,
		RateLimit:        DefaultRateLimit,
	}
}

// logBuffer is written by the request path and the access logger at once.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func do(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	const html = "text/html; charset=utf-8"
	tests := []struct {
		method, path string
		wantStatus   int
		wantType     string
		wantH1       string // checked on HTML pages with a body
	}{
		{"GET", "/", 200, html, "Health information from cited sources, reviewed on a schedule"},
		{"GET", "/about", 200, html, "About Healthsite"},
		{"GET", "/articles/" + seedSlug, 200, html, "Neck pain after a neck massage or manipulation"},
		{"GET", "/healthz", 200, "text/plain; charset=utf-8", ""},
		{"GET", "/favicon.ico", 200, "image/x-icon", ""},
		{"GET", "/articles/no-such-article", 404, html, "Page not found"},
		{"GET", "/no/such/page", 404, html, "Page not found"},
		{"GET", "/articles", 200, html, "Articles A to Z"},
		{"GET", "/articles/", 301, html, ""}, // to the A to Z at /articles
		{"GET", "/a-z/n", 200, html, "Articles: N"},
		{"GET", "/a-z/q", 404, html, "Page not found"}, // no article starts with Q
		{"GET", "/a-z/N", 404, html, "Page not found"},
		{"GET", "/a-z/n?page=2", 404, html, "Page not found"},
		{"GET", "/topics", 200, html, "Topics"},
		{"GET", "/topics/neck", 200, html, "Neck"},
		{"GET", "/topics/no-such-topic", 404, html, "Page not found"},
		{"GET", "/opensearch.xml", 200, "application/opensearchdescription+xml; charset=utf-8", ""},
		{"GET", "/static/site.css", 404, html, "Page not found"}, // only hashed names are served
		{"GET", "/static/nope.0123456789.css", 404, html, "Page not found"},
		{"POST", "/", 405, html, "Sorry, this page cannot do that"},
		{"DELETE", "/articles/" + seedSlug, 405, html, "Sorry, this page cannot do that"},
		{"PUT", "/healthz", 405, html, "Sorry, this page cannot do that"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := do(t, s, tt.method, tt.path)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if tt.wantStatus == 405 {
				if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow = %q, want %q", got, "GET, HEAD")
				}
			}
			if tt.wantH1 != "" {
				doc := htmltest.Parse(t, rec.Body.Bytes())
				if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != tt.wantH1 {
					t.Errorf("h1 = %q, want %q", got, tt.wantH1)
				}
				htmltest.One(t, doc, `html[lang]`)
				htmltest.One(t, doc, `a.skip-link[href="#main-content"]`)
				htmltest.One(t, doc, "header")
				htmltest.One(t, doc, "main#main-content")
				htmltest.One(t, doc, "footer")
				htmltest.One(t, doc, `footer a[href="/about"]`)
				if !strings.Contains(htmltest.Text(htmltest.One(t, doc, "footer")), "not a diagnosis") {
					t.Error("footer does not say the site is not a diagnosis")
				}
			}
		})
	}
}

func TestHead(t *testing.T) {
	s, _ := newTestServer(t)
	for _, path := range []string{"/", "/about", "/articles/" + seedSlug, "/healthz", "/nope"} {
		t.Run(path, func(t *testing.T) {
			get := do(t, s, "GET", path)
			head := do(t, s, "HEAD", path)
			if head.Code != get.Code {
				t.Errorf("HEAD status = %d, GET status = %d", head.Code, get.Code)
			}
			if head.Header().Get("Content-Type") != get.Header().Get("Content-Type") {
				t.Errorf("HEAD Content-Type = %q, GET = %q", head.Header().Get("Content-Type"), get.Header().Get("Content-Type"))
			}
		})
	}
}

func TestTrailingSlashRedirects(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/articles/"+seedSlug+"/")
	if rec.Code != http.StatusMovedPermanently {
		t.Fatalf("status = %d, want 301", rec.Code)
	}
	if got, want := rec.Header().Get("Location"), "/articles/"+seedSlug; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if rec := do(t, s, "GET", "/articles/unknown/"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown slug with slash: status = %d, want 404 (no redirect to nowhere)", rec.Code)
	}
}

func TestSeedArticlePage(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/articles/"+seedSlug)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())

	causes := []string{
		"too-much-force-during-manipulation",
		"muscle-tension-and-protective-spasm",
		"neck-muscle-strain",
		"cervical-facet-joint-disorder",
		"neck-and-shoulder-fasciitis",
	}
	for _, id := range append(causes, "looking-after-your-neck-every-day", "when-to-get-medical-help") {
		h := htmltest.One(t, doc, "h2#"+id)
		htmltest.One(t, doc, `a.self-link[href="#`+id+`"]`)
		htmltest.One(t, doc, `nav.contents a[href="#`+id+`"]`)
		if htmltest.Text(h) == "" {
			t.Errorf("heading #%s is empty", id)
		}
	}
	if n := len(htmltest.All(t, doc, "h1")); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	urgent := htmltest.One(t, doc, "section.care-card-urgent")
	if got := htmltest.Text(urgent); !strings.Contains(got, "more than 3 days") || !strings.Contains(got, "dizzy") || !strings.Contains(got, "numb") {
		t.Errorf("medical help card = %q, want the three reasons to see a doctor", got)
	}
	// Its urgency is in words in its heading, which screen readers say
	// with it (Text puts a space before the visually hidden colon).
	if got := strings.ReplaceAll(htmltest.Text(htmltest.One(t, urgent, "h2#when-to-get-medical-help")), " :", ":"); got != "Urgent advice: When to get medical help" {
		t.Errorf("medical help heading = %q, want it to start with its urgency in words", got)
	}
	if got := strings.Join(strings.Fields(htmltest.Text(htmltest.One(t, urgent, "p"))), " "); got != "See a doctor promptly if:" {
		t.Errorf("medical help card starts %q", got)
	}
	// No clinician has signed the article off, and the byline says so;
	// the schema.org data names no reviewer
	// (TestArticleDatesAndStructuredData).
	if got, want := htmltest.Text(htmltest.One(t, doc, ".byline")), "Written by Healthsite editorial team. Not reviewed by a clinician."; got != want {
		t.Errorf("byline = %q, want %q", got, want)
	}
	dates := htmltest.Text(htmltest.One(t, doc, "dl.review-dates"))
	for _, want := range []string{"Page last reviewed: 24 November 2026", "Next review due: 24 November 2027"} {
		if !strings.Contains(dates, want) {
			t.Errorf("review dates %q do not contain %q", dates, want)
		}
	}
	// The dates follow the content, not the footer.
	if htmltest.All(t, doc, "article dl.review-dates") == nil {
		t.Error("review dates are not inside the article")
	}
	sources := htmltest.Text(htmltest.One(t, doc, "section.sources"))
	if !strings.Contains(sources, "Cainiu Health") || !strings.Contains(sources, "Dr. Chen Jian") {
		t.Errorf("sources = %q, want the seed source cited", sources)
	}
	if htmltest.All(t, doc, "aside.related") != nil {
		t.Error("related block shown although no other article shares a tag")
	}
	canon := htmltest.One(t, doc, `link[rel="canonical"]`)
	if href, _ := htmltest.Attr(canon, "href"); href != "https://health.example.org/articles/"+seedSlug {
		t.Errorf("canonical = %q", href)
	}
}

func TestHomeListsArticles(t *testing.T) {
	s, _ := newTestServer(t)
	rec := do(t, s, "GET", "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	item := htmltest.One(t, doc, ".article-list li")
	htmltest.One(t, item, `a[href="/articles/`+seedSlug+`"]`)
	if got := htmltest.Text(item); !strings.Contains(got, "Last reviewed: 24 November 2026") {
		t.Errorf("list item = %q, want the review date", got)
	}
	htmltest.One(t, doc, `main a[href="/symptoms"]`)
}

func TestStaticAssets(t *testing.T) {
	s, _ := newTestServer(t)
	url := s.assets.URL("site.css")
	if !strings.HasPrefix(url, "/static/site.") || url == "/static/site.css" {
		t.Fatalf("stylesheet URL %q is not content-hashed", url)
	}
	rec := do(t, s, "GET", url)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status = %d", url, rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q, want a year, immutable", got)
	}
	doc := htmltest.Parse(t, do(t, s, "GET", "/").Body.Bytes())
	htmltest.One(t, doc, `link[rel="stylesheet"][href="`+url+`"]`)
}

func TestPanicGivesFriendly500AndServerKeepsServing(t *testing.T) {
	s, logs := newTestServer(t)
	s.router.(chi.Router).Get("/boom", func(http.ResponseWriter, *http.Request) { panic("secret internal detail") })

	rec := do(t, s, "GET", "/boom")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if strings.Contains(body, "secret internal detail") || strings.Contains(body, "goroutine") {
		t.Errorf("500 page leaks the panic or a stack trace:\n%s", body)
	}
	doc := htmltest.Parse(t, rec.Body.Bytes())
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Sorry, there is a problem with this page" {
		t.Errorf("h1 = %q", got)
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), `"request_id"`) {
		t.Errorf("the panic was not logged with a request id:\n%s", logs.String())
	}
	if rec := do(t, s, "GET", "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("after a panic /healthz = %d, want 200", rec.Code)
	}
}

func TestAccessLogLeavesOutQueryString(t *testing.T) {
	s, logs := newTestServer(t)
	do(t, s, "GET", "/about?private=answer")
	s.FlushLogs()
	if !strings.Contains(logs.String(), `"path":"/about"`) {
		t.Errorf("access log does not record the path:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "private") {
		t.Errorf("access log contains the query string:\n%s", logs.String())
	}
}

func TestParseBaseURL(t *testing.T) {
	for _, ok := range []string{"http://localhost:8080", "https://health.example.org/", "https://example.org/health"} {
		if _, err := ParseBaseURL(ok); err != nil {
			t.Errorf("ParseBaseURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "localhost:8080", "ftp://x.org", "https://x.org/?a=b", "https:///nohost", "https://u:p@x.org"} {
		if _, err := ParseBaseURL(bad); err == nil {
			t.Errorf("ParseBaseURL(%q) succeeded, want an error", bad)
		}
	}
}
