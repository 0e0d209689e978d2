package server

import (
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

func (s *Server) setSecurityHeaders(next http.Handler) http.Handler {
	headers := s.securityHeaders()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range headers {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// Limits bound what one request may make the server read.
type Limits struct {
	MaxURLBytes   int // longer request targets get 414
	MaxQueryBytes int // longer query strings get 414
}

// DefaultLimits leave room for the longest real link, a result with 50
// answers of 64 bytes, and little more.
var DefaultLimits = Limits{MaxURLBytes: 8 << 10, MaxQueryBytes: 4 << 10}

// limitRequests refuses requests that no page of this site could want:
// over-long addresses, bodies on read-only routes, and paths that are not
// valid text.
func (s *Server) limitRequests(next http.Handler) http.Handler {
	l := s.cfg.Limits
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case len(r.RequestURI) > l.MaxURLBytes || len(r.URL.RawQuery) > l.MaxQueryBytes:
			s.serveError(w, r, &statusError{status: http.StatusRequestURITooLong})
		case r.ContentLength > 0 || len(r.TransferEncoding) > 0:
			// Every route only reads; a body is a mistake or an attack.
			s.serveError(w, r, &statusError{status: http.StatusBadRequest})
		case !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0):
			s.serveError(w, r, &statusError{status: http.StatusBadRequest})
		default:
			next.ServeHTTP(w, r)
		}
	})
}
