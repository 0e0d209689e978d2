// Package accesslog writes one JSON line per request without making the
// request wait for the disk: lines are formatted into pooled buffers and
// written by one goroutine through a buffered writer. No line is dropped:
// when the writer falls behind, requests wait for it rather than lose lines.
package accesslog

import (
	"bufio"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Entry is what one line records. There is no query string and no client
// address by design: the query can carry health data.
type Entry struct {
	Time      time.Time
	RequestID string
	Method    string
	Path      string
	Status    int
	Bytes     int
	Duration  time.Duration
}

// Logger writes entries in the background.
type Logger struct {
	lines   chan *[]byte
	flushes chan chan struct{}
	done    chan struct{}
	// flushEvery bounds how long a line may sit in the buffer when traffic
	// is light, so logs stay close to real time.
	flushEvery time.Duration
	closeOnce  sync.Once
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// New starts a logger writing to w until Close.
func New(w io.Writer) *Logger {
	l := &Logger{lines: make(chan *[]byte, 4096), flushes: make(chan chan struct{}), done: make(chan struct{}), flushEvery: 200 * time.Millisecond}
	go l.run(bufio.NewWriterSize(w, 64<<10))
	return l
}

func (l *Logger) run(bw *bufio.Writer) {
	defer close(l.done)
	tick := time.NewTicker(l.flushEvery)
	defer tick.Stop()
	write := func(b *[]byte) {
		// Flush before a line that does not fit, so every write to w ends
		// at the end of a line and lines from other writers cannot land
		// inside one of ours.
		if bw.Available() < len(*b) {
			_ = bw.Flush()
		}
		_, _ = bw.Write(*b)
		*b = (*b)[:0]
		bufPool.Put(b)
	}
	for {
		select {
		case b, ok := <-l.lines:
			if !ok {
				_ = bw.Flush()
				return
			}
			write(b)
		case ack := <-l.flushes:
			for drained := false; !drained; {
				select {
				case b := <-l.lines:
					write(b)
				default:
					drained = true
				}
			}
			_ = bw.Flush()
			close(ack)
		case <-tick.C:
			_ = bw.Flush()
		}
	}
}

// Flush writes every line logged before it was called.
func (l *Logger) Flush() {
	ack := make(chan struct{})
	select {
	case l.flushes <- ack:
		<-ack
	case <-l.done:
	}
}

// Log queues one line. It blocks only if thousands of lines are waiting.
func (l *Logger) Log(e Entry) {
	b := bufPool.Get().(*[]byte)
	*b = Append((*b)[:0], e)
	l.lines <- b
}

// Close writes every queued line and stops the logger. Log must not be
// called after Close.
func (l *Logger) Close() {
	l.closeOnce.Do(func() { close(l.lines) })
	<-l.done
}

// Append formats e as one JSON line, the same fields log/slog's JSON
// handler would write, without its reflection and allocations.
func Append(b []byte, e Entry) []byte {
	b = append(b, `{"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request","request_id":`...)
	b = appendString(b, e.RequestID)
	b = append(b, `,"method":`...)
	b = appendString(b, e.Method)
	b = append(b, `,"path":`...)
	b = appendString(b, e.Path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(e.Bytes), 10)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(e.Duration), 10)
	return append(b, "}\n"...)
}

const hex = "0123456789abcdef"

// appendString writes s as a JSON string. Paths come from the network, so
// control characters, quotes and invalid UTF-8 are escaped, and <, > and &
// too, so a log viewer in a browser cannot be fed markup.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
