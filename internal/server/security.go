package server

import (
	"maps"
	"net/http"
	"strings"
	"unicode/utf8"
)

// contentSecurityPolicy allows only this site's own files: default-src
// covers scripts, styles, images, fonts and connections, so no inline
// script or style runs; no plugins, no frames of us, forms only to
// ourselves. JSON-LD is a data block, not script, so it needs no exception.
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are set on every response. The values are built once; the
// middleware assigns the slices directly, skipping canonicalisation, because
// it runs on every request. X-Frame-Options is left out: frame-ancestors
// does its job in every browser that runs this site's CSS, and each header
// costs every response a little.
func (s *Server) securityHeaders() map[string][]string {
	h := map[string][]string{
		"Content-Security-Policy":    {contentSecurityPolicy},
		"X-Content-Type-Options":     {"nosniff"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
		"Permissions-Policy":         {"camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
	}
	if s.baseURL.Scheme == "https" {
		h["Strict-Transport-Security"] = []string{"max-age=63072000; includeSubDomains"}
	}
	return h
}

// securityHeadersFor sets the security headers on every response. At and
// under the scopes of the pages whose addresses can hold a reader's data
// (privateScopes, from the page table: answers ticked, words searched),
// every response, errors included (400, 405, 414, 429, 501), withholds
// the referrer: decided here, before any route, so that no handler or
// error page can forget it.
func (s *Server) securityHeadersFor(scopes []string) func(http.Handler) http.Handler {
	headers := s.securityHeaders()
	private := maps.Clone(headers)
	private["Referrer-Policy"] = []string{"no-referrer"}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			set := headers
			if inScope(r.URL.Path, scopes) {
				set = private
			}
			h := w.Header()
			for k, v := range set {
				h[k] = v
			}
			next.ServeHTTP(w, r)
		})
	}
}

// inScope reports whether path is one of scopes or under one.
func inScope(path string, scopes []string) bool {
	for _, prefix := range scopes {
		if strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/') {
			return true
		}
	}
	return false
}

// Limits bound what one request may make the server read.
type Limits struct {
	MaxURLBytes   int // longer request targets get 414
	MaxQueryBytes int // longer query strings get 414
}

// DefaultLimits leave room for the longest real link, a result with 50
// answers of 64 bytes, and little more.
var DefaultLimits = Limits{MaxURLBytes: 8 << 10, MaxQueryBytes: 4 << 10}

// limitRequests refuses requests that no page of this site could want, in
// this order: bodies whose framing is in doubt (400 and the connection
// closed), methods the server does not recognise (501), over-long
// addresses (414), paths that are not valid text (400), and bodies on GET
// and HEAD (400). Other recognised methods go on to the router, body or
// not, which answers 405 with Allow on a known path and 404 elsewhere.
//
// routed gives the page a request's path is, and the request as the
// router would hand it to that page: a 414 for a page whose address can
// name red flags still shows their care cards.
func (s *Server) limitRequests(routed func(*http.Request) (page, *http.Request, bool)) func(http.Handler) http.Handler {
	l := s.cfg.Limits
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case len(r.TransferEncoding) > 0:
				// A chunked body. net/http has already dropped any
				// Content-Length sent with it, so a request with both (request
				// smuggling, where a proxy in front may have framed it by the
				// other header) looks the same as one with a chunked body
				// alone; no route takes a body, so both are refused. RFC 9112
				// §6.1: after a request with both, the server MUST close the
				// connection, since where this request ends and the next
				// begins is in doubt. net/http closes it on seeing this header,
				// without reading the rest of the body.
				w.Header()["Connection"] = connectionClose
				s.serveError(w, r, &statusError{status: http.StatusBadRequest})
				return
			case r.ContentLength != 0 && !r.ProtoAtLeast(1, 1):
				// RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding
				// has faulty framing, and the connection must be closed after
				// it. net/http ignores and drops that header on HTTP/1.0,
				// framing by Content-Length, so a handler cannot see it: close
				// after any HTTP/1.0 body, which no route wants anyway.
				w.Header()["Connection"] = connectionClose
			}
			switch {
			case !knownMethod(r.Method):
				// RFC 9110 §9.1: a method the server does not recognise gets
				// 501; chi would answer 405, as for a known method.
				s.serveError(w, r, &statusError{status: http.StatusNotImplemented})
			case len(r.RequestURI) > l.MaxURLBytes || len(r.URL.RawQuery) > l.MaxQueryBytes:
				// The address is too long to make a page from, not to read for
				// red flags: checker.AnswerIDs reads any length in one pass.
				if p, pr, ok := routed(r); ok && p.urgent != nil {
					s.servePageError(w, pr, p, &statusError{status: http.StatusRequestURITooLong})
					return
				}
				s.serveError(w, r, &statusError{status: http.StatusRequestURITooLong})
			case !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0):
				s.serveError(w, r, &statusError{status: http.StatusBadRequest})
			case r.ContentLength != 0 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
				// Every page only reads; a body is a mistake or an attack.
				s.serveError(w, r, &statusError{status: http.StatusBadRequest})
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

var connectionClose = []string{"close"}

// knownMethod reports whether RFC 9110 defines the method, or RFC 5789
// (PATCH). The router answers any of them but GET and HEAD with 405 and
// "Allow: GET, HEAD", since no page allows them; any other method is one
// the server does not recognise. Method names are case-sensitive.
func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
		http.MethodConnect, http.MethodOptions, http.MethodTrace, http.MethodPatch:
		return true
	}
	return false
}
