package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
)

// BenchmarkStartup is loading the bundled articles and starting a server:
// no page is rendered until it is asked for.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		site, err := content.Load(articles.FS)
		if err != nil {
			b.Fatal(err)
		}
		s, err := New(site, testConfig())
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler and not a recorder's buffer.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

const resultTarget = "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed"

// BenchmarkHandlers runs each kind of request through the whole router and
// its production middleware (request id, security headers, access log,
// recovery, limits).
func BenchmarkHandlers(b *testing.B) {
	site, err := content.Load(articles.FS)
	if err != nil {
		b.Fatal(err)
	}
	cfg := testConfig()
	cfg.AccessLog, cfg.RateLimit = io.Discard, RateLimit{}
	s, err := New(site, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// The same site keeping no pages: the cost of making, rendering and
	// compressing a page from scratch, as on its first request.
	cfg.PageCacheBytes, cfg.AnswerCacheBytes = 0, 0
	uncached, err := New(site, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer uncached.Close()
	for _, bc := range []struct {
		name, target string
		h            http.Handler
	}{
		{"article", "/articles/" + seedSlug, s},
		{"home", "/", s},
		{"stylesheet", s.assets.URL("site.css"), s},
		{"symptom-chooser", "/symptoms", s},
		{"symptom-form", "/symptoms/neck-pain", s},
		{"result", resultTarget, s},
		{"result-uncached", resultTarget, uncached},
		{"article-uncached", "/articles/" + seedSlug, uncached},
		{"not-found", "/no-such-page", s},
		{"healthz", "/healthz", s},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", bc.target, nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}
