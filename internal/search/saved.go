package search

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"unsafe"

	"healthsite/internal/content"
)

// A saved index is the index's SQLite file with one more table, saved,
// of what searches otherwise keep only in memory: each row's article and
// section, the vocabulary "Did you mean" suggests from, and every word's
// term. Each is one blob, read in one step: as rows of a table, 800,000
// rows at 100,000 articles took a second and a half to read.
var savedSchema = []string{
	`CREATE TABLE saved(name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID`,
}

// The blobs of the saved table.
const (
	savedIndex = "index" // next row, articles: two uvarints
	// savedRows: the slugs (a count, then each), the section ids (the
	// same), then for every row from 1 to next the place of its slug
	// in the list plus one (0 for a dropped row) and of its section.
	savedRows = "rows"
	// savedVocab: a count, then each word and how many sections use it.
	savedVocab = "vocab"
	// savedWords: a count, then each word and its term.
	savedWords = "words"
)

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
	for name, value := range map[string][]byte{
		savedIndex: binary.AppendUvarint(binary.AppendUvarint(nil, uint64(ix.next)), uint64(len(ix.bySlg))),
		savedRows:  ix.encodeRows(),
		savedVocab: encodeCounts(ix.vocab.count),
		savedWords: encodeCounts(ix.ranking.wordTerm),
	} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO saved(name, value) VALUES(?, ?)`, name, value); err != nil {
			return err
		}
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
	ix := &Index{db: db, conn: conn, vocab: newVocabulary(), ranking: newRankingTables(), readOnly: true}
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

// encodeRows is the savedRows blob.
func (ix *Index) encodeRows() []byte {
	var slugs, sections numbered
	var places []uint64
	for id := int64(1); id <= ix.next; id++ {
		r := ix.row(id)
		if r.slug == "" {
			places = append(places, 0, 0)
			continue
		}
		places = append(places, uint64(slugs.place(r.slug))+1, uint64(sections.place(r.section)))
	}
	b := slugs.append(nil)
	b = sections.append(b)
	for _, p := range places {
		b = binary.AppendUvarint(b, p)
	}
	return b
}

// numbered numbers distinct strings in the order they come.
type numbered struct {
	list []string
	at   map[string]int
}

func (s *numbered) place(v string) int {
	if s.at == nil {
		s.at = map[string]int{}
	}
	i, ok := s.at[v]
	if !ok {
		i = len(s.list)
		s.at[v] = i
		s.list = append(s.list, v)
	}
	return i
}

func (s *numbered) append(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s.list)))
	for _, v := range s.list {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

// encodeCounts writes a map of words to numbers, in the order of the words
// (so a pack built twice is the same).
func encodeCounts[N int | int32](m map[string]N) []byte {
	b := binary.AppendUvarint(nil, uint64(len(m)))
	for _, w := range slices.Sorted(maps.Keys(m)) {
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
		b = binary.AppendUvarint(b, uint64(m[w]))
	}
	return b
}

// blobReader reads the saved blobs. Its strings point into the blob,
// which they keep alive: one allocation for all the words, not one each.
type blobReader struct {
	b   []byte
	err error
}

func (r *blobReader) uint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err, r.b = errors.New("a saved blob ends too soon"), nil
		return 0
	}
	r.b = r.b[k:]
	return n
}

// count reads a number of things each at least a byte long.
func (r *blobReader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.err, r.b = errors.New("a saved blob counts more than it holds"), nil
		return 0
	}
	return int(n)
}

func (r *blobReader) string() string {
	n := r.count()
	if n == 0 {
		return ""
	}
	s := unsafe.String(&r.b[0], n)
	r.b = r.b[n:]
	return s
}

func (r *blobReader) strings() []string {
	out := make([]string, r.count())
	for i := range out {
		out[i] = r.string()
	}
	return out
}

// readSaved reads what Save kept of the index's memory.
func (ix *Index) readSaved(ctx context.Context) error {
	blobs := map[string]*blobReader{}
	rows, err := ix.conn.QueryContext(ctx, `SELECT name, value FROM saved`)
	if err != nil {
		return fmt.Errorf("not a saved index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var value []byte
		if err := rows.Scan(&name, &value); err != nil {
			return err
		}
		blobs[name] = &blobReader{b: value}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range []string{savedIndex, savedRows, savedVocab, savedWords} {
		if blobs[name] == nil {
			return fmt.Errorf("not a saved index: no %s", name)
		}
	}
	r := blobs[savedIndex]
	ix.next, ix.savedArticles = int64(r.uint()), int(r.uint())
	r = blobs[savedRows]
	slugs, sections := r.strings(), r.strings()
	if ix.next < 0 || ix.next > int64(len(r.b)) {
		return errors.New("a saved index with more rows than it holds")
	}
	ix.rows = make([]row, ix.next+1)
	ix.bySlg = make(map[string][]int64, len(slugs))
	for id := int64(1); id <= ix.next; id++ {
		slug, section := r.uint(), r.uint()
		if slug == 0 {
			continue
		}
		if slug > uint64(len(slugs)) || section >= uint64(len(sections)) {
			return errors.New("a saved row of no article")
		}
		s := slugs[slug-1]
		ix.rows[id] = row{slug: s, section: sections[section]}
		ix.bySlg[s] = append(ix.bySlg[s], id)
	}
	r = blobs[savedVocab]
	n := r.count()
	ix.vocab.count = make(map[string]int, n)
	for range n {
		w := r.string()
		ix.vocab.count[w] = int(r.uint())
	}
	ix.vocab.sort()
	r = blobs[savedWords]
	n = r.count()
	ix.ranking.wordTerm = make(map[string]int32, n)
	for range n {
		w := r.string()
		ix.ranking.wordTerm[w] = int32(r.uint())
	}
	for _, b := range blobs {
		if b.err != nil {
			return b.err
		}
	}
	return ix.ranking.readCorpus(ctx, ix.conn)
}
