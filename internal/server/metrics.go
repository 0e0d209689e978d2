package server

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"healthsite/internal/prepared"
)

// What the server counts for Prometheus (doc/operations.md lists it).
// cmd/healthsite registers Collectors in a registry of its own and serves
// it on the desk's listener or -metrics-addr, never the public one.
//
// Requests are labelled by the name of their row of the page table, never
// by path: a path holds an article's slug or a reader's answers, and every
// distinct label value is a series Prometheus keeps for good.

// unmatchedPage labels the requests no row answered: 404s of unknown
// paths, 405s of methods no row answers there, and those refused before
// routing (too long an address).
const unmatchedPage = "unmatched"

// latencyBuckets run from 100 µs, a kept page, to 5 s, a request that
// should have given up; Prometheus's default starts at 5 ms, which every
// kept page is under.
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

type metrics struct {
	requests          *prometheus.CounterVec
	latency           *prometheus.HistogramVec
	searchLatency     prometheus.Histogram
	searchUnavailable prometheus.Counter
	feedbackWrites    *prometheus.CounterVec
	feedbackErrors    prometheus.Counter
	caches            cacheCollector
	// byPattern finds the row of the pattern chi matched (routes makes
	// it, before any request), unmatched counts the rest.
	byPattern map[string]*pageMetrics
	unmatched *pageMetrics
}

func newMetrics(caches map[string]*prepared.Cache) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "healthsite_http_requests_total",
			Help: "Requests answered, by page (the page table's row, or unmatched) and status code.",
		}, []string{"page", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "healthsite_http_request_duration_seconds",
			Help:    "Time the server took to answer a request, by page.",
			Buckets: latencyBuckets,
		}, []string{"page"}),
		searchLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "healthsite_search_duration_seconds",
			Help:    "Time the search index took to answer a query (searches answered from the search cache are not queries).",
			Buckets: latencyBuckets,
		}),
		searchUnavailable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "healthsite_search_unavailable_total",
			Help: "Searches answered 503 because the search index was not ready.",
		}),
		feedbackWrites: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "healthsite_feedback_writes_total",
			Help: "Readers' feedback stored, by kind (answer or comment).",
		}, []string{"kind"}),
		feedbackErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "healthsite_feedback_errors_total",
			Help: "Feedback that could not be stored because the database failed, was slow or is not open yet (the reader got 503).",
		}),
		caches: cacheCollector{caches: caches},
	}
	// Series that exist from the start, so that rate() over them works
	// from the first scrape.
	m.feedbackWrites.WithLabelValues(feedbackAnswer)
	m.feedbackWrites.WithLabelValues(feedbackComment)
	m.unmatched = m.page(unmatchedPage)
	return m
}

// Label values of healthsite_feedback_writes_total.
const (
	feedbackAnswer  = "answer"
	feedbackComment = "comment"
)

// collectors are the metrics to register.
func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{
		m.requests, m.latency, m.searchLatency, m.searchUnavailable,
		m.feedbackWrites, m.feedbackErrors, m.caches,
	}
}

// forTable lets requests find their row's metrics by the pattern chi
// matched. A page's redirect from its address with a trailing slash
// belongs to its row: chi's RoutePattern drops the slash.
func (m *metrics) forTable(table []page) {
	m.byPattern = make(map[string]*pageMetrics, len(table))
	for _, p := range table {
		m.byPattern[p.pattern] = m.page(p.name)
	}
}

// pageOf is the metrics of the row that answered r, once the router has
// routed it.
func (m *metrics) pageOf(r *http.Request) *pageMetrics {
	if pm, ok := m.byPattern[chi.RouteContext(r.Context()).RoutePattern()]; ok {
		return pm
	}
	return m.unmatched
}

// page resolves a row's series ahead, so that a request does not look its
// labels up.
func (m *metrics) page(name string) *pageMetrics {
	return &pageMetrics{name: name, requests: m.requests, latency: m.latency.WithLabelValues(name)}
}

// pageMetrics are one row's series. Its counters by status are made on
// the first response with that status, so a row shows only the statuses
// it answered.
type pageMetrics struct {
	name     string
	requests *prometheus.CounterVec
	latency  prometheus.Observer
	byStatus [statusSlots]atomic.Pointer[prometheus.Counter]
}

// observe counts a response with status that took d.
func (pm *pageMetrics) observe(status int, d time.Duration) {
	pm.latency.Observe(d.Seconds())
	pm.counter(status).Inc()
}

func (pm *pageMetrics) counter(status int) prometheus.Counter {
	i, ok := statusSlot(status)
	if !ok {
		return pm.requests.WithLabelValues(pm.name, strconv.Itoa(status))
	}
	if c := pm.byStatus[i].Load(); c != nil {
		return *c
	}
	// Two requests may both get here: the vector gives both the same
	// counter.
	c := pm.requests.WithLabelValues(pm.name, strconv.Itoa(status))
	pm.byStatus[i].Store(&c)
	return c
}

// statusSlots hold the statuses 1xx to 5xx whose last two digits are
// under 32, which is every status the server sends; any other is looked
// up in the vector.
const statusSlots = 5 * 32

func statusSlot(status int) (int, bool) {
	class, rest := status/100, status%100
	if class < 1 || class > 5 || rest >= 32 {
		return 0, false
	}
	return (class-1)*32 + rest, true
}

// cacheCollector reads the caches' own counts when Prometheus scrapes,
// so that serving a page does no more than the cache already does.
type cacheCollector struct {
	caches map[string]*prepared.Cache
}

var (
	cacheHitsDesc = prometheus.NewDesc("healthsite_cache_hits_total",
		"Responses served from the cache, by cache (pages, answers, searches).", []string{"cache"}, nil)
	cacheMissesDesc = prometheus.NewDesc("healthsite_cache_misses_total",
		"Responses that were not in the cache and were made (or waited for), by cache.", []string{"cache"}, nil)
	cacheEvictionsDesc = prometheus.NewDesc("healthsite_cache_evictions_total",
		"Responses dropped from the cache to make room, by cache (not those dropped because their content changed).", []string{"cache"}, nil)
	cacheBytesDesc = prometheus.NewDesc("healthsite_cache_bytes",
		"Bytes the cache holds, encodings included, by cache.", []string{"cache"}, nil)
	cacheMaxBytesDesc = prometheus.NewDesc("healthsite_cache_max_bytes",
		"Bytes the cache may hold (its -*-cache-mb flag), by cache.", []string{"cache"}, nil)
	cacheEntriesDesc = prometheus.NewDesc("healthsite_cache_entries",
		"Responses the cache holds, by cache.", []string{"cache"}, nil)
)

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheHitsDesc, cacheMissesDesc, cacheEvictionsDesc, cacheBytesDesc, cacheMaxBytesDesc, cacheEntriesDesc} {
		ch <- d
	}
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	for name, cache := range c.caches {
		st := cache.Stats()
		ch <- prometheus.MustNewConstMetric(cacheHitsDesc, prometheus.CounterValue, float64(st.Hits), name)
		ch <- prometheus.MustNewConstMetric(cacheMissesDesc, prometheus.CounterValue, float64(st.Misses), name)
		ch <- prometheus.MustNewConstMetric(cacheEvictionsDesc, prometheus.CounterValue, float64(st.Evictions), name)
		ch <- prometheus.MustNewConstMetric(cacheBytesDesc, prometheus.GaugeValue, float64(st.Bytes), name)
		ch <- prometheus.MustNewConstMetric(cacheMaxBytesDesc, prometheus.GaugeValue, float64(st.Max), name)
		ch <- prometheus.MustNewConstMetric(cacheEntriesDesc, prometheus.GaugeValue, float64(st.Entries), name)
	}
}

// Collectors are the server's metrics, for a Prometheus registry: requests
// and their latency by page, the caches, search and feedback.
func (s *Server) Collectors() []prometheus.Collector { return s.metrics.collectors() }
