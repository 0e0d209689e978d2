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

// NewHTTPServer wraps h in an http.Server with the given timeouts and
// header limit, logging the server's own errors through logger.
func NewHTTPServer(addr string, h http.Handler, t Timeouts, maxHeaderBytes int, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
