package server

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"healthsite/internal/accesslog"
)

// accessLog writes one line per request through the background logger, and
// counts it for monitoring. It logs the path but never the query string:
// symptom answers travel in the query, and what a reader ticks is health
// data that must not reach a log.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorderPool.Get().(*recorder)
		rec.ResponseWriter, rec.status, rec.bytes = w, 0, 0
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		took := time.Since(start)
		s.access.Log(accesslog.Entry{
			Time:      start,
			RequestID: middleware.GetReqID(r.Context()),
			Method:    r.Method,
			Path:      r.URL.Path,
			Status:    status,
			Bytes:     rec.bytes,
			Duration:  took,
		})
		s.metrics.pageOf(r).observe(status, took)
		rec.ResponseWriter = nil
		recorderPool.Put(rec)
	})
}

// recorder notes the status and size of a response for the access log.
// Pooled, because one is needed for every request.
type recorder struct {
	http.ResponseWriter
	status, bytes int
}

var recorderPool = sync.Pool{New: func() any { return new(recorder) }}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recoverPanics turns a panic into the friendly 500 page and a log line with
// the request id and stack, and keeps the server running.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { //nolint:errorlint // net/http's own sentinel, re-raised as it expects
				panic(v)
			}
			err, ok := v.(error)
			if !ok {
				err = fmt.Errorf("%v", v)
			}
			s.log.ErrorContext(r.Context(), "panic",
				"request_id", middleware.GetReqID(r.Context()),
				"path", r.URL.Path,
				"panic", err.Error(),
				"stack", string(debug.Stack()))
			s.serveError(w, r, &statusError{status: http.StatusInternalServerError, err: errors.New("panic")})
		}()
		next.ServeHTTP(w, r)
	})
}
