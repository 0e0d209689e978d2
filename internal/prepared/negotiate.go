package prepared

import (
	"strconv"
	"strings"
)

// encoding is a content coding the server can send.
type encoding int

const (
	identity encoding = iota
	gzipEnc
	brotliEnc
)

// negotiate picks, among the codings the server has (identity always, and
// gzip and brotli when canGzip and canBrotli), the one a client's
// Accept-Encoding header prefers: the highest q-value, and on a tie brotli
// (smallest) over gzip over identity. Identity is acceptable unless refused
// with q=0, by name or by "*". It does not allocate: it runs on every request.
func negotiate(header string, canGzip, canBrotli bool) encoding {
	if header == "" {
		return identity
	}
	qBr, qGzip, qIdentity, qStar := -1.0, -1.0, -1.0, -1.0
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		if params != "" {
			q = parseQ(params)
		}
		switch {
		case strings.EqualFold(name, "br"):
			qBr = max(qBr, q)
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			qGzip = max(qGzip, q)
		case strings.EqualFold(name, "identity"):
			qIdentity = max(qIdentity, q)
		case name == "*":
			qStar = max(qStar, q)
		}
	}
	// Codings not named take the value of "*", if given.
	if qBr < 0 {
		qBr = max(qStar, 0)
	}
	if qGzip < 0 {
		qGzip = max(qStar, 0)
	}
	if qIdentity < 0 {
		// Not named: acceptable, but the last choice, so "br;q=0.1" still
		// gets brotli. Refused only by "*;q=0".
		qIdentity = 0.0001
		if qStar == 0 {
			qIdentity = 0
		}
	}
	best, bestQ := identity, qIdentity
	if canGzip && qGzip > 0 && qGzip >= bestQ {
		best, bestQ = gzipEnc, qGzip
	}
	if canBrotli && qBr > 0 && qBr >= bestQ {
		best = brotliEnc
	}
	// When every coding is refused, identity is still sent: a 406 would
	// leave a reader with nothing, and any client can read identity.
	return best
}

// parseQ reads the q parameter from "q=0.5" (among other parameters); a
// malformed value counts as 0, so a client is never sent what it garbled.
func parseQ(params string) float64 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// etagMatches reports whether an If-None-Match header names etag. Weak
// comparison, as RFC 9110 asks for If-None-Match.
func etagMatches(header, etag string) bool {
	for header != "" {
		var tag string
		tag, header, _ = strings.Cut(header, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		tag = strings.TrimPrefix(tag, "W/")
		if tag == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
