package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"healthsite/internal/content"
	"healthsite/internal/desk"
	"healthsite/internal/store"
)

// deskOptions are the server's flags for the editors' desk. It reads the
// database the feedback form writes to (-database, -data-dir).
type deskOptions struct {
	addr    string
	baseURL string
}

func addDeskFlags(fset *flag.FlagSet) *deskOptions {
	o := &deskOptions{}
	fset.StringVar(&o.addr, "desk-addr", envOr("HEALTHSITE_DESK_ADDR", ""),
		"listen `address` of the editors' desk, like 127.0.0.1:8081; empty: no desk. Keep it off the public network, or behind a proxy that limits who reaches it (env HEALTHSITE_DESK_ADDR)")
	fset.StringVar(&o.baseURL, "desk-base-url", envOr("HEALTHSITE_DESK_BASE_URL", desk.DefaultBaseURL),
		"the desk's own `origin`; https makes its session cookie Secure and __Host- (env HEALTHSITE_DESK_BASE_URL)")
	return o
}

// runningDesk is the desk's listener, server and database.
type runningDesk struct {
	server *sideServer
	desk   *desk.Desk
	db     *store.DB
}

// startDesk opens the feedback database for the desk (its own pool: the
// desk needs the database at start, while the public site serves
// without it), builds the desk and serves it on its own listener, beside
// the public one: the public handler never sees a desk path. The desk's
// listener serves metrics at /metrics too. It returns nil when -desk-addr
// is empty.
func startDesk(ctx context.Context, o *deskOptions, public options, site func() *content.Site, metrics http.Handler, logger *slog.Logger, accessLog io.Writer) (*runningDesk, error) {
	if o.addr == "" {
		return nil, nil
	}
	dsn, err := public.db.dsn()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	logger.Info("database", "database", store.Describe(dsn))
	d, err := desk.New(desk.Config{
		DB: db, Site: site, BaseURL: o.baseURL, PublicURL: public.baseURL,
		Logger: logger, AccessLog: accessLog, TrustedProxies: public.rateLimit.TrustedProxies,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	srv, err := serveSide(o.addr, withMetrics(metrics, d), public, logger)
	if err != nil {
		d.Close()
		db.Close()
		return nil, fmt.Errorf("the desk's -desk-addr: %w", err)
	}
	logger.Info("desk serving", "addr", srv.addr.String(), "base_url", o.baseURL)
	return &runningDesk{server: srv, desk: d, db: db}, nil
}

// Errs is where the desk's server reports that it stopped; nil for no
// desk, which never reports.
func (rd *runningDesk) Errs() <-chan error {
	if rd == nil {
		return nil
	}
	return rd.server.Errs()
}

// Shutdown stops the desk gracefully, as the public server: in-flight
// requests finish within ctx. Then it closes the database.
func (rd *runningDesk) Shutdown(ctx context.Context) error {
	if rd == nil {
		return nil
	}
	err := rd.server.Shutdown(ctx)
	rd.desk.Close()
	return errors.Join(err, rd.db.Close())
}
