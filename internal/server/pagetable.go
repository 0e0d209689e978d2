package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/pages"
	"healthsite/internal/prepared"
	"healthsite/internal/sitefiles"
	"healthsite/web"
)

// page is one row of the page table: one kind of page of the site, and
// everything about how it is served. The router is made from the table
// (routes), so there is no route without a row; and nothing else decides
// how a page is treated: privacy, caching, keys, rate limits and the
// statuses and methods a page answers with are fields here, never path
// literals elsewhere (TestPrivacyComesFromTheRow).
type page struct {
	// name names the page in tests, benchmarks and the cache keys of
	// pages made from a reader's answers.
	name string
	// pattern is the chi path pattern, like "/articles/{slug}".
	pattern string
	// methods are those the page answers: GET (and HEAD with it) when
	// nil; a form's endpoint lists POST. Any other gets 405 with Allow
	// listing them, and every method but GET and HEAD must pass
	// http.CrossOriginProtection (403 from another site).
	methods []string
	// statuses are those the page's own responses may have (200, and 422
	// for a form sent back with what is wrong); a redirect's 301 and the
	// errors every page can give (400, 404, 429, 503) are not listed. A
	// response with another status is a fault (the page is not served).
	statuses []int
	// privacy is what the page's address or body may hold of a reader.
	privacy privacy
	// maxAge is how long a browser or proxy may keep a public response, in
	// seconds; responses that hold a reader's data are never kept.
	maxAge int
	// keep is the server's cache that keeps made responses for the next
	// reader, and key names a response in it from the request (nil: the
	// path); a key of "" keeps nothing.
	keep keeper
	key  func(pages.Env, pages.Request) (string, error)
	// limit is the page's rate-limit class: requests one client may make
	// of all the pages of a class per window (-rate-limit); "" for none.
	limit string
	// readsIndex marks the page made from the search index: it is made
	// under the read lock that keeps the index and the site in step.
	readsIndex bool
	// urgent, when set, finds the care cards of the red flags a request
	// names: every response to it that is not the page itself (an error,
	// too many requests) shows them first, so no problem with a link
	// withholds urgent advice.
	urgent func(pages.Env, pages.Request) []web.CareCard
	// redirect, when set, may send a request elsewhere before the page is
	// made (301: old symptom links whose answers are in the address). It
	// returns "" to serve the page.
	redirect func(pages.Env, pages.Request) (string, error)
	// render builds the page from the site (its view model, rendered by
	// its templ component) for a request, with what it was made from. It
	// is given its own row, whose fields say how the response is sent.
	render func(page, pages.Env, pages.Request) (*prepared.Response, []string, error)
	// serve answers the request itself, for what is not made from the
	// site (static files, the health check, the preview's events); render
	// is nil then.
	serve http.HandlerFunc
}

// privacy is what a page's address or body may hold of a reader.
type privacy int

const (
	// public pages hold nothing of a reader: the same for everyone.
	public privacy = iota
	// answers pages may hold what a reader ticked, in their address:
	// every response at or under the page's address sends no referrer
	// (setSecurityHeaders) and is stored by no cache; the page itself
	// may be indexed (its canonical address holds no answers).
	answers
	// private pages hold what a reader searched for or sent: as answers,
	// and no response of theirs, errors and redirects included, is to be
	// indexed.
	private
)

// keeper is the server's in-memory cache a page's made responses go to.
type keeper int

const (
	// keepNone keeps nothing: the page is made for each request.
	keepNone keeper = iota
	// keepPages keeps pages the same for every reader, bounded by
	// -page-cache-mb.
	keepPages
	// keepAnswers keeps pages made from a reader's answers, by the
	// answers, bounded by -answer-cache-mb: never written anywhere.
	keepAnswers
	// keepSearches keeps search pages by query, bounded by
	// -search-cache-mb: never written anywhere.
	keepSearches
)

// Cache lifetimes of public pages: pages may change with any edit, the
// files for machines (sitemap, feed) are read by crawlers that come back.
const (
	pageMaxAge     = 300
	siteFileMaxAge = 3600
)

const cacheNever = "no-store"

// cacheControl is what a page tells caches about its responses.
func (p page) cacheControl() string {
	if p.privacy != public || p.maxAge == 0 {
		return cacheNever
	}
	return "public, max-age=" + strconv.Itoa(p.maxAge)
}

// pageTable is every page of the site.
func (s *Server) pageTable() []page {
	table := []page{
		htmlPage("home", "/", pages.Home, web.HomePage),
		htmlPage("about", "/about", pages.About, web.AboutPage),
		htmlPage("a-to-z", "/articles", pages.AZ, web.AZPage),
		htmlPage("article", "/articles/{slug}", pages.Article, web.ArticlePage).keptBy(keepPages, pages.ArticleKey),
		// The list of complaints, the same for everyone. Its address may
		// carry the answers of an old "change your answers" link, which go
		// on to their complaint's form, or get the list again with why
		// (422, kept by no one); it is in the answers pages' scope below,
		// so none of its responses sends a referrer.
		htmlPage("symptom-chooser", "/symptoms", pages.SymptomChooser, web.ChooserPage).
			keptBy(keepPages, pages.ChooserKey).answering(200, 422).
			redirecting(pages.LegacyForm).namingRedFlags(),
		// Old result links, from before complaints had addresses.
		htmlPage("old-symptom-results", "/symptoms/results", pages.UnmatchedAnswers, web.ChooserPage).
			holding(answers).keptBy(keepNone, nil).answering(422).
			redirecting(pages.LegacyResults).namingRedFlags(),
		htmlPage("symptom-form", "/symptoms/{complaint}", pages.SymptomForm, web.SymptomFormPage).
			holding(answers).keptBy(keepAnswers, pages.AnswersKey).namingRedFlags(),
		htmlPage("symptom-results", "/symptoms/{complaint}/results", pages.SymptomResults, web.SymptomResultsPage).
			holding(answers).keptBy(keepAnswers, pages.AnswersKey).answering(200, 422).
			limitedAs("results").namingRedFlags(),
		htmlPage("a-to-z-letter", "/a-z/{letter}", pages.AZLetter, web.AZLetterPage).keptBy(keepPages, pages.PagedKey),
		htmlPage("topics", "/topics", pages.Topics, web.TopicsPage),
		htmlPage("topic", "/topics/{tag}", pages.Topic, web.TopicPage).keptBy(keepPages, pages.PagedKey),
		htmlPage("search", "/search", pages.Search, web.SearchPage).
			holding(private).keptBy(keepSearches, pages.SearchKey).answering(200, 400).
			limitedAs("search").readingIndex(),
		// Where "Is this page helpful?" forms are sent: a write, of what
		// a reader may have typed, so private, rate limited, and made
		// for each request.
		{name: "feedback", pattern: pages.FeedbackPath, methods: []string{http.MethodPost}, privacy: private,
			limit: "feedback", serve: s.handle(s.postFeedback)},
		filePage("opensearch", "/opensearch.xml", "application/opensearchdescription+xml; charset=utf-8", sitefiles.OpenSearch),
		filePage("sitemap", "/sitemap.xml", "application/xml; charset=utf-8", sitefiles.Sitemap),
		filePage("feed", "/feed.xml", "application/atom+xml; charset=utf-8", sitefiles.Feed),
		filePage("robots", "/robots.txt", "text/plain; charset=utf-8", sitefiles.Robots),
		{name: "static", pattern: "/static/{name}", serve: s.handle(s.static)},
		{name: "favicon", pattern: "/favicon.ico", serve: s.handle(s.favicon)},
		{name: "healthz", pattern: "/healthz", serve: healthz},
		// Whether to send this replica readers: search indexed, the
		// database answering, not draining (ready.go).
		{name: "readyz", pattern: "/readyz", serve: s.readyz},
	}
	if s.cfg.Dev {
		table = append(table, page{name: "dev-events", pattern: "/_dev/events", serve: s.devEvents})
	}
	return table
}

// htmlPage is a public page, kept by path, answering 200, whose view model
// build makes from the site and component renders; the methods below
// change what its row says.
func htmlPage[V any](name, pattern string, build func(pages.Env, pages.Request) (pages.Built[V], error), component func(web.Head, V) templ.Component) page {
	render := func(p page, env pages.Env, req pages.Request) (*prepared.Response, []string, error) {
		b, err := build(env, req)
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(p.statuses, b.Status) {
			return nil, nil, fmt.Errorf("page %s made a %d, which its row does not list", p.name, b.Status)
		}
		// Only a page as it is for everyone may be kept by caches: a form
		// sent back with what is wrong is one reader's.
		cc := p.cacheControl()
		if b.Status != http.StatusOK || b.OneReader {
			cc = cacheNever
		}
		return renderPage(b.Status, cc, component(b.Head, b.View), b.Deps)
	}
	return page{name: name, pattern: pattern, statuses: []int{http.StatusOK}, maxAge: pageMaxAge, keep: keepPages, render: render}
}

// holding says what the page's address or body may hold of a reader.
func (p page) holding(pr privacy) page {
	p.privacy = pr
	return p
}

// keptBy names the cache that keeps the page's responses and how each is
// named. Forms and results share the answers cache, so their keys start
// with the page's name.
func (p page) keptBy(k keeper, key func(pages.Env, pages.Request) (string, error)) page {
	p.keep, p.key = k, key
	if k == keepAnswers && key != nil {
		name := p.name
		p.key = func(e pages.Env, r pages.Request) (string, error) {
			k, err := key(e, r)
			if err != nil || k == "" {
				return k, err
			}
			return name + ":" + k, nil
		}
	}
	return p
}

// answering lists the statuses the page's own responses may have.
func (p page) answering(statuses ...int) page {
	p.statuses = statuses
	return p
}

// limitedAs puts the page in a rate-limit class.
func (p page) limitedAs(class string) page {
	p.limit = class
	return p
}

// readingIndex marks the page made from the search index.
func (p page) readingIndex() page {
	p.readsIndex = true
	return p
}

// namingRedFlags marks a page whose address can name red flags: its
// errors show their care cards first.
func (p page) namingRedFlags() page {
	p.urgent = pages.UrgentCards
	return p
}

// redirecting gives p a redirect.
func (p page) redirecting(redirect func(pages.Env, pages.Request) (string, error)) page {
	p.redirect = redirect
	return p
}

// renderPage renders into a buffer first, so a failed render never sends
// half a page. The buffers are pooled: a page grows one to 20 KB or more,
// and pages are made while readers wait.
func renderPage(status int, cacheControl string, c templ.Component, deps []string) (*prepared.Response, []string, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := c.Render(context.Background(), buf); err != nil {
		return nil, nil, err
	}
	body := bytes.Clone(buf.Bytes()) // the buffer goes back to the pool
	return prepared.New(status, "text/html; charset=utf-8", cacheControl, body), deps, nil
}

var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// filePage is a site file for machines, built whole by build.
func filePage(name, pattern, contentType string, build func(pages.Env, pages.Request) (sitefiles.File, error)) page {
	render := func(p page, env pages.Env, req pages.Request) (*prepared.Response, []string, error) {
		f, err := build(env, req)
		if err != nil {
			return nil, nil, err
		}
		return prepared.New(http.StatusOK, contentType, p.cacheControl(), f.Body), f.Deps, nil
	}
	return page{name: name, pattern: pattern, statuses: []int{http.StatusOK}, maxAge: siteFileMaxAge, keep: keepPages, render: render}
}

// routes builds the router from table: middleware first, then one route
// per page and method, and the same path with a trailing slash
// redirecting to it.
func (s *Server) routes(table []page) http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs())
	r.Use(s.securityHeadersFor(privateScopes(table)))
	r.Use(s.accessLog)
	r.Use(s.recoverPanics)
	r.Use(s.limitRequests(func(req *http.Request) (page, *http.Request, bool) {
		path := req.URL.Path
		if path != "/" {
			path = strings.TrimSuffix(path, "/") // the slash's redirect is to the page
		}
		p, rctx, ok := pageAt(table, r, http.MethodGet, path)
		if !ok {
			return page{}, nil, false
		}
		return p, req.WithContext(context.WithValue(req.Context(), chi.RouteCtxKey, rctx)), true
	}))
	r.Use(middleware.GetHead)
	s.metrics.forTable(table)

	// One count per rate-limit class, whichever of its pages is asked for.
	counters := map[string]httprate.LimitCounter{}
	for _, p := range table {
		h := p.serve
		if p.render != nil || p.redirect != nil {
			h = s.servePage(p)
		}
		if p.limit != "" {
			if counters[p.limit] == nil {
				counters[p.limit] = httprate.NewLocalLimitCounter(s.cfg.RateLimit.Window)
			}
			h = clientIP(s.cfg.RateLimit.TrustedProxies)(s.rateLimit(s.cfg.RateLimit, p, counters[p.limit])(h)).ServeHTTP
		}
		slash := s.handle(s.withoutSlash(p))
		if p.privacy == private {
			h, slash = privately(h), privately(slash)
		}
		for _, m := range p.allows() {
			switch m {
			case http.MethodGet:
				r.Get(p.pattern, h)
			case http.MethodHead: // GET's, by middleware.GetHead
			default:
				r.Method(m, p.pattern, s.sameOrigin(h))
			}
		}
		if p.pattern != "/" && p.render != nil {
			r.Get(p.pattern+"/", slash)
		}
	}

	r.NotFound(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound() }))
	r.MethodNotAllowed(func(w http.ResponseWriter, req *http.Request) {
		// chi drops its own Allow header when a custom handler is set:
		// the row of the page asked for lists what it allows.
		w.Header().Set("Allow", allowed(table, r, req.URL.Path))
		s.serveError(w, req, &statusError{status: http.StatusMethodNotAllowed})
	})
	return r
}

// pageAt finds the page of the table that router r gives a request for
// method and path, and the route context it would give it (the path's
// parameters), before r has routed the request.
func pageAt(table []page, r chi.Router, method, path string) (page, *chi.Context, bool) {
	rctx := chi.NewRouteContext()
	if !r.Match(rctx, method, path) {
		return page{}, nil, false
	}
	for _, p := range table {
		if p.pattern == rctx.RoutePattern() {
			return p, rctx, true
		}
	}
	return page{}, nil, false
}

// allows are the methods a page answers: its methods, GET and HEAD when
// it lists none, HEAD with GET.
func (p page) allows() []string {
	if len(p.methods) == 0 {
		return []string{http.MethodGet, http.MethodHead}
	}
	out := slices.Clone(p.methods)
	if slices.Contains(out, http.MethodGet) {
		out = append(out, http.MethodHead)
	}
	return out
}

// allowed is the Allow header for path: the methods of the page of the
// table it is.
func allowed(table []page, r chi.Router, path string) string {
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if p, _, ok := pageAt(table, r, m, path); ok {
			return strings.Join(p.allows(), ", ")
		}
	}
	return "GET, HEAD"
}

// sameOrigin lets a request that changes something through only when it
// comes from this site's own pages (Go's http.CrossOriginProtection:
// Sec-Fetch-Site, or Origin against Host); another site's form gets the
// friendly 403 page.
func (s *Server) sameOrigin(next http.HandlerFunc) http.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, &statusError{status: http.StatusForbidden})
	}))
	return cop.Handler(next).ServeHTTP
}

// privateScopes are the address prefixes of the pages whose addresses can
// hold a reader's data: a page's pattern up to its first parameter, and
// everything under it ("/symptoms" for "/symptoms/{complaint}/results").
func privateScopes(table []page) []string {
	var scopes []string
	for _, p := range table {
		if p.privacy == public {
			continue
		}
		scope, _, _ := strings.Cut(p.pattern, "{")
		scope = strings.TrimSuffix(scope, "/")
		if scope != "" && !slices.Contains(scopes, scope) {
			scopes = append(scopes, scope)
		}
	}
	return scopes
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
// a reader searched for or sent: stored by no cache and not to be
// indexed. (It sends no referrer either: setSecurityHeaders decides that
// from the table's private scopes.)
func privately(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Cache-Control"] = noStore
		h["X-Robots-Tag"] = noIndex
		next(w, r)
	}
}

// pageRequest is what a page is made from in r. Its context carries the
// request's values but not its end: a page made for one reader is kept
// for the next, so one who leaves must not spoil it for those waiting.
func pageRequest(r *http.Request) pages.Request {
	return pages.Request{
		Context:  context.WithoutCancel(r.Context()),
		Param:    func(name string) string { return chi.URLParam(r, name) },
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
	}
}

// load returns the page's response for r from the page's cache, making it
// if no reader asked for it since it last changed.
func (s *Server) load(p page, r *http.Request) (*prepared.Response, error) {
	if p.readsIndex {
		// A search reads the index and the state it was made for
		// together: Apply moves both while holding the write lock.
		s.searchMu.RLock()
		defer s.searchMu.RUnlock()
	}
	st := s.state.Load()
	req := pageRequest(r)
	key := r.URL.Path
	if p.key != nil {
		var err error
		if key, err = p.key(st.env, req); err != nil {
			return nil, fromPages(err)
		}
	}
	cache := s.cacheFor(p.keep)
	if cache == nil || key == "" {
		resp, _, err := p.render(p, st.env, req)
		return resp, fromPages(err)
	}
	// Load starts with the same lookup, but the closure it takes is
	// allocated on every call: a kept page skips it.
	if resp, ok := cache.Get(key); ok {
		return resp, nil
	}
	resp, err := cache.Load(key, st.gen, func() (*prepared.Response, []string, error) {
		s.renders.add(key)
		return p.render(p, st.env, req)
	})
	return resp, fromPages(err)
}

// cacheFor is the server's cache a keeper names; nil for keepNone.
func (s *Server) cacheFor(k keeper) *prepared.Cache {
	switch k {
	case keepPages:
		return s.pages
	case keepAnswers:
		return s.answers
	case keepSearches:
		return s.searches
	}
	return nil
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
		if p.privacy == public {
			if _, err := s.load(p, rr); err != nil {
				return err
			}
		}
		if p.privacy != public || r.URL.RawQuery != "" {
			// The query may hold a reader's answers or words: kept by no
			// cache, passed on by no referrer.
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
