package coalesce

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingConn notes each write it is given, as the kernel would see them.
type recordingConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (r *recordingConn) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, append([]byte(nil), p...))
	return len(p), nil
}

func (r *recordingConn) Close() error { return nil }

func (r *recordingConn) got() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writes
}

func TestFullBufferJoinsTheNextWrite(t *testing.T) {
	rec := &recordingConn{}
	c := &Conn{Conn: rec}
	first := bytes.Repeat([]byte("a"), BufferSize)
	if n, err := c.Write(first); n != BufferSize || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	first[0] = 'X' // the caller reuses its buffer
	if n, err := c.Write([]byte("rest")); n != 4 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	// net.Buffers falls back to one Write per buffer on a conn without
	// writev, so check the bytes and their order rather than the count.
	all := bytes.Join(rec.got(), nil)
	if want := string(bytes.Repeat([]byte("a"), BufferSize)) + "rest"; string(all) != want {
		t.Errorf("written %d bytes, starting %q: the held buffer was changed or lost", len(all), all[:4])
	}
}

func TestSmallWritesPassStraightThrough(t *testing.T) {
	rec := &recordingConn{}
	c := &Conn{Conn: rec}
	for _, s := range []string{"one", strings.Repeat("b", BufferSize+1), "three"} {
		if _, err := c.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rec.got()); n != 3 {
		t.Errorf("%d writes, want 3 (nothing held)", n)
	}
}

func TestHeldBufferIsWrittenAfterDelayOrClose(t *testing.T) {
	rec := &recordingConn{}
	c := &Conn{Conn: rec}
	_, _ = c.Write(make([]byte, BufferSize))
	if n := len(rec.got()); n != 0 {
		t.Fatalf("%d writes before the delay, want the buffer held", n)
	}
	deadline := time.Now().Add(time.Second)
	for len(rec.got()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("a held buffer was never written")
		}
		time.Sleep(time.Millisecond)
	}

	rec2 := &recordingConn{}
	c2 := &Conn{Conn: rec2}
	_, _ = c2.Write(make([]byte, BufferSize))
	_ = c2.Close()
	if n := len(rec2.got()); n != 1 {
		t.Errorf("%d writes after Close, want the held buffer written", n)
	}
}

// Through a real server and client, responses of every size around the
// boundary arrive whole.
func TestResponsesArriveWhole(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Query().Get("n"))
		_, _ = w.Write(bytes.Repeat([]byte("z"), n))
	})}
	go func() { _ = srv.Serve(Listener(ln)) }()
	defer srv.Close()
	client := &http.Client{Timeout: 5 * time.Second}
	for _, size := range []int{0, 100, 3900, 4000, 4096, 4200, 8192, 9000, 20000} {
		for i := 0; i < 3; i++ { // keep-alive: several responses on one connection
			resp, err := client.Get("http://" + ln.Addr().String() + "/?n=" + strings.Repeat("x", size))
			if err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || len(body) != size {
				t.Fatalf("size %d: got %d bytes, %v", size, len(body), err)
			}
		}
	}
}

// net/http half-closes a connection before closing it; that must still
// happen, after anything held is written.
func TestCloseWriteWritesHeldAndHalfCloses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	raw, err := Listener(ln).Accept()
	if err != nil {
		t.Fatal(err)
	}
	server := raw.(*Conn)
	defer server.Close()
	if _, err := server.Write(bytes.Repeat([]byte("h"), BufferSize)); err != nil {
		t.Fatal(err)
	}
	if err := server.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite: %v", err)
	}
	_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(client) // ends at the half-close, not at a timeout
	if err != nil || len(got) != BufferSize {
		t.Errorf("client read %d bytes, %v; want %d then EOF", len(got), err, BufferSize)
	}
}
