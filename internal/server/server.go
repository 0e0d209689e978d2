// Package server serves the site over HTTP: it renders every page of a
// content.Site once, then answers requests from those bytes.
package server

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/a-h/templ"

	"healthsite/internal/accesslog"
	"healthsite/internal/content"
	"healthsite/internal/prepared"
	"healthsite/static"
	"healthsite/web"
)

// Config is what the server needs besides the content.
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
	// Limits bound request sizes; zero fields take DefaultLimits.
	Limits Limits
	// RateLimit bounds symptom results per client; zero takes
	// DefaultRateLimit, and Requests < 0 turns it off.
	RateLimit RateLimit
	// AnswerCache is how many pages made from answers are kept; zero takes
	// AnswerCacheSize, and a negative number keeps none.
	AnswerCache int
	// Dev is the authoring preview: pages load a live-reload script and
	// /_dev/events tells them when the articles change. Never in production.
	Dev bool
	// Now is the clock for review dates (tests set it); nil is time.Now.
	Now func() time.Time
}

// Server is an http.Handler for the whole site.
type Server struct {
	cfg     Config
	baseURL *url.URL
	log     *slog.Logger
	access  *accesslog.Logger
	assets  *prepared.Assets
	router  http.Handler
	// defaultImage is the link preview picture of pages without their own.
	defaultImage web.ShareImage
	// state is swapped whole, so a request sees one site or the next,
	// never a mix.
	state atomic.Pointer[state]
	// mu orders re-renders: a reload and the midnight re-render must not
	// interleave their swaps.
	mu sync.Mutex
	// devProblems are the problems of the last save, shown in the preview.
	devProblems []string
	midnight    *time.Timer
}

// state is one fully rendered site.
type state struct {
	site  *content.Site
	pages map[string]*prepared.Response // by URL path
	// errorPages are rendered ahead too, so showing an error cannot fail.
	errorPages map[int]*prepared.Response
	// answers keeps pages made from readers' answers, for this site only:
	// a reload starts with an empty one.
	answers *answerCache
	// changed is closed when a newer state replaces this one, which is how
	// the preview learns to reload.
	changed chan struct{}
}

// AnswerCacheSize bounds how many symptom pages are kept: about 2 MB at
// the bundled site's page sizes.
const AnswerCacheSize = 256

// devOnlyAssets exist only in the authoring preview.
var devOnlyAssets = map[string]bool{"dev.js": true}

// Cache lifetimes by kind of response. Pages revalidate cheaply with
// their ETag; hashed assets never change under their name.
const (
	cachePage     = "public, max-age=300"
	cacheSiteFile = "public, max-age=3600"
	cacheNever    = "no-store"
)

// New renders every page of site and returns the handler that serves them.
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
	if cfg.AnswerCache == 0 {
		cfg.AnswerCache = AnswerCacheSize
	}
	if cfg.RateLimit.Requests == 0 {
		cfg.RateLimit.Requests, cfg.RateLimit.Window = DefaultRateLimit.Requests, DefaultRateLimit.Window
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
	s := &Server{cfg: cfg, baseURL: base, log: cfg.Logger, assets: as, access: accesslog.New(cfg.AccessLog)}
	if s.defaultImage, err = s.shareImage(defaultShareImage, defaultShareImageAlt); err != nil {
		return nil, err
	}
	if err := s.Update(site); err != nil {
		return nil, err
	}
	s.router = s.routes()
	s.scheduleMidnight()
	return s, nil
}

// ParseBaseURL checks that raw is an absolute http or https origin, with no
// query or fragment, and drops any trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https address like https://health.example.org", raw)
	}
	return u, nil
}

// Update renders site and, only if every page renders, starts serving it.
// In the preview it also clears the problems banner.
func (s *Server) Update(site *content.Site) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publish(site, nil)
}

// ShowProblems keeps serving the current site, with a banner listing
// problems on every page of the preview (a save that broke an article).
func (s *Server) ShowProblems(problems []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publish(s.state.Load().site, problems)
}

// publish renders site and swaps it in whole; s.mu must be held.
func (s *Server) publish(site *content.Site, problems []string) error {
	s.devProblems = problems
	st, err := s.render(site)
	if err != nil {
		return err
	}
	if old := s.state.Swap(st); old != nil {
		close(old.changed)
	}
	go st.warm()
	return nil
}

// scheduleMidnight re-renders the site just after each midnight UTC, so
// that a long-running server starts telling readers that an article is
// due for review on the day it becomes due.
func (s *Server) scheduleMidnight() {
	now := s.cfg.Now().UTC()
	next := now.Truncate(24 * time.Hour).Add(24*time.Hour + time.Second)
	s.midnight = time.AfterFunc(next.Sub(now), func() {
		s.mu.Lock()
		if err := s.publish(s.state.Load().site, s.devProblems); err != nil {
			s.log.Error("re-rendering at midnight", "error", err)
		}
		s.mu.Unlock()
		s.scheduleMidnight()
	})
}

// warm compresses every page in the background, so readers rarely meet
// a page not yet compressed, without making start-up wait for it.
func (st *state) warm() {
	for _, p := range st.pages {
		p.EncodeAll()
	}
	for _, p := range st.errorPages {
		p.EncodeAll()
	}
}

// FlushLogs writes every access log line of the requests served so far.
func (s *Server) FlushLogs() { s.access.Flush() }

// Close writes the last access log lines and stops the logger and the
// midnight re-render. Call it after the HTTP server has shut down.
func (s *Server) Close() {
	s.mu.Lock()
	if s.midnight != nil {
		s.midnight.Stop()
	}
	s.mu.Unlock()
	s.access.Close()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// abs is the absolute URL of a path on this site.
func (s *Server) abs(path string) string {
	return s.baseURL.String() + path
}

func (s *Server) head(title, description, path string) web.Head {
	h := web.Head{
		Title:       title,
		Description: description,
		Stylesheet:  s.assets.URL("site.css"),
		OGType:      "website",
		Image:       s.defaultImage,
	}
	if s.cfg.Dev {
		h.Dev = web.DevPreview{Script: s.assets.URL("dev.js"), Problems: s.devProblems}
	}
	if path != "" { // error pages have no canonical address
		h.Canonical = s.abs(path)
	}
	return h
}

// render builds every page of site. Articles are rendered and compressed
// on every core, since with thousands of them this is most of start-up.
func (s *Server) render(site *content.Site) (*state, error) {
	st := &state{site: site, pages: map[string]*prepared.Response{}, errorPages: map[int]*prepared.Response{}, answers: newAnswerCache(s.cfg.AnswerCache), changed: make(chan struct{})}
	today := s.cfg.Now()
	type job struct {
		path   string
		status int // for error pages; 0 for pages
		make   func() (templ.Component, error)
		ctype  string
		cache  string
		raw    func() ([]byte, error) // for non-HTML files
	}
	const html = "text/html; charset=utf-8"
	jobs := []job{
		{path: "/", ctype: html, cache: cachePage, make: func() (templ.Component, error) {
			return web.HomePage(s.head("Health information you can trust", "Plain-language health articles: what causes a complaint, what helps, and when to get medical help.", "/"), site.Articles), nil
		}},
		{path: "/about", ctype: html, cache: cachePage, make: func() (templ.Component, error) {
			return web.AboutPage(s.head("About this site", "Who publishes Healthsite, how articles are written and reviewed, and what happens to what you tick.", "/about")), nil
		}},
		{path: "/sitemap.xml", ctype: "application/xml; charset=utf-8", cache: cacheSiteFile, raw: func() ([]byte, error) { return s.sitemap(site) }},
		{path: "/feed.xml", ctype: "application/atom+xml; charset=utf-8", cache: cacheSiteFile, raw: func() ([]byte, error) { return s.feed(site) }},
		{path: "/robots.txt", ctype: "text/plain; charset=utf-8", cache: cacheSiteFile, raw: func() ([]byte, error) { return s.robots(), nil }},
	}
	for _, a := range site.Articles {
		path := "/articles/" + a.Slug
		jobs = append(jobs, job{path: path, ctype: html, cache: cachePage, make: func() (templ.Component, error) {
			h, err := s.articleHead(a, path)
			if err != nil {
				return nil, err
			}
			return web.ArticlePage(h, web.ArticleView{
				Article: a, Related: site.Related(a), URL: h.Canonical,
				Share:         shareLinks(a.Title, h.Canonical),
				ReviewOverdue: a.ReviewOverdue(today),
			}), nil
		}})
	}
	for status, t := range errorText {
		jobs = append(jobs, job{status: status, ctype: html, cache: cacheNever, make: func() (templ.Component, error) {
			h := s.head(t.title, t.message, "")
			h.NoIndex = true
			return web.ErrorPage(h, web.ErrorView{Heading: t.heading, Message: t.message}), nil
		}})
	}

	results := make([]*prepared.Response, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			var body []byte
			var err error
			if j.raw != nil {
				body, err = j.raw()
			} else {
				var c templ.Component
				if c, err = j.make(); err == nil {
					body, err = renderBytes(c)
				}
			}
			if err == nil {
				results[i] = prepared.New(cmp.Or(j.status, http.StatusOK), j.ctype, j.cache, body)
			}
			if err != nil {
				if j.status != 0 {
					return fmt.Errorf("rendering the %d page: %w", j.status, err)
				}
				return fmt.Errorf("rendering %s: %w", j.path, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, j := range jobs {
		if j.status != 0 {
			st.errorPages[j.status] = results[i]
		} else {
			st.pages[j.path] = results[i]
		}
	}
	return st, nil
}

func renderBytes(c templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
