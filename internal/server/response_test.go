package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func get(t *testing.T, h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) []byte {
	t.Helper()
	var r io.Reader = rec.Body
	switch rec.Header().Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(rec.Body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodingsServeTheSamePage(t *testing.T) {
	s, _ := newTestServer(t)
	for _, path := range []string{"/", "/articles/" + seedSlug, "/sitemap.xml", s.assets.URL("site.css"), "/nope", "/symptoms", "/symptoms/neck-pain/results?symptom=stiff-neck"} {
		t.Run(path, func(t *testing.T) {
			plain := get(t, s, "GET", path, nil)
			want := plain.Body.Bytes()
			if plain.Header().Get("Content-Encoding") != "" {
				t.Fatalf("no Accept-Encoding, but Content-Encoding = %q", plain.Header().Get("Content-Encoding"))
			}
			// A page read once is sent gzip even to clients preferring
			// brotli, which is made for the second (see prepared.brotliAfter).
			get(t, s, "GET", path, http.Header{"Accept-Encoding": {"br, gzip"}})
			for ae, wantEnc := range map[string]string{"gzip": "gzip", "br, gzip": "br", "br": "br", "gzip;q=0, br;q=0": "", "identity": ""} {
				rec := get(t, s, "GET", path, http.Header{"Accept-Encoding": {ae}})
				if got := rec.Header().Get("Content-Encoding"); got != wantEnc {
					t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", ae, got, wantEnc)
				}
				if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
					t.Errorf("Accept-Encoding %q: Vary = %q", ae, got)
				}
				if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
					t.Errorf("Content-Length %s, body %d bytes", cl, rec.Body.Len())
				}
				if got := decode(t, rec); !bytes.Equal(got, want) {
					t.Errorf("Accept-Encoding %q: decoded body differs from the plain one", ae)
				}
				if rec.Code != plain.Code {
					t.Errorf("status %d, plain %d", rec.Code, plain.Code)
				}
			}
		})
	}
}

func TestETagsAndNotModified(t *testing.T) {
	s, _ := newTestServer(t)
	for _, path := range []string{"/", "/articles/" + seedSlug, "/feed.xml", s.assets.URL("symptoms.js")} {
		t.Run(path, func(t *testing.T) {
			first := get(t, s, "GET", path, http.Header{"Accept-Encoding": {"br"}})
			etag := first.Header().Get("ETag")
			if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
				t.Fatalf("ETag = %q, want a strong ETag", etag)
			}
			// Each encoding is a representation with its own tag (RFC 9110 §8.8.3).
			if other := get(t, s, "GET", path, http.Header{"Accept-Encoding": {"gzip"}}); other.Header().Get("ETag") == etag {
				t.Errorf("gzip and brotli share the ETag %s", etag)
			}
			s2, _ := newTestServer(t)
			if again := get(t, s2, "GET", path, http.Header{"Accept-Encoding": {"br"}}); again.Header().Get("ETag") != etag {
				t.Errorf("another server gives another ETag: replicas would disagree")
			}
			nm := get(t, s, "GET", path, http.Header{"If-None-Match": {etag}, "Accept-Encoding": {"gzip, br"}})
			if nm.Code != http.StatusNotModified {
				t.Fatalf("If-None-Match with the ETag: status %d, want 304", nm.Code)
			}
			if nm.Body.Len() != 0 || nm.Header().Get("ETag") != etag || nm.Header().Get("Cache-Control") == "" {
				t.Errorf("304: body %d bytes, ETag %q, Cache-Control %q", nm.Body.Len(), nm.Header().Get("ETag"), nm.Header().Get("Cache-Control"))
			}
			if stale := get(t, s, "GET", path, http.Header{"If-None-Match": {`"stale"`}}); stale.Code != http.StatusOK {
				t.Errorf("If-None-Match with another ETag: status %d, want 200", stale.Code)
			}
		})
	}
	if rec := get(t, s, "GET", "/nope", http.Header{"If-None-Match": {"*"}}); rec.Code != http.StatusNotFound {
		t.Errorf("error pages are never 304: status %d", rec.Code)
	}
}

func TestCacheControlByKind(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct{ path, want string }{
		{"/", "public, max-age=300"},
		{"/articles/" + seedSlug, "public, max-age=300"},
		{"/about", "public, max-age=300"},
		{s.assets.URL("site.css"), "public, max-age=31536000, immutable"},
		{s.assets.URL("share.png"), "public, max-age=31536000, immutable"},
		{"/favicon.ico", "public, max-age=86400"},
		{"/sitemap.xml", "public, max-age=3600"},
		{"/symptoms", "public, max-age=300"},
		{"/symptoms/neck-pain", "no-store"},
		{"/symptoms/results?symptom=stiff-neck", "no-store"}, // an old link's redirect
		{"/symptoms/neck-pain/results?symptom=stiff-neck", "no-store"},
		{"/healthz", "no-store"},
		{"/nope", "no-store"},
	}
	for _, tt := range tests {
		if got := get(t, s, "GET", tt.path, nil).Header().Get("Cache-Control"); got != tt.want {
			t.Errorf("%s: Cache-Control = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestHashedAssetNames(t *testing.T) {
	s, _ := newTestServer(t)
	for _, name := range []string{"site.css", "symptoms.js", "share.js", "share.png", "favicon.ico"} {
		url := s.assets.URL(name)
		if rec := get(t, s, "GET", url, nil); rec.Code != 200 {
			t.Errorf("%s: status %d", url, rec.Code)
		}
		if rec := get(t, s, "GET", "/static/"+name, nil); rec.Code != 404 {
			t.Errorf("/static/%s (unhashed): status %d, want 404", name, rec.Code)
		}
		stale := strings.Replace(url, ".", ".0", 1)
		if rec := get(t, s, "GET", stale, nil); rec.Code != 404 {
			t.Errorf("%s (an old hash): status %d, want 404", stale, rec.Code)
		}
	}
}
