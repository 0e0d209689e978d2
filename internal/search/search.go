package search

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"healthsite/internal/content"
)

// Results are one page of what a search found, articles in order of their
// best section.
type Results struct {
	Articles []ArticleHit
	// Total is how many articles were found: exactly, or about so many
	// when About (counting every match of words most articles use would
	// cost more than the page; see rank.go).
	Total int
	About bool
	// Listed is how many of them the pages go through, best first: Total,
	// or fewer (at most MaxArticles).
	Listed int
	// Page is this page, from 1, of Pages.
	Page, Pages int
	// Partial means no section has every word searched for: these have
	// some of them.
	Partial bool
	// Suggestion is a spelling of the query that finds sections ("Did you
	// mean ...?"), offered when the query as typed finds none; empty
	// otherwise. The results are then those of the suggestion.
	Suggestion string
}

// ArticleHit is an article with its best matching sections.
type ArticleHit struct {
	Slug  string
	Title []Fragment
	// Intro is a snippet of the introduction when it matched, else nil.
	Intro    []Fragment
	Sections []SectionHit
}

// SectionHit is a matching "##" section.
type SectionHit struct {
	ID      string
	Title   []Fragment
	Snippet []Fragment
}

// Search finds the sections of site that match q and returns page (from
// 1) of the articles holding them, perPage to a page. It returns
// ErrNotReady when the index holds another version of the site.
//
// Every word must match, a synonym of it, or a word with the same stem.
// When nothing matches, a spelling correction that finds something is
// tried, then the query without its most common words (fewerWords).
func (ix *Index) Search(ctx context.Context, site *content.Site, q Query, page, perPage int) (Results, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.site == nil || ix.site != site {
		return Results{}, ErrNotReady
	}
	res := Results{Page: max(page, 1)}
	slots := ix.thes.slots(q.Words)
	if len(slots) == 0 {
		return res, nil
	}
	se, done, err := ix.session(ctx)
	if err != nil {
		return res, err
	}
	defer done()
	p, err := se.plan(ctx, slots)
	if err != nil {
		return res, err
	}
	r, err := se.rank(ctx, p)
	if err != nil {
		return res, err
	}
	// A distinct phrase ("sore throat") is taken whole: never respelt or
	// cut down to some of its words, which would mean something else.
	whole := ix.thes.whole(q.Words)
	if len(r.articles) == 0 && !whole {
		words, fixed, err := se.correct(ctx, q.Words)
		if err != nil {
			return res, err
		}
		if len(fixed) > 0 {
			res.Suggestion, slots = strings.Join(words, " "), fixed
			if p, err = se.plan(ctx, slots); err != nil {
				return res, err
			}
			if r, err = se.rank(ctx, p); err != nil {
				return res, err
			}
		}
	}
	if len(r.articles) == 0 && len(slots) > 1 && !whole {
		fewer, err := se.fewerWords(ctx, slots)
		if err != nil {
			return res, err
		}
		if fewer != nil {
			if p, err = se.plan(ctx, fewer); err != nil {
				return res, err
			}
			if r, err = se.rank(ctx, p); err != nil {
				return res, err
			}
			res.Partial = len(r.articles) > 0
		}
	}
	res.Total, res.About, res.Listed = r.total, !r.exact, len(r.articles)
	res.Pages = (len(r.articles) + perPage - 1) / perPage
	from := (res.Page - 1) * perPage
	if from >= len(r.articles) {
		return res, nil
	}
	groups, err := se.sections(ctx, p, r.articles[from:min(from+perPage, len(r.articles))])
	if err != nil {
		return res, err
	}
	if res.Articles, err = se.show(ctx, p.match, groups); err != nil {
		return res, err
	}
	return res, nil
}

// show fetches the titles and snippets of the rows of a page of groups,
// with the words that match marked.
func (se *session) show(ctx context.Context, match string, groups [][]int64) ([]ArticleHit, error) {
	var ids []int64
	for _, g := range groups {
		ids = append(ids, g...)
	}
	rows, err := se.st.show.QueryContext(ctx, match, idList(ids))
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	got := map[int64][]string{}
	for rows.Next() {
		var id int64
		var text sql.NullString
		if err := rows.Scan(&id, &text); err != nil {
			return nil, queryError(err)
		}
		if parts := strings.Split(text.String, fieldSep); text.Valid && len(parts) == 3 {
			got[id] = parts
		}
	}
	if err := rows.Err(); err != nil {
		return nil, queryError(err)
	}
	hits := make([]ArticleHit, 0, len(groups))
	for _, g := range groups {
		h := ArticleHit{Slug: se.ix.row(g[0]).slug}
		// A row whose title and snippet mark nothing matched through the
		// article's title alone, as every row of that article does: it
		// is shown only when the article has nothing better, and then
		// only the first.
		anyMarked := hasMarks(got, g)
		for i, id := range g {
			r, text := se.ix.row(id), got[id]
			if len(text) != 3 {
				return nil, errors.New("search: a ranked row is missing")
			}
			if i == 0 {
				h.Title = fragments(text[1])
			}
			title, snippet := fragments(text[0]), fragments(text[2])
			if !anyMatch(title) && !anyMatch(snippet) && (anyMarked || i > 0) {
				continue
			}
			if r.section == "" {
				h.Intro = snippet
				continue
			}
			h.Sections = append(h.Sections, SectionHit{ID: r.section, Title: title, Snippet: snippet})
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func anyMatch(fs []Fragment) bool {
	for _, f := range fs {
		if f.Match {
			return true
		}
	}
	return false
}

// hasMarks reports whether any of the rows' title or snippet marks a word.
func hasMarks(got map[int64][]string, ids []int64) bool {
	for _, id := range ids {
		if t := got[id]; len(t) == 3 && (strings.Contains(t[0], markStart) || strings.Contains(t[2], markStart)) {
			return true
		}
	}
	return false
}

// fewerWords drops the query's words that no section has, then its most
// common words, one at a time, until sections have every word left, and
// returns the slots kept (nil when even the rarest word alone matches
// nothing). How common a word is comes from the terms table.
// Dropping the common words first keeps the words that say most about
// what the reader looks for, and never ranks the thousands of sections
// that a common word alone (or any of the words, as an OR would) matches.
func (se *session) fewerWords(ctx context.Context, slots []slot) ([]slot, error) {
	p, err := se.plan(ctx, slots)
	if err != nil {
		return nil, err
	}
	count := make([]int, len(slots))
	for i, s := range p.slots {
		if count[i], err = se.slotRows(ctx, s, slots[i]); err != nil {
			return nil, err
		}
	}
	kept := make([]bool, len(slots))
	for i := range kept {
		kept[i] = true
	}
	for range len(slots) - 1 {
		// A word no section has goes first; then the commonest.
		drop := -1
		for i := range slots {
			if kept[i] && (drop < 0 || count[i] == 0 || count[drop] != 0 && count[i] > count[drop]) {
				drop = i
			}
		}
		kept[drop] = false
		var fewer []slot
		for i, s := range slots {
			if kept[i] {
				fewer = append(fewer, s)
			}
		}
		p, err := se.plan(ctx, fewer)
		if err != nil {
			return nil, err
		}
		if found, err := se.anyMatch(ctx, p); err != nil || found {
			return fewer, err
		}
	}
	return nil, nil
}

// slotRows is how many rows have a slot: the terms table's count for a
// word, FTS5's for synonyms when their terms have few rows (their rows
// may overlap, and a phrase's words may be apart), else the sum of their
// terms' counts.
func (se *session) slotRows(ctx context.Context, qs qslot, s slot) (int, error) {
	n := 0
	for _, a := range qs.alts {
		n += a.src.rows
	}
	if len(qs.alts) == 1 && len(qs.alts[0].terms) == 1 || n > countLimit {
		return n, nil
	}
	err := se.st.count.QueryRowContext(ctx, s.match(), countLimit).Scan(&n)
	return n, queryError(err)
}

// maxCorrections is how many words of one query "Did you mean" may
// change: a query with more unknown words is not a misspelling of
// anything here.
const maxCorrections = 4

// correct spells the unknown words of a query as near words of the index.
// It returns the corrected words and their slots when that finds
// sections, and nil otherwise. Common words, synonyms and words the index
// has are left as they are. Each unknown word takes the first of its
// spellings (nearest) with which the query finds something, or the
// first.
func (se *session) correct(ctx context.Context, words []string) ([]string, []slot, error) {
	fixed := slices.Clone(words)
	options := map[int][]string{}
	for i, w := range words {
		if stopWords[w] || se.ix.vocab.has(w) || se.ix.thes.has(w) {
			continue
		}
		// A word the vocabulary lacks may still share a stem with one it
		// has ("hurting" and "hurt").
		if found, err := se.exists(ctx, phrase([]string{w})); err != nil {
			return nil, nil, err
		} else if found {
			continue
		}
		if near := se.ix.vocab.nearest(w); len(near) > 0 {
			options[i] = near
			fixed[i] = near[0]
		}
	}
	if len(options) == 0 || len(options) > maxCorrections {
		return nil, nil, nil
	}
	for i := range words {
		for _, spelling := range options[i] {
			fixed[i] = spelling
			slots := se.ix.thes.slots(fixed)
			p, err := se.plan(ctx, slots)
			if err != nil {
				return nil, nil, err
			}
			found, err := se.anyMatch(ctx, p)
			if err != nil {
				return nil, nil, err
			}
			if found {
				return fixed, slots, nil
			}
		}
		if len(options[i]) > 0 {
			fixed[i] = options[i][0]
		}
	}
	return nil, nil, nil
}

// exists reports whether any row matches match.
func (se *session) exists(ctx context.Context, match string) (bool, error) {
	var one int
	err := se.st.exists.QueryRowContext(ctx, match).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, queryError(err)
}
