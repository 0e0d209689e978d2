package accesslog

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAppendIsValidJSON(t *testing.T) {
	paths := []string{"/", "/articles/x", `/"quoted"\back`, "/\x00\x1f\x7f", "/<script>&", "/\xff\xfe", "/naïve/日本"}
	for _, p := range paths {
		line := Append(nil, Entry{Time: time.Date(2026, 11, 24, 1, 2, 3, 4, time.UTC), RequestID: "id-1", Method: "GET", Path: p, Status: 404, Bytes: 12, Duration: 1500})
		var got struct {
			Time, Level, Msg, RequestID, Method, Path string
			Status, Bytes                             int
			Duration                                  int64
		}
		if !bytes.HasSuffix(line, []byte("}\n")) {
			t.Errorf("line does not end in a newline: %q", line)
		}
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%q gives invalid JSON %s: %v", p, line, err)
		}
		if got.Status != 404 || got.Bytes != 12 || got.Duration != 1500 || got.Method != "GET" || got.Level != "INFO" || got.Msg != "request" {
			t.Errorf("round trip of %q: %+v", p, got)
		}
		if strings.ContainsAny(string(line), "<>") {
			t.Errorf("markup not escaped: %s", line)
		}
		if !utf8.ValidString(p) {
			if got.Path != "/\ufffd\ufffd" {
				t.Errorf("invalid UTF-8 %q came back as %q, want each bad byte replaced", p, got.Path)
			}
		} else if got.Path != p {
			t.Errorf("path %q came back as %q", p, got.Path)
		}
	}
}

// Every line logged before Close is written, in full, even from many
// goroutines at once and more than the queue holds.
func TestNoLineIsLost(t *testing.T) {
	var buf syncBuffer
	l := New(&buf)
	const goroutines, each = 8, 2000
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				l.Log(Entry{Time: time.Now(), Method: "GET", Path: "/x", Status: 200})
			}
		}()
	}
	wg.Wait()
	l.Close()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d lines written, want %d", len(lines), goroutines*each)
	}
	for _, line := range lines {
		if !json.Valid([]byte(line)) {
			t.Fatalf("a torn or mixed line: %q", line)
		}
	}
}

func TestLinesAreFlushedWithoutClose(t *testing.T) {
	var buf syncBuffer
	l := New(&buf)
	defer l.Close()
	l.Log(Entry{Method: "GET", Path: "/soon"})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "/soon") {
		if time.Now().After(deadline) {
			t.Fatal("a line waited more than 5s in the buffer")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func BenchmarkLog(b *testing.B) {
	var buf syncBuffer
	l := New(&buf)
	defer l.Close()
	e := Entry{Time: time.Now(), RequestID: "host/abc-000001", Method: "GET", Path: "/articles/neck-pain-after-cervical-massage", Status: 200, Bytes: 3000, Duration: 20 * time.Microsecond}
	b.ReportAllocs()
	for b.Loop() {
		l.Log(e)
	}
}
