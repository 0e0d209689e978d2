package server

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/pages"
	"healthsite/internal/prepared"
	"healthsite/web"
)

// page is one kind of page of the site: where it is, how it is made and
// how it is kept. The router and the renderer both read the table of them
// (pageTable), so there is no route without a page and no page without a
// route.
type page struct {
	// name names the page in tests and benchmarks.
	name string
	// pattern is the chi path pattern, like "/articles/{slug}".
	pattern string
	policy  policy
	// render builds the page from the site (its view model, rendered by
	// its templ component) for a request, with what it was made from.
	render func(pages.Env, pages.Request) (*prepared.Response, []string, error)
	// serve answers the request itself, for what is not made from the
	// site (static files, the health check, the preview's events); render
	// is nil then.
	serve http.HandlerFunc
	// key, when set, names the kept page a request asks for from its
	// path and query string, for pages the query changes (a page of a
	// list, a search); the path alone names the others.
	key func(env pages.Env, path, rawQuery string) (string, error)
	// redirect, when set, may send a request elsewhere before the page is
	// made (301, with no referrer and not stored: old symptom links whose
	// answers are in the address). It returns "" to serve the page, which
	// a page without render never is.
	redirect func(pages.Env, pages.Request) (string, error)
	// limited pages are rate limited per client, each page its own count:
	// those made for each request from answers or words nobody may have
	// sent before.
	limited bool
	// urgent, when set, finds the care cards of the red flags a request
	// names: every response to it that is not the page itself (an error,
	// too many requests) shows them first, so no problem with a link
	// withholds urgent advice.
	urgent func(pages.Env, pages.Request) []web.CareCard
}

// policy is how a page's responses are cached and kept.
type policy int

const (
	// shared pages are the same for every reader: caches may keep them
	// for five minutes, revalidating with the ETag, and the server keeps
	// them by path in its page cache.
	shared policy = iota
	// siteFile is a shared file for machines (sitemap, feed, robots.txt),
	// kept by caches for an hour.
	siteFile
	// perReader pages are made from a reader's answers, which are health
	// data: no cache may store them and they send no referrer. The server
	// keeps them by answers in its answer cache, in memory only. Their
	// results are rate limited per client.
	perReader
	// private pages are made from what a reader searched for, which is
	// health data too: no cache may store them (not even the browser's,
	// on disk), they send no referrer, and search engines are asked not
	// to index them. The server keeps them by query in its search cache,
	// in memory only, and rate limits them per client, as results.
	private
	// own is a route that sets its own caching (static files, health).
	own
)

// cacheControl is what a policy tells caches.
var cacheControl = map[policy]string{
	shared:    "public, max-age=300",
	siteFile:  "public, max-age=3600",
	perReader: cacheNever,
	private:   cacheNever,
}

const cacheNever = "no-store"

// pageTable is every page of the site.
func (s *Server) pageTable() []page {
	table := []page{
		htmlPage("home", "/", shared, pages.Home, web.HomePage),
		htmlPage("about", "/about", shared, pages.About, web.AboutPage),
		htmlPage("a-to-z", "/articles", shared, pages.AZ, web.AZPage),
		htmlPage("article", "/articles/{slug}", shared, pages.Article, web.ArticlePage),
		namingRedFlags(redirecting(htmlPage("symptom-chooser", "/symptoms", shared, pages.SymptomChooser, web.ChooserPage), pages.LegacyForm)),
		namingRedFlags(page{name: "old-symptom-results", pattern: "/symptoms/results", policy: perReader, redirect: pages.LegacyResults}),
		namingRedFlags(htmlPage("symptom-form", "/symptoms/{complaint}", perReader, pages.SymptomForm, web.SymptomFormPage)),
		namingRedFlags(rateLimited(htmlPage("symptom-results", "/symptoms/{complaint}/results", perReader, pages.SymptomResults, web.ResultPage))),
		keyed(htmlPage("a-to-z-letter", "/a-z/{letter}", shared, pages.AZLetter, web.AZLetterPage), pages.PagedKey),
		htmlPage("topics", "/topics", shared, pages.Topics, web.TopicsPage),
		keyed(htmlPage("topic", "/topics/{tag}", shared, pages.Topic, web.TopicPage), pages.PagedKey),
		rateLimited(keyed(htmlPage("search", "/search", private, pages.Search, web.SearchPage), pages.SearchKey)),
		filePage("opensearch", "/opensearch.xml", "application/opensearchdescription+xml; charset=utf-8", pages.OpenSearch),
		filePage("sitemap", "/sitemap.xml", "application/xml; charset=utf-8", pages.Sitemap),
		filePage("feed", "/feed.xml", "application/atom+xml; charset=utf-8", pages.Feed),
		filePage("robots", "/robots.txt", "text/plain; charset=utf-8", pages.Robots),
		{name: "static", pattern: "/static/{name}", policy: own, serve: s.handle(s.static)},
		{name: "favicon", pattern: "/favicon.ico", policy: own, serve: s.handle(s.favicon)},
		{name: "healthz", pattern: "/healthz", policy: own, serve: healthz},
	}
	if s.cfg.Dev {
		table = append(table, page{name: "dev-events", pattern: "/_dev/events", policy: own, serve: s.devEvents})
	}
	return table
}

// ContentOptions are what the site's pages ask of its content, for
// content.LoadWith: the static files its pictures must be among, and the
// ids no complaint may have because a page of the table takes that
// address (/symptoms/results, for old result links). The server, the
// preview and healthsite check all load with them, so they refuse the
// same content.
func ContentOptions(static fs.FS) content.Options {
	return content.Options{Static: static, Checker: checker.Options{ReservedIDs: reservedComplaintIDs((&Server{}).pageTable())}}
}

// reservedComplaintIDs are the fixed path segments that pages of table
// have where a complaint's page has its id.
func reservedComplaintIDs(table []page) []string {
	const param = "{complaint}"
	var prefix string
	for _, p := range table {
		if i := strings.Index(p.pattern, param); i >= 0 {
			prefix = p.pattern[:i]
			break
		}
	}
	var out []string
	for _, p := range table {
		rest, ok := strings.CutPrefix(p.pattern, prefix)
		if !ok || prefix == "" {
			continue
		}
		seg, _, _ := strings.Cut(rest, "/")
		if seg != "" && !strings.Contains(seg, "{") && !slices.Contains(out, seg) {
			out = append(out, seg)
		}
	}
	return out
}

// htmlPage is a page whose view model build makes from the site and
// component renders.
func htmlPage[V any](name, pattern string, p policy, build func(pages.Env, pages.Request) (pages.Built[V], error), component func(web.Head, V) templ.Component) page {
	return page{name: name, pattern: pattern, policy: p, render: func(env pages.Env, req pages.Request) (*prepared.Response, []string, error) {
		b, err := build(env, req)
		var form *pages.FormErrors
		if errors.As(err, &form) { // answers that cannot give a result: the form again
			return renderPage(form.Form.Status, p, web.SymptomFormPage(form.Form.Head, form.Form.View), form.Form.Deps)
		}
		if err != nil {
			return nil, nil, err
		}
		return renderPage(b.Status, p, component(b.Head, b.View), b.Deps)
	}}
}

// keyed gives a page whose query string changes it a way to name each
// version for the cache.
func keyed(p page, key func(pages.Env, string, string) (string, error)) page {
	p.key = key
	return p
}

// rateLimited limits how often one client may ask for p.
func rateLimited(p page) page {
	p.limited = true
	return p
}

// namingRedFlags marks a page whose address can name red flags: its
// errors show their care cards first.
func namingRedFlags(p page) page {
	p.urgent = pages.UrgentCards
	return p
}

// redirecting gives p a redirect.
func redirecting(p page, redirect func(pages.Env, pages.Request) (string, error)) page {
	p.redirect = redirect
	return p
}

// renderPage renders into a buffer first, so a failed render never sends
// half a page. The buffers are pooled: a page grows one to 20 KB or more,
// and pages are made while readers wait.
func renderPage(status int, p policy, c templ.Component, deps []string) (*prepared.Response, []string, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := c.Render(context.Background(), buf); err != nil {
		return nil, nil, err
	}
	body := bytes.Clone(buf.Bytes()) // the buffer goes back to the pool
	return prepared.New(status, "text/html; charset=utf-8", cacheControl[p], body), deps, nil
}

var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// filePage is a site file for machines, built whole by build.
func filePage(name, pattern, contentType string, build func(pages.Env, pages.Request) (pages.File, error)) page {
	return page{name: name, pattern: pattern, policy: siteFile, render: func(env pages.Env, req pages.Request) (*prepared.Response, []string, error) {
		f, err := build(env, req)
		if err != nil {
			return nil, nil, err
		}
		return prepared.New(http.StatusOK, contentType, cacheControl[siteFile], f.Body), f.Deps, nil
	}}
}

// routes builds the router from the page table: middleware first, then one
// route per page, and the same path with a trailing slash redirecting to
// it.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs())
	r.Use(s.setSecurityHeaders)
	r.Use(s.accessLog)
	r.Use(s.recoverPanics)
	r.Use(s.limitRequests)
	r.Use(middleware.GetHead)

	for _, p := range s.table {
		h := p.serve
		if p.render != nil || p.redirect != nil {
			h = s.servePage(p)
		}
		if p.limited {
			h = clientIP(s.cfg.RateLimit.TrustedProxies)(s.rateLimit(s.cfg.RateLimit, p)(h)).ServeHTTP
		}
		slash := s.handle(s.withoutSlash(p))
		if p.policy == private {
			h, slash = privately(h), privately(slash)
		}
		r.Get(p.pattern, h)
		if p.pattern != "/" && p.render != nil {
			r.Get(p.pattern+"/", slash)
		}
	}

	r.NotFound(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound() }))
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		// Every route here is read-only; chi drops its own Allow header
		// when a custom handler is set.
		w.Header().Set("Allow", "GET, HEAD")
		s.serveError(w, r, &statusError{status: http.StatusMethodNotAllowed})
	})
	return r
}

// servePage answers from the page's kept response, making it on the first
// request for it.
func (s *Server) servePage(p page) http.HandlerFunc {
	return s.handleFor(p, func(w http.ResponseWriter, r *http.Request) error {
		if p.redirect != nil {
			to, err := p.redirect(s.state.Load().env, pageRequest(r))
			if err != nil {
				return fromPages(err)
			}
			if to != "" {
				w.Header()["Cache-Control"] = noStore
				http.Redirect(w, r, to, http.StatusMovedPermanently)
				return nil
			}
			if p.render == nil {
				return errNotFound()
			}
		}
		resp, err := s.load(p, r)
		if err != nil {
			return err
		}
		resp.Serve(w, r)
		return nil
	})
}

var (
	noReferrer = []string{"no-referrer"}
	noIndex    = []string{"noindex"}
)

// privately marks every response of a private page, whatever it is (the
// page, an error, a redirect, too many requests), as one that holds what
// a reader searched for: stored by no cache and not to be indexed. (It
// sends no referrer either: setSecurityHeaders decides that by path.)
func privately(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Cache-Control"] = noStore
		h["X-Robots-Tag"] = noIndex
		next(w, r)
	}
}

// pageRequest is what a page is made from in r.
func pageRequest(r *http.Request) pages.Request {
	return pages.Request{Param: func(name string) string { return chi.URLParam(r, name) }, RawQuery: r.URL.RawQuery}
}

// load returns the page's response for r from the right cache, making it
// if no reader asked for it since it last changed.
func (s *Server) load(p page, r *http.Request) (*prepared.Response, error) {
	if p.policy == private {
		// A search reads the index and the state it was made for
		// together: Apply moves both while holding the write lock.
		s.searchMu.RLock()
		defer s.searchMu.RUnlock()
	}
	st := s.state.Load()
	cache, key := s.pages, r.URL.Path
	if p.policy == private {
		cache = s.searches
	}
	if p.key != nil {
		var err error
		if key, err = p.key(st.env, r.URL.Path, r.URL.RawQuery); err != nil {
			return nil, fromPages(err)
		}
	}
	if p.policy == perReader {
		answers, err := pages.AnswersKey(st.env, pageRequest(r))
		if err != nil {
			return nil, fromPages(err)
		}
		cache, key = s.answers, p.name+":"+answers
	}
	// Load starts with the same lookup, but the closure it takes is
	// allocated on every call: a kept page skips it.
	if resp, ok := cache.Get(key); ok {
		return resp, nil
	}
	resp, err := cache.Load(key, st.gen, func() (*prepared.Response, []string, error) {
		s.renders.add(key)
		return p.render(st.env, pageRequest(r))
	})
	return resp, fromPages(err)
}

// withoutSlash sends "/about/" to "/about", the one address that is
// shared and indexed, when that page exists.
func (s *Server) withoutSlash(p page) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		target := strings.TrimSuffix(r.URL.Path, "/")
		// chi matched the pattern with the slash; look the page up under
		// the path without it, so "/articles/unknown/" is a 404 rather
		// than a redirect to nowhere.
		u := *r.URL
		u.Path, u.RawPath = target, ""
		rr := r.Clone(r.Context())
		rr.URL = &u
		if p.policy != perReader && p.policy != private {
			if _, err := s.load(p, rr); err != nil {
				return err
			}
		}
		if p.policy == perReader || r.URL.RawQuery != "" {
			// The query may hold a reader's answers (old links to the
			// chooser too): kept by no cache, passed on by no referrer.
			w.Header()["Referrer-Policy"] = noReferrer
			w.Header()["Cache-Control"] = noStore
		}
		http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
		return nil
	}
}

// fromPages turns the errors of the pages package into statuses.
func fromPages(err error) error {
	var bad *pages.BadRequestError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pages.ErrNotFound):
		return errNotFound()
	case errors.Is(err, pages.ErrUnmatchedAnswers):
		return &statusError{status: http.StatusUnprocessableEntity, err: err}
	case errors.As(err, &bad):
		return &statusError{status: http.StatusBadRequest, err: err}
	case errors.Is(err, pages.ErrSearchNotReady):
		return &statusError{status: http.StatusServiceUnavailable, err: err}
	}
	return err
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets.ByHashedName(chi.URLParam(r, "name"))
	if !ok {
		return errNotFound()
	}
	a.Serve(w, r)
	return nil
}

// favicon answers the request every browser makes whatever the page says.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets.ByPlainName("favicon.ico")
	if !ok {
		return errNotFound()
	}
	a.Serve(w, r)
	return nil
}

var (
	textPlain = []string{"text/plain; charset=utf-8"}
	noStore   = []string{cacheNever}
	okBody    = []byte("ok\n")
)

func healthz(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h["Content-Type"] = textPlain
	h["Cache-Control"] = noStore
	_, _ = w.Write(okBody)
}

// handle adapts a handler that returns an error: the error becomes the
// matching status and friendly page.
func (s *Server) handle(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// handleFor is handle for page p, whose errors show the care cards of
// any red flag the request names (servePageError).
func (s *Server) handleFor(p page, fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.servePageError(w, r, p, err)
		}
	}
}
