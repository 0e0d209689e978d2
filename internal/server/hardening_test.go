package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
)

// checkFriendly fails if a response body leaks a stack trace or echoes
// markup from the request.
func checkFriendly(t *testing.T, body string) {
	t.Helper()
	for _, leak := range []string{"goroutine ", "panic:", "runtime/", "<script>alert", "<b>x</b>", "go.mod", "module healthsite"} {
		if strings.Contains(body, leak) {
			t.Errorf("response body contains %q", leak)
		}
	}
}

func TestHostileRequestsThroughTheRouter(t *testing.T) {
	s, _ := newTestServer(t)
	long := strings.Repeat("a", 9000)
	tests := []struct {
		name   string
		method string
		target string
		body   string
		want   int
	}{
		{"dot-dot out of static", "GET", "/static/../go.mod", "", 404},
		{"encoded dot-dot", "GET", "/static/%2e%2e/go.mod", "", 404},
		{"encoded dot-dot as one segment", "GET", "/static/%2e%2e%2fgo.mod", "", 404},
		{"encoded slash in a slug", "GET", "/articles/neck%2fpain", "", 404},
		{"backslash trick", "GET", "/static/..%5cgo.mod", "", 404},
		{"NUL byte", "GET", "/articles/neck%00pain", "", 400},
		{"invalid UTF-8", "GET", "/articles/%ff%fe", "", 400},
		{"very long slug", "GET", "/articles/" + strings.Repeat("x", 4000), "", 404},
		{"URL over the limit", "GET", "/articles/" + long, "", 414},
		{"query over the limit", "GET", "/symptoms/neck-pain/results?symptom=" + strings.Repeat("a", 5000), "", 414},
		{"markup in the path", "GET", "/%3Cscript%3Ealert(1)%3C/script%3E", "", 404},
		{"markup in a slug", "GET", "/articles/%3Cb%3Ex%3C%2Fb%3E", "", 404},
		{"body on a GET", "GET", "/", "hello", 400},
		{"body on a result", "GET", "/symptoms/neck-pain/results?symptom=stiff-neck", "symptom=x", 400},
		{"POST with a body", "POST", "/symptoms/neck-pain/results", "symptom=x", 405},
		{"TRACE", "TRACE", "/", "", 405},
		{"static file by its plain name", "GET", "/static/site.css", "", 404},
		{"go source through static", "GET", "/static/embed.go", "", 404},
		{"directory listing", "GET", "/static/", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.target, body)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q, want the friendly HTML page", ct)
			}
			checkFriendly(t, rec.Body.String())
		})
	}
}

// startListener serves s on a real loopback listener with the given limits.
func startListener(t *testing.T, h http.Handler, timeouts Timeouts, maxHeaderBytes int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer("", h, timeouts, maxHeaderBytes, slog.New(slog.DiscardHandler))
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

func TestLimitsOnARealListener(t *testing.T) {
	s, _ := newTestServer(t)
	addr := startListener(t, s, DefaultTimeouts, DefaultMaxHeaderBytes)
	get := func(target string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+target, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	t.Run("headers over MaxHeaderBytes", func(t *testing.T) {
		resp, body := get("/", http.Header{"X-Big": {strings.Repeat("b", 24<<10)}})
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status = %d, want 431", resp.StatusCode)
		}
		checkFriendly(t, body)
	})
	t.Run("URL over the limit", func(t *testing.T) {
		resp, body := get("/articles/"+strings.Repeat("x", 5000)+"?q="+strings.Repeat("y", 5000), nil)
		if resp.StatusCode != http.StatusRequestURITooLong {
			t.Errorf("status = %d, want 414", resp.StatusCode)
		}
		checkFriendly(t, body)
	})
	t.Run("normal request still works", func(t *testing.T) {
		if resp, _ := get("/healthz", nil); resp.StatusCode != 200 {
			t.Errorf("status = %d", resp.StatusCode)
		}
	})
}

// A client that sends its headers slower than ReadHeaderTimeout is cut off
// and does not hold up anyone else.
func TestSlowlorisIsCutOff(t *testing.T) {
	s, _ := newTestServer(t)
	timeouts := DefaultTimeouts
	timeouts.ReadHeader = 300 * time.Millisecond
	addr := startListener(t, s, timeouts, DefaultMaxHeaderBytes)

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1")); err != nil {
		t.Fatal(err)
	}
	// Meanwhile another reader is served.
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a normal request during the slow one: %v %v", resp, err)
	}
	resp.Body.Close()

	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	// Keep dribbling header bytes, as slowloris does, until the server hangs up.
	closed := false
	for i := 0; i < 40 && !closed; i++ {
		time.Sleep(100 * time.Millisecond)
		if _, err := conn.Write([]byte("a")); err != nil {
			closed = true
		}
	}
	if !closed {
		// The server may have answered 408 before closing; either way the
		// connection must be over, not merely silent.
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		_, err := io.ReadAll(conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the slow client's connection is still open")
		}
	}
	if waited := time.Since(start); waited > 4*time.Second {
		t.Errorf("slow client was held for %v", waited)
	}
}

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	s, _ := newTestServer(t) // https base URL
	cssURL := s.assets.URL("site.css")
	targets := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/articles/" + seedSlug}, {"GET", "/symptoms"}, {"GET", "/symptoms/neck-pain"},
		{"GET", "/symptoms/neck-pain/results?symptom=stiff-neck"}, {"GET", "/symptoms/neck-pain/results"},
		{"GET", "/symptoms/results?symptom=stiff-neck"}, {"GET", "/symptoms/results?symptom=gone"},
		{"GET", cssURL}, {"GET", "/favicon.ico"}, {"GET", "/healthz"}, {"GET", "/sitemap.xml"},
		{"GET", "/nope"}, {"POST", "/"}, {"GET", "/articles/%ff"}, {"HEAD", "/about"},
		{"GET", "/articles"}, {"GET", "/topics/neck"}, {"GET", "/search?q=neck"}, {"GET", "/opensearch.xml"},
	}
	for _, tt := range targets {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := do(t, s, tt.method, tt.path)
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe code: %q", csp)
			}
			checks := map[string]string{
				"X-Content-Type-Options":     "nosniff",
				"Cross-Origin-Opener-Policy": "same-origin",
				"Strict-Transport-Security":  "max-age=63072000; includeSubDomains",
			}
			for k, want := range checks {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") || !strings.Contains(pp, "microphone=()") {
				t.Errorf("Permissions-Policy = %q", pp)
			}
			wantReferrer := "strict-origin-when-cross-origin"
			if strings.HasPrefix(tt.path, "/symptoms") || strings.HasPrefix(tt.path, "/search") {
				// The address can hold health data: old links to the form
				// carry answers at /symptoms itself, searches their words.
				wantReferrer = "no-referrer"
			}
			if got := h.Get("Referrer-Policy"); got != wantReferrer {
				t.Errorf("Referrer-Policy = %q, want %q", got, wantReferrer)
			}
		})
	}
	t.Run("no HSTS over plain http", func(t *testing.T) {
		site, _ := content.Load(articles.FS)
		plain, err := New(site, Config{BaseURL: "http://localhost:8080"})
		if err != nil {
			t.Fatal(err)
		}
		if got := do(t, plain, "GET", "/").Header().Get("Strict-Transport-Security"); got != "" {
			t.Errorf("HSTS = %q on an http site", got)
		}
	})
}

func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	s, _ := newTestServer(t)
	for _, path := range []string{"/", "/about", "/articles/" + seedSlug, "/symptoms", "/symptoms/neck-pain", "/symptoms/neck-pain/results?symptom=dizziness", "/symptoms/neck-pain/results", "/symptoms/results?symptom=gone", "/nope"} {
		body := do(t, s, "GET", path).Body.String()
		for _, bad := range []string{"<style", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q, which the CSP would block", path, bad)
			}
		}
		for _, m := range strings.Split(body, "<script")[1:] {
			if !strings.HasPrefix(m, ` src="/static/`) && !strings.HasPrefix(m, ` type="application/ld+json"`) {
				t.Errorf("%s has an inline script: <script%.60s", path, m)
			}
		}
	}
}

func TestRateLimitOnResults(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	newServer := func(trusted []string) *Server {
		s, err := New(site, Config{BaseURL: testBase, RateLimit: RateLimit{Requests: 3, Window: time.Minute, TrustedProxies: trusted}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	get := func(s *Server, remote, xff string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/symptoms/neck-pain/results?symptom=stiff-neck", nil)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}

	t.Run("over the limit gets a friendly 429", func(t *testing.T) {
		s := newServer(nil)
		for i := 0; i < 3; i++ {
			if rec := get(s, "203.0.113.5:1000", ""); rec.Code != 200 {
				t.Fatalf("request %d: status %d", i+1, rec.Code)
			}
		}
		rec := get(s, "203.0.113.5:1001", "")
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("4th request: status %d, want 429", rec.Code)
		}
		if rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if !strings.Contains(rec.Body.String(), "you have asked for results too often") {
			t.Error("429 page is not the friendly page")
		}
		if rec := get(s, "203.0.113.6:1000", ""); rec.Code != 200 {
			t.Errorf("another client: status %d, want 200", rec.Code)
		}
		if rec := do(t, s, "GET", "/articles/"+seedSlug); rec.Code != 200 {
			t.Errorf("articles are not rate limited: status %d", rec.Code)
		}
	})
	t.Run("X-Forwarded-For is ignored without trusted proxies", func(t *testing.T) {
		s := newServer(nil)
		for i := 0; i < 3; i++ {
			get(s, "203.0.113.5:1000", "198.51.100."+string(rune('1'+i)))
		}
		if rec := get(s, "203.0.113.5:1000", "198.51.100.9"); rec.Code != http.StatusTooManyRequests {
			t.Errorf("a forged X-Forwarded-For escaped the limit: status %d", rec.Code)
		}
	})
	t.Run("X-Forwarded-For from a trusted proxy names the client", func(t *testing.T) {
		s := newServer([]string{"192.0.2.1/32"})
		for i := 0; i < 3; i++ {
			get(s, "192.0.2.1:5000", "198.51.100.1")
		}
		if rec := get(s, "192.0.2.1:5000", "198.51.100.1"); rec.Code != http.StatusTooManyRequests {
			t.Errorf("the same client behind the proxy: status %d, want 429", rec.Code)
		}
		if rec := get(s, "192.0.2.1:5000", "198.51.100.2"); rec.Code != 200 {
			t.Errorf("another client behind the proxy: status %d, want 200", rec.Code)
		}
	})
	t.Run("bad proxy prefix is refused", func(t *testing.T) {
		if _, err := New(site, Config{BaseURL: testBase, RateLimit: RateLimit{Requests: 1, Window: time.Second, TrustedProxies: []string{"not-a-cidr"}}}); err == nil {
			t.Error("accepted a trusted proxy that is not a CIDR prefix")
		}
	})
}

// What a reader ticks is health data: it must never reach the log.
func TestResultQueryNeverLogged(t *testing.T) {
	s, logs := newTestServer(t)
	for _, target := range []string{
		"/symptoms/neck-pain/results?symptom=dizziness&symptom=arm-numbness",
		"/symptoms/neck-pain?symptom=dizziness&symptom=arm-numbness",
		"/symptoms/neck-pain/results?symptom=none&symptom=dizziness&symptom=arm-numbness", // 422
		"/symptoms/neck-pain/results?symptom=%ff-dizziness-arm-numbness",                  // 400
		"/symptoms/results?symptom=dizziness&symptom=arm-numbness",                        // 301, an old link
		"/symptoms?symptom=dizziness&symptom=arm-numbness",                                // 301, an old link
		"/symptoms/results?symptom=dizziness&symptom=gone-arm-numbness",                   // 422, an old link
	} {
		do(t, s, "GET", target)
	}
	s.router.(interface {
		Get(string, http.HandlerFunc)
	}).Get("/boom-symptoms", func(http.ResponseWriter, *http.Request) { panic("boom") })
	do(t, s, "GET", "/boom-symptoms?symptom=dizziness&symptom=arm-numbness")
	s.FlushLogs()

	out := logs.String()
	if !strings.Contains(out, `"path":"/symptoms/neck-pain/results"`) {
		t.Fatalf("the results request was not logged at all:\n%s", out)
	}
	for _, secret := range []string{"dizziness", "arm-numbness", "symptom="} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q:\n%s", secret, out)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ Path string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line is not JSON: %v", err)
		}
		if strings.Contains(line.Path, "?") {
			t.Errorf("a logged path contains a query string: %s", line.Path)
		}
	}
}
