package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/store/storetest"
)

// TestReadyzStates walks /readyz through a replica's life: starting
// (search not indexed), ready, the database down, and draining, while
// /healthz and the pages answer throughout.
func TestReadyzStates(t *testing.T) {
	storetest.Run(t, testReadyzStates)
}

func testReadyzStates(t *testing.T, k storetest.Kind) {
	db := k.Open(t)
	fs := feedback.New(db, feedback.Options{})
	t.Cleanup(func() { fs.Close() })
	cfg := testConfig()
	flaky := &switchableStore{FeedbackStore: fs}
	cfg.Feedback = flaky
	s, _ := newTestServerWith(t, cfg)

	expect := func(step string, status int, body string) {
		t.Helper()
		rec := get(t, s, http.MethodGet, "/readyz", nil)
		if rec.Code != status || !strings.Contains(rec.Body.String(), body) {
			t.Errorf("%s: %d %q, want %d saying %q", step, rec.Code, rec.Body.String(), status, body)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", step, cc)
		}
		if status == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: a 503 without Retry-After", step)
		}
		for _, path := range []string{"/healthz", "/", "/articles"} {
			if rec := get(t, s, http.MethodGet, path, nil); rec.Code != http.StatusOK {
				t.Errorf("%s: %s answered %d", step, path, rec.Code)
			}
		}
	}

	expect("before the search index", http.StatusServiceUnavailable, "search index")
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	expect("indexed, database answering", http.StatusOK, "ready")

	flaky.down.Store(true)
	s.ping = pinger{} // forget the last answer rather than wait a second
	expect("database down", http.StatusServiceUnavailable, "database")
	flaky.down.Store(false)
	s.ping = pinger{}
	expect("database back", http.StatusOK, "ready")

	s.Drain()
	expect("draining", http.StatusServiceUnavailable, "draining")
}

// TestReadyzWithoutFeedback: a server that asks no page the question
// needs no database to be ready.
func TestReadyzWithoutFeedback(t *testing.T) {
	s, _ := newTestServer(t)
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rec := get(t, s, http.MethodGet, "/readyz", nil); rec.Code != http.StatusOK {
		t.Errorf("%d %q", rec.Code, rec.Body.String())
	}
	if rec := get(t, s, http.MethodHead, "/readyz", nil); rec.Code != http.StatusOK {
		t.Errorf("HEAD: %d", rec.Code)
	}
}

// TestPingerAsksOncePerSecond: however many probes come, the database is
// asked at most once a pingEvery, and a database that hangs answers
// within readyWait.
func TestPingerAsksOncePerSecond(t *testing.T) {
	var p pinger
	var calls atomic.Int32
	ok := func(context.Context) error { calls.Add(1); return nil }
	for range 100 {
		if err := p.check(context.Background(), ok); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the database was asked %d times, want 1", n)
	}

	var hung pinger
	start := time.Now()
	err := hung.check(context.Background(), func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*readyWait {
		t.Errorf("a hung database: %v after %v", err, time.Since(start))
	}
}

// switchableStore is a feedback store whose database can be made to stop
// answering.
type switchableStore struct {
	FeedbackStore
	down atomic.Bool
}

func (s *switchableStore) Ping(ctx context.Context) error {
	if s.down.Load() {
		return errors.New("connection refused")
	}
	return s.FeedbackStore.Ping(ctx)
}
