package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
)

// BenchmarkStartup is loading the bundled articles and rendering every page.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		site, err := content.Load(articles.FS)
		if err != nil {
			b.Fatal(err)
		}
		s, err := New(site, Config{BaseURL: testBase})
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

const resultTarget = "/symptoms/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed"

// BenchmarkHandlers runs each kind of request through the whole router and
// its production middleware (request id, security headers, access log,
// recovery, limits).
func BenchmarkHandlers(b *testing.B) {
	site, err := content.Load(articles.FS)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(site, Config{BaseURL: testBase, AccessLog: io.Discard, RateLimit: RateLimit{Requests: -1}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.state.Load().warm()
	// The same site without the answer cache: the cost of computing,
	// rendering and compressing a result from scratch.
	uncached, err := New(site, Config{BaseURL: testBase, AccessLog: io.Discard, RateLimit: RateLimit{Requests: -1}, AnswerCache: -1})
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
		{"symptom-form", "/symptoms", s},
		{"result", resultTarget, s},
		{"result-uncached", resultTarget, uncached},
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
