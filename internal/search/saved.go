package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"healthsite/internal/content"
)

// A saved index is the index's SQLite file with three more tables, for
// what searches otherwise keep only in memory: each row's article and
// section, the vocabulary "Did you mean" suggests from, and the next row
// number. A site pack (internal/pack) carries one, so a server starting
// from a pack opens it instead of indexing every article again.
var savedSchema = []string{
	`CREATE TABLE saved_rows(id INTEGER PRIMARY KEY, slug TEXT NOT NULL, section TEXT NOT NULL)`,
	`CREATE TABLE saved_vocab(word TEXT PRIMARY KEY, sections INTEGER NOT NULL) WITHOUT ROWID`,
	`CREATE TABLE saved_index(next INTEGER NOT NULL, articles INTEGER NOT NULL)`,
}

// Save writes the index to a new file at path, which must not exist.
func (ix *Index) Save(ctx context.Context, path string) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.site == nil {
		return errors.New("saving a closed search index")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	if _, err := ix.conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return err
	}
	u := url.URL{Scheme: "file", Path: path}
	db, err := sql.Open("sqlite", u.String()+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for _, stmt := range savedSchema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	insRow, err := tx.PrepareContext(ctx, `INSERT INTO saved_rows(id, slug, section) VALUES(?, ?, ?)`)
	if err != nil {
		return err
	}
	for id, r := range ix.rows {
		if _, err := insRow.ExecContext(ctx, id, r.slug, r.section); err != nil {
			return err
		}
	}
	insWord, err := tx.PrepareContext(ctx, `INSERT INTO saved_vocab(word, sections) VALUES(?, ?)`)
	if err != nil {
		return err
	}
	for w, n := range ix.vocab.count {
		if _, err := insWord.ExecContext(ctx, w, n); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO saved_index(next, articles) VALUES(?, ?)`, ix.next, len(ix.bySlg)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return db.Close()
}

// Open opens an index Save wrote, for site, the site it was saved with:
// Read, then Bind.
func Open(ctx context.Context, path string, site *content.Site) (*Index, error) {
	ix, err := Read(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := ix.Bind(site); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// Read opens an index Save wrote: read-only, as an immutable file (SQLite
// then takes no locks and never checks for changes), mapped into memory.
// It indexes nothing, and needs no site, so a server may read it while
// it loads the site; it serves once Bind gives it its site. Its Update
// fails, so a server that changes the site builds a new index.
func Read(ctx context.Context, path string) (*Index, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: path}
	db, conn, err := openPool(ctx, u.String()+"?mode=ro&immutable=1&_pragma=mmap_size(4294967296)")
	if err != nil {
		return nil, err
	}
	ix := &Index{db: db, conn: conn, rows: map[int64]row{}, bySlg: map[string][]int64{}, vocab: newVocabulary(), ranking: newRankingTables(), readOnly: true}
	if err := ix.readSaved(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("opening the search index %s: %w", path, err)
	}
	if err := ix.openReaders(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("preparing the search queries: %w", err)
	}
	return ix, nil
}

// Bind makes a read index serve site, once it has checked that the index
// holds site's articles and no other.
func (ix *Index) Bind(site *content.Site) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.savedArticles != len(site.Articles) {
		return fmt.Errorf("the search index holds %d articles, and the site has %d", ix.savedArticles, len(site.Articles))
	}
	for slug := range ix.bySlg {
		if _, ok := site.Article(slug); !ok {
			return fmt.Errorf("the search index holds an article %q the site does not have", slug)
		}
	}
	ix.site, ix.thes = site, newThesaurus(site.Synonyms)
	return nil
}

// readSaved reads what Save kept of the index's memory.
func (ix *Index) readSaved(ctx context.Context) error {
	if err := ix.conn.QueryRowContext(ctx, `SELECT next, articles FROM saved_index`).Scan(&ix.next, &ix.savedArticles); err != nil {
		return fmt.Errorf("not a saved index: %w", err)
	}
	rows, err := ix.conn.QueryContext(ctx, `SELECT id, slug, section FROM saved_rows ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug, section string
		if err := rows.Scan(&id, &slug, &section); err != nil {
			return err
		}
		// The rows of an article share its slug, as Build's do.
		if ids := ix.bySlg[slug]; len(ids) > 0 {
			slug = ix.rows[ids[0]].slug
		}
		ix.rows[id] = row{slug: slug, section: section}
		ix.bySlg[slug] = append(ix.bySlg[slug], id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	words, err := ix.conn.QueryContext(ctx, `SELECT word, sections FROM saved_vocab`)
	if err != nil {
		return err
	}
	defer words.Close()
	for words.Next() {
		var w string
		var n int
		if err := words.Scan(&w, &n); err != nil {
			return err
		}
		ix.vocab.count[w] = n
	}
	if err := words.Err(); err != nil {
		return err
	}
	ix.vocab.sort()
	return ix.ranking.read(ctx, ix.conn)
}
