package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"healthsite/internal/coalesce"
)

// Tests over raw TCP connections, for what an http.Client would not send
// or would hide: request framing, and whether the server keeps a
// connection open.

// listen serves h with NewHTTPServer on a loopback listener, wrapped as
// cmd/healthsite wraps it when coalescing.
func listen(t *testing.T, h http.Handler, maxHeaderBytes int, coalescing bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if coalescing {
		ln = coalesce.Listener(ln)
	}
	srv := NewHTTPServer("", h, DefaultTimeouts, maxHeaderBytes, slog.New(slog.DiscardHandler))
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// exchange writes raw on a new connection and reads the first response.
// reused reports whether the server then answered a second request on
// the same connection (raw ends with one); the test fails if the
// connection neither answers nor closes.
func exchange(t *testing.T, addr, raw string) (first *http.Response, reused *http.Response) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Only so that a broken server cannot hang the test; nothing is
	// measured against it.
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	first, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the first response: %v", err)
	}
	if _, err := io.Copy(io.Discard, first.Body); err != nil {
		t.Fatalf("reading the first body: %v", err)
	}
	first.Body.Close()
	second, err := http.ReadResponse(br, nil)
	switch {
	case err == nil:
		second.Body.Close()
		return first, second
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return first, nil // closed
	default:
		t.Fatalf("after the first response the connection neither answered nor closed: %v", err)
		return nil, nil
	}
}

// The next request on the same connection, sent right behind the one
// under test: if the server reads it, the connection was reused.
const next = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

func TestRequestFramingOnTheWire(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct {
		name, rule string
		raw        string
		wantStatus int
		wantClosed bool
	}{
		{"Content-Length and Transfer-Encoding: 400 and close", "9112 §6.1, §6.3",
			"POST /symptoms/results HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next,
			400, true},
		{"the same on a GET", "9112 §6.1, §6.3",
			"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next,
			400, true},
		// net/http drops Content-Length when Transfer-Encoding is present
		// before a handler runs, so a chunked body alone is treated the
		// same way: no route takes a body.
		{"a chunked body: 400 and close", "9112 §6.1",
			"POST /about HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + next,
			400, true},
		// On HTTP/1.0 net/http ignores Transfer-Encoding and drops it,
		// framing by Content-Length; the framing must be treated as
		// faulty, so any HTTP/1.0 body closes the connection.
		{"HTTP/1.0 keep-alive with both: close", "9112 §6.1",
			"POST /about HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next,
			405, true},
		{"two different Content-Lengths (net/http)", "9112 §6.3",
			"POST /about HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello" + next,
			400, true},
		{"a transfer coding other than chunked (net/http)", "9112 §6.1",
			"POST /about HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + next,
			501, true},
		// Controls: the connection is closed only when framing is in doubt.
		{"a body with Content-Length alone: 405, connection kept", "9110 §15.5.6, 9112 §6.2",
			"POST /symptoms/results HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\nsymptom=dizziness" + next,
			405, false},
		{"a plain GET: connection kept", "9112 §9.3",
			"GET /about HTTP/1.1\r\nHost: x\r\n\r\n" + next,
			200, false},
	}
	for _, coalescing := range []bool{false, true} {
		addr := listen(t, s, DefaultMaxHeaderBytes, coalescing)
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/coalescing=%v", tt.name, coalescing), func(t *testing.T) {
				first, second := exchange(t, addr, tt.raw)
				if first.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d (RFC %s)", first.StatusCode, tt.wantStatus, tt.rule)
				}
				if first.Close != tt.wantClosed {
					t.Errorf("response says close = %v, want %v (Connection: close, RFC %s)", first.Close, tt.wantClosed, tt.rule)
				}
				switch {
				case tt.wantClosed && second != nil:
					t.Errorf("the connection was reused: the request behind got %d (RFC %s)", second.StatusCode, tt.rule)
				case !tt.wantClosed && second == nil:
					t.Errorf("the connection was closed, want it kept")
				case !tt.wantClosed && second.StatusCode != http.StatusOK:
					t.Errorf("the request behind got %d, want 200", second.StatusCode)
				}
			})
		}
	}
}

// rawHead is a request head of exactly size bytes: request line, headers
// and the blank line. It asks the server to close the connection after
// answering, so that exchange sees no second response.
func rawHead(t *testing.T, size int) string {
	t.Helper()
	const start, end = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ", "\r\n\r\n"
	pad := size - len(start) - len(end)
	if pad < 1 {
		t.Fatalf("a head of %d bytes is too small to pad", size)
	}
	return start + strings.Repeat("p", pad) + end
}

// -max-header-bytes is the largest request head accepted, to the byte,
// although net/http on its own reads 4096 bytes more before refusing.
func TestMaxHeaderBytesOnTheWire(t *testing.T) {
	s, _ := newTestServer(t)
	for _, tc := range []struct{ given, limit int }{
		{DefaultMaxHeaderBytes, DefaultMaxHeaderBytes},
		{8 << 10, 8 << 10},
		{64 << 10, 64 << 10},
		{1000, minMaxHeaderBytes}, // net/http cannot refuse less
	} {
		limit := tc.limit
		addr := listen(t, s, tc.given, false)
		for _, tt := range []struct {
			size       int
			wantStatus int
		}{
			{limit - 1, 200},
			{limit, 200},
			{limit + 1, 431},
			{limit + 4096, 431},
			{limit + 4097, 431},
		} {
			t.Run(fmt.Sprintf("limit %d, head %d", tc.given, tt.size), func(t *testing.T) {
				first, second := exchange(t, addr, rawHead(t, tt.size))
				if first.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d", first.StatusCode, tt.wantStatus)
				}
				if second != nil {
					t.Errorf("a second response, to no request")
				}
			})
		}
	}
}
