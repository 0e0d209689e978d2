package server

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/htmltest"
	"healthsite/internal/prepared"
	"healthsite/static"
)

// Outside the preview there is no live-reload script or endpoint at all.
func TestNoPreviewInProduction(t *testing.T) {
	s, _ := newTestServer(t)
	if s.assets.Has("dev.js") {
		t.Error("dev.js is served outside dev mode")
	}
	body, err := static.FS.ReadFile("dev.js")
	if err != nil {
		t.Fatal(err)
	}
	devURL := "/static/" + prepared.HashedName("dev.js", body)
	for _, path := range []string{"/_dev/events", devURL, "/static/dev.js"} {
		if rec := do(t, s, "GET", path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, rec.Code)
		}
	}
	for _, path := range []string{"/", "/articles/" + seedSlug, "/symptoms"} {
		page := do(t, s, "GET", path).Body.String()
		if strings.Contains(page, "dev.") || strings.Contains(page, "dev-banner") {
			t.Errorf("%s mentions the preview", path)
		}
	}

	site, _ := content.Load(articles.FS)
	cfg := testConfig()
	cfg.Dev = true
	dev, err := New(site, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if rec := do(t, dev, "GET", devURL); rec.Code != http.StatusOK {
		t.Errorf("in dev mode GET %s: %d", devURL, rec.Code)
	}
	if page := do(t, dev, "GET", "/").Body.String(); !strings.Contains(page, devURL) {
		t.Error("in dev mode pages do not load the live-reload script")
	}
}

func TestReviewOverdueNotice(t *testing.T) {
	site, err := content.Load(fstest.MapFS{"a.md": {Data: []byte("---\ntitle: T\nsummary: S\nlast_reviewed: 2025-01-01\nnext_review: 2026-01-01\nsources:\n  - {title: A, publisher: B, author: C, date: 2024-01-01}\n---\n\n## When to get medical help\n\nNow.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		today  time.Time
		notice bool
	}{
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), false}, // due today: not yet overdue
		{time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC), true},
	} {
		cfg := testConfig()
		cfg.Now = func() time.Time { return tt.today }
		s, err := New(site, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rec := do(t, s, "GET", "/articles/a")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: an overdue article must still be served", rec.Code)
		}
		notices := htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), ".review-notice")
		if got := len(notices) == 1; got != tt.notice {
			t.Errorf("on %s: notice shown = %v, want %v", tt.today.Format("2006-01-02"), got, tt.notice)
		}
		if tt.notice && !strings.Contains(htmltest.Text(notices[0]), "due for review") {
			t.Errorf("notice says %q", htmltest.Text(notices[0]))
		}
		s.Close()
	}
}
