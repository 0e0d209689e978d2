package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// RateLimit bounds how often one client may ask for symptom results, and
// for searches, the pages made per request from what a reader sends.
type RateLimit struct {
	// Requests is how many results, or searches, one client may ask for
	// per Window;
	// 0 or less turns the limit off.
	Requests int
	Window   time.Duration
	// TrustedProxies are the CIDR prefixes of proxies whose
	// X-Forwarded-For is believed. Empty: the TCP peer is the client, and
	// X-Forwarded-For is ignored, so nobody can pick their own key.
	TrustedProxies []string
}

// DefaultRateLimit is generous for a person and tight for a script.
var DefaultRateLimit = RateLimit{Requests: 60, Window: time.Minute}

// CheckTrustedProxies reports the first prefix that does not parse.
func CheckTrustedProxies(prefixes []string) error {
	for _, p := range prefixes {
		if _, err := netip.ParsePrefix(p); err != nil {
			return fmt.Errorf("trusted proxy %q is not a CIDR prefix like 10.0.0.0/8: %w", p, err)
		}
	}
	return nil
}

// clientIP records the client's address in the request context, for the
// rate limiter, trusting X-Forwarded-For only from the named proxies.
func clientIP(trusted []string) func(http.Handler) http.Handler {
	if len(trusted) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	return middleware.ClientIPFromXFF(trusted...)
}

// rateLimit answers clients over the limit on page p with the friendly
// 429 page (with the care cards of any red flag the request names),
// counting in counter, which the pages of p's class share; httprate sets
// Retry-After.
func (s *Server) rateLimit(rl RateLimit, p page, counter httprate.LimitCounter) func(http.Handler) http.Handler {
	if rl.Requests <= 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return httprate.LimitBy(rl.Requests, rl.Window,
		func(r *http.Request) (string, error) {
			return httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
		},
		httprate.WithLimitCounter(counter),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.servePageError(w, r, p, &statusError{status: http.StatusTooManyRequests})
		}),
	)
}
