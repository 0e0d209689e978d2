package prepared

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header         string
		canGzip, canBr bool
		want           encoding
	}{
		{"", true, true, identity},
		{"gzip", true, true, gzipEnc},
		{"gzip, deflate, br", true, true, brotliEnc},
		{"gzip, deflate, br, zstd", true, true, brotliEnc},
		{"br;q=0.5, gzip", true, true, gzipEnc},
		{"br;q=0, gzip;q=0", true, true, identity},
		{"gzip;q=0", true, true, identity},
		{"*", true, true, brotliEnc},
		{"*;q=0.5, gzip", true, true, gzipEnc},
		{"identity", true, true, identity},
		{"identity;q=0, gzip", true, true, gzipEnc},
		{"identity;q=0, *;q=0", true, true, identity}, // nothing acceptable: identity anyway
		{"GZIP", true, true, gzipEnc},
		{"x-gzip", true, true, gzipEnc},
		{"br", true, false, identity},
		{"br, gzip", true, false, gzipEnc},
		{"br, gzip", false, false, identity},
		{"gzip;q=abc, br;q=0.1", true, true, brotliEnc},
		{"gzip;q=2", true, true, identity},
		{"deflate", true, true, identity},
		{" gzip ; q=0.8 , br ; q=0.9 ", true, true, brotliEnc},
	}
	for _, tt := range tests {
		if got := negotiate(tt.header, tt.canGzip, tt.canBr); got != tt.want {
			t.Errorf("negotiate(%q, gzip=%v, br=%v) = %s, want %s", tt.header, tt.canGzip, tt.canBr, encodingNames[got], encodingNames[tt.want])
		}
	}
}

func TestETagMatches(t *testing.T) {
	const etag = `"abc123"`
	for header, want := range map[string]bool{
		`"abc123"`:           true,
		`W/"abc123"`:         true,
		`"x", "abc123"`:      true,
		`*`:                  true,
		`"abc12"`:            false,
		``:                   false,
		`abc123`:             false,
		`"abc123-gzip", "y"`: false,
	} {
		if got := etagMatches(header, etag); got != want {
			t.Errorf("etagMatches(%q) = %v, want %v", header, got, want)
		}
	}
}

// A body too small to gain from compression is sent as it is, whatever
// the client prefers, and nothing else changes about the response.
func TestIncompressibleBodyIsSentAsItIs(t *testing.T) {
	p := New(http.StatusOK, "text/plain; charset=utf-8", "no-store", []byte("ok\n"))
	for _, ae := range []string{"br", "gzip", "br, gzip;q=0.5", "*"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", ae)
		p.Serve(rec, req)
		if got := rec.Header().Get("Content-Encoding"); got != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want none", ae, got)
		}
		if got := rec.Body.String(); got != "ok\n" {
			t.Errorf("Accept-Encoding %q: body = %q, want %q", ae, got, "ok\n")
		}
		if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q", ae, got)
		}
	}
}

// Only the encoding a client asks for is made: a page rendered for one
// reader's answers is compressed once, not twice.
func TestOnlyTheRequestedEncodingIsMade(t *testing.T) {
	p := New(http.StatusOK, "text/html; charset=utf-8", "no-store", bytes.Repeat([]byte("<p>neck pain</p>\n"), 200))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	p.Serve(rec, req)
	if got := rec.Header().Get("Content-Encoding"); got != "br" {
		t.Fatalf("Content-Encoding = %q, want br", got)
	}
	if p.variants[gzipEnc].body != nil {
		t.Error("gzip was made although the client was sent brotli")
	}
	p.EncodeAll()
	if p.variants[gzipEnc].body == nil || p.variants[brotliEnc].body == nil {
		t.Error("encodeAll did not make both encodings")
	}
}
