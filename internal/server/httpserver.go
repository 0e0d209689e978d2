package server

import (
	"log/slog"
	"net/http"
	"time"
)

// Timeouts bound how long a connection may take over each part of a request.
type Timeouts struct {
	ReadHeader time.Duration // a slow client (slowloris) is cut off after this
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
}

// DefaultTimeouts suit readers on slow phones while freeing the server from
// clients that stall.
var DefaultTimeouts = Timeouts{ReadHeader: 5 * time.Second, Read: 10 * time.Second, Write: 20 * time.Second, Idle: 120 * time.Second}

// DefaultMaxHeaderBytes is far above what a browser sends and far below
// what would cost the server memory.
const DefaultMaxHeaderBytes = 16 << 10

// netHTTPHeaderSlack is what net/http adds to http.Server.MaxHeaderBytes:
// it reads up to MaxHeaderBytes+4096 bytes from the connection for a
// request's head ("bufio slop", initialReadLimitSize in
// net/http/server.go) and answers 431 only when the head has not ended
// by then. TestMaxHeaderBytesOnTheWire notices if a Go release changes it.
const netHTTPHeaderSlack = 4096

// minMaxHeaderBytes is the smallest head limit net/http can enforce.
const minMaxHeaderBytes = netHTTPHeaderSlack + 1

// NewHTTPServer wraps h in an http.Server with the given timeouts, logging
// the server's own errors through logger. A request head (request line,
// headers and the blank line) of more than maxHeaderBytes gets 431 and the
// connection closed; limits under minMaxHeaderBytes act as that. net/http
// counts the bytes it reads from the connection for the head, which is
// exact for a connection's first request; a request pipelined behind
// another may start in bytes read with the one before, and get up to 4 KiB
// more.
func NewHTTPServer(addr string, h http.Handler, t Timeouts, maxHeaderBytes int, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    max(maxHeaderBytes, minMaxHeaderBytes) - netHTTPHeaderSlack,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
