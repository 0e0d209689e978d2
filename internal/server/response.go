package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// response is a body rendered once, kept with its gzip and brotli
// encodings and every header value pre-built, so serving it costs a map
// assignment per header and one write.
type response struct {
	contentType  []string
	cacheControl []string
	etag         []string
	variants     [3]variant // by encoding; a missing one has a nil body
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

// compressibleTypes are the content types worth compressing; images here
// are PNG and ICO, which are compressed already or tiny.
func compressible(contentType string) bool {
	for _, prefix := range []string{"text/", "application/xml", "application/atom+xml", "application/javascript", "image/svg+xml"} {
		if strings.HasPrefix(contentType, prefix) {
			return true
		}
	}
	return false
}

// newResponse encodes body. The ETag is a hash of the raw bytes, so every
// replica, on any machine, gives the same page the same ETag.
func newResponse(contentType, cacheControl string, body []byte) (*response, error) {
	sum := sha256.Sum256(body)
	r := &response{
		contentType:  []string{contentType},
		cacheControl: []string{cacheControl},
		etag:         []string{`"` + hex.EncodeToString(sum[:12]) + `"`},
	}
	r.variants[identity] = newVariant(body, identity)
	if !compressible(contentType) {
		return r, nil
	}
	gz, err := gzipBytes(body, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if len(gz) < len(body) {
		r.variants[gzipEnc] = newVariant(gz, gzipEnc)
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliLevel)
	if _, err := bw.Write(body); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	if br.Len() < len(body) {
		r.variants[brotliEnc] = newVariant(br.Bytes(), brotliEnc)
	}
	return r, nil
}

// brotliLevel trades start-up time for size: level 11 is a few percent
// smaller and many times slower, which matters with thousands of articles.
const brotliLevel = 9

func newVariant(body []byte, enc encoding) variant {
	v := variant{body: body, contentLength: []string{strconv.Itoa(len(body))}}
	if enc != identity {
		v.contentEncoding = []string{encodingNames[enc]}
	}
	return v
}

func gzipBytes(body []byte, level int) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// serve writes the response in the encoding the client prefers, or 304
// when the client's copy is current. Header keys are written already
// canonical, skipping http.Header's canonicalisation on this hot path.
func (p *response) serve(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h["Content-Type"] = p.contentType
	h["Cache-Control"] = p.cacheControl
	h["Etag"] = p.etag
	if p.variants[gzipEnc].body != nil || p.variants[brotliEnc].body != nil {
		h["Vary"] = varyAcceptEncoding
	}
	if status == http.StatusOK {
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagMatches(inm[0], p.etag[0]) {
			delete(h, "Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	v := p.variants[negotiate(headerValue(r.Header, "Accept-Encoding"), p.variants[gzipEnc].body != nil, p.variants[brotliEnc].body != nil)]
	h["Content-Length"] = v.contentLength
	if v.contentEncoding != nil {
		h["Content-Encoding"] = v.contentEncoding
	}
	w.WriteHeader(status)
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

// gzipPool reuses gzip writers for pages compressed per request.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// writeDynamic sends a page computed for this request, gzipped when the
// client accepts it (fast level: the page is made once and read once).
func writeDynamic(w http.ResponseWriter, r *http.Request, status int, contentType, cacheControl string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h["Cache-Control"] = []string{cacheControl}
	h["Vary"] = varyAcceptEncoding
	if negotiate(headerValue(r.Header, "Accept-Encoding"), true, false) != gzipEnc {
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
		return
	}
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	zw.Reset(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	h["Content-Encoding"] = []string{"gzip"}
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}
