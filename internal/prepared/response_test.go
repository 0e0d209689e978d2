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
		var lines []string
		if tt.header != "" {
			lines = []string{tt.header}
		}
		if got := negotiate(lines, tt.canGzip, tt.canBr); got != tt.want {
			t.Errorf("negotiate(%q, gzip=%v, br=%v) = %s, want %s", tt.header, tt.canGzip, tt.canBr, encodingNames[got], encodingNames[tt.want])
		}
	}
}

// A list may arrive split across several header lines; they are one list
// (RFC 9110 §5.3).
func TestNegotiateReadsEveryLine(t *testing.T) {
	tests := []struct {
		lines []string
		want  encoding
	}{
		{[]string{"deflate", "gzip"}, gzipEnc},
		{[]string{"gzip;q=0.5", "br;q=0.9"}, brotliEnc},
		{[]string{"br", "br;q=0"}, brotliEnc}, // a coding named twice keeps its highest weight
		{[]string{"gzip", "*;q=0"}, gzipEnc},
		{[]string{"", "gzip"}, gzipEnc},
		{[]string{"identity", ""}, identity},
	}
	for _, tt := range tests {
		if got := negotiate(tt.lines, true, true); got != tt.want {
			t.Errorf("negotiate(%q) = %s, want %s", tt.lines, encodingNames[got], encodingNames[tt.want])
		}
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		lines                 []string
		identity, gzip, brotl bool
	}{
		{nil, true, false, false}, // no header: what negotiate sends, identity
		{[]string{"gzip"}, true, true, false},
		{[]string{"gzip", "br"}, true, true, true},
		{[]string{"br;q=0, gzip;q=0"}, true, false, false},
		{[]string{"*"}, true, true, true},
		{[]string{"*;q=0", "br"}, false, false, true},
		{[]string{"identity;q=0, gzip"}, false, true, false},
	}
	for _, tt := range tests {
		for enc, want := range map[encoding]bool{identity: tt.identity, gzipEnc: tt.gzip, brotliEnc: tt.brotl} {
			if got := accepts(tt.lines, enc); got != want {
				t.Errorf("accepts(%q, %s) = %v, want %v", tt.lines, encodingNames[enc], got, want)
			}
		}
	}
}

func TestETagListMatches(t *testing.T) {
	const tag = `"abc123"`
	tests := []struct {
		lines        []string
		weak, strong bool
	}{
		{[]string{`"abc123"`}, true, true},
		{[]string{`W/"abc123"`}, true, false},
		{[]string{`"x", "abc123"`}, true, true},
		{[]string{`"x",W/"abc123"`}, true, false},
		{[]string{`*`}, true, true},
		{[]string{` * `}, true, true},
		{[]string{`"abc12"`}, false, false},
		{[]string{``}, false, false},
		{nil, false, false},
		{[]string{`abc123`}, false, false}, // not quoted: not a tag
		{[]string{`"abc123-gzip", "y"`}, false, false},
		{[]string{`"x"`, `"abc123"`}, true, true}, // split across lines (RFC 9110 §5.3)
		{[]string{`"x"`, ``, `W/"abc123"`}, true, false},
		{[]string{`"a,b", "abc123"`}, true, true}, // a comma inside a tag
		{[]string{`"a,"abc123"`}, false, false},   // ...is read as part of that tag
		{[]string{`"abc123`}, false, false},       // unterminated
		{[]string{`junk "abc123"`}, false, false}, // not a list of tags
		{[]string{`junk, "abc123"`}, true, true},  // a bad element does not hide a good one
		{[]string{`,, ,"abc123",,`}, true, true},  // empty elements (RFC 9110 §5.6.1)
		{[]string{`"abc123"x, "y"`}, true, true},  // trailing junk after a tag
		{[]string{`w/"abc123"`}, false, false},    // W/ is case-sensitive
	}
	for _, tt := range tests {
		if got := etagListMatches(tt.lines, tag, weak); got != tt.weak {
			t.Errorf("weak match of %q: %v, want %v", tt.lines, got, tt.weak)
		}
		if got := etagListMatches(tt.lines, tag, strong); got != tt.strong {
			t.Errorf("strong match of %q: %v, want %v", tt.lines, got, tt.strong)
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

// A page is compressed only in encodings its readers take, each once. A
// page read once costs one gzip; brotli, seven times dearer, is made when
// a second reader prefers it, and only for clients that can take it.
func TestEncodingsAreMadeOnlyAsReadersNeedThem(t *testing.T) {
	p := New(http.StatusOK, "text/html; charset=utf-8", "no-store", bytes.Repeat([]byte("<p>neck pain</p>\n"), 200))
	serve := func(ae string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", ae)
		p.Serve(rec, req)
		return rec.Header().Get("Content-Encoding")
	}
	if got := serve("gzip, br"); got != "gzip" {
		t.Fatalf("first reader: Content-Encoding = %q, want gzip", got)
	}
	if p.variants[brotliEnc].body != nil {
		t.Fatal("brotli was made for a page read once")
	}
	if got := serve("gzip, br"); got != "br" {
		t.Fatalf("second reader preferring brotli: Content-Encoding = %q, want br", got)
	}
	if got := serve("gzip, br"); got != "br" {
		t.Errorf("third reader: Content-Encoding = %q, want br", got)
	}

	brOnly := New(http.StatusOK, "text/html; charset=utf-8", "no-store", bytes.Repeat([]byte("<p>neck pain</p>\n"), 200))
	p = brOnly
	if got := serve("br"); got != "br" {
		t.Errorf("a client taking only brotli: Content-Encoding = %q, want br", got)
	}
	if brOnly.variants[gzipEnc].body != nil {
		t.Error("gzip was made although the client was sent brotli")
	}

	p.EncodeAll()
	if p.variants[gzipEnc].body == nil || p.variants[brotliEnc].body == nil {
		t.Error("EncodeAll did not make both encodings")
	}
}

// FuzzHeaderLists reads arbitrary If-Match, If-None-Match and
// Accept-Encoding values: nothing may panic or loop, and a tag that is
// matched strongly is matched weakly too.
func FuzzHeaderLists(f *testing.F) {
	for _, seed := range []string{`"abc123"`, `W/"abc123", "x"`, `*`, `"a,b", "abc123"`, `"`, `W/`, `W/"`, `,,`, `gzip;q=0.5, br;q=1`, `*;q=0`, ` ; q= , ;`} {
		f.Add(seed, `"abc123"`)
	}
	f.Fuzz(func(t *testing.T, header, tag string) {
		lines := []string{header, header}
		if etagListMatches(lines, tag, strong) && !etagListMatches(lines, tag, weak) {
			t.Errorf("%q matches %q strongly but not weakly", header, tag)
		}
		negotiate(lines, true, true)
		accepts(lines, gzipEnc)
	})
}
