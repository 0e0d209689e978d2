// Package search finds the sections of the site's articles that answer a
// reader's words. Every section is a row of a full-text index (SQLite FTS5
// through modernc.org/sqlite: pure Go, so the static build needs no C
// compiler; built in memory, then kept in a file or in memory), ranked by BM25 with words in a section's title counting
// more than words in its text, English words matched by their stems
// (Porter), and synonyms and "Did you mean" from the site's content.
//
// An Index belongs to one version of the site: Search is given the site a
// request is served from and refuses any other, so results made from one
// version are never shown with another.
package search

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
	"modernc.org/sqlite"

	"healthsite/internal/content"
)

// ErrNotReady means the index does not (yet) hold the site asked about:
// it is being built, or being moved to a newer version of the site.
var ErrNotReady = errors.New("the search index is not ready")

// Ranking and paging.
const (
	// Weights of the columns in BM25: a word in a section's title counts
	// ten times one in its text, one in the article's title twice.
	titleWeight, articleWeight, bodyWeight = 10, 2, 1
	// MaxArticles is how many articles the pages of one search go
	// through, best first: 20 pages. A word most articles use matches
	// thousands; nobody reads that far, and ranking them all would cost
	// what the issue of slow common words was about.
	MaxArticles = 200
	// SectionsPerArticle is how many of an article's sections a result
	// shows, best first.
	SectionsPerArticle = 3
	// snippetWords is about one line of text around the matched words.
	snippetWords = 24
)

// Markers around matched words in what FTS5 returns. Indexed text never
// holds control characters (clean), so they cannot be forged by an article
// and are never confused with its text.
const markStart, markEnd = "\x01", "\x02"

// fieldSep separates the texts of a row that show fetches in one column.
const fieldSep = "\x03"

// Index is a full-text index of every section of one version of a site.
// Its methods may be called from any number of goroutines.
type Index struct {
	db *sql.DB
	// conn keeps an in-memory database alive (it lasts as long as a
	// connection to it is open) and makes every change, so changes never
	// wait for a connection that readers hold.
	conn *sql.Conn
	// tmp is the folder of an index kept in a file, removed by Close; ""
	// for one in memory.
	tmp string

	// readers are the connections searches read through, each with the
	// statements prepared on it, handed out in turn (see session).
	readers chan *statements

	// mu is held for reading by a search, for writing by a change.
	mu   sync.RWMutex
	site *content.Site
	// rows are by id, which counts from 1 (rows[0] is unused); a
	// dropped row is left empty.
	rows  []row
	bySlg map[string][]int64
	next  int64
	vocab vocabulary
	thes  thesaurus
	// ranking keeps the ranking tables (terms.go) in step with FTS5's.
	ranking *rankingTables
	// readOnly is set for an index opened from a saved file (Read),
	// which Update does not change; savedArticles is how many articles
	// the file holds, for Bind.
	readOnly      bool
	savedArticles int
}

// statements are the queries of a search, prepared once on a reader's
// connection (a few percent of a search's time at 10,000 articles), with
// lists of rows or words passed as one JSON array rather than written into
// the query.
type statements struct {
	conn                                                      *sql.Conn
	exists, count, sample, text, marked, terms, forward, show *sql.Stmt
}

// shown is one column with what a result shows of a row: the section's
// title and the article's title with the matched words marked, and a
// snippet of the text around them, apart by fieldSep.
var shown = `highlight(sections, 0, '` + markStart + `', '` + markEnd + `') || '` + fieldSep +
	`' || highlight(sections, 1, '` + markStart + `', '` + markEnd + `') || '` + fieldSep +
	`' || snippet(sections, 2, '` + markStart + `', '` + markEnd + `', '…', ` + strconv.Itoa(snippetWords) + `)`

func (st *statements) prepare(ctx context.Context, conn *sql.Conn) error {
	st.conn = conn
	for _, s := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&st.exists, `SELECT 1 FROM sections WHERE sections MATCH ? LIMIT 1`},
		{&st.count, `SELECT count(*) FROM (SELECT 1 FROM sections WHERE sections MATCH ? LIMIT ?)`},
		// FTS5 lists matching rows in order of row, and stops at the
		// bound on rows and at the limit: no ranking.
		{&st.sample, `SELECT rowid FROM sections WHERE sections MATCH ?1 AND rowid <= ?2 LIMIT ?3`},
		{&st.text, `SELECT rowid, title, article, body FROM sections WHERE rowid IN (SELECT value FROM json_each(?))`},
		{&st.marked, `SELECT ` + shown + ` FROM sections WHERE sections MATCH ? LIMIT 1`},
		{&st.terms, `SELECT j.value, t.id, t.rows, t.articles, t.top, t.held, t.head FROM json_each(?) AS j JOIN words AS w ON w.word = j.value JOIN terms AS t ON t.id = w.term`},
		{&st.forward, readRowsSQL},
		// FTS5 finds each of the page's rows by rowid.
		{&st.show, `SELECT rowid, ` + shown + ` FROM sections WHERE sections MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))`},
	} {
		var err error
		if *s.stmt, err = conn.PrepareContext(ctx, s.sql); err != nil {
			return err
		}
	}
	return nil
}

// row returns the row with this id, or none (an empty slug).
func (ix *Index) row(id int64) row {
	if id < 0 || id >= int64(len(ix.rows)) {
		return row{}
	}
	return ix.rows[id]
}

// row is what a search shows of an indexed section besides its text.
type row struct {
	slug    string
	section string // "" for the introduction
}

var dbCount atomic.Int64

// openMemory makes an empty index database in memory, shared by every
// connection of the pool (SQLite's shared cache); the memdb VFS, which
// would let searches read in parallel, kept more than twice the memory (it
// grows one buffer by doubling it). Pages are 64 KiB: SQLite allocates each
// page with a header of its own, and the allocator rounds a 4 KiB page and
// its header up to 8 KiB, while 64 KiB pages are mapped each on their own,
// a few percent over (at 10,000 articles, 82 MB of RSS instead of 181 MB).
func openMemory(ctx context.Context) (*sql.DB, *sql.Conn, error) {
	db, conn, err := openPool(ctx, "file:healthsite-search-"+strconv.FormatInt(dbCount.Add(1), 10)+"?mode=memory&cache=shared")
	if err != nil {
		return nil, nil, err
	}
	// The columns: the section's title, the article's title and the
	// section's text. "porter unicode61": Unicode-aware words, folded to
	// lowercase without diacritics, then stemmed, so "massages" finds
	// "massage". The rank is BM25 with the weights above.
	for _, stmt := range append([]string{
		`PRAGMA page_size = 65536`,
		`CREATE VIRTUAL TABLE sections USING fts5(title, article, body, tokenize = '` + tokenizer + `')`,
		fmt.Sprintf(`INSERT INTO sections(sections, rank) VALUES('rank', 'bm25(%d, %d, %d)')`, titleWeight, articleWeight, bodyWeight),
		`INSERT INTO sections(sections, rank) VALUES('hashsize', 1073741824)`,
	}, rankingSchema...) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			conn.Close()
			db.Close()
			return nil, nil, fmt.Errorf("making the search index: %w", err)
		}
	}
	return db, conn, nil
}

// openPool opens a pool of connections to dsn, one per core and one more,
// and takes one of them for changes.
func openPool(ctx context.Context, dsn string) (*sql.DB, *sql.Conn, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, err
	}
	n := runtime.GOMAXPROCS(0) + 1
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, conn, nil
}

// toFile moves the index into a file in a new folder under dir, where it
// costs the process little memory whatever the size of the site: each
// connection keeps a page cache of 2 MB, and the rest is the system's file
// cache, which it may take back (at 10,000 articles, 26 MB of RSS instead
// of 82 MB, with searches as fast); connections read it in parallel. It is
// built in memory first: writing to disk while FTS5 merged its segments
// made building slower and as variable as the disk (3.7 to 7.5 s against
// 3.0 s in memory, in one sitting), while VACUUM INTO writes the finished
// index in one pass (0.1 s), and the memory goes back to the system. The
// file holds only the articles' text, never a query, and has no journal on
// disk: an index that cannot be trusted is built again, never repaired.
func (ix *Index) toFile(ctx context.Context, dir string) error {
	tmp, err := os.MkdirTemp(dir, "healthsite-search-")
	if err != nil {
		return err
	}
	path := filepath.Join(tmp, "index.db")
	u := url.URL{Scheme: "file", Path: path}
	db, conn, err := func() (*sql.DB, *sql.Conn, error) {
		if _, err := ix.conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
			return nil, nil, err
		}
		return openPool(ctx, u.String()+"?_pragma=journal_mode(MEMORY)&_pragma=synchronous(OFF)&_pragma=mmap_size(4294967296)")
	}()
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("writing the search index to %s: %w", dir, err)
	}
	ix.conn.Close()
	ix.db.Close()
	ix.db, ix.conn, ix.tmp = db, conn, tmp
	return nil
}

// Build indexes every section of site, in a file in a new folder under
// dir (Close removes it; see toFile), or in memory when dir is "" (see
// openMemory). It stops early, with ctx's error, when ctx ends.
func Build(ctx context.Context, site *content.Site, dir string) (*Index, error) {
	db, conn, err := openMemory(ctx)
	if err != nil {
		return nil, err
	}
	ix := &Index{db: db, conn: conn, rows: []row{{}}, bySlg: map[string][]int64{}, vocab: newVocabulary(), ranking: newRankingTables()}
	if err := ix.change(ctx, nil, site.Articles); err != nil {
		ix.Close()
		return nil, err
	}
	// Inserting leaves the index in many segments; merged into one, every
	// search reads one list per word (measured: about a third off a
	// search, for 0.3 s more at 10,000 articles).
	if _, err := conn.ExecContext(ctx, `INSERT INTO sections(sections) VALUES('optimize')`); err != nil {
		ix.Close()
		return nil, err
	}
	if dir != "" {
		if err := ix.toFile(ctx, dir); err != nil {
			ix.Close()
			return nil, err
		}
	}
	if err := ix.openReaders(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("preparing the search queries: %w", err)
	}
	ix.site, ix.thes = site, newThesaurus(site.Synonyms)
	return ix, nil
}

// openReaders opens a reader for each core. A search takes one for its
// whole time (session) rather than a connection of the pool for each of
// its queries: database/sql hands a freed connection to a random waiter,
// and a search of a dozen queries, each waiting in that lottery, waited
// seconds now and then under load; waiters for a reader are served in
// turn.
func (ix *Index) openReaders(ctx context.Context) error {
	n := runtime.GOMAXPROCS(0)
	ix.readers = make(chan *statements, n)
	for range n {
		conn, err := ix.db.Conn(ctx)
		if err != nil {
			return err
		}
		st := &statements{}
		if err := st.prepare(ctx, conn); err != nil {
			conn.Close()
			return err
		}
		ix.readers <- st
	}
	return nil
}

// session starts a search's use of the index: it waits for a reader, which
// done gives back.
func (ix *Index) session(ctx context.Context) (se *session, done func(), err error) {
	select {
	case st := <-ix.readers:
		se = &session{ix: ix, st: st, terms: map[string]*termInfo{}, phrases: map[string]int{}}
		return se, func() { ix.readers <- st }, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// Close frees the index. Searches after Close fail.
func (ix *Index) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// No search holds a reader while mu is held; a second Close finds
	// none.
	for more := true; more; {
		select {
		case st := <-ix.readers:
			st.conn.Close() // and its statements
		default:
			more = false
		}
	}
	ix.conn.Close()
	ix.db.Close()
	if ix.tmp != "" {
		os.RemoveAll(ix.tmp)
	}
	ix.site = nil
}

// Site is the version of the site the index holds.
func (ix *Index) Site() *content.Site {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.site
}

// Update moves the index to site, a Reload of the site it holds that
// changed as ch says: the rows of every article ch names are dropped, and
// those articles that site still has are indexed again. Every other
// article is left as it is.
func (ix *Index) Update(ctx context.Context, site *content.Site, ch content.Change) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.site == nil {
		return errors.New("updating a closed search index")
	}
	if ix.readOnly {
		return errors.New("a saved search index is not changed: build one")
	}
	var gone []string
	var added []*content.Article
	for _, slug := range ch.Articles {
		if _, ok := ix.bySlg[slug]; ok {
			gone = append(gone, slug)
		}
		if a, ok := site.Article(slug); ok {
			added = append(added, a)
		}
	}
	if err := ix.change(ctx, gone, added); err != nil {
		// Part of a change may be in the rows and the vocabulary: this
		// index can no longer be trusted with any site.
		ix.site = nil
		return err
	}
	if site.Synonyms != ix.site.Synonyms { // Reload keeps them unless they changed
		ix.thes = newThesaurus(site.Synonyms)
	}
	ix.site = site
	return nil
}

// change drops the rows of the articles with the slugs in gone and indexes
// the articles in added, in one transaction, in FTS5's table and the
// ranking tables. The caller holds mu, or is Build with the index not yet
// shared. Articles are read into rows on every core while one connection
// writes them.
func (ix *Index) change(ctx context.Context, gone []string, added []*content.Article) error {
	tx, err := ix.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	build := ix.ranking.rows == 0 && len(gone) == 0
	slugOf := func(id int64) string { return ix.row(id).slug }
	if len(gone) > 0 {
		del, err := tx.PrepareContext(ctx, `DELETE FROM sections WHERE rowid = ?`)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, slug := range gone {
			if err := ix.ranking.forget(ctx, tx, ix.bySlg[slug], slugOf); err != nil {
				return err
			}
			a, _ := ix.site.Article(slug)
			for _, id := range ix.bySlg[slug] {
				if _, err := del.ExecContext(ctx, id); err != nil {
					return err
				}
				ix.rows[id] = row{}
			}
			delete(ix.bySlg, slug)
			if a != nil {
				for _, d := range docsOf(a) {
					ix.vocab.add(d.words(seen), -1)
				}
			}
		}
	}

	ins, err := tx.PrepareContext(ctx, `INSERT INTO sections(rowid, title, article, body) VALUES(?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	added = shuffled(added)
	out := make(chan parsedArticle, 64)
	g, gctx := errgroup.WithContext(ctx)
	next := atomic.Int64{}
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			at := map[string]int{}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(added) {
					return nil
				}
				p := parsedArticle{i: i, docs: docsOf(added[i])}
				for _, d := range p.docs {
					counts, length := d.count(at)
					words := make([]string, len(counts))
					for j, c := range counts {
						words[j] = c.word
					}
					p.counts = append(p.counts, counts)
					p.words = append(p.words, words)
					p.lengths = append(p.lengths, length)
				}
				select {
				case out <- p:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
		})
	}
	go func() { _ = g.Wait(); close(out) }()
	keep := slugOf // an update keeps its new rows' terms for the heads
	if build {
		keep = nil
	}
	var insertErr error
	// Articles are written in the order of added, whichever worker read
	// them first.
	early, want := map[int]parsedArticle{}, 0
	for got := range out {
		if insertErr != nil {
			continue // drain, so the workers end
		}
		early[got.i] = got
		for {
			p, ok := early[want]
			if !ok || insertErr != nil {
				break
			}
			delete(early, want)
			want++
			insertErr = ix.insert(ctx, tx, ins, p, keep)
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if insertErr != nil {
		return insertErr
	}
	if err := ix.ranking.flush(ctx, tx, keep); err != nil {
		return err
	}
	if build {
		err = ix.ranking.finishBuild(ctx, tx, slugOf)
	} else {
		err = ix.ranking.finishUpdate(ctx, tx)
	}
	if err != nil {
		return err
	}
	ix.vocab.sort()
	return tx.Commit()
}

// parsedArticle is an article read into rows, with each row's words.
type parsedArticle struct {
	i       int // in change's added
	docs    []doc
	counts  [][]wordCount
	words   [][]string // the words of counts
	lengths []int
}

// insert writes the rows of an article.
func (ix *Index) insert(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, p parsedArticle, keep func(int64) string) error {
	for i, d := range p.docs {
		ix.next++
		if _, err := ins.ExecContext(ctx, ix.next, d.title, d.article, d.body); err != nil {
			return err
		}
		ix.rows = append(ix.rows, row{slug: d.slug, section: d.section})
		ix.bySlg[d.slug] = append(ix.bySlg[d.slug], ix.next)
		ix.vocab.add(p.words[i], 1)
		if err := ix.ranking.add(ctx, tx, ix.next, p.counts[i], p.lengths[i], keep); err != nil {
			return err
		}
	}
	return nil
}

// shuffled is the articles in an order that says nothing of their words
// (by a hash of their slugs), the same at every build: a row's number
// then says nothing of its words either, so the rows FTS5 lists from the
// start of the index are a fair sample of them (rank.go). In the order
// of the slugs, every "aching-..." article, and its title's words, would
// come first.
func shuffled(articles []*content.Article) []*content.Article {
	key := func(a *content.Article) uint64 {
		h := fnv.New64a()
		h.Write([]byte(a.Slug))
		return h.Sum64()
	}
	out := slices.Clone(articles)
	slices.SortFunc(out, func(a, b *content.Article) int {
		return cmp.Or(cmp.Compare(key(a), key(b)), strings.Compare(a.Slug, b.Slug))
	})
	return out
}

// Fragment is a piece of text from a result, Match when it is a word the
// reader searched for (shown in <mark>).
type Fragment struct {
	Text  string
	Match bool
}

// fragments splits text that FTS5 marked with markStart and markEnd.
func fragments(s string) []Fragment {
	var out []Fragment
	for s != "" {
		i := strings.Index(s, markStart)
		if i < 0 {
			return append(out, Fragment{Text: s})
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(markStart):]
		j := strings.Index(s, markEnd)
		if j < 0 {
			j = len(s)
		}
		if j > 0 {
			out = append(out, Fragment{Text: s[:j], Match: true})
		}
		s = s[min(j+len(markEnd), len(s)):]
	}
	return out
}

// queryError keeps what the engine said about a failed query out of
// errors, which are logged: its message could quote the query, and a
// query is health data. Only SQLite's result code is kept.
func queryError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return fmt.Errorf("search query failed: SQLite result code %d", se.Code())
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errors.New("search query failed")
}
