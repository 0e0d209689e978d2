package search

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"healthsite/internal/content"
)

// Results are one page of what a search found, articles in order of their
// best section.
type Results struct {
	Articles []ArticleHit
	// Total is how many articles were found, or at least found when
	// AtLeast: more sections matched than MaxRanked.
	Total   int
	AtLeast bool
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
	match := matchAll(slots)
	ranked, err := ix.rank(ctx, match)
	if err != nil {
		return res, err
	}
	whole := ix.thes.whole(q.Words)
	if len(ranked) == 0 && !whole {
		words, fixed, err := ix.correct(ctx, q.Words)
		if err != nil {
			return res, err
		}
		if len(fixed) > 0 {
			res.Suggestion, slots, match, ranked = strings.Join(words, " "), fixed, matchAll(fixed), nil
			if ranked, err = ix.rank(ctx, match); err != nil {
				return res, err
			}
		}
	}
	if len(ranked) == 0 && len(slots) > 1 && !whole {
		var fewer []slot
		if fewer, ranked, err = ix.fewerWords(ctx, slots); err != nil {
			return res, err
		}
		if len(ranked) > 0 {
			match, res.Partial = matchAll(fewer), true
		}
	}
	res.AtLeast = len(ranked) == MaxRanked

	groups := ix.group(ranked)
	res.Total = len(groups)
	res.Pages = (len(groups) + perPage - 1) / perPage
	from := (res.Page - 1) * perPage
	if from >= len(groups) {
		return res, nil
	}
	groups = groups[from:min(from+perPage, len(groups))]
	if res.Articles, err = ix.show(ctx, match, groups, !res.AtLeast); err != nil {
		return res, err
	}
	return res, nil
}

// rank returns the ids of the rows matching match, best first, at most
// MaxRanked of them.
func (ix *Index) rank(ctx context.Context, match string) ([]int64, error) {
	rows, err := ix.stmts.rank.QueryContext(ctx, match, MaxRanked)
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, queryError(err)
		}
		ids = append(ids, id)
	}
	return ids, queryError(rows.Err())
}

// group gathers ranked rows by article, in order of each article's best
// row, keeping the first SectionsPerArticle rows of each.
func (ix *Index) group(ranked []int64) [][]int64 {
	var groups [][]int64
	at := map[string]int{}
	for _, id := range ranked {
		slug := ix.rows[id].slug
		i, ok := at[slug]
		if !ok {
			i = len(groups)
			at[slug] = i
			groups = append(groups, nil)
		}
		if len(groups[i]) < SectionsPerArticle {
			groups[i] = append(groups[i], id)
		}
	}
	return groups
}

// show fetches the titles and snippets of the rows of a page of groups,
// with the words that match marked. all says whether ranked held every
// matching row.
func (ix *Index) show(ctx context.Context, match string, groups [][]int64, all bool) ([]ArticleHit, error) {
	var ids strings.Builder // a JSON array, read by json_each
	ids.WriteByte('[')
	for _, g := range groups {
		for _, id := range g {
			if ids.Len() > 1 {
				ids.WriteByte(',')
			}
			ids.WriteString(strconv.FormatInt(id, 10))
		}
	}
	ids.WriteByte(']')
	stmt := ix.stmts.showSome
	if all {
		stmt = ix.stmts.showAll
	}
	rows, err := stmt.QueryContext(ctx, match, ids.String())
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
		h := ArticleHit{Slug: ix.rows[g[0]].slug}
		// A row whose title and snippet mark nothing matched through the
		// article's title alone, as every row of that article does: it
		// is shown only when the article has nothing better, and then
		// only the first.
		anyMarked := hasMarks(got, g)
		for i, id := range g {
			r, text := ix.rows[id], got[id]
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
// returns the words kept and their ranked rows (none when even the rarest
// word alone matches nothing).
// Dropping the common words first keeps the words that say most about
// what the reader looks for, and never ranks the thousands of sections
// that a common word alone (or any of the words, as an OR would) matches.
func (ix *Index) fewerWords(ctx context.Context, slots []slot) ([]slot, []int64, error) {
	count := make([]int, len(slots))
	for i, s := range slots {
		if err := ix.stmts.count.QueryRowContext(ctx, s.match()).Scan(&count[i]); err != nil {
			return nil, nil, queryError(err)
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
		ranked, err := ix.rank(ctx, matchAll(fewer))
		if err != nil || len(ranked) > 0 {
			return fewer, ranked, err
		}
	}
	return nil, nil, nil
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
func (ix *Index) correct(ctx context.Context, words []string) ([]string, []slot, error) {
	fixed := slices.Clone(words)
	options := map[int][]string{}
	for i, w := range words {
		if stopWords[w] || ix.vocab.has(w) || ix.thes.has(w) {
			continue
		}
		// A word the vocabulary lacks may still share a stem with one it
		// has ("hurting" and "hurt").
		if found, err := ix.exists(ctx, phrase([]string{w})); err != nil {
			return nil, nil, err
		} else if found {
			continue
		}
		if near := ix.vocab.nearest(w); len(near) > 0 {
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
			slots := ix.thes.slots(fixed)
			found, err := ix.exists(ctx, matchAll(slots))
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
func (ix *Index) exists(ctx context.Context, match string) (bool, error) {
	var one int
	err := ix.stmts.exists.QueryRowContext(ctx, match).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, queryError(err)
}
