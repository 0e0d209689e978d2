// Package server serves the site over HTTP: it renders every page of a
// content.Site once, then answers requests from those bytes.
package server

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/a-h/templ"

	"healthsite/internal/content"
	"healthsite/static"
	"healthsite/web"
)

// Config is what the server needs besides the content.
type Config struct {
	// BaseURL is the absolute origin used in canonical and share links,
	// like "https://health.example.org".
	BaseURL string
	Logger  *slog.Logger
	// Static overrides the embedded static files (tests use it).
	Static fs.FS
	// Limits bound request sizes; zero fields take DefaultLimits.
	Limits Limits
	// RateLimit bounds symptom results per client; zero takes
	// DefaultRateLimit, and Requests < 0 turns it off.
	RateLimit RateLimit
}

// Server is an http.Handler for the whole site.
type Server struct {
	cfg     Config
	baseURL *url.URL
	log     *slog.Logger
	assets  *assets
	router  http.Handler
	// defaultImage is the link preview picture of pages without their own.
	defaultImage web.ShareImage
	// state is swapped whole, so a request sees one site or the next,
	// never a mix.
	state atomic.Pointer[state]
}

// state is one fully rendered site.
type state struct {
	site  *content.Site
	pages map[string]*page // by URL path
	// errorPages are rendered ahead too, so showing an error cannot fail.
	errorPages map[int][]byte
}

// page is a response rendered at start-up.
type page struct {
	contentType string
	body        []byte
}

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
	if cfg.RateLimit.Requests == 0 {
		cfg.RateLimit.Requests, cfg.RateLimit.Window = DefaultRateLimit.Requests, DefaultRateLimit.Window
	}
	if err := CheckTrustedProxies(cfg.RateLimit.TrustedProxies); err != nil {
		return nil, err
	}
	as, err := loadAssets(cfg.Static)
	if err != nil {
		return nil, fmt.Errorf("loading static files: %w", err)
	}
	s := &Server{cfg: cfg, baseURL: base, log: cfg.Logger, assets: as}
	if s.defaultImage, err = s.shareImage(defaultShareImage, defaultShareImageAlt); err != nil {
		return nil, err
	}
	if err := s.Update(site); err != nil {
		return nil, err
	}
	s.router = s.routes()
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
func (s *Server) Update(site *content.Site) error {
	st, err := s.render(site)
	if err != nil {
		return err
	}
	s.state.Store(st)
	return nil
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
		Stylesheet:  s.assets.url("site.css"),
		OGType:      "website",
		Image:       s.defaultImage,
	}
	if path != "" { // error pages have no canonical address
		h.Canonical = s.abs(path)
	}
	return h
}

// render builds every page of site.
func (s *Server) render(site *content.Site) (*state, error) {
	st := &state{site: site, pages: map[string]*page{}, errorPages: map[int][]byte{}}
	const html = "text/html; charset=utf-8"
	add := func(path string, c templ.Component) error {
		b, err := renderBytes(c)
		if err != nil {
			return fmt.Errorf("rendering %s: %w", path, err)
		}
		st.pages[path] = &page{contentType: html, body: b}
		return nil
	}
	if err := add("/", web.HomePage(s.head("Health information you can trust", "Plain-language health articles: what causes a complaint, what helps, and when to get medical help.", "/"), site.Articles)); err != nil {
		return nil, err
	}
	if err := add("/about", web.AboutPage(s.head("About this site", "Who publishes Healthsite, how articles are written and reviewed, and what happens to what you tick.", "/about"))); err != nil {
		return nil, err
	}
	for _, a := range site.Articles {
		p := "/articles/" + a.Slug
		h, err := s.articleHead(a, p)
		if err != nil {
			return nil, err
		}
		if err := add(p, web.ArticlePage(h, web.ArticleView{Article: a, Related: site.Related(a), URL: h.Canonical, Share: shareLinks(a.Title, a.Summary, h.Canonical)})); err != nil {
			return nil, err
		}
	}
	sitemap, err := s.sitemap(site)
	if err != nil {
		return nil, err
	}
	feed, err := s.feed(site)
	if err != nil {
		return nil, err
	}
	st.pages["/sitemap.xml"] = &page{contentType: "application/xml; charset=utf-8", body: sitemap}
	st.pages["/feed.xml"] = &page{contentType: "application/atom+xml; charset=utf-8", body: feed}
	st.pages["/robots.txt"] = &page{contentType: "text/plain; charset=utf-8", body: s.robots()}
	for status, t := range errorText {
		h := s.head(t.title, t.message, "")
		h.NoIndex = true
		b, err := renderBytes(web.ErrorPage(h, web.ErrorView{Heading: t.heading, Message: t.message}))
		if err != nil {
			return nil, fmt.Errorf("rendering the %d page: %w", status, err)
		}
		st.errorPages[status] = b
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
