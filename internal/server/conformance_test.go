package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
)

// The HTTP rules a CDN, a cache or a proxy in front of the site relies on
// (RFC 9110), checked against the real router behind a real net/http
// server, so that what net/http itself adds or drops (HEAD bodies,
// Content-Length, Connection) is part of what is checked. The README's
// "HTTP conformance" table names these tests.

// conformanceClient sends exactly the headers a case gives: no
// Accept-Encoding of its own, no decompression, no redirects followed.
func conformanceClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// send makes one request. Several values under one key in header go out
// as several header lines, which is how a list split across lines
// (RFC 9110 §5.3) is sent.
func send(t *testing.T, c *http.Client, base, method, target string, header http.Header, body string) (*http.Response, []byte) {
	t.Helper()
	var rb io.Reader
	if body != "" {
		rb = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+target, rb)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, target, err)
	}
	return resp, b
}

// absent, as a wanted header value, means the header must not be sent.
const absent = "(absent)"

func TestHTTPConformance(t *testing.T) {
	s, _ := newTestServer(t)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	c := conformanceClient(t)

	// The tags of the home page in each encoding.
	tagOf := func(ae string) string {
		t.Helper()
		resp, _ := send(t, c, ts.URL, "GET", "/", http.Header{"Accept-Encoding": {ae}}, "")
		return resp.Header.Get("ETag")
	}
	plainTag, gzipTag, brTag := tagOf("identity"), tagOf("gzip"), tagOf("br")

	const (
		allow   = "GET, HEAD"
		results = "/symptoms/neck-pain/results?symptom=stiff-neck"
	)
	tooLong := "/symptoms/neck-pain/results?symptom=" + strings.Repeat("a", 5000)
	tests := []struct {
		name, rule     string
		method, target string
		header         http.Header
		body           string
		wantStatus     int
		want           map[string]string // header: exact value, or absent
		wantNoBody     bool
	}{
		// Methods.
		{name: "POST with a body on a known path", rule: "9110 §15.5.6",
			method: "POST", target: "/symptoms/neck-pain/results", body: "symptom=dizziness",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "POST without a body on a known path", rule: "9110 §15.5.6",
			method: "POST", target: "/symptoms/neck-pain/results",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "PUT with a body", rule: "9110 §15.5.6",
			method: "PUT", target: "/about", body: "x",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "DELETE", rule: "9110 §15.5.6",
			method: "DELETE", target: "/articles/" + seedSlug,
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "PATCH with a body", rule: "9110 §15.5.6",
			method: "PATCH", target: "/articles/" + seedSlug, body: "x",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "TRACE", rule: "9110 §15.5.6",
			method: "TRACE", target: "/",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "OPTIONS on a page", rule: "9110 §15.5.6",
			method: "OPTIONS", target: "/about",
			wantStatus: 405, want: map[string]string{"Allow": allow}},
		{name: "POST with a body on an unknown path", rule: "9110 §15.5.5",
			method: "POST", target: "/no-such-page", body: "x",
			wantStatus: 404},
		{name: "unrecognised method", rule: "9110 §9.1, §15.6.2",
			method: "FOO", target: "/",
			wantStatus: 501, want: map[string]string{"Allow": absent}},
		{name: "unrecognised method with a body", rule: "9110 §9.1, §15.6.2",
			method: "FOO", target: "/about", body: "x",
			wantStatus: 501},
		{name: "method names are case-sensitive", rule: "9110 §9.1",
			method: "get", target: "/",
			wantStatus: 501},
		{name: "GET with a body", rule: "9110 §9.3.1",
			method: "GET", target: "/", body: "hello",
			wantStatus: 400},

		// Conditional requests on a page (status 200).
		{name: "If-None-Match with the tag of the encoding sent", rule: "9110 §13.1.2, §15.4.5",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {plainTag}},
			wantStatus: 304, wantNoBody: true,
			want: map[string]string{"ETag": plainTag, "Cache-Control": "public, max-age=300", "Vary": "Accept-Encoding", "Content-Encoding": absent}},
		{name: "If-None-Match with the brotli tag, brotli accepted", rule: "9110 §13.1.2, §8.8.3",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {brTag}, "Accept-Encoding": {"gzip, br"}},
			wantStatus: 304, wantNoBody: true,
			want: map[string]string{"ETag": brTag, "Cache-Control": "public, max-age=300", "Vary": "Accept-Encoding"}},
		{name: "If-None-Match with the gzip tag from a client that prefers brotli", rule: "9111 §4.3.4",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {gzipTag}, "Accept-Encoding": {"gzip, br"}},
			wantStatus: 304, wantNoBody: true,
			want: map[string]string{"ETag": gzipTag, "Vary": "Accept-Encoding"}},
		{name: "If-None-Match with every tag a cache holds", rule: "9111 §4.3.1",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {`"old", ` + gzipTag + ", " + brTag}, "Accept-Encoding": {"br"}},
			wantStatus: 304, want: map[string]string{"ETag": brTag}},
		{name: "If-None-Match with the tag of an encoding the client refuses", rule: "9110 §13.1.2",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {gzipTag}, "Accept-Encoding": {"br"}},
			wantStatus: 200, want: map[string]string{"ETag": brTag, "Content-Encoding": "br"}},
		{name: "If-None-Match with a compressed tag, no Accept-Encoding", rule: "9110 §12.5.3",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {brTag}},
			wantStatus: 200, want: map[string]string{"ETag": plainTag, "Content-Encoding": absent}},
		{name: "If-None-Match compares weakly", rule: "9110 §13.1.2, §8.8.3.2",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {"W/" + plainTag}},
			wantStatus: 304, want: map[string]string{"ETag": plainTag}},
		{name: "If-None-Match with another tag", rule: "9110 §13.1.2",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {`"stale"`}},
			wantStatus: 200, want: map[string]string{"ETag": plainTag}},
		{name: "If-None-Match split across two lines", rule: "9110 §5.3",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {`"stale"`, plainTag}},
			wantStatus: 304, want: map[string]string{"ETag": plainTag}},
		{name: "If-None-Match: *", rule: "9110 §13.1.2",
			method: "GET", target: "/", header: http.Header{"If-None-Match": {"*"}},
			wantStatus: 304},
		{name: "If-Match with a tag the page never had", rule: "9110 §13.1.1",
			method: "GET", target: "/", header: http.Header{"If-Match": {`"nope"`}},
			wantStatus: 412, wantNoBody: false, want: map[string]string{"ETag": absent}},
		{name: "If-Match with the current tag", rule: "9110 §13.1.1",
			method: "GET", target: "/", header: http.Header{"If-Match": {plainTag}},
			wantStatus: 200, want: map[string]string{"ETag": plainTag}},
		{name: "If-Match: *", rule: "9110 §13.1.1",
			method: "GET", target: "/", header: http.Header{"If-Match": {"*"}},
			wantStatus: 200},
		{name: "If-Match compares strongly", rule: "9110 §13.1.1, §8.8.3.2",
			method: "GET", target: "/", header: http.Header{"If-Match": {"W/" + plainTag}},
			wantStatus: 412},
		{name: "If-Match with another encoding's tag", rule: "9110 §13.1.1, §8.8.3",
			method: "GET", target: "/", header: http.Header{"If-Match": {gzipTag}, "Accept-Encoding": {"br"}},
			wantStatus: 412},
		{name: "If-Match split across two lines", rule: "9110 §5.3",
			method: "GET", target: "/", header: http.Header{"If-Match": {`"nope"`, brTag}, "Accept-Encoding": {"br"}},
			wantStatus: 200, want: map[string]string{"ETag": brTag}},
		{name: "If-Match is evaluated before If-None-Match", rule: "9110 §13.2.2",
			method: "GET", target: "/", header: http.Header{"If-Match": {`"nope"`}, "If-None-Match": {plainTag}},
			wantStatus: 412},
		{name: "If-Match true, then If-None-Match", rule: "9110 §13.2.2",
			method: "GET", target: "/", header: http.Header{"If-Match": {plainTag}, "If-None-Match": {plainTag}},
			wantStatus: 304},
		{name: "HEAD with a failing If-Match", rule: "9110 §13.2.2",
			method: "HEAD", target: "/", header: http.Header{"If-Match": {`"nope"`}},
			wantStatus: 412, wantNoBody: true},
		{name: "HEAD with a matching If-None-Match", rule: "9110 §13.2.2",
			method: "HEAD", target: "/", header: http.Header{"If-None-Match": {plainTag}},
			wantStatus: 304, wantNoBody: true, want: map[string]string{"ETag": plainTag}},
		{name: "If-Unmodified-Since is ignored: no Last-Modified", rule: "9110 §13.1.4",
			method: "GET", target: "/", header: http.Header{"If-Unmodified-Since": {"Sat, 01 Jan 2000 00:00:00 GMT"}},
			wantStatus: 200, want: map[string]string{"Last-Modified": absent}},
		{name: "If-Modified-Since is ignored: no Last-Modified", rule: "9110 §13.1.3",
			method: "GET", target: "/", header: http.Header{"If-Modified-Since": {"Fri, 01 Jan 2100 00:00:00 GMT"}},
			wantStatus: 200},
		{name: "preconditions are ignored on a 404", rule: "9110 §13.2.1",
			method: "GET", target: "/nope", header: http.Header{"If-Match": {`"nope"`}, "If-None-Match": {"*"}},
			wantStatus: 404, want: map[string]string{"ETag": absent}},
		{name: "preconditions are ignored on a 405", rule: "9110 §13.2.1",
			method: "POST", target: "/about", header: http.Header{"If-Match": {`"nope"`}},
			wantStatus: 405},

		// Content codings.
		{name: "Accept-Encoding split across two lines", rule: "9110 §5.3, §12.5.3",
			method: "GET", target: "/", header: http.Header{"Accept-Encoding": {"deflate", "gzip"}},
			wantStatus: 200, want: map[string]string{"Content-Encoding": "gzip", "ETag": gzipTag, "Vary": "Accept-Encoding"}},
		{name: "a q-value on the second line wins", rule: "9110 §5.3, §12.5.3",
			method: "GET", target: "/", header: http.Header{"Accept-Encoding": {"gzip;q=0.5", "br;q=0.9"}},
			wantStatus: 200, want: map[string]string{"Content-Encoding": "br", "ETag": brTag}},

		// Every response at the results address withholds the referrer:
		// the address holds the answers.
		{name: "result", rule: "privacy", method: "GET", target: results,
			wantStatus: 200, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "unreadable result link", rule: "privacy", method: "GET", target: "/symptoms/neck-pain/results?symptom=%ff",
			wantStatus: 400, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "result link too long", rule: "privacy", method: "GET", target: tooLong,
			wantStatus: 414, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "POST to results", rule: "privacy", method: "POST", target: results, body: "symptom=dizziness",
			wantStatus: 405, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "unknown method at results", rule: "privacy", method: "FOO", target: results,
			wantStatus: 501, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "form with answers ticked", rule: "privacy", method: "GET", target: "/symptoms?symptom=%ff",
			wantStatus: 400, want: map[string]string{"Referrer-Policy": "no-referrer"}},
		{name: "other pages keep the default policy", rule: "privacy", method: "GET", target: "/symptoms-not",
			wantStatus: 404, want: map[string]string{"Referrer-Policy": "strict-origin-when-cross-origin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, c, ts.URL, tt.method, tt.target, tt.header, tt.body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s: status = %d, want %d (RFC %s)", tt.method, tt.target, resp.StatusCode, tt.wantStatus, tt.rule)
			}
			for k, want := range tt.want {
				got, ok := resp.Header[http.CanonicalHeaderKey(k)]
				switch {
				case want == absent && ok:
					t.Errorf("%s = %q, want none (RFC %s)", k, got, tt.rule)
				case want != absent && (len(got) != 1 || got[0] != want):
					t.Errorf("%s = %q, want %q (RFC %s)", k, got, want, tt.rule)
				}
			}
			if tt.wantNoBody && len(body) != 0 {
				t.Errorf("%d bytes of body, want none (RFC %s)", len(body), tt.rule)
			}
			if !tt.wantNoBody && tt.method != "HEAD" && resp.StatusCode != http.StatusNotModified && len(body) == 0 {
				t.Errorf("empty body, want a page")
			}
			if resp.StatusCode == http.StatusNotModified && len(body) != 0 {
				t.Errorf("304 with %d bytes of body", len(body))
			}
		})
	}

	t.Run("each encoding has its own strong ETag, the same on every replica", func(t *testing.T) {
		s2, _ := newTestServer(t)
		replica := httptest.NewServer(s2)
		t.Cleanup(replica.Close)
		for _, target := range []string{"/", "/articles/" + seedSlug, "/feed.xml", s.assets.URL("site.css"), results} {
			seen := map[string]string{}
			for _, ae := range []string{"identity", "gzip", "br"} {
				resp, _ := send(t, c, ts.URL, "GET", target, http.Header{"Accept-Encoding": {ae}}, "")
				tag := resp.Header.Get("ETag")
				if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 10 {
					t.Errorf("%s, %s: ETag = %q, want a strong tag", target, ae, tag)
				}
				if enc := resp.Header.Get("Content-Encoding"); enc != strings.TrimPrefix(ae, "identity") {
					t.Fatalf("%s, %s: Content-Encoding = %q", target, ae, enc)
				}
				if other, ok := seen[tag]; ok {
					t.Errorf("%s: %s and %s share the ETag %s", target, other, ae, tag)
				}
				seen[tag] = ae
				if again, _ := send(t, c, replica.URL, "GET", target, http.Header{"Accept-Encoding": {ae}}, ""); again.Header.Get("ETag") != tag {
					t.Errorf("%s, %s: a replica sends ETag %s, this server %s", target, ae, again.Header.Get("ETag"), tag)
				}
			}
		}
	})

	// Every kind of compressible response: pages, site files, assets,
	// results, the 422 form, and error pages.
	targets := []struct{ method, target string }{
		{"GET", "/"}, {"GET", "/about"}, {"GET", "/articles/" + seedSlug}, {"GET", "/sitemap.xml"},
		{"GET", "/feed.xml"}, {"GET", "/robots.txt"}, {"GET", s.assets.URL("site.css")},
		{"GET", s.assets.URL("symptoms.js")}, {"GET", "/symptoms"}, {"GET", results},
		{"GET", "/symptoms/neck-pain/results?symptom=none&symptom=dizziness"}, // 422
		{"GET", "/nope"}, {"GET", "/articles/%ff"}, {"GET", tooLong}, {"POST", "/about"}, {"FOO", "/"},
	}
	t.Run("HEAD equals GET without the body", func(t *testing.T) {
		for _, tt := range append(targets, struct{ method, target string }{"GET", "/healthz"}, struct{ method, target string }{"GET", "/favicon.ico"}) {
			if tt.method != "GET" {
				continue // HEAD is the GET of the same target
			}
			for _, ae := range []string{"", "gzip", "br"} {
				h := http.Header{"Accept-Encoding": {ae}}
				get, getBody := send(t, c, ts.URL, "GET", tt.target, h, "")
				head, headBody := send(t, c, ts.URL, "HEAD", tt.target, h, "")
				if head.StatusCode != get.StatusCode {
					t.Errorf("%s (%q): HEAD status %d, GET %d", tt.target, ae, head.StatusCode, get.StatusCode)
				}
				if len(headBody) != 0 {
					t.Errorf("%s (%q): HEAD sent %d bytes of body", tt.target, ae, len(headBody))
				}
				if len(getBody) == 0 {
					t.Errorf("%s (%q): GET sent no body", tt.target, ae)
				}
				for k := range mergeKeys(get.Header, head.Header) {
					if k == "Date" || strings.HasPrefix(k, "X-Ratelimit-") {
						continue // the clock, and the rate limiter counting requests
					}
					if g, h := strings.Join(get.Header[k], ", "), strings.Join(head.Header[k], ", "); g != h {
						t.Errorf("%s (%q): %s: GET %q, HEAD %q", tt.target, ae, k, g, h)
					}
				}
			}
		}
	})

	t.Run("Vary: Accept-Encoding on every compressible response", func(t *testing.T) {
		for _, tt := range targets {
			for _, h := range []http.Header{nil, {"Accept-Encoding": {"gzip, br"}}} {
				resp, _ := send(t, c, ts.URL, tt.method, tt.target, h, "")
				if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
					t.Errorf("%s %s (Accept-Encoding %q): status %d, Vary = %q, want Accept-Encoding", tt.method, tt.target, h.Get("Accept-Encoding"), resp.StatusCode, got)
				}
			}
		}
	})

	t.Run("a 304 keeps the headers a 200 would send", func(t *testing.T) {
		for _, target := range []string{"/", "/articles/" + seedSlug, "/sitemap.xml", s.assets.URL("site.css"), "/favicon.ico"} {
			for _, ae := range []string{"", "gzip", "br"} {
				h := http.Header{"Accept-Encoding": {ae}}
				ok, _ := send(t, c, ts.URL, "GET", target, h, "")
				h["If-None-Match"] = []string{ok.Header.Get("ETag")}
				nm, body := send(t, c, ts.URL, "GET", target, h, "")
				if nm.StatusCode != http.StatusNotModified || len(body) != 0 {
					t.Fatalf("%s (%q): status %d with %d bytes, want 304 and none", target, ae, nm.StatusCode, len(body))
				}
				for _, k := range []string{"Etag", "Cache-Control", "Vary"} {
					if g, n := strings.Join(ok.Header[k], ", "), strings.Join(nm.Header[k], ", "); g != n {
						t.Errorf("%s (%q): %s: 200 %q, 304 %q", target, ae, k, g, n)
					}
				}
				if nm.Header.Get("Content-Encoding") != "" {
					t.Errorf("%s (%q): a 304 names a Content-Encoding", target, ae)
				}
			}
		}
	})

	t.Run("429 at the results address withholds the referrer", func(t *testing.T) {
		site, err := content.Load(articles.FS)
		if err != nil {
			t.Fatal(err)
		}
		limited, err := New(site, Config{BaseURL: testBase, RateLimit: RateLimit{Requests: 1, Window: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(limited.Close)
		lts := httptest.NewServer(limited)
		t.Cleanup(lts.Close)
		send(t, c, lts.URL, "GET", results, nil, "")
		resp, _ := send(t, c, lts.URL, "GET", results, nil, "")
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status = %d, want 429", resp.StatusCode)
		}
		if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy = %q, want no-referrer", got)
		}
	})
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
