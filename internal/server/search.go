package server

import (
	"context"
	"errors"
	"runtime/debug"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/search"
)

// The search index's life. It is built in the background once the server
// is listening (IndexSearch), so start-up does not wait for it; until it
// holds the site being served, /search answers 503 with Retry-After. In
// the preview, an edit re-indexes the edited articles (withIndexOf)
// while the new site is published, under one lock, so a search sees the
// old site and the old index or the new site and the new index.

// IndexSearch builds the search index of the site being served, and
// builds again if the site was replaced meanwhile, until the index holds
// the site being served. From then on a new site (Update) gets a new index
// in the background, and an edit (Apply) updates it. It returns when the
// first index serves, or with ctx's error.
func (s *Server) IndexSearch(ctx context.Context) error {
	s.indexing.Store(true)
	for {
		site := s.Site()
		ix, err := search.Build(ctx, site, s.cfg.SearchDir)
		if err != nil && s.cfg.SearchDir != "" && ctx.Err() == nil {
			// A read-only file system, a full disk: memory will do.
			s.log.Warn("cannot keep the search index in a file; keeping it in memory", "dir", s.cfg.SearchDir, "error", err)
			ix, err = search.Build(ctx, site, "")
		}
		if err != nil {
			return err
		}
		if s.installIndex(ctx, ix, site) {
			// Building made garbage of about the size of the articles'
			// text, which the runtime would keep for minutes: give it
			// back now (83 MB of RSS at 10,000 articles).
			debug.FreeOSMemory()
			return nil
		}
		ix.Close() // the site was replaced while it was built
	}
}

// ServeIndex serves ix, an index made beforehand of the site being served
// (a site pack's: search.Open), so search answers from the first request.
// Like IndexSearch, it makes a new site (Update) get a new index in the
// background. It fails when ix holds another version of the site.
func (s *Server) ServeIndex(ix *search.Index) error {
	site := s.Site()
	if ix.Site() != site {
		return errors.New("the search index is of another version of the site")
	}
	s.indexing.Store(true)
	if !s.installIndex(s.background, ix, site) {
		return errors.New("the server is closing")
	}
	return nil
}

// SearchIndex is the index search is answering from, or nil.
func (s *Server) SearchIndex() *search.Index { return s.index.Load() }

// catchUpLimit is how many articles an index built for an earlier
// version of the site may lag behind and still be brought up to date;
// beyond it, building again is about as quick.
const catchUpLimit = 500

// installIndex serves ix, the index of site. If edits (Apply) replaced
// site while ix was being built, as when an author saves in the preview
// just after start-up, ix re-indexes the articles they changed first, so
// that steady editing cannot keep search waiting for an index that is
// always one save behind. It reports false when ix cannot serve: the site
// was replaced by a new one (Update), or the server is closing.
func (s *Server) installIndex(ctx context.Context, ix *search.Index, site *content.Site) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.background.Err() != nil {
		return false
	}
	if cur := s.Site(); cur != site {
		changed, ok := content.ChangedArticles(site, cur, catchUpLimit)
		if !ok {
			return false
		}
		if err := ix.Update(ctx, cur, content.Change{Articles: changed}); err != nil {
			return false
		}
	}
	s.searchMu.Lock()
	old := s.index.Swap(ix)
	s.searchMu.Unlock()
	if old != nil {
		old.Close()
	}
	return true
}

// reindexLater builds an index for a new site in the background, once
// indexing has started; s.mu must be held.
func (s *Server) reindexLater() {
	if !s.indexing.Load() {
		return
	}
	go func() {
		start := time.Now()
		if err := s.IndexSearch(s.background); err != nil {
			if s.background.Err() == nil {
				s.log.Error("building the search index", "error", err)
			}
			return
		}
		s.log.Info("search index rebuilt", "took", time.Since(start).String())
	}()
}

// withIndexOf runs publish, which serves site, a Reload of the current
// site that changed as ch says, with the index moved to site: searches
// wait for both. When the index holds another site (it is being built),
// the builder catches up by itself; when updating it fails, or publish
// does, it is built again in the background.
func (s *Server) withIndexOf(site *content.Site, ch content.Change, publish func() error) error {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	ix := s.index.Load()
	if ix == nil || ix.Site() != s.Site() {
		return publish()
	}
	if err := ix.Update(s.background, site, ch); err != nil {
		s.log.Error("updating the search index; building it again", "error", err)
		s.index.Store(nil)
		ix.Close()
		err := publish()
		s.reindexLater()
		return err
	}
	if err := publish(); err != nil {
		// The index holds a site that is not served.
		s.index.Store(nil)
		ix.Close()
		s.reindexLater()
		return err
	}
	return nil
}

// siteSearch searches the index for the site a page is made from.
type siteSearch struct {
	s    *Server
	site *content.Site
}

// Search counts, for monitoring, the time the index took, or a search
// that will be a 503 because the index is not ready.
func (ss siteSearch) Search(ctx context.Context, q search.Query, page, perPage int) (search.Results, error) {
	m := ss.s.metrics
	ix := ss.s.index.Load()
	if ix == nil {
		m.searchUnavailable.Inc()
		return search.Results{}, search.ErrNotReady
	}
	start := time.Now()
	res, err := ix.Search(ctx, ss.site, q, page, perPage)
	switch {
	case errors.Is(err, search.ErrNotReady):
		m.searchUnavailable.Inc()
	case err == nil:
		m.searchLatency.Observe(time.Since(start).Seconds())
	}
	return res, err
}
