// Package prepared serves responses made ahead of the request: a body kept
// with its compressed encodings, validators and pre-built header values,
// sent with content negotiation and conditional requests (RFC 9110); a
// cache of such responses bounded in bytes; and static files under names
// that carry a hash of their content. Nothing in it knows about articles
// or symptoms: any site could use it.
package prepared

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// Response is a body made once, kept with its gzip and brotli encodings and
// every header value pre-built, so serving it costs a map assignment per
// header and one write. Each encoding is made the first time a client asks
// for it, so a page is compressed only in the encodings readers use.
//
// Each encoding is a representation of its own with its own strong ETag
// (RFC 9110 §8.8.3): the identity tag is a hash of the body, and gzip's
// and brotli's add "-gzip" and "-br" to it. Deriving them from the body,
// not from the compressed bytes, gives every replica the same tags
// without compressing first, and lets a 304 name an encoding not yet
// made. The compressors are deterministic (TestEncodingsAreDeterministic),
// so replicas running the same build also send the same bytes under a tag.
type Response struct {
	status       int
	contentType  []string
	cacheControl []string
	etags        [3][]string // by encoding; nil when the status has no validators
	compressible bool
	encodeOnce   [3]sync.Once // by encoding; identity's is unused
	// brotliAsked counts requests that preferred brotli before it was made,
	// and brotliMade says it was (see brotliAfter).
	brotliAsked atomic.Int32
	brotliMade  atomic.Bool
	variants    [3]variant // by encoding; a missing one has a nil body
	// grew, when set, is told the size of each encoding made after the
	// response was stored, so a Cache can count every byte it holds.
	grew func(bytes int)
}

type variant struct {
	enc             encoding
	body            []byte
	contentLength   []string
	contentEncoding []string
	etag            []string // nil when the status has no validators
}

var (
	varyAcceptEncoding = []string{"Accept-Encoding"}
	encodingNames      = [3]string{identity: "", gzipEnc: "gzip", brotliEnc: "br"}
)

// compressible reports whether a content type is worth compressing; the
// images here are PNG and ICO, compressed already or tiny.
func compressible(contentType string) bool {
	for _, prefix := range []string{"text/", "application/xml", "application/atom+xml", "application/javascript", "application/opensearchdescription+xml", "image/svg+xml"} {
		if strings.HasPrefix(contentType, prefix) {
			return true
		}
	}
	return false
}

// New keeps body, to be sent with status and the given headers. A
// successful (2xx) response carries ETags and answers conditional
// requests; any other is an error page, which describes the error and not
// the resource asked for, so it has neither (RFC 9110 §8.8.3, §13.2.1).
// A body with much spare capacity, like a growing buffer's, is copied to
// its size: a Cache counts what it holds by length. (The allocator rounds
// sizes up by at most an eighth, so a body copied to size is kept as is.)
func New(status int, contentType, cacheControl string, body []byte) *Response {
	if cap(body)-len(body) > len(body)/8 {
		body = bytes.Clone(body)
	}
	r := &Response{
		status:       status,
		contentType:  []string{contentType},
		cacheControl: []string{cacheControl},
		compressible: compressible(contentType),
	}
	if status >= 200 && status < 300 {
		// The first 8 bytes of SHA-256: the same on every replica, on
		// any machine, for the same bytes.
		// One string and one array hold all three tags: results are
		// made per request when not kept.
		sum := sha256.Sum256(body)
		tag := hex.EncodeToString(sum[:8])
		all := `"` + tag + `""` + tag + `-gzip""` + tag + `-br"`
		n := len(tag) + 2
		tags := [3]string{all[:n], all[n : 2*n+5], all[2*n+5:]}
		for enc := range r.etags {
			r.etags[enc] = tags[enc : enc+1 : enc+1]
		}
	}
	r.variants[identity] = r.newVariant(body, identity)
	return r
}

// Body is the response's bytes before any content coding.
func (p *Response) Body() []byte { return p.variants[identity].body }

// Size is how many bytes of bodies the response holds: the raw body and
// every encoding made so far.
func (p *Response) Size() int {
	n := 0
	for enc := range p.variants {
		n += len(p.variants[enc].body)
	}
	return n
}

// encoded returns the body in enc, compressing it on first use. It keeps
// an encoding only if it is smaller than the raw body; otherwise the
// variant has a nil body.
func (p *Response) encoded(enc encoding) variant {
	if enc == identity || !p.compressible {
		return p.variants[enc]
	}
	p.encodeOnce[enc].Do(func() {
		pool := &gzipWriters
		if enc == brotliEnc {
			pool = &brotliWriters
		}
		body := p.variants[identity].body
		if c := compress(pool, body); len(c) < len(body) {
			p.variants[enc] = p.newVariant(c, enc)
			if p.grew != nil {
				p.grew(len(c))
			}
		}
		if enc == brotliEnc {
			p.brotliMade.Store(true)
		}
	})
	return p.variants[enc]
}

// brotliAfter is how many requests must prefer brotli before a response
// is compressed with it; until then they are sent gzip, which they accept
// too. Brotli level 5 saves about a tenth of gzip's bytes but costs seven
// times its CPU (0.6 ms against 0.08 ms for an article page), and pages
// are made on their first request: most pages of a large site are read
// once in a while, and the pages people read again are worth brotli.
const brotliAfter = 2

// EncodeAll makes every encoding, for warming responses up ahead of readers.
func (p *Response) EncodeAll() {
	p.encoded(gzipEnc)
	p.encoded(brotliEnc)
}

// pick returns the variant a client's Accept-Encoding lines prefer among
// those worth sending: when its first choice turned out no smaller than the
// raw body, its next choice.
func (p *Response) pick(acceptEncoding []string) variant {
	canGzip, canBrotli := p.compressible, p.compressible
	for {
		enc := negotiate(acceptEncoding, canGzip, canBrotli)
		if enc == brotliEnc && !p.brotliMade.Load() && p.brotliAsked.Add(1) < brotliAfter &&
			negotiate(acceptEncoding, canGzip, false) == gzipEnc {
			enc = gzipEnc
		}
		if enc == identity {
			return p.variants[identity]
		}
		if v := p.encoded(enc); v.body != nil {
			return v
		}
		if enc == gzipEnc {
			canGzip = false
		} else {
			canBrotli = false
		}
	}
}

// compressor is a gzip or brotli writer that can be reused.
type compressor interface {
	io.WriteCloser
	Reset(io.Writer)
}

// Writers are pooled: making one allocates hundreds of kilobytes, many
// times the cost of compressing a page. Pages are compressed on their
// first request, so this is time a reader waits. gzip is what a client
// without brotli gets, mostly crawlers and scripts (browsers send br):
// klauspost/compress's level 1 compresses a 15 KB article in 29 us
// against level 6's 48 us for 12% more bytes (4,617 against 4,104), and
// made a cold crawl of 10,000 articles 9% faster in one sitting (5.3-5.5 s
// against 5.8-6.1 s); level 6 had measured 58 us against the standard
// library's 123 us. brotli 5 is within 1% of level 9's size at a sixth of
// its time.
const (
	gzipLevel   = gzip.BestSpeed
	brotliLevel = 5
)

var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzipLevel)
		return compressor(zw)
	}}
	brotliWriters = sync.Pool{New: func() any { return compressor(brotli.NewWriterLevel(nil, brotliLevel)) }}
)

func compress(pool *sync.Pool, body []byte) []byte {
	zw := pool.Get().(compressor)
	defer pool.Put(zw)
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	zw.Reset(&buf)
	_, _ = zw.Write(body) // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	return bytes.Clone(buf.Bytes()) // the buffer's spare capacity would be kept too
}

func (p *Response) newVariant(body []byte, enc encoding) variant {
	v := variant{enc: enc, body: body, contentLength: []string{strconv.Itoa(len(body))}, etag: p.etags[enc]}
	if enc != identity {
		v.contentEncoding = []string{encodingNames[enc]}
	}
	return v
}

// Serve writes the response in the encoding the client prefers, or 304
// when the client's copy is current, or 412 when an If-Match fails.
// Header keys are written already canonical, skipping http.Header's
// canonicalisation on this hot path.
func (p *Response) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = p.contentType
	h["Cache-Control"] = p.cacheControl
	if p.compressible {
		h["Vary"] = varyAcceptEncoding
	}
	ae := r.Header["Accept-Encoding"]
	v := p.pick(ae)
	if v.etag != nil {
		h["Etag"] = v.etag
		if im, inm := r.Header["If-Match"], r.Header["If-None-Match"]; im != nil || inm != nil {
			switch status, etag := p.evaluatePreconditions(im, inm, ae, v); status {
			case http.StatusNotModified:
				// RFC 9110 §15.4.5: the ETag, Cache-Control and Vary a 200
				// would have; no Content-Type, Content-Length or
				// Content-Encoding, which describe a body.
				h["Etag"] = etag
				delete(h, "Content-Type")
				w.WriteHeader(http.StatusNotModified)
				return
			case http.StatusPreconditionFailed:
				delete(h, "Etag")
				preconditionFailed.Serve(w, r)
				return
			}
		}
	}
	h["Content-Length"] = v.contentLength
	if v.contentEncoding != nil {
		h["Content-Encoding"] = v.contentEncoding
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}

// preconditionFailed is the 412 response. Browsers never send If-Match
// with a GET, so it is for programs, in plain text.
var preconditionFailed = New(http.StatusPreconditionFailed, "text/plain; charset=utf-8", "no-store",
	[]byte("412 Precondition Failed: the page no longer matches the ETag given in If-Match.\n"))

// evaluatePreconditions applies a request's If-Match and If-None-Match
// lines to a successful response whose selected variant is v, in the
// order of RFC 9110 §13.2.2 for GET and HEAD, the only methods that reach
// a Response. It returns 304 with the ETag to send, 412, or 0 to send v.
//
//  1. If-Match: false unless "*" or v's tag, by strong comparison (§13.1.1): 412.
//  2. If-Unmodified-Since: ignored, as no Last-Modified is sent (§13.1.4).
//  3. If-None-Match: true if "*" or a tag of this page in an encoding the
//     client accepts, by weak comparison (§13.1.2): 304.
//  4. If-Modified-Since: ignored, as no Last-Modified is sent (§13.1.3).
//  5. If-Range: ignored, as no Range is served (§13.1.5).
//
// In step 3 a tag of an encoding other than the one negotiated still gives
// a 304 naming that tag: the client or cache holds that representation,
// and it is one the client accepts, so choosing it is content negotiation
// too (RFC 9111 §4.3.4 has the cache serve the stored response the 304's
// strong ETag names). A cache holding the gzip copy of a page is not sent
// the brotli one just because brotli is smaller.
func (p *Response) evaluatePreconditions(im, inm, ae []string, v variant) (int, []string) {
	if im != nil && !etagListMatches(im, v.etag[0], strong) {
		return http.StatusPreconditionFailed, nil
	}
	if inm == nil {
		return 0, nil
	}
	if etagListMatches(inm, v.etag[0], weak) {
		return http.StatusNotModified, v.etag
	}
	for enc := range p.etags {
		e := encoding(enc)
		if e == v.enc || (e != identity && !p.compressible) {
			continue
		}
		if etagListMatches(inm, p.etags[e][0], weak) && accepts(ae, e) && (e == identity || p.encoded(e).body != nil) {
			return http.StatusNotModified, p.etags[e]
		}
	}
	return 0, nil
}
