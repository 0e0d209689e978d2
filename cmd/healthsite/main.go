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
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"healthsite/internal/coalesce"
	"healthsite/internal/content"
	"healthsite/internal/devreload"
	"healthsite/internal/server"
	"healthsite/static"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "check":
			os.Exit(runCheck(os.Args[2:], os.Stdout, os.Stderr))
		case "signoff":
			os.Exit(runSignOff(os.Args[2:], os.Stdout, os.Stderr, time.Now()))
		case "migrate":
			os.Exit(runMigrate(os.Args[2:], os.Stdout, os.Stderr))
		case "feedback":
			os.Exit(runFeedback(os.Args[2:], os.Stdout, os.Stderr))
		case "build":
			os.Exit(runBuild(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
		case "editors":
			os.Exit(runEditors(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
		}
	}
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
	drain           time.Duration
	timeouts        server.Timeouts
	maxHeaderBytes  int
	rateLimit       server.RateLimit
	trustedProxies  string
	pageCacheMB     int
	answerCacheMB   int
	searchCacheMB   int
	searchDir       string
	cpuProfile      string
	dev             bool
	// pack is a site pack to serve (healthsite build); packCache the
	// folder where packs of an -articles folder are kept between starts.
	pack      string
	packCache string
	// db names the database readers' feedback goes to; retention is how
	// long comments are kept, in months.
	db        *databaseFlags
	retention int
	desk      *deskOptions // the editors' desk (desk.go)
	// metricsAddr is a listener of its own for /metrics (metrics.go).
	metricsAddr *string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fset := flag.NewFlagSet("healthsite", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&o.addr, "addr", envOr("HEALTHSITE_ADDR", ":8080"), "listen `address` (env HEALTHSITE_ADDR)")
	fset.StringVar(&o.articlesDir, "articles", envOr("HEALTHSITE_ARTICLES", ""), "serve articles from this `folder` instead of the embedded ones (env HEALTHSITE_ARTICLES)")
	fset.StringVar(&o.baseURL, "base-url", envOr("HEALTHSITE_BASE_URL", "http://localhost:8080"), "absolute `origin` used in canonical and share links (env HEALTHSITE_BASE_URL)")
	fset.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long in-flight requests may take to finish after SIGINT or SIGTERM (and -drain)")
	fset.DurationVar(&o.drain, "drain", envDuration("HEALTHSITE_DRAIN", defaultDrain), "after SIGTERM, how long to keep serving with /readyz answering 503, so load balancers stop sending readers before connections close; SIGINT (Ctrl-C) does not wait (env HEALTHSITE_DRAIN)")
	fset.DurationVar(&o.timeouts.ReadHeader, "read-header-timeout", server.DefaultTimeouts.ReadHeader, "how long a client may take to send request headers (cuts off slowloris)")
	fset.DurationVar(&o.timeouts.Read, "read-timeout", server.DefaultTimeouts.Read, "how long a client may take to send a whole request")
	fset.DurationVar(&o.timeouts.Write, "write-timeout", server.DefaultTimeouts.Write, "how long writing a response may take")
	fset.DurationVar(&o.timeouts.Idle, "idle-timeout", server.DefaultTimeouts.Idle, "how long an idle keep-alive connection is kept")
	fset.IntVar(&o.maxHeaderBytes, "max-header-bytes", server.DefaultMaxHeaderBytes, "largest request head accepted (request line and headers), in `bytes`; larger gets 431 and the connection closed. Exact for a connection's first request; at least 4097, the least net/http can refuse")
	fset.IntVar(&o.rateLimit.Requests, "rate-limit", server.DefaultRateLimit.Requests, "symptom results, and searches, one client may ask for per -rate-window; 0 or less turns the limit off")
	fset.DurationVar(&o.rateLimit.Window, "rate-window", server.DefaultRateLimit.Window, "the window of -rate-limit")
	fset.IntVar(&o.pageCacheMB, "page-cache-mb", server.DefaultPageCacheBytes>>20, "megabytes of pages (articles, lists, site files) kept in memory once made, least recently read dropped first; 0 keeps none")
	fset.IntVar(&o.answerCacheMB, "answer-cache-mb", server.DefaultAnswerCacheBytes>>20, "megabytes of symptom pages kept in memory for the next reader with the same answers (never written anywhere); 0 keeps none")
	fset.IntVar(&o.searchCacheMB, "search-cache-mb", server.DefaultSearchCacheBytes>>20, "megabytes of search pages kept in memory for the next reader with the same query (never written anywhere); 0 keeps none")
	fset.StringVar(&o.searchDir, "search-dir", envOr("HEALTHSITE_SEARCH_DIR", os.TempDir()), "`folder` for the search index's file, which holds only the articles' text and is removed at shutdown; empty keeps the index in memory (about 100 MB more at 10,000 articles) (env HEALTHSITE_SEARCH_DIR)")
	fset.StringVar(&o.pack, "pack", envOr("HEALTHSITE_PACK", ""), "serve the site pack in `folder`, written by healthsite build: nothing to parse or index at start (env HEALTHSITE_PACK)")
	fset.StringVar(&o.packCache, "pack-cache", envOr("HEALTHSITE_PACK_CACHE", defaultPackCache()), "`folder` where a pack of an -articles folder is kept once its search index is built, so the next start over the same files serves it at once; empty keeps none (env HEALTHSITE_PACK_CACHE)")
	fset.BoolVar(&o.dev, "dev", false, "authoring preview: reload -articles on every save and refresh open pages (never in production)")
	fset.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to `file`, for go tool pprof (diagnostics only)")
	o.db = addDatabaseFlags(fset)
	fset.IntVar(&o.retention, "feedback-retention", 18, "`months` readers' comments are kept; after that only the counts of answers are (env HEALTHSITE_FEEDBACK_RETENTION)")
	if v, ok := os.LookupEnv("HEALTHSITE_FEEDBACK_RETENTION"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			o.retention = n
		}
	}
	fset.StringVar(&o.trustedProxies, "trusted-proxies", envOr("HEALTHSITE_TRUSTED_PROXIES", ""), "comma-separated CIDR `prefixes` of reverse proxies whose X-Forwarded-For names the client, like 127.0.0.1/32; empty: X-Forwarded-For is ignored (env HEALTHSITE_TRUSTED_PROXIES)")
	o.desk = addDeskFlags(fset)
	o.metricsAddr = addMetricsFlags(fset)
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite [flags]\n       healthsite build [-articles FOLDER] -o PACK\n       healthsite check [-strict] [FOLDER]\n       healthsite signoff -by \"Name, role\" FILE...\n       healthsite migrate | feedback export|summary | editors add|list|disable|reset-password\n\nServes the health information site; builds a site pack of a folder of\narticles; checks one; records a clinician's sign-off of a file's text; or\nmanages the database, readers' feedback and editors' accounts (-h on each).\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return o, err
	}
	if fset.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fset.Args())
	}
	for _, p := range strings.Split(o.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.rateLimit.TrustedProxies = append(o.rateLimit.TrustedProxies, p)
		}
	}
	if err := server.CheckTrustedProxies(o.rateLimit.TrustedProxies); err != nil {
		return o, err
	}
	if o.pageCacheMB < 0 || o.answerCacheMB < 0 || o.searchCacheMB < 0 {
		return o, errors.New("-page-cache-mb, -answer-cache-mb and -search-cache-mb must be 0 or more")
	}
	if o.retention < 1 {
		return o, errors.New("-feedback-retention must be at least 1 month")
	}
	if o.pack != "" && (o.articlesDir != "" || o.dev) {
		return o, errors.New("-pack serves a pack as it was built: it takes neither -articles nor -dev")
	}
	if o.dev && o.articlesDir == "" {
		return o, errors.New("-dev needs -articles FOLDER: the folder to watch")
	}
	return o, nil
}

// loadSite loads the articles with the garbage collector loosened: parsing
// thousands of files makes garbage fast while the heap is still small, and
// at the default GOGC the collector ran 66 times to load 10,000 articles.
// The heap may grow to five times what is live, but not past loadHeapLimit
// (or a lower GOMEMLIMIT the operator set), so a very large site does not
// double its peak memory; afterwards the settings are put back and the
// load's garbage given back to the system in the background, so the
// resident size is what the server keeps. Turning the collector off until
// the limit loaded 10,000 articles a fifth faster still, but with 750 MB
// resident for a moment, which a small container would not survive.
func loadSite(fsys fs.FS) (*content.Site, error) {
	var site *content.Site
	err := loosenGC(func() (err error) {
		site, err = content.LoadWith(fsys, server.ContentOptions(static.FS))
		return err
	})
	return site, err
}

// loosenGC runs load with the collector loosened, as loadSite explains:
// opening a pack makes the same burst of short-lived garbage.
func loosenGC(load func() error) error {
	oldPercent := debug.SetGCPercent(400)
	oldLimit := debug.SetMemoryLimit(min(loadHeapLimit, debug.SetMemoryLimit(-1)))
	err := load()
	debug.SetGCPercent(oldPercent)
	debug.SetMemoryLimit(oldLimit)
	go debug.FreeOSMemory()
	return err
}

// loadHeapLimit bounds the heap while loading (see loadSite).
const loadHeapLimit = 768 << 20

// defaultDrain covers a readiness probe every 2 s failing twice, and the
// load balancer noticing: Kubernetes' own examples use 5-10 s.
const defaultDrain = 5 * time.Second

// envDuration is the duration in the environment variable key, or def
// when it is unset or not a duration (the flag's default says which).
func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
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
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}

	opened, err := openSite(ctx, o, logger)
	if err != nil {
		return err
	}
	site := opened.site
	fb, closeFeedback, err := openFeedback(ctx, o, logger)
	if err != nil {
		return err
	}
	defer closeFeedback() // after the server: the last answers are committed
	handler, err := server.New(site, server.Config{
		BaseURL: o.baseURL, Logger: logger, AccessLog: stderr, RateLimit: o.rateLimit, Dev: o.dev, Feedback: fb, FeedbackMonths: o.retention,
		PageCacheBytes: int64(o.pageCacheMB) << 20, AnswerCacheBytes: int64(o.answerCacheMB) << 20,
		SearchCacheBytes: int64(o.searchCacheMB) << 20, SearchDir: o.searchDir,
	})
	if err != nil {
		return err
	}
	defer handler.Close() // after Shutdown: the last access log lines
	if opened.index != nil {
		if err := handler.ServeIndex(opened.index); err != nil {
			return err
		}
	}
	srv := server.NewHTTPServer(o.addr, handler, o.timeouts, o.maxHeaderBytes, logger)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	ln = coalesce.Listener(ln) // one write per page, not two; see the package

	// The first SIGINT or SIGTERM shuts down (drain); a second one, once
	// signals are let go, ends the process at once.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)
	ctx, stop := context.WithCancel(ctx)
	defer stop()

	if o.dev {
		go func() {
			if err := devreload.Run(ctx, o.articlesDir, handler, logger); err != nil {
				logger.Error("watching articles", "error", err)
			}
		}()
	}

	// The editors' desk, when -desk-addr asks for it: its own listener
	// and database, started and stopped beside the public server.
	metrics := metricsHandler(handler)
	deskSrv, err := startDesk(ctx, o.desk, o, handler.Site, metrics, logger, stderr)
	if err != nil {
		return fmt.Errorf("the editors' desk: %w", err)
	}
	metricsSrv, err := startMetrics(*o.metricsAddr, metrics, o, logger)
	if err != nil {
		return errors.Join(err, deskSrv.Shutdown(context.Background()))
	}

	go keepHeapFloor(ctx)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "articles", len(site.Articles), "base_url", o.baseURL)
	// Search is indexed once the server answers, so that start-up does
	// not wait for it; until then /search says it is starting (503). A
	// pack brought its index.
	if opened.index == nil {
		go func() {
			start := time.Now()
			if err := handler.IndexSearch(ctx); err != nil {
				if ctx.Err() == nil {
					logger.Error("building the search index; search is unavailable", "error", err)
				}
				return
			}
			logger.Info("search ready", "took", time.Since(start).String())
			opened.keepPack(ctx, handler.SearchIndex(), logger)
		}()
	}

	var sig os.Signal
	select {
	case err := <-serveErr:
		return errors.Join(err, deskSrv.Shutdown(context.Background()), metricsSrv.Shutdown(context.Background()))
	case err := <-deskSrv.Errs():
		return fmt.Errorf("the editors' desk stopped: %w", err)
	case err := <-metricsSrv.Errs():
		return fmt.Errorf("the metrics listener stopped: %w", err)
	case <-ctx.Done():
	case sig = <-signals:
	}
	signal.Stop(signals)
	if sig == syscall.SIGTERM && o.drain > 0 {
		// An orchestrator's stop: say "not ready" while still serving
		// everything, until load balancers have stopped sending readers
		// here; only then close the listener (Shutdown).
		handler.Drain()
		logger.Info("draining", "for", o.drain.String())
		select {
		case <-time.After(o.drain):
		case err := <-serveErr:
			return errors.Join(err, deskSrv.Shutdown(context.Background()))
		}
	}
	stop()
	logger.Info("shutting down", "timeout", o.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := errors.Join(srv.Shutdown(shutdownCtx), deskSrv.Shutdown(shutdownCtx), metricsSrv.Shutdown(shutdownCtx)); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
