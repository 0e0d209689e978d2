// Package prepared serves responses made ahead of the request: a body kept
// with its compressed encodings, validators and pre-built header values,
// sent with content negotiation and conditional requests (RFC 9110); a
// cache of such responses bounded in bytes; and static files under names
// that carry a hash of their content. Nothing in it knows about articles
// or symptoms: any site could use it.
package prepared

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Response is a body made once, kept with its gzip and brotli encodings and
// every header value pre-built, so serving it costs a map assignment per
// header and one write. Each encoding is made the first time a client asks
// for it, so a page is compressed only in the encodings readers use.
type Response struct {
	status       int
	contentType  []string
	cacheControl []string
	etag         []string
	compressible bool
	encodeOnce   [3]sync.Once // by encoding; identity's is unused
	variants     [3]variant   // by encoding; a missing one has a nil body
	// grew, when set, is told the size of each encoding made after the
	// response was stored, so a Cache can count every byte it holds.
	grew func(bytes int)
}

type variant struct {
	body            []byte
	contentLength   []string
	contentEncoding []string
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

// New keeps body, to be sent with status and the given headers. The ETag
// is a hash of the raw bytes, so every replica, on any machine, gives a
// page the same ETag. A body with much spare capacity, like a render
// buffer's, is copied to its size: a Cache counts what it holds by length.
func New(status int, contentType, cacheControl string, body []byte) *Response {
	if cap(body)-len(body) > len(body)/16 {
		body = bytes.Clone(body)
	}
	sum := sha256.Sum256(body)
	r := &Response{
		status:       status,
		contentType:  []string{contentType},
		cacheControl: []string{cacheControl},
		etag:         []string{`"` + hex.EncodeToString(sum[:8]) + `"`},
		compressible: compressible(contentType),
	}
	r.variants[identity] = newVariant(body, identity)
	return r
}

// Status is the status the response is sent with.
func (p *Response) Status() int { return p.status }

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
			p.variants[enc] = newVariant(c, enc)
			if p.grew != nil {
				p.grew(len(c))
			}
		}
	})
	return p.variants[enc]
}

// EncodeAll makes every encoding, for warming responses up ahead of readers.
func (p *Response) EncodeAll() {
	p.encoded(gzipEnc)
	p.encoded(brotliEnc)
}

// pick returns the variant a client's Accept-Encoding header prefers among
// those worth sending: when its first choice turned out no smaller than the
// raw body, its next choice.
func (p *Response) pick(acceptEncoding string) variant {
	canGzip, canBrotli := p.compressible, p.compressible
	for {
		enc := negotiate(acceptEncoding, canGzip, canBrotli)
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
// times the cost of compressing a page. Levels: gzip's default (6), which
// measured within 0.2% of level 9's size on article pages at half its time
// (and a quarter on long ones); brotli 5, within 1% of level 9's size at a
// sixth of its time. Pages are compressed on their first request, so this
// is time a reader waits.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
		return compressor(zw)
	}}
	brotliWriters = sync.Pool{New: func() any { return compressor(brotli.NewWriterLevel(nil, 5)) }}
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

func newVariant(body []byte, enc encoding) variant {
	v := variant{body: body, contentLength: []string{strconv.Itoa(len(body))}}
	if enc != identity {
		v.contentEncoding = []string{encodingNames[enc]}
	}
	return v
}

// Serve writes the response in the encoding the client prefers, or 304
// when the client's copy is current. Header keys are written already
// canonical, skipping http.Header's canonicalisation on this hot path.
func (p *Response) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = p.contentType
	h["Cache-Control"] = p.cacheControl
	h["Etag"] = p.etag
	if p.compressible {
		h["Vary"] = varyAcceptEncoding
	}
	if p.status == http.StatusOK {
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagMatches(inm[0], p.etag[0]) {
			delete(h, "Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	v := p.pick(headerValue(r.Header, "Accept-Encoding"))
	h["Content-Length"] = v.contentLength
	if v.contentEncoding != nil {
		h["Content-Encoding"] = v.contentEncoding
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}

// headerValue reads a header whose key is already canonical, without the
// canonicalisation http.Header.Get does.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
