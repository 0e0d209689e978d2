package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRoutes sends arbitrary paths and queries through the whole router:
// nothing may panic, return a 500, or echo markup back.
func FuzzRoutes(f *testing.F) {
	for _, seed := range []string{
		"/", "/articles/neck-pain-after-cervical-massage", "/articles/x/", "/static/../go.mod",
		"/static/%2e%2e%2fgo.mod", "/articles/%00", "/articles/%ff", "/symptoms/neck-pain/results?symptom=stiff-neck&symptom=%3Cb%3E",
		"/symptoms/neck-pain?symptom=none&symptom=dizziness", "//evil.example/", "/articles/%2F%2Fevil", "/%3Cscript%3E",
		"/symptoms/results?symptom=dizziness&symptom=stiff-neck", "/symptoms?symptom=%3Cb%3E", "/symptoms/results/?symptom=gone",
		"/symptoms//results?symptom=x", "/symptoms/%3Cb%3E/results?symptom=dizziness",
	} {
		f.Add(seed)
	}
	s, _ := newTestServer(f)
	f.Fuzz(func(t *testing.T, target string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest("GET", "http://health.example.org"+target, nil)
		if err != nil {
			return // not a request a client could send
		}
		req.RequestURI = target
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q: status %d", target, rec.Code)
		}
		body := rec.Body.String()
		if strings.Contains(body, "goroutine ") {
			t.Fatalf("%q: stack trace in the body", target)
		}
		if loc := rec.Header().Get("Location"); loc != "" && (strings.HasPrefix(loc, "//") || strings.Contains(loc, "://")) {
			t.Fatalf("%q: redirect off the site to %q", target, loc)
		}
		if strings.Contains(body, "<b>") || strings.Contains(body, "<script>") {
			t.Fatalf("%q: markup echoed into the page", target)
		}
	})
}
