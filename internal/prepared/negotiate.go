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

// qValues are the weights an Accept-Encoding header gives the codings the
// server has; -1 for one it does not name.
type qValues struct{ br, gzip, identity, star float64 }

// readQValues reads an Accept-Encoding header, which may arrive as several
// lines: a list split across lines is one list (RFC 9110 §5.3). A coding
// named twice keeps its highest weight. It does not allocate: it runs on
// every request.
func readQValues(lines []string) qValues {
	q := qValues{-1, -1, -1, -1}
	for _, header := range lines {
		for header != "" {
			var part string
			part, header, _ = strings.Cut(header, ",")
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			w := 1.0
			if params != "" {
				w = parseQ(params)
			}
			switch {
			case strings.EqualFold(name, "br"):
				q.br = max(q.br, w)
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				q.gzip = max(q.gzip, w)
			case strings.EqualFold(name, "identity"):
				q.identity = max(q.identity, w)
			case name == "*":
				q.star = max(q.star, w)
			}
		}
	}
	// Codings not named take the value of "*", if given.
	if q.br < 0 {
		q.br = max(q.star, 0)
	}
	if q.gzip < 0 {
		q.gzip = max(q.star, 0)
	}
	if q.identity < 0 {
		// Not named: acceptable, but the last choice, so "br;q=0.1" still
		// gets brotli. Refused only by "*;q=0".
		q.identity = 0.0001
		if q.star == 0 {
			q.identity = 0
		}
	}
	return q
}

// negotiate picks, among the codings the server has (identity always, and
// gzip and brotli when canGzip and canBrotli), the one a client's
// Accept-Encoding lines prefer: the highest q-value, and on a tie brotli
// (smallest) over gzip over identity. Identity is acceptable unless refused
// with q=0, by name or by "*". No header at all gets identity: RFC 9110
// §12.5.3 would allow any coding, but a client that names none most likely
// reads none.
func negotiate(lines []string, canGzip, canBrotli bool) encoding {
	if len(lines) == 0 {
		return identity
	}
	q := readQValues(lines)
	best, bestQ := identity, q.identity
	if canGzip && q.gzip > 0 && q.gzip >= bestQ {
		best, bestQ = gzipEnc, q.gzip
	}
	if canBrotli && q.br > 0 && q.br >= bestQ {
		best = brotliEnc
	}
	// When every coding is refused, identity is still sent: a 406 would
	// leave a reader with nothing, and any client can read identity.
	return best
}

// accepts reports whether a client's Accept-Encoding lines accept enc,
// the way negotiate reads them: with no header, only identity.
func accepts(lines []string, enc encoding) bool {
	if len(lines) == 0 {
		return enc == identity
	}
	q := readQValues(lines)
	switch enc {
	case gzipEnc:
		return q.gzip > 0
	case brotliEnc:
		return q.br > 0
	}
	return q.identity > 0
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

// comparison is how two entity tags are compared (RFC 9110 §8.8.3.2).
type comparison bool

const (
	// strong: both tags strong and their opaque parts equal (If-Match).
	strong comparison = true
	// weak: the opaque parts equal, W/ or not (If-None-Match).
	weak comparison = false
)

// etagListMatches reports whether an If-Match or If-None-Match header,
// which may arrive as several lines (RFC 9110 §5.3), is "*" or lists tag,
// a strong tag of ours like `"3f2a"`. Tags are read by their quotes, since
// a tag may itself hold a comma; an element that is not a tag matches
// nothing. It does not allocate.
func etagListMatches(lines []string, tag string, cmp comparison) bool {
	for _, header := range lines {
		for header != "" {
			var elem string
			elem, header = nextListElement(header)
			if elem == "*" {
				return true
			}
			if strings.HasPrefix(elem, "W/") {
				if cmp == strong {
					continue
				}
				elem = elem[2:]
			}
			if elem == tag {
				return true
			}
		}
	}
	return false
}

// nextListElement returns the first element of an entity-tag list, without
// the whitespace and commas around it, and the rest of the list.
func nextListElement(s string) (elem, rest string) {
	s = strings.TrimLeft(s, " \t,")
	i := 0
	if strings.HasPrefix(s, `W/"`) {
		i = 2
	}
	if i < len(s) && s[i] == '"' {
		if end := strings.IndexByte(s[i+1:], '"'); end >= 0 {
			n := i + 1 + end + 1
			return s[:n], s[n:]
		}
		return s, "" // no closing quote: not a tag
	}
	elem, rest, _ = strings.Cut(s, ",")
	return strings.TrimRight(elem, " \t"), rest
}
