package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/accesslog"
	"healthsite/internal/desk/auth"
)

// contentSecurityPolicy allows nothing but the desk's own stylesheets,
// images and forms: no script at all (the desk has none), no frames of it,
// no connections, no plugins, no <base>.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders are on every desk response, errors and redirects too.
// The pages hold readers' comments and editors' names: no cache keeps
// them, no search engine indexes them, no other site frames or embeds
// them, and no link out tells where it came from.
func (d *Desk) securityHeaders(next http.Handler) http.Handler {
	h := map[string][]string{
		"Content-Security-Policy":      {contentSecurityPolicy},
		"Cache-Control":                {"no-store"},
		"X-Robots-Tag":                 {"noindex, nofollow"},
		"X-Frame-Options":              {"DENY"},
		"X-Content-Type-Options":       {"nosniff"},
		"Referrer-Policy":              {"no-referrer"},
		"Cross-Origin-Opener-Policy":   {"same-origin"},
		"Cross-Origin-Resource-Policy": {"same-origin"},
		"Permissions-Policy":           {"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"},
	}
	if d.base.Scheme == "https" {
		h["Strict-Transport-Security"] = []string{"max-age=63072000; includeSubDomains"}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range h {
			w.Header()[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// requestIDs gives each request an id, "prefix-N", for the logs. A
// client's X-Request-Id is ignored.
func requestIDs() func(http.Handler) http.Handler {
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "desk-" + hex.EncodeToString(b[:]) + "-"
	var n atomic.Uint64
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := prefix + strconv.FormatUint(n.Add(1), 10)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), middleware.RequestIDKey, id)))
		})
	}
}

// accessLog writes one line per request: method, path, status, size and
// time. Never the query (a filter), a header (the cookie) or a form field
// (a password, a comment id).
func (d *Desk) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d.access.Log(accesslog.Entry{
			Time: start, RequestID: middleware.GetReqID(r.Context()), Method: r.Method, Path: r.URL.Path,
			Status: rec.status, Bytes: rec.bytes, Duration: time.Since(start),
		})
	})
}

// recorder notes a response's status and size for the access log.
type recorder struct {
	http.ResponseWriter
	status, bytes int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recoverPanics turns a panic into the friendly 500 page and a log line
// with the request id and stack.
func (d *Desk) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { //nolint:errorlint // net/http's own sentinel, re-raised as it expects
				panic(v)
			}
			d.log.ErrorContext(r.Context(), "desk panic", "request_id", middleware.GetReqID(r.Context()),
				"path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			d.serveError(w, r, nil, errors.New("panic"))
		}()
		next.ServeHTTP(w, r)
	})
}

// Limits on what a request may make the desk read.
const (
	maxURLBytes  = 4 << 10
	maxBodyBytes = 64 << 10 // a form of 500 ticked comments is about 30 KB
)

// limitRequests refuses what no desk route wants: framing in doubt (a
// chunked body), methods the desk does not know (501), long addresses
// (414), paths that are not text (400), bodies on GET (400), and bodies
// larger than any form (413, when read).
func (d *Desk) limitRequests(next http.Handler) http.Handler {
	return d.handler(func(w http.ResponseWriter, r *http.Request, _ *visitor) error {
		switch {
		case len(r.TransferEncoding) > 0:
			w.Header().Set("Connection", "close")
			return &statusError{status: http.StatusBadRequest, message: "The request's body was framed in a way the desk does not take."}
		case !knownMethod(r.Method):
			return &statusError{status: http.StatusNotImplemented, message: "The desk does not know that kind of request."}
		case len(r.RequestURI) > maxURLBytes:
			return &statusError{status: http.StatusRequestURITooLong, message: "The address is too long."}
		case !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0):
			return &statusError{status: http.StatusBadRequest, message: "The address is not valid text."}
		case r.ContentLength > 0 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			return &statusError{status: http.StatusBadRequest, message: "A page to read takes no body."}
		case r.ContentLength > maxBodyBytes:
			return &statusError{status: http.StatusRequestEntityTooLarge, message: "The form sent is larger than any the desk takes."}
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
		return nil
	})
}

func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
		http.MethodConnect, http.MethodOptions, http.MethodTrace, http.MethodPatch:
		return true
	}
	return false
}

// isolate keeps other sites out. Resource isolation first: a request a
// browser marks as cross-site (Sec-Fetch-Site: cross-site or same-site,
// the desk being its own origin) is refused unless it is a top-level GET
// navigation, a link followed to the desk; so no other page can embed the
// desk's pages, load its CSV or post to it. Then Go's
// http.CrossOriginProtection checks every state-changing request (POST):
// by Sec-Fetch-Site, or for browsers that do not send it by Origin
// against the host. Requests with neither header (curl, the command
// line) are not from a browser, so no other site's page made them.
func (d *Desk) isolate(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(d.base.String()); err != nil {
		panic(err) // parseOrigin made it
	}
	deny := d.handler(func(http.ResponseWriter, *http.Request, *visitor) error { return errCrossOrigin })
	cop.SetDenyHandler(deny)
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "cross-site", "same-site":
			navigation := (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
				r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Header.Get("Sec-Fetch-Dest") == "document"
			if !navigation {
				deny.ServeHTTP(w, r)
				return
			}
		}
		protected.ServeHTTP(w, r)
	})
}

var errCrossOrigin = &statusError{status: http.StatusForbidden, message: "The desk takes requests only from its own pages."}

// visitor is who is asking: their client and, when signed in, their
// account and session.
type visitor struct {
	client    string // auth.ClientKey of the address
	account   *auth.Account
	session   auth.SessionID
	hadCookie bool // a session cookie came, valid or not
}

type visitorKey struct{}

// loadSession finds the session the cookie names, if any. A cookie that
// names no live session (forged, expired, signed out) is deleted from the
// browser.
func (d *Desk) loadSession(next http.Handler) http.Handler {
	return d.handler(func(w http.ResponseWriter, r *http.Request, _ *visitor) error {
		v := &visitor{client: d.clientOf(r)}
		if c, err := r.Cookie(d.cookie.name); err == nil {
			v.hadCookie = true
			id := auth.SessionID(c.Value)
			a, err := d.auth.Session(r.Context(), id)
			switch {
			case err == nil:
				v.account, v.session = &a, id
			case errors.Is(err, auth.ErrNoSession):
				http.SetCookie(w, d.cookie.clear())
			default:
				return err
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), visitorKey{}, v)))
		return nil
	})
}

// clientOf is the client's key (auth.ClientKey): the connection's
// address, or, when that is a trusted proxy, the address the proxies say
// they had the request from (the right-most in X-Forwarded-For that is not
// a trusted proxy itself).
func (d *Desk) clientOf(r *http.Request) string {
	addr, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return "unknown"
	}
	ip := addr.Addr().Unmap()
	if !d.trusted(ip) {
		return auth.ClientKey(ip)
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled list: trust nothing further left
		}
		ip = hop.Unmap()
		if !d.trusted(ip) {
			break
		}
	}
	return auth.ClientKey(ip)
}

func (d *Desk) trusted(ip netip.Addr) bool {
	for _, p := range d.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
