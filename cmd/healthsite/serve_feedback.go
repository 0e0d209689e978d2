package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/store"
)

// laterFeedback is the server's feedback store, which may come after the
// server: a database that is down when the server starts must not stop
// the articles being served. Until the store is open, and whenever the
// database fails, the feedback form answers 503 and nothing else is
// touched.
type laterFeedback struct {
	store atomic.Pointer[feedback.Store]
}

var errNoDatabaseYet = errors.New("the feedback database is not open yet")

func (l *laterFeedback) Record(ctx context.Context, a feedback.Answer) (feedback.Token, error) {
	s := l.store.Load()
	if s == nil {
		return "", errNoDatabaseYet
	}
	return s.Record(ctx, a)
}

func (l *laterFeedback) Comment(ctx context.Context, tok feedback.Token, section, text string) error {
	s := l.store.Load()
	if s == nil {
		return errNoDatabaseYet
	}
	return s.Comment(ctx, tok, section, text)
}

// Ping reports whether the store is open and its database answers, for
// readiness.
func (l *laterFeedback) Ping(ctx context.Context) error {
	s := l.store.Load()
	if s == nil {
		return errNoDatabaseYet
	}
	return s.Ping(ctx)
}

// openRetry is how long to wait before trying a database that could not
// be opened again.
const openRetry = 5 * time.Second

// openFeedback opens the feedback database the flags name, applying its
// migrations, and keeps trying in the background if it cannot yet (a
// PostgreSQL server still starting). Once open, comments older than the
// retention period are dropped at once and then every day. close waits
// for the last answers to be committed.
func openFeedback(ctx context.Context, o options, log *slog.Logger) (*laterFeedback, func(), error) {
	dsn, err := o.db.dsn()
	if err != nil {
		return nil, nil, err
	}
	log.Info("feedback database", "database", store.Describe(dsn), "comments_kept_months", o.retention)
	l := &laterFeedback{}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var db *store.DB
	open := func() bool {
		d, err := store.Open(ctx, dsn)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("opening the feedback database; the feedback form answers 503 until it opens", "database", store.Describe(dsn), "error", err)
			}
			return false
		}
		db = d
		l.store.Store(feedback.New(d, feedback.Options{RetentionMonths: o.retention}))
		return true
	}
	opened := open()
	wg.Go(func() {
		for !opened {
			select {
			case <-ctx.Done():
				return
			case <-time.After(openRetry):
				opened = open()
			}
		}
		log.Info("feedback database open", "database", store.Describe(dsn))
		purgeDaily(ctx, l.store.Load(), log)
	})
	closeAll := func() {
		cancel()
		wg.Wait()
		if s := l.store.Load(); s != nil {
			s.Close()
		}
		if db != nil {
			db.Close()
		}
	}
	return l, closeAll, nil
}

// purgeDaily drops comments past the retention period, keeping the counts,
// now and then once a day until ctx ends. Replicas all do it; each run
// removes what the others left, so it does not matter which comes first.
func purgeDaily(ctx context.Context, s *feedback.Store, log *slog.Logger) {
	for {
		n, err := s.Purge(ctx, feedback.DateOf(time.Now().UTC()))
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("dropping old feedback", "error", err)
		case n.Comments > 0 || n.Answers > 0:
			log.Info("dropped feedback past its retention", "comments", n.Comments, "answers", n.Answers)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}
