package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"healthsite/internal/feedback"
)

// fakeStore stores every answer, or fails at once with err.
type fakeStore struct{ err error }

func (f fakeStore) Record(context.Context, feedback.Answer) (feedback.Token, error) {
	return "a-token", f.err
}

func (f fakeStore) Comment(context.Context, feedback.Token, string, string) error { return f.err }

func (f fakeStore) Ping(context.Context) error { return f.err }

// Requests through the real router are counted by the name of the row
// that answered them and their status, never by path; searches, feedback
// and the caches are counted too.
func TestMetricsCountRequestsByPage(t *testing.T) {
	cfg := testConfig()
	cfg.Feedback = fakeStore{}
	s, _ := newTestServerWith(t, cfg)
	reg := prometheus.NewRegistry()
	reg.MustRegister(s.Collectors()...)

	steps := []struct {
		method, target string
		code           int
	}{
		{"GET", searchPath("neck pain"), 503}, // before the index is built
		{"GET", articlePage, 200},
		{"GET", articlePage + "?utm_source=x", 200},
		{"GET", articlePage + "/", 301},
		{"HEAD", articlePage, 200},
		{"GET", "/articles/no-such-article", 404},
		{"GET", "/no/such/page?q=secret", 404},
		{"DELETE", "/about", 405},
	}
	for _, st := range steps {
		if rec := do(t, s, st.method, st.target); rec.Code != st.code {
			t.Fatalf("%s %s: status %d, want %d", st.method, st.target, rec.Code, st.code)
		}
	}
	if err := s.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rec := do(t, s, "GET", searchPath("neck pain")); rec.Code != 200 {
		t.Fatalf("search: status %d, want 200", rec.Code)
	}
	if rec := post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}}, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("feedback: status %d, want 303", rec.Code)
	}
	s.cfg.Feedback = fakeStore{err: errors.New("database unreachable")}
	if rec := post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}}, nil); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("feedback with the database down: status %d, want 503", rec.Code)
	}

	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"healthsite_http_requests_total", map[string]string{"page": "article", "code": "200"}, 3},
		{"healthsite_http_requests_total", map[string]string{"page": "article", "code": "301"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "article", "code": "404"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "unmatched", "code": "404"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "unmatched", "code": "405"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "search", "code": "503"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "search", "code": "200"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "feedback", "code": "303"}, 1},
		{"healthsite_http_requests_total", map[string]string{"page": "feedback", "code": "503"}, 1},
		{"healthsite_http_request_duration_seconds", map[string]string{"page": "article"}, 5},
		{"healthsite_search_duration_seconds", nil, 1},
		{"healthsite_search_unavailable_total", nil, 1},
		{"healthsite_feedback_writes_total", map[string]string{"kind": "answer"}, 1},
		{"healthsite_feedback_writes_total", map[string]string{"kind": "comment"}, 0},
		{"healthsite_feedback_errors_total", nil, 1},
		// The article is made once and served from the cache three
		// times: the query is not in its key, HEAD is GET's, and its
		// redirect makes sure it exists. The missing article is a miss.
		{"healthsite_cache_misses_total", map[string]string{"cache": "pages"}, 2},
		{"healthsite_cache_hits_total", map[string]string{"cache": "pages"}, 3},
		{"healthsite_cache_misses_total", map[string]string{"cache": "searches"}, 2},
		{"healthsite_cache_max_bytes", map[string]string{"cache": "answers"}, DefaultAnswerCacheBytes},
	} {
		if got, ok := metricValue(fams, tt.family, tt.labels); !ok || got != tt.want {
			t.Errorf("%s%v = %v (found: %v), want %v", tt.family, tt.labels, got, ok, tt.want)
		}
	}

	// Label values are names, never what a reader asked for.
	names := []string{unmatchedPage}
	for _, p := range s.table {
		names = append(names, p.name)
	}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.ContainsAny(l.GetValue(), "/?") {
					t.Errorf("%s has label %s=%q: a path or query", f.GetName(), l.GetName(), l.GetValue())
				}
				if l.GetName() == "page" && !slices.Contains(names, l.GetValue()) {
					t.Errorf("%s has page=%q, which is no row of the table", f.GetName(), l.GetValue())
				}
			}
		}
	}
}

// metricValue is the value of the series of family with exactly labels: a
// counter's or gauge's value, a histogram's count of observations.
func metricValue(fams []*dto.MetricFamily, family string, labels map[string]string) (float64, bool) {
	for _, f := range fams {
		if f.GetName() != family {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				return m.GetCounter().GetValue(), true
			case m.Gauge != nil:
				return m.GetGauge().GetValue(), true
			case m.Histogram != nil:
				return float64(m.GetHistogram().GetSampleCount()), true
			}
		}
	}
	return 0, false
}

// Every status the server sends has a slot of its own, so that counting
// one looks nothing up.
func TestStatusSlots(t *testing.T) {
	seen := map[int]int{}
	for _, status := range []int{100, 200, 204, 206, 226, 301, 303, 304, 308, 400, 403, 404, 405, 413, 414, 415, 422, 429, 431, 500, 501, 503, 511} {
		i, ok := statusSlot(status)
		if !ok || i < 0 || i >= statusSlots {
			t.Errorf("status %d: slot %d, %v", status, i, ok)
			continue
		}
		if other, dup := seen[i]; dup {
			t.Errorf("statuses %d and %d share slot %d", other, status, i)
		}
		seen[i] = status
	}
	for _, status := range []int{0, 99, 451, 600, 999} {
		if _, ok := statusSlot(status); ok {
			t.Errorf("status %d has a slot", status)
		}
	}
}

// BenchmarkCountRequest is what counting adds to every request: finding
// the row from the matched pattern, a latency and a status.
func BenchmarkCountRequest(b *testing.B) {
	s, _ := newTestServer(b)
	rctx := chi.NewRouteContext()
	rctx.RoutePatterns = []string{"/articles/{slug}"}
	r := httptest.NewRequest("GET", articlePage, nil)
	r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rctx))
	b.ReportAllocs()
	for b.Loop() {
		s.metrics.pageOf(r).observe(http.StatusOK, 3*time.Microsecond)
	}
}
