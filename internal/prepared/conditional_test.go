package prepared

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// pageBody is a body that compresses well in both codings.
var pageBody = bytes.Repeat([]byte("<p>Neck pain after a massage usually settles in a few days.</p>\n"), 100)

func newPage() *Response {
	return New(http.StatusOK, "text/html; charset=utf-8", "public, max-age=300", pageBody)
}

func serve(p *Response, method string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	p.Serve(rec, req)
	return rec
}

// Each content coding is a representation with its own strong ETag
// (RFC 9110 §8.8.3), derived from the body so that replicas agree.
func TestETagPerEncoding(t *testing.T) {
	p := newPage()
	tags := map[string]string{}
	for _, ae := range []string{"identity", "gzip", "br"} {
		rec := serve(p, "GET", http.Header{"Accept-Encoding": {ae}})
		tags[ae] = rec.Header().Get("ETag")
	}
	plain := tags["identity"]
	if len(plain) != 18 || !strings.HasPrefix(plain, `"`) || !strings.HasSuffix(plain, `"`) {
		t.Fatalf("identity ETag = %s, want 16 hex digits in quotes", plain)
	}
	for ae, want := range map[string]string{"gzip": strings.TrimSuffix(plain, `"`) + `-gzip"`, "br": strings.TrimSuffix(plain, `"`) + `-br"`} {
		if tags[ae] != want {
			t.Errorf("%s ETag = %s, want %s", ae, tags[ae], want)
		}
	}
	// Another replica has the same tags.
	for ae, tag := range tags {
		if got := serve(newPage(), "GET", http.Header{"Accept-Encoding": {ae}}).Header().Get("ETag"); got != tag {
			t.Errorf("a replica's %s tag is %s, want %s", ae, got, tag)
		}
	}
}

// When an encoding is not kept (no smaller than the body), the identity
// body is sent under the identity tag, whatever the client prefers.
func TestETagFollowsTheBodySent(t *testing.T) {
	p := New(http.StatusOK, "text/plain; charset=utf-8", "no-store", []byte("ok\n"))
	plain := serve(p, "GET", nil).Header().Get("ETag")
	rec := serve(p, "GET", http.Header{"Accept-Encoding": {"br, gzip"}})
	if got := rec.Header().Get("ETag"); got != plain || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("ETag %s with Content-Encoding %q, want %s and none", got, rec.Header().Get("Content-Encoding"), plain)
	}
}

// An error page describes the error, not the resource asked for: no
// validators, and preconditions are ignored (RFC 9110 §13.2.1).
func TestErrorResponsesHaveNoValidators(t *testing.T) {
	p := New(http.StatusNotFound, "text/html; charset=utf-8", "no-store", pageBody)
	for _, h := range []http.Header{
		nil,
		{"If-None-Match": {"*"}},
		{"If-Match": {`"nope"`}},
		{"Accept-Encoding": {"br"}, "If-None-Match": {"*"}},
	} {
		rec := serve(p, "GET", h)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%v: status %d, want 404", h, rec.Code)
		}
		if _, ok := rec.Header()["Etag"]; ok {
			t.Errorf("%v: a 404 with ETag %q", h, rec.Header().Get("ETag"))
		}
	}
}

// The compressors give the same bytes for the same body every time, from
// a fresh writer or a pooled one, so replicas running the same build send
// the same bytes under the same strong tag.
func TestEncodingsAreDeterministic(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pool  *sync.Pool
		fresh func() compressor
	}{
		{"gzip", &gzipWriters, func() compressor {
			zw, _ := gzip.NewWriterLevel(nil, gzipLevel)
			return zw
		}},
		{"br", &brotliWriters, func() compressor { return brotli.NewWriterLevel(nil, brotliLevel) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			first := compress(tt.pool, pageBody)
			// A pooled writer that has compressed something else since.
			_ = compress(tt.pool, bytes.Repeat([]byte("other"), 999))
			second := compress(tt.pool, pageBody)
			var buf bytes.Buffer
			zw := tt.fresh()
			zw.Reset(&buf)
			_, _ = zw.Write(pageBody)
			_ = zw.Close()
			if !bytes.Equal(first, second) || !bytes.Equal(first, buf.Bytes()) {
				t.Errorf("%s gave different bytes for the same body", tt.name)
			}
		})
	}
	a, b := newPage(), newPage()
	a.EncodeAll()
	b.EncodeAll()
	for enc := range a.variants {
		if !bytes.Equal(a.variants[enc].body, b.variants[enc].body) {
			t.Errorf("two responses of one body differ in %s", encodingNames[enc])
		}
	}
}

// TestPreconditions follows RFC 9110 §13.2.2 for GET and HEAD: If-Match,
// then (no If-Unmodified-Since: no Last-Modified), then If-None-Match,
// then (no If-Modified-Since).
func TestPreconditions(t *testing.T) {
	p := newPage()
	tagOf := func(ae string) string {
		return serve(newPage(), "GET", http.Header{"Accept-Encoding": {ae}}).Header().Get("ETag")
	}
	plain, gz, br := tagOf("identity"), tagOf("gzip"), tagOf("br")
	tests := []struct {
		name       string
		method     string
		header     http.Header
		wantStatus int
		wantETag   string // "" for none
		wantEnc    string
	}{
		{"none", "GET", nil, 200, plain, ""},
		{"If-None-Match, the tag sent", "GET", http.Header{"If-None-Match": {plain}}, 304, plain, ""},
		{"If-None-Match, weak", "GET", http.Header{"If-None-Match": {"W/" + plain}}, 304, plain, ""},
		{"If-None-Match, *", "GET", http.Header{"If-None-Match": {"*"}, "Accept-Encoding": {"br"}}, 304, br, ""},
		{"If-None-Match, brotli tag, brotli accepted", "GET", http.Header{"If-None-Match": {br}, "Accept-Encoding": {"br"}}, 304, br, ""},
		{"If-None-Match, gzip tag, brotli preferred", "GET", http.Header{"If-None-Match": {gz}, "Accept-Encoding": {"gzip, br"}}, 304, gz, ""},
		{"If-None-Match, identity tag, identity acceptable", "GET", http.Header{"If-None-Match": {plain}, "Accept-Encoding": {"br"}}, 304, plain, ""},
		{"If-None-Match, identity tag, identity refused", "GET", http.Header{"If-None-Match": {plain}, "Accept-Encoding": {"br, identity;q=0"}}, 200, br, "br"},
		{"If-None-Match, gzip tag, gzip refused", "GET", http.Header{"If-None-Match": {gz}, "Accept-Encoding": {"br"}}, 200, br, "br"},
		{"If-None-Match, gzip tag, no Accept-Encoding", "GET", http.Header{"If-None-Match": {gz}}, 200, plain, ""},
		{"If-None-Match, stale", "GET", http.Header{"If-None-Match": {`"stale"`}}, 200, plain, ""},
		{"If-None-Match, two lines", "GET", http.Header{"If-None-Match": {`"stale"`, gz}, "Accept-Encoding": {"gzip"}}, 304, gz, ""},
		{"If-Match, the tag sent", "GET", http.Header{"If-Match": {br}, "Accept-Encoding": {"br"}}, 200, br, "br"},
		{"If-Match, *", "GET", http.Header{"If-Match": {"*"}}, 200, plain, ""},
		{"If-Match, never a tag", "GET", http.Header{"If-Match": {`"nope"`}}, 412, "", ""},
		{"If-Match, weak never matches", "GET", http.Header{"If-Match": {"W/" + plain}}, 412, "", ""},
		{"If-Match, another encoding's tag", "GET", http.Header{"If-Match": {plain}, "Accept-Encoding": {"gzip"}}, 412, "", ""},
		{"If-Match, two lines", "GET", http.Header{"If-Match": {`"nope"`, plain}}, 200, plain, ""},
		{"If-Match false before If-None-Match", "GET", http.Header{"If-Match": {`"nope"`}, "If-None-Match": {plain}}, 412, "", ""},
		{"If-Match true, then If-None-Match", "GET", http.Header{"If-Match": {plain}, "If-None-Match": {plain}}, 304, plain, ""},
		{"If-Unmodified-Since ignored", "GET", http.Header{"If-Unmodified-Since": {"Sat, 01 Jan 2000 00:00:00 GMT"}}, 200, plain, ""},
		{"If-Modified-Since ignored", "GET", http.Header{"If-Modified-Since": {"Fri, 01 Jan 2100 00:00:00 GMT"}}, 200, plain, ""},
		{"HEAD, If-Match fails", "HEAD", http.Header{"If-Match": {`"nope"`}}, 412, "", ""},
		{"HEAD, If-None-Match matches", "HEAD", http.Header{"If-None-Match": {plain}}, 304, plain, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(p, tt.method, tt.header)
			h := rec.Header()
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := h.Get("ETag"); got != tt.wantETag {
				t.Errorf("ETag = %q, want %q", got, tt.wantETag)
			}
			if got := h.Get("Content-Encoding"); got != tt.wantEnc {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantEnc)
			}
			switch rec.Code {
			case http.StatusNotModified:
				if rec.Body.Len() != 0 || h.Get("Content-Type") != "" || h.Get("Content-Length") != "" {
					t.Errorf("304 with %d bytes, Content-Type %q, Content-Length %q", rec.Body.Len(), h.Get("Content-Type"), h.Get("Content-Length"))
				}
				if h.Get("Cache-Control") != "public, max-age=300" || h.Get("Vary") != "Accept-Encoding" {
					t.Errorf("304 lost Cache-Control %q or Vary %q", h.Get("Cache-Control"), h.Get("Vary"))
				}
			case http.StatusPreconditionFailed:
				if h.Get("Cache-Control") != "no-store" {
					t.Errorf("412 Cache-Control = %q, want no-store", h.Get("Cache-Control"))
				}
				if tt.method == "HEAD" && rec.Body.Len() != 0 {
					t.Errorf("412 to HEAD with %d bytes", rec.Body.Len())
				}
			}
		})
	}
}

// A tag from another replica, for an encoding this one has not made yet,
// gives a 304: the tags are known before anything is compressed.
func TestNotModifiedForAnEncodingNotYetMade(t *testing.T) {
	gz := serve(newPage(), "GET", http.Header{"Accept-Encoding": {"gzip"}}).Header().Get("ETag")
	p := newPage()
	if p.variants[gzipEnc].body != nil || p.variants[brotliEnc].body != nil {
		t.Fatal("making a response compressed it")
	}
	rec := serve(p, "GET", http.Header{"If-None-Match": {gz}, "Accept-Encoding": {"gzip"}})
	if rec.Code != http.StatusNotModified || rec.Header().Get("ETag") != gz {
		t.Errorf("status = %d with ETag %s, want 304 with %s", rec.Code, rec.Header().Get("ETag"), gz)
	}
}

// discardWriter keeps nothing, so that allocations counted are Serve's.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// Serving a kept response allocates nothing, with or without conditions:
// it runs on every request.
func TestServeDoesNotAllocate(t *testing.T) {
	p := newPage()
	p.EncodeAll()
	gz := serve(p, "GET", http.Header{"Accept-Encoding": {"gzip"}}).Header().Get("ETag")
	br := serve(p, "GET", http.Header{"Accept-Encoding": {"br"}}).Header().Get("ETag")
	for _, tt := range []struct {
		name   string
		header http.Header
	}{
		{"200 brotli", http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}},
		{"200 identity", nil},
		{"200 from two lines", http.Header{"Accept-Encoding": {"deflate", "gzip"}}},
		{"304", http.Header{"Accept-Encoding": {"gzip, br"}, "If-None-Match": {`"x", ` + br}}},
		{"304 for another encoding", http.Header{"Accept-Encoding": {"gzip, br"}, "If-None-Match": {gz}}},
		{"200 after If-Match", http.Header{"Accept-Encoding": {"br"}, "If-Match": {br}}},
		{"412", http.Header{"If-Match": {`"nope"`}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header = tt.header
			if req.Header == nil {
				req.Header = http.Header{}
			}
			w := &discardWriter{h: http.Header{}}
			p.Serve(w, req) // the header map grows once
			if n := testing.AllocsPerRun(100, func() {
				clear(w.h)
				p.Serve(w, req)
			}); n != 0 {
				t.Errorf("%v allocations per request, want 0", n)
			}
		})
	}
}
