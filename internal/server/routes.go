package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs())
	r.Use(s.setSecurityHeaders)
	r.Use(s.accessLog)
	r.Use(s.recoverPanics)
	r.Use(s.limitRequests)
	r.Use(middleware.GetHead)

	r.Get("/", s.handle(s.page))
	r.Get("/about", s.handle(s.page))
	r.Get("/articles/{slug}", s.handle(s.page))
	r.Get("/articles/{slug}/", s.handle(s.trailingSlash))
	r.Get("/sitemap.xml", s.handle(s.page))
	r.Get("/robots.txt", s.handle(s.page))
	r.Get("/feed.xml", s.handle(s.page))
	r.Get("/symptoms", s.handle(s.symptomForm))
	r.With(clientIP(s.cfg.RateLimit.TrustedProxies), s.rateLimit(s.cfg.RateLimit)).
		Get("/symptoms/results", s.handle(s.symptomResults))
	r.Get("/healthz", healthz)
	if s.cfg.Dev {
		r.Get("/_dev/events", s.devEvents)
	}
	r.Get("/static/{name}", s.handle(s.static))
	r.Get("/favicon.ico", s.handle(s.favicon))

	r.NotFound(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound() }))
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		// Every route here is read-only; chi drops its own Allow header
		// when a custom handler is set.
		w.Header().Set("Allow", "GET, HEAD")
		s.serveError(w, r, &statusError{status: http.StatusMethodNotAllowed})
	})
	return r
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

// page serves a page rendered at start-up, found by its path.
func (s *Server) page(w http.ResponseWriter, r *http.Request) error {
	p, ok := s.state.Load().pages[r.URL.Path]
	if !ok {
		return errNotFound()
	}
	p.Serve(w, r)
	return nil
}

// trailingSlash sends /articles/slug/ to /articles/slug, the one address
// that is shared and indexed.
func (s *Server) trailingSlash(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if _, ok := s.state.Load().site.Article(slug); !ok {
		return errNotFound()
	}
	http.Redirect(w, r, "/articles/"+url.PathEscape(slug), http.StatusMovedPermanently)
	return nil
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

// serveError sends the friendly page for err. Server errors are logged with
// the request id; the reader never sees the error text.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed",
			"request_id", middleware.GetReqID(r.Context()),
			"path", r.URL.Path,
			"error", err)
	}
	p, ok := s.state.Load().errorPages[status]
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(strings.ToLower(http.StatusText(status)) + "\n"))
		return
	}
	p.Serve(w, r)
}
