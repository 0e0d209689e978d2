package search

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
)

// The ranking tables. FTS5 ranks by scoring every row that matches before
// it sorts them, and its bm25 first counts every row that has each word
// (for the word's idf): a word in 100,000 sections cost a search 1.6 to
// 2.5 s at 100,000 articles. These tables, in the same database as FTS5's
// and built with it, let a search rank the rows it shows without reading
// the others:
//
//	words    every word of the articles, as written, and its term: the
//	         token FTS5's tokenizer makes of it (its Porter stem), so that
//	         "massages" and "massage" are one term, as FTS5 matches them
//	terms    every term: how many rows and articles have it, its highest
//	         weight in a row, and its head (below)
//	forward  every row: its length in words and its terms, each with its
//	         count weighted by column (10 in the section's title, 2 in the
//	         article's, 1 in the text)
//	corpus   how many rows and words the index has (one row)
//
// A row's score is FTS5's bm25(10, 2, 1), the sum over the query's terms
// of idf(term) × weight(count, length): forward gives it for any row
// exactly. A term's head is its rows with the highest weight, best first,
// at most headLen of them (all of them for a term fewer rows have): a
// single word's best rows are the start of its head, and the heads of a
// query's terms are where rank.go looks for the rows that score best.
//
// Like FTS5's bm25, weights use the average row length; an index keeps
// the one it was built with through edits (Update), so an edited
// article's rows are weighed as a new build would within a few percent,
// and the next build is exact again.

// headLen is how many rows a term's head holds: enough for MaxArticles
// articles of a word in every row of some articles (an article has up to
// ten rows), with room for a ranking of several words to look further.
const headLen = 2048

// bm25's constants, as FTS5 has them.
const bm25K1, bm25B = 1.2, 0.75

// columnWeights are the weights of the columns title, article and body.
var columnWeights = [3]int{titleWeight, articleWeight, bodyWeight}

// tokenizer is FTS5's tokenizer for the index, and for finding the term of
// a word (stems).
const tokenizer = `porter unicode61 remove_diacritics 2`

// weight is the part of a term's bm25 score in a row that its weighted
// count f and the row's length give, before the term's idf, computed in
// the order FTS5 computes it.
func weight(f, length int, avgLength float64) float64 {
	ff := float64(f)
	return ff * (bm25K1 + 1) / (ff + bm25K1*(1-bm25B+bm25B*float64(length)/avgLength))
}

// idf is FTS5's inverse document frequency of a term that rows of the
// index's all rows have; never below minIDF, as FTS5 has it (a term in
// more than half of the rows).
func idf(all, rows int) float64 {
	v := math.Log((float64(all-rows) + 0.5) / (float64(rows) + 0.5))
	if v <= 0 {
		return minIDF
	}
	return v
}

const minIDF = 1e-6

// rankingSchema makes the tables; see above.
var rankingSchema = []string{
	`CREATE TABLE words(word TEXT PRIMARY KEY, term INTEGER NOT NULL) WITHOUT ROWID`,
	`CREATE TABLE terms(id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, rows INTEGER NOT NULL, articles INTEGER NOT NULL, top REAL NOT NULL, held INTEGER NOT NULL, head BLOB NOT NULL)`,
	`CREATE TABLE forward(id INTEGER PRIMARY KEY, length INTEGER NOT NULL, terms BLOB NOT NULL)`,
	`CREATE TABLE corpus(rows INTEGER NOT NULL, words INTEGER NOT NULL, avg_length REAL NOT NULL)`,
}

// termCount is a term of a row and its weighted count.
type termCount struct {
	term int32
	f    int
}

// appendTerms encodes a row's terms, sorted by term: the difference from
// the previous term and the count, each a uvarint.
func appendTerms(b []byte, tcs []termCount) []byte {
	prev := int32(0)
	for _, tc := range tcs {
		b = binary.AppendUvarint(b, uint64(tc.term-prev))
		b = binary.AppendUvarint(b, uint64(tc.f))
		prev = tc.term
	}
	return b
}

// eachTerm calls fn with each term of an encoded row; false when the
// encoding is broken.
func eachTerm(b []byte, fn func(term int32, f int)) bool {
	term := int32(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return false
		}
		f, m := binary.Uvarint(b[n:])
		if m <= 0 {
			return false
		}
		term += int32(d)
		fn(term, int(f))
		b = b[n+m:]
	}
	return true
}

// posting is a row of a term's head: the row, the term's weighted count
// in it and the row's length, which give its weight.
type posting struct {
	row    int64
	f      int
	length int
	w      float64
}

// better orders a head: higher weight first, then lower row.
func better(a, b posting) bool {
	return a.w > b.w || a.w == b.w && a.row < b.row
}

// appendPosting encodes a posting of a head: row, count and length, each
// a uvarint; the weight is computed again when it is read.
func appendPosting(b []byte, p posting) []byte {
	b = binary.AppendUvarint(b, uint64(p.row))
	b = binary.AppendUvarint(b, uint64(p.f))
	return binary.AppendUvarint(b, uint64(p.length))
}

// nextPosting decodes the posting at the start of b and returns the rest;
// ok is false at the end or when the encoding is broken.
func nextPosting(b []byte, avgLength float64) (p posting, rest []byte, ok bool) {
	var v [3]uint64
	for i := range v {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return posting{}, nil, false
		}
		v[i], b = x, b[n:]
	}
	p = posting{row: int64(v[0]), f: int(v[1]), length: int(v[2])}
	p.w = weight(p.f, p.length, avgLength)
	return p, b, true
}

// termStat is what the ranking tables say of a term, kept in memory too
// by the index that changes them.
type termStat struct {
	token    string
	rows     int
	articles int
	top      float64 // the highest weight of a row
}

// rankingTables builds and changes the ranking tables. It belongs to the
// Index and is used under its lock (or by Build before the index is
// shared).
type rankingTables struct {
	// wordTerm is the term of every word; stats is every term's, by id
	// (ids from 1); termID the id of every token.
	wordTerm map[string]int32
	termID   map[string]int32
	stats    []termStat
	// rows and words are how many rows the index has and words they hold;
	// avgLength is the average length of a row when it was built.
	rows      int
	words     int64
	avgLength float64

	// pending are rows counted but not yet written to forward: their
	// new words are stemmed together, a batch at a time.
	pending []pendingRow
	// added are the rows an update indexed, with their terms, for the
	// heads; gone those it dropped.
	added, gone []indexedRow
}

type pendingRow struct {
	id     int64
	words  []wordCount
	length int
}

type indexedRow struct {
	id     int64
	slug   string
	length int
	terms  []termCount
}

func newRankingTables() *rankingTables {
	return &rankingTables{wordTerm: map[string]int32{}, termID: map[string]int32{}, stats: make([]termStat, 1)}
}

// stemBatch is how many rows wait for their new words to be stemmed.
const stemBatch = 1024

// add counts a new row in; its words are copied when they are new. keep
// is flush's slugOf.
func (rt *rankingTables) add(ctx context.Context, tx *sql.Tx, id int64, words []wordCount, length int, keep func(int64) string) error {
	rt.pending = append(rt.pending, pendingRow{id, words, length})
	if len(rt.pending) < stemBatch {
		return nil
	}
	return rt.flush(ctx, tx, keep)
}

// flush writes the pending rows to forward: the words no row had before
// are stemmed by FTS5's own tokenizer, in a scratch table, and become
// terms. slugOf, when not nil, names each row's article: the rows are
// then kept for the heads (an update).
func (rt *rankingTables) flush(ctx context.Context, tx *sql.Tx, slugOf func(int64) string) error {
	if len(rt.pending) == 0 {
		return nil
	}
	var fresh []string
	for _, r := range rt.pending {
		for _, w := range r.words {
			if _, ok := rt.wordTerm[w.word]; !ok {
				w := strings.Clone(w.word)
				rt.wordTerm[w] = 0
				fresh = append(fresh, w)
			}
		}
	}
	if len(fresh) > 0 {
		tokens, err := stem(ctx, tx, fresh)
		if err != nil {
			return err
		}
		addWord, err := tx.PrepareContext(ctx, `INSERT INTO words(word, term) VALUES(?, ?)`)
		if err != nil {
			return err
		}
		defer addWord.Close()
		addTerm, err := tx.PrepareContext(ctx, `INSERT INTO terms(id, token, rows, articles, top, held, head) VALUES(?, ?, 0, 0, 0, 0, x'')`)
		if err != nil {
			return err
		}
		defer addTerm.Close()
		for i, w := range fresh {
			id, ok := rt.termID[tokens[i]]
			if !ok {
				id = int32(len(rt.stats))
				rt.termID[tokens[i]] = id
				rt.stats = append(rt.stats, termStat{token: tokens[i]})
				if _, err := addTerm.ExecContext(ctx, id, tokens[i]); err != nil {
					return err
				}
			}
			rt.wordTerm[w] = id
			if _, err := addWord.ExecContext(ctx, w, id); err != nil {
				return err
			}
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO forward(id, length, terms) VALUES(?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	var buf []byte
	for _, r := range rt.pending {
		tcs := make([]termCount, 0, len(r.words))
		for _, w := range r.words {
			tcs = append(tcs, termCount{rt.wordTerm[w.word], w.f})
		}
		tcs = mergeTerms(tcs)
		buf = appendTerms(buf[:0], tcs)
		if _, err := ins.ExecContext(ctx, r.id, r.length, buf); err != nil {
			return err
		}
		rt.rows++
		rt.words += int64(r.length)
		if slugOf != nil {
			rt.added = append(rt.added, indexedRow{r.id, slugOf(r.id), r.length, tcs})
		}
	}
	rt.pending = rt.pending[:0]
	return nil
}

// mergeTerms sorts a row's terms and adds up the counts of words with one
// term ("pain" and "pains").
func mergeTerms(tcs []termCount) []termCount {
	slices.SortFunc(tcs, func(a, b termCount) int { return int(a.term - b.term) })
	out := tcs[:0]
	for _, tc := range tcs {
		if n := len(out); n > 0 && out[n-1].term == tc.term {
			out[n-1].f += tc.f
			continue
		}
		out = append(out, tc)
	}
	return out
}

// stem returns the term of each word: the tokens FTS5's tokenizer makes of
// it, joined by spaces (one, its stem, for a word of letters; a word FTS5
// makes nothing of is its own term, marked so it cannot be a token). It
// uses a scratch table in the connection's temporary database, made anew
// each time.
func stem(ctx context.Context, tx *sql.Tx, words []string) ([]string, error) {
	for _, stmt := range []string{
		`DROP TABLE IF EXISTS temp.stemmer_tokens`,
		`DROP TABLE IF EXISTS temp.stemmer`,
		`CREATE VIRTUAL TABLE temp.stemmer USING fts5(word, tokenize = '` + tokenizer + `')`,
		`CREATE VIRTUAL TABLE temp.stemmer_tokens USING fts5vocab(temp, stemmer, instance)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return nil, err
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO temp.stemmer(rowid, word) VALUES(?, ?)`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	for i, w := range words {
		if _, err := ins.ExecContext(ctx, i+1, w); err != nil {
			return nil, err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT doc, offset, term FROM temp.stemmer_tokens`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type token struct {
		offset int
		text   string
	}
	byWord := make([][]token, len(words))
	for rows.Next() {
		var doc, offset int
		var text string
		if err := rows.Scan(&doc, &offset, &text); err != nil {
			return nil, err
		}
		if doc < 1 || doc > len(words) {
			return nil, errors.New("stemming: a token of no word")
		}
		byWord[doc-1] = append(byWord[doc-1], token{offset, text})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	out := make([]string, len(words))
	for i, ts := range byWord {
		slices.SortFunc(ts, func(a, b token) int { return a.offset - b.offset })
		parts := make([]string, len(ts))
		for j, t := range ts {
			parts[j] = t.text
		}
		out[i] = strings.Join(parts, " ")
		if out[i] == "" {
			out[i] = "\x00" + words[i]
		}
	}
	return out, nil
}

// readRows calls fn with each row that query (readRowsSQL, prepared or
// not) gives for ids, in order of id.
func readRows(ctx context.Context, query func(ctx context.Context, ids string) (*sql.Rows, error), ids []int64, fn func(id int64, length int, terms []byte) error) error {
	rows, err := query(ctx, idList(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var length int
		var terms []byte
		if err := rows.Scan(&id, &length, &terms); err != nil {
			return err
		}
		if err := fn(id, length, terms); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readRowsSQL reads the forward rows whose ids are in a JSON array.
const readRowsSQL = `SELECT id, length, terms FROM forward WHERE id IN (SELECT value FROM json_each(?))`

// finishBuild computes every term's numbers and head from forward, once
// a new index has every row, and writes them. slugOf names a row's
// article; a row's article is the same as the previous row's or a new
// one (an article's rows are inserted together).
func (rt *rankingTables) finishBuild(ctx context.Context, tx *sql.Tx, slugOf func(int64) string) error {
	if rt.rows > 0 {
		rt.avgLength = float64(rt.words) / float64(rt.rows)
	}
	heads := make([]postingHeap, len(rt.stats))
	lastArticle := make([]int, len(rt.stats))
	for i := range rt.stats {
		rt.stats[i].rows, rt.stats[i].articles, rt.stats[i].top = 0, 0, 0
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, length, terms FROM forward ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	article, prevSlug := 0, ""
	for rows.Next() {
		var id int64
		var length int
		var terms []byte
		if err := rows.Scan(&id, &length, &terms); err != nil {
			return err
		}
		if slug := slugOf(id); slug != prevSlug || article == 0 {
			article, prevSlug = article+1, slug
		}
		ok := eachTerm(terms, func(t int32, f int) {
			st := &rt.stats[t]
			w := weight(f, length, rt.avgLength)
			st.rows++
			if lastArticle[t] != article {
				st.articles++
				lastArticle[t] = article
			}
			st.top = max(st.top, w)
			heads[t].offer(posting{id, f, length, w})
		})
		if !ok {
			return errors.New("search: a broken row of terms")
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for t := 1; t < len(rt.stats); t++ {
		if err := rt.writeTerm(ctx, tx, int32(t), heads[t].sorted()); err != nil {
			return err
		}
	}
	return rt.writeCorpus(ctx, tx)
}

func (rt *rankingTables) writeCorpus(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM corpus`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO corpus(rows, words, avg_length) VALUES(?, ?, ?)`, rt.rows, rt.words, rt.avgLength)
	return err
}

// writeTerm writes a term's numbers and its head, best first.
func (rt *rankingTables) writeTerm(ctx context.Context, tx *sql.Tx, t int32, head []posting) error {
	var b []byte
	for _, p := range head {
		b = appendPosting(b, p)
	}
	st := rt.stats[t]
	if b == nil {
		b = []byte{}
	}
	_, err := tx.ExecContext(ctx, `UPDATE terms SET rows = ?, articles = ?, top = ?, held = ?, head = ? WHERE id = ?`, st.rows, st.articles, st.top, len(head), b, t)
	return err
}

// forget reads the forward rows of ids, which an update drops, for the
// heads, and deletes them. slugOf names their articles (before the rows
// are forgotten).
func (rt *rankingTables) forget(ctx context.Context, tx *sql.Tx, ids []int64, slugOf func(int64) string) error {
	query := func(ctx context.Context, ids string) (*sql.Rows, error) {
		return tx.QueryContext(ctx, readRowsSQL, ids)
	}
	err := readRows(ctx, query, ids, func(id int64, length int, terms []byte) error {
		r := indexedRow{id: id, slug: slugOf(id), length: length}
		if !eachTerm(terms, func(t int32, f int) { r.terms = append(r.terms, termCount{t, f}) }) {
			return errors.New("search: a broken row of terms")
		}
		rt.gone = append(rt.gone, r)
		rt.rows--
		rt.words -= int64(length)
		return nil
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM forward WHERE id IN (SELECT value FROM json_each(?))`, idList(ids))
	return err
}

// finishUpdate moves the numbers and heads of the terms of the rows an
// update dropped (gone) and indexed (added), keeping the average length
// the index was built with. A head that loses rows is not filled up
// again from rows outside it, which only a build reads: it stays a true
// head (no row outside it weighs more), only shorter.
func (rt *rankingTables) finishUpdate(ctx context.Context, tx *sql.Tx) error {
	defer func() { rt.added, rt.gone = nil, nil }()
	if rt.avgLength == 0 { // an index built empty
		if rt.rows > 0 {
			rt.avgLength = float64(rt.words) / float64(rt.rows)
		}
	}
	dropped := map[int32]map[int64]bool{}
	newRows := map[int32][]posting{}
	articleTerms := func(rows []indexedRow, delta int) {
		// A term counts an article once, however many of its rows have it.
		seen := map[string]map[int32]bool{}
		for _, r := range rows {
			if seen[r.slug] == nil {
				seen[r.slug] = map[int32]bool{}
			}
			for _, tc := range r.terms {
				st := &rt.stats[tc.term]
				st.rows += delta
				if !seen[r.slug][tc.term] {
					seen[r.slug][tc.term] = true
					st.articles += delta
				}
				if delta < 0 {
					if dropped[tc.term] == nil {
						dropped[tc.term] = map[int64]bool{}
					}
					dropped[tc.term][r.id] = true
				} else {
					p := posting{r.id, tc.f, r.length, weight(tc.f, r.length, rt.avgLength)}
					st.top = max(st.top, p.w)
					newRows[tc.term] = append(newRows[tc.term], p)
				}
			}
		}
	}
	articleTerms(rt.gone, -1)
	articleTerms(rt.added, 1)
	changed := map[int32]bool{}
	for t := range dropped {
		changed[t] = true
	}
	for t := range newRows {
		changed[t] = true
	}
	read, err := tx.PrepareContext(ctx, `SELECT held, head FROM terms WHERE id = ?`)
	if err != nil {
		return err
	}
	defer read.Close()
	for _, t := range slices.Sorted(maps.Keys(changed)) {
		var held int
		var b []byte
		if err := read.QueryRowContext(ctx, t).Scan(&held, &b); err != nil {
			return err
		}
		head := make([]posting, 0, held+len(newRows[t]))
		for rest := b; len(rest) > 0; {
			p, r, ok := nextPosting(rest, rt.avgLength)
			if !ok {
				return errors.New("search: a broken head")
			}
			rest = r
			if !dropped[t][p.row] {
				head = append(head, p)
			}
		}
		// A head that held every row takes every new one (and is cut
		// at headLen); one that did not takes those that weigh more
		// than its last, since rows outside it may weigh more than the
		// others.
		complete := held >= rt.stats[t].rows-len(newRows[t])+len(dropped[t])
		var fresh []posting
		for _, p := range newRows[t] {
			if complete || len(head) > 0 && better(p, head[len(head)-1]) {
				fresh = append(fresh, p)
			}
		}
		if err := rt.writeTerm(ctx, tx, t, bestOf(head, fresh)); err != nil {
			return err
		}
	}
	return rt.writeCorpus(ctx, tx)
}

// postingHeap keeps the headLen best postings offered: a heap with the
// worst on top.
type postingHeap []posting

func (h *postingHeap) offer(p posting) {
	s := *h
	if len(s) < headLen {
		s = append(s, p)
		for i := len(s) - 1; i > 0; {
			parent := (i - 1) / 2
			if !better(s[parent], s[i]) {
				break
			}
			s[parent], s[i] = s[i], s[parent]
			i = parent
		}
		*h = s
		return
	}
	if !better(p, s[0]) {
		return
	}
	s[0] = p
	for i := 0; ; {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && better(s[worst], s[l]) {
			worst = l
		}
		if r < len(s) && better(s[worst], s[r]) {
			worst = r
		}
		if worst == i {
			break
		}
		s[i], s[worst] = s[worst], s[i]
		i = worst
	}
}

// bestOf is the headLen best of head, a term's head as written (best
// first), and fresh, its new postings, best first. A head is written
// sorted, so an edit merges its few new postings in, instead of sorting
// thousands of postings again for each of its terms (an edit at 10,000
// articles spent most of its 40-200 ms there); a head found out of order
// is sorted whole.
func bestOf(head, fresh []posting) []posting {
	if !slices.IsSortedFunc(head, bestFirst) {
		var h postingHeap
		for _, p := range head {
			h.offer(p)
		}
		for _, p := range fresh {
			h.offer(p)
		}
		return h.sorted()
	}
	slices.SortFunc(fresh, bestFirst)
	out := make([]posting, 0, min(headLen, len(head)+len(fresh)))
	for len(out) < headLen && (len(head) > 0 || len(fresh) > 0) {
		if len(fresh) == 0 || len(head) > 0 && better(head[0], fresh[0]) {
			out, head = append(out, head[0]), head[1:]
		} else {
			out, fresh = append(out, fresh[0]), fresh[1:]
		}
	}
	return out
}

// sorted is the postings, best first.
func (h postingHeap) sorted() []posting {
	out := slices.Clone([]posting(h))
	slices.SortFunc(out, bestFirst)
	return out
}

// bestFirst orders postings by better, for sorting.
func bestFirst(a, b posting) int {
	switch {
	case better(a, b):
		return -1
	case better(b, a):
		return 1
	}
	return 0
}

// readCorpus reads the corpus's counts, for an index read from a saved
// file (saved.go), whose terms' counts stay in the tables, where searches
// read them: an index read this way is never changed.
func (rt *rankingTables) readCorpus(ctx context.Context, conn *sql.Conn) error {
	return conn.QueryRowContext(ctx, `SELECT rows, words, avg_length FROM corpus`).Scan(&rt.rows, &rt.words, &rt.avgLength)
}
