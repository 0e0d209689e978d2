package server

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"healthsite/internal/accesslog"
	"healthsite/internal/content"
	"healthsite/internal/deps"
	"healthsite/internal/pages"
	"healthsite/internal/prepared"
	"healthsite/internal/search"
	"healthsite/static"
	"healthsite/web"
)

// Config is what the server needs besides the content; cmd/healthsite's
// flags give the defaults. Each field says what its zero value does: for
// most it is "none" or "off" (no cache, no rate limit), but a zero Limits
// takes DefaultLimits, a nil Logger discards, and a nil Now is time.Now.
type Config struct {
	// BaseURL is the absolute origin used in canonical and share links,
	// like "https://health.example.org".
	BaseURL string
	// Logger receives errors and panics.
	Logger *slog.Logger
	// AccessLog receives one JSON line per request; nil discards them.
	AccessLog io.Writer
	// Static overrides the embedded static files (tests use it).
	Static fs.FS
	// Limits bound request sizes; zero fields take DefaultLimits, since no
	// limit at all is never wanted.
	Limits Limits
	// RateLimit bounds symptom results and searches per client (each
	// with its own count); zero Requests is no limit.
	RateLimit RateLimit
	// PageCacheBytes bounds the pages kept for the next reader (articles,
	// lists, site files), AnswerCacheBytes those made from readers'
	// answers; 0 keeps none, so every request makes its page.
	PageCacheBytes   int64
	AnswerCacheBytes int64
	// SearchCacheBytes bounds the search pages kept for the next reader
	// with the same query, in memory only; 0 keeps none.
	SearchCacheBytes int64
	// SearchDir is the folder for the search index's temporary file
	// (removed at Close); "" keeps the index in memory.
	SearchDir string
	// Feedback keeps readers' answers to "Is this page helpful?"; nil asks
	// no page the question (and /feedback is a 404). FeedbackMonths is how
	// long it keeps comments, which the about page tells readers.
	Feedback       FeedbackStore
	FeedbackMonths int
	// Dev is the authoring preview: pages load a live-reload script and
	// /_dev/events tells them when the articles change. Never in production.
	Dev bool
	// Now is the clock for review dates (tests set it); nil is time.Now.
	Now func() time.Time
}

// Default cache sizes, for the flags. Pages are made on their first
// request; these bound the memory kept for the readers after.
const (
	// DefaultPageCacheBytes keeps about 1,000 article pages with their
	// compressed encodings: the pages people read most, at any size of
	// site. It is most of what the server holds besides the articles.
	DefaultPageCacheBytes = 16 << 20
	// DefaultAnswerCacheBytes keeps a few hundred result pages: the few
	// combinations of answers people actually tick.
	DefaultAnswerCacheBytes = 2 << 20
	// DefaultSearchCacheBytes keeps a few hundred pages of results (about
	// 12 KB each with gzip): the searches many people make.
	DefaultSearchCacheBytes = 4 << 20
)

// Server is an http.Handler for the whole site.
type Server struct {
	cfg     Config
	baseURL *url.URL
	log     *slog.Logger
	access  *accesslog.Logger
	assets  *prepared.Assets
	table   []page
	router  http.Handler
	// pages keeps pages that are the same for every reader, answers those
	// made from a reader's answers, searches those made from a query. All
	// are memory only.
	pages, answers, searches *prepared.Cache
	// index is the search index, nil until it is first built; it holds the
	// state's site, or is being brought up to it (search.go).
	index atomic.Pointer[search.Index]
	// searchMu is held for reading by a search, and for writing while the
	// index and the state move to a new site together.
	searchMu sync.RWMutex
	// indexing is set once IndexSearch has been called: a new site then
	// gets a new index. background ends with Close.
	indexing   atomic.Bool
	background context.Context
	stop       context.CancelFunc
	// defaultImage is the link preview picture of pages without their own.
	defaultImage web.ShareImage
	// state is swapped whole, so a request sees one site or the next,
	// never a mix.
	state atomic.Pointer[state]
	// mu orders swaps: a reload and the midnight refresh must not
	// interleave.
	mu       sync.Mutex
	midnight *time.Timer
	// renders counts pages made, by cache key, for tests.
	renders renderCounter
	// draining is set by Drain; ping keeps the database's last answer
	// (ready.go).
	draining atomic.Bool
	ping     pinger
	// metrics are for monitoring (metrics.go).
	metrics *metrics
}

// state is one version of the site and what pages are made from.
type state struct {
	// gen numbers the versions; the caches keep only pages made from the
	// current one.
	gen uint64
	env pages.Env
	// errorPages are rendered ahead, so showing an error cannot fail.
	errorPages map[int]*prepared.Response
	// changed is closed when a newer state replaces this one, which is how
	// the preview learns to reload.
	changed chan struct{}
}

// New checks what the site needs from the server (its share images) and
// returns the handler that serves it. It renders nothing but the error
// pages: every other page is made when first asked for.
func New(site *content.Site, cfg Config) (*Server, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Static == nil {
		cfg.Static = static.FS
	}
	if cfg.Limits.MaxURLBytes == 0 {
		cfg.Limits.MaxURLBytes = DefaultLimits.MaxURLBytes
	}
	if cfg.Limits.MaxQueryBytes == 0 {
		cfg.Limits.MaxQueryBytes = DefaultLimits.MaxQueryBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if err := CheckTrustedProxies(cfg.RateLimit.TrustedProxies); err != nil {
		return nil, err
	}
	as, err := prepared.LoadAssets(cfg.Static, func(name string) bool { return devOnlyAssets[name] && !cfg.Dev })
	if err != nil {
		return nil, fmt.Errorf("loading static files: %w", err)
	}
	if cfg.AccessLog == nil {
		cfg.AccessLog = io.Discard
	}
	s := &Server{
		cfg: cfg, baseURL: base, log: cfg.Logger, assets: as, access: accesslog.New(cfg.AccessLog),
		pages: prepared.NewCache(cfg.PageCacheBytes), answers: prepared.NewCache(cfg.AnswerCacheBytes),
		searches: prepared.NewCache(cfg.SearchCacheBytes),
	}
	s.metrics = newMetrics(map[string]*prepared.Cache{"pages": s.pages, "answers": s.answers, "searches": s.searches})
	s.background, s.stop = context.WithCancel(context.Background())
	if s.defaultImage, err = pages.ShareImage(as, base.String(), pages.DefaultShareImage, pages.DefaultShareImageAlt); err != nil {
		return nil, err
	}
	if err := s.Update(site); err != nil {
		return nil, err
	}
	s.table = s.pageTable()
	s.router = s.routes(s.table)
	s.scheduleMidnight()
	return s, nil
}

// devOnlyAssets exist only in the authoring preview.
var devOnlyAssets = map[string]bool{"dev.js": true}

// ParseBaseURL checks that raw is an absolute http or https origin, with no
// query or fragment, and drops any trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https address like https://health.example.org", raw)
	}
	return u, nil
}

// dropAll is the staleness test that drops every kept page.
func dropAll([]string) bool { return true }

// Update serves site in place of the current one, dropping every kept
// page, and clears the preview's problems banner. It fails, and the
// current site stays, when site needs what the server lacks.
func (s *Server) Update(site *content.Site) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.publish(site, nil, dropAll); err != nil {
		return err
	}
	s.reindexLater()
	return nil
}

// Apply serves site, a Reload of the current one, dropping only the kept
// pages that ch touches: an edit to one article remakes that article, the
// lists that show it and the pages that quote it, and nothing else.
func (s *Server) Apply(site *content.Site, ch content.Change) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := deps.Stale(s.Site(), site, ch)
	drop := func(deps []string) bool {
		return slices.ContainsFunc(deps, func(d string) bool { return stale[d] })
	}
	if len(s.state.Load().env.Dev.Problems) > 0 { // the banner goes from every page
		drop = dropAll
	}
	// The index moves to the new site with the state, so that no search
	// sees one without the other (search.go).
	return s.withIndexOf(site, ch, func() error { return s.publish(site, nil, drop) })
}

// ShowProblems keeps serving the current site, with a banner listing
// problems on every page of the preview (a save that broke an article).
func (s *Server) ShowProblems(problems []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publish(s.Site(), problems, dropAll)
}

// Site is the site being served.
func (s *Server) Site() *content.Site { return s.state.Load().env.Site }

// publish swaps in a new state for site; s.mu must be held. The caches
// move to the new generation, dropping what stale reports on, before the
// state is swapped: a page made from the old state after that is served
// to its reader but not kept.
func (s *Server) publish(site *content.Site, problems []string, stale func([]string) bool) error {
	env := pages.Env{
		Site:         site,
		BaseURL:      s.baseURL.String(),
		Assets:       s.assets,
		DefaultImage: s.defaultImage,
		Today:        s.cfg.Now(),
	}
	if s.cfg.Dev {
		env.Dev = web.DevPreview{Script: s.assets.URL("dev.js"), Problems: problems}
	}
	env.Search = siteSearch{s: s, site: site}
	env.Feedback, env.FeedbackMonths = s.cfg.Feedback != nil, s.cfg.FeedbackMonths
	var gen uint64 = 1
	if old := s.state.Load(); old != nil {
		gen = old.gen + 1
	}
	st := &state{gen: gen, env: env, errorPages: map[int]*prepared.Response{}, changed: make(chan struct{})}
	for _, status := range pages.ErrorStatuses() {
		b, _ := pages.Error(env, status)
		resp, _, err := renderPage(status, cacheNever, web.ErrorPage(b.Head, b.View), nil)
		if err != nil {
			return fmt.Errorf("rendering the %d page: %w", status, err)
		}
		st.errorPages[status] = resp
	}
	s.pages.Advance(gen, stale)
	s.answers.Advance(gen, stale)
	s.searches.Advance(gen, stale)
	if old := s.state.Swap(st); old != nil {
		close(old.changed)
	}
	return nil
}

// scheduleMidnight drops every kept page just after each midnight UTC, so
// that a long-running server starts telling readers that an article is
// due for review on the day it becomes due.
func (s *Server) scheduleMidnight() {
	now := s.cfg.Now().UTC()
	next := now.Truncate(24 * time.Hour).Add(24*time.Hour + time.Second)
	s.midnight = time.AfterFunc(next.Sub(now), func() {
		s.mu.Lock()
		st := s.state.Load()
		if err := s.publish(st.env.Site, st.env.Dev.Problems, dropAll); err != nil {
			s.log.Error("refreshing at midnight", "error", err)
		}
		s.mu.Unlock()
		s.scheduleMidnight()
	})
}

// FlushLogs writes every access log line of the requests served so far.
func (s *Server) FlushLogs() { s.access.Flush() }

// Close writes the last access log lines and stops the logger and the
// midnight refresh. Call it after the HTTP server has shut down.
func (s *Server) Close() {
	s.stop()
	s.mu.Lock()
	if s.midnight != nil {
		s.midnight.Stop()
	}
	s.mu.Unlock()
	s.searchMu.Lock()
	if ix := s.index.Swap(nil); ix != nil {
		ix.Close()
	}
	s.searchMu.Unlock()
	s.access.Close()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// renderCounter counts the pages made, by cache key.
type renderCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *renderCounter) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[key]++
}

func (c *renderCounter) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}
