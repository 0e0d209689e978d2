package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"

	"healthsite/internal/server"
)

// sideServer is a server on a listener of its own beside the public one
// (the desk's, -metrics-addr's), with the public server's timeouts and
// head limit. A nil *sideServer is none: it never reports and stops at
// once.
type sideServer struct {
	srv  *http.Server
	addr net.Addr
	errs chan error
}

// serveSide listens on addr and serves h there until Shutdown.
func serveSide(addr string, h http.Handler, o options, logger *slog.Logger) (*sideServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &sideServer{srv: server.NewHTTPServer(addr, h, o.timeouts, o.maxHeaderBytes, logger), addr: ln.Addr(), errs: make(chan error, 1)}
	go func() { s.errs <- s.srv.Serve(ln) }()
	return s, nil
}

// Errs is where the server reports that it stopped.
func (s *sideServer) Errs() <-chan error {
	if s == nil {
		return nil
	}
	return s.errs
}

// Shutdown stops the server gracefully: requests under way finish within
// ctx.
func (s *sideServer) Shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
