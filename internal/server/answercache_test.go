package server

import (
	"net/http"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
)

// A kept page must be exactly what rendering would give, for every kind of
// answer page, so the cache can never change what a reader sees.
func TestAnswerPagesSameWithAndWithoutCache(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	cached, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	noCache := testConfig()
	noCache.PageCacheBytes, noCache.AnswerCacheBytes = 0, 0
	uncached, err := New(site, noCache)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"/symptoms/neck-pain", "/symptoms/neck-pain?symptom=dizziness",
		"/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck",
		"/symptoms/neck-pain/results?symptom=stiff-neck&symptom=dizziness", // order is part of the page
		"/symptoms/neck-pain/results?symptom=stiff-neck&symptom=gone",
		"/symptoms/neck-pain/results", "/symptoms/neck-pain/results?symptom=none&symptom=dizziness",
	} {
		for round := 0; round < 3; round++ {
			a, b := do(t, cached, "GET", target), do(t, uncached, "GET", target)
			if a.Code != b.Code || a.Body.String() != b.Body.String() {
				t.Fatalf("%s, round %d: cached %d and uncached %d pages differ", target, round, a.Code, b.Code)
			}
			if a.Header().Get("Referrer-Policy") != "no-referrer" || a.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("%s, round %d: a kept page lost its privacy headers", target, round)
			}
		}
	}
	if do(t, cached, "GET", "/symptoms/neck-pain/results?symptom=stiff-neck&symptom=dizziness").Body.String() ==
		do(t, cached, "GET", "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck").Body.String() {
		t.Error("two orders of the same answers gave one page: the key lost the order")
	}
	if rec := do(t, cached, "GET", "/symptoms/neck-pain/results"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("kept 422 page came back as %d", rec.Code)
	}
}
