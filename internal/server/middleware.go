package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// accessLog writes one structured line per request. It logs the path but
// never the query string: symptom answers travel in the query, and what a
// reader ticks is health data that must not reach a log.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", middleware.GetReqID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

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
