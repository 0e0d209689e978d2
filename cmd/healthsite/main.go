// Command healthsite serves the health information site.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "healthsite:", err)
		os.Exit(1)
	}
}

// options are the command-line flags; each can also be set from the
// environment, which suits containers.
type options struct {
	addr            string
	articlesDir     string
	baseURL         string
	shutdownTimeout time.Duration
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fset := flag.NewFlagSet("healthsite", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&o.addr, "addr", envOr("HEALTHSITE_ADDR", ":8080"), "listen `address` (env HEALTHSITE_ADDR)")
	fset.StringVar(&o.articlesDir, "articles", envOr("HEALTHSITE_ARTICLES", ""), "serve articles from this `folder` instead of the embedded ones (env HEALTHSITE_ARTICLES)")
	fset.StringVar(&o.baseURL, "base-url", envOr("HEALTHSITE_BASE_URL", "http://localhost:8080"), "absolute `origin` used in canonical and share links (env HEALTHSITE_BASE_URL)")
	fset.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long in-flight requests may take to finish after SIGINT or SIGTERM")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite [flags]\n\nServes the health information site.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return o, err
	}
	if fset.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fset.Args())
	}
	return o, nil
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))

	var src fs.FS = articles.FS
	if o.articlesDir != "" {
		if fi, err := os.Stat(o.articlesDir); err != nil || !fi.IsDir() {
			return fmt.Errorf("-articles %q is not a folder", o.articlesDir)
		}
		src = os.DirFS(o.articlesDir)
	}
	site, err := content.Load(src)
	if err != nil {
		return fmt.Errorf("refusing to start, the articles have problems:\n%w", err)
	}
	handler, err := server.New(site, server.Config{BaseURL: o.baseURL, Logger: logger})
	if err != nil {
		return err
	}

	srv := &http.Server{
		Addr:              o.addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "articles", len(site.Articles), "base_url", o.baseURL)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	stop()
	logger.Info("shutting down", "timeout", o.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
