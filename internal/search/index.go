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
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
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
	titleWeight, articleWeight, bodyWeight = 10.0, 2.0, 1.0
	// MaxRanked is how many matching sections are ranked; a query that
	// matches more (a word most articles use) is told it found "more than"
	// so many articles.
	MaxRanked = 1000
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

	stmts statements

	// mu is held for reading by a search, for writing by a change.
	mu    sync.RWMutex
	site  *content.Site
	rows  map[int64]row
	bySlg map[string][]int64
	next  int64
	vocab vocabulary
	thes  thesaurus
}

// statements are the queries of a search, prepared once (a few percent of
// a search's time at 10,000 articles), with the page's rows passed as one
// JSON array rather than written into the query.
type statements struct {
	rank, exists, count, showSome, showAll *sql.Stmt
}

// shown is one column with what a result shows of a row: the section's
// title and the article's title with the matched words marked, and a
// snippet of the text around them, apart by fieldSep.
var shown = `highlight(sections, 0, '` + markStart + `', '` + markEnd + `') || '` + fieldSep +
	`' || highlight(sections, 1, '` + markStart + `', '` + markEnd + `') || '` + fieldSep +
	`' || snippet(sections, 2, '` + markStart + `', '` + markEnd + `', '…', ` + strconv.Itoa(snippetWords) + `)`

func (st *statements) prepare(ctx context.Context, db *sql.DB) error {
	for _, s := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&st.rank, `SELECT rowid FROM sections WHERE sections MATCH ? ORDER BY rank LIMIT ?`},
		{&st.exists, `SELECT 1 FROM sections WHERE sections MATCH ? LIMIT 1`},
		{&st.count, `SELECT count(*) FROM sections WHERE sections MATCH ?`},
		// Two ways to the same rows, measured at 10,000 articles: when
		// thousands of rows match, FTS5 finds each of the page's by rowid;
		// when fewer do, going through them all once and making the text
		// of the page's only is quicker, as each lookup by rowid costs
		// tens of µs.
		{&st.showSome, `SELECT rowid, ` + shown + ` FROM sections WHERE sections MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))`},
		{&st.showAll, `SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?2)) THEN ` + shown + ` END FROM sections WHERE sections MATCH ?1`},
	} {
		var err error
		if *s.stmt, err = db.PrepareContext(ctx, s.sql); err != nil {
			return err
		}
	}
	return nil
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
	for _, stmt := range []string{
		`PRAGMA page_size = 65536`,
		`CREATE VIRTUAL TABLE sections USING fts5(title, article, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
		fmt.Sprintf(`INSERT INTO sections(sections, rank) VALUES('rank', 'bm25(%g, %g, %g)')`, titleWeight, articleWeight, bodyWeight),
	} {
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
		return openPool(ctx, u.String()+"?_pragma=journal_mode(MEMORY)&_pragma=synchronous(OFF)")
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
	ix := &Index{db: db, conn: conn, rows: map[int64]row{}, bySlg: map[string][]int64{}, vocab: newVocabulary()}
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
	if err := ix.stmts.prepare(ctx, ix.db); err != nil {
		ix.Close()
		return nil, fmt.Errorf("preparing the search queries: %w", err)
	}
	ix.site, ix.thes = site, newThesaurus(site.Synonyms)
	return ix, nil
}

// Close frees the index. Searches after Close fail.
func (ix *Index) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
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
// the articles in added, in one transaction. The caller holds mu, or is
// Build with the index not yet shared. Articles are read into rows on
// every core while one connection writes them.
func (ix *Index) change(ctx context.Context, gone []string, added []*content.Article) error {
	tx, err := ix.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if len(gone) > 0 {
		del, err := tx.PrepareContext(ctx, `DELETE FROM sections WHERE rowid = ?`)
		if err != nil {
			return err
		}
		for _, slug := range gone {
			a, _ := ix.site.Article(slug)
			for _, id := range ix.bySlg[slug] {
				if _, err := del.ExecContext(ctx, id); err != nil {
					return err
				}
				delete(ix.rows, id)
			}
			delete(ix.bySlg, slug)
			if a != nil {
				seen := map[string]bool{}
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
	type parsed struct {
		docs  []doc
		words [][]string
	}
	out := make(chan parsed, 64)
	g, gctx := errgroup.WithContext(ctx)
	next := atomic.Int64{}
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			seen := map[string]bool{}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(added) {
					return nil
				}
				p := parsed{docs: docsOf(added[i])}
				for _, d := range p.docs {
					p.words = append(p.words, d.words(seen))
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
	var insertErr error
	for p := range out {
		if insertErr != nil {
			continue // drain, so the workers end
		}
		for i, d := range p.docs {
			ix.next++
			if _, err := ins.ExecContext(ctx, ix.next, d.title, d.article, d.body); err != nil {
				insertErr = err
				break
			}
			ix.rows[ix.next] = row{slug: d.slug, section: d.section}
			ix.bySlg[d.slug] = append(ix.bySlg[d.slug], ix.next)
			ix.vocab.add(p.words[i], 1)
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if insertErr != nil {
		return insertErr
	}
	ix.vocab.sort()
	return tx.Commit()
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
