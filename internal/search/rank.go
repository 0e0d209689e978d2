package search

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Ranking a query with the ranking tables (terms.go), at a cost bounded by
// MaxArticles and the constants below rather than by how many rows match:
//
//   - One word (one term, no synonyms): its head holds its best rows in
//     order, and the terms table how many articles have it. Exact.
//   - Otherwise FTS5 first lists the matching rows in order of row, with
//     no ranking (cheap), from the start of the index: up to countLimit
//     of them, over at most the part of the index where its rarest word
//     has scanRows rows. When that is every match, they are ranked from
//     forward and counted: exact. When it is not, it is a sample (articles
//     are numbered in an order that says nothing of their words, see
//     shuffled), from which the number of matching articles is estimated
//     ("about"), and the rows to show are found in the heads of the
//     query's terms, the threshold algorithm of Fagin, Lotem and Naor: a
//     batch of rows from each head in turn, each new row scored from
//     forward, until MaxArticles articles are found with the first page
//     proven (no row not yet read can score more than its tenth article),
//     or rankBudget rows were read (then the best of those, and of the
//     sample's when that is fewer than MaxArticles), or every head is
//     read.
//
// Every step reads what it reads in the same order whatever page was
// asked for, so page 2 continues page 1, and two searches for the same
// words give the same pages.
const (
	countLimit = 1024
	scanRows   = 16384
	// sampleEnough matches estimate how many there are within a few
	// percent.
	sampleEnough = 256
	rankBudget   = 2048
	// rankBatch is how many rows of a head are read and scored at once.
	rankBatch = 128
	// exactArticles is how many articles the heads' ranking proves it
	// has in order before it may stop at MaxArticles: the first page.
	exactArticles = 10
)

// termInfo is what the ranking tables say of a word's term.
type termInfo struct {
	id       int32
	rows     int
	articles int
	held     int
	top      float64
	head     []byte
}

// qterm is a term of a query being ranked: its numbers, its idf, and how
// far its head has been read.
type qterm struct {
	termInfo
	idf  float64
	rest []byte  // the head not read yet
	next posting // its first row, when more
	more bool
	last float64 // the weight of the last row read
}

// start readies the term's head for reading.
func (t *qterm) start(avgLength float64) {
	t.rest = t.head
	t.advance(avgLength)
}

func (t *qterm) advance(avgLength float64) {
	if t.more {
		t.last = t.next.w
	}
	t.next, t.rest, t.more = nextPosting(t.rest, avgLength)
}

// bound is the most a row not yet read from the head can weigh by this
// term (before its idf).
func (t *qterm) bound() float64 {
	switch {
	case t.more:
		return t.next.w
	case t.held >= t.rows: // every row read
		return 0
	case t.last > 0:
		return t.last
	}
	return t.top
}

// qalt is an alternative of a slot: one term for a word, several for a
// phrase. src is its term with the fewest rows: every row that has the
// alternative is in src's rows. idf is the term's, or the phrase's (of
// the rows that have the phrase, as FTS5 counts them).
type qalt struct {
	terms []*qterm
	src   *qterm
	idf   float64
}

// bound is the most a row not yet read from the head of the
// alternative's src can score by the alternative: a phrase is in a row
// at most as often as each of its words.
func (a qalt) bound() float64 { return a.idf * a.src.bound() }

type qslot struct{ alts []qalt }

// plan is a query ready to rank: its slots with their terms, and its FTS5
// expression, which matches exactly the same rows (a row with every word
// of a phrase matches only if they are together: rescore).
type plan struct {
	slots []qslot
	terms []*qterm // every distinct term, by id
	match string
	// none says some slot has no alternative any row has: the query
	// matches nothing.
	none bool
	// f is scratch for scoring: the count of each of terms in a row.
	f []int
}

// session is one search's use of the index: a reader (a connection of
// its own, with the statements prepared on it), and what the search read
// of the words' terms and the phrases' counts, kept for each ranking it
// makes (the query, a spelling, fewer words).
type session struct {
	ix      *Index
	st      *statements
	terms   map[string]*termInfo
	phrases map[string]int
}

// lookup finds the term of each word not looked up yet: in the words
// table, or, for a word no article uses as written ("hurting", "cafe"),
// through the first row FTS5 matches with it, whose matched word is in the
// table. A word no row has is kept as nil.
func (se *session) lookup(ctx context.Context, words []string) error {
	cache := se.terms
	var want []string
	for _, w := range words {
		if _, ok := cache[w]; !ok && !slices.Contains(want, w) {
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		return nil
	}
	found, err := se.termsOf(ctx, want)
	if err != nil {
		return err
	}
	for _, w := range want {
		t, ok := found[w]
		if !ok {
			if t, err = se.termByMatch(ctx, w); err != nil {
				return err
			}
		}
		cache[w] = t
	}
	return nil
}

// termsOf reads the terms of the words the words table has.
func (se *session) termsOf(ctx context.Context, words []string) (map[string]*termInfo, error) {
	rows, err := se.st.terms.QueryContext(ctx, stringList(words))
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	found := map[string]*termInfo{}
	for rows.Next() {
		var w string
		t := &termInfo{}
		if err := rows.Scan(&w, &t.id, &t.rows, &t.articles, &t.top, &t.held, &t.head); err != nil {
			return nil, queryError(err)
		}
		found[w] = t
	}
	return found, queryError(rows.Err())
}

// termByMatch finds the term of a word the words table lacks: FTS5
// matches it by its stem, and the first word it marks in the first row it
// matches is a word of the table with that stem.
func (se *session) termByMatch(ctx context.Context, word string) (*termInfo, error) {
	var text string
	err := se.st.marked.QueryRowContext(ctx, phrase([]string{word})).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, queryError(err)
	}
	for _, f := range fragments(text) {
		if !f.Match {
			continue
		}
		for _, w := range Words(f.Text) {
			found, err := se.termsOf(ctx, []string{w})
			if err != nil || found[w] != nil {
				return found[w], err
			}
		}
	}
	return nil, nil
}

// phraseRows is how many rows have a phrase, as FTS5 counts them for its
// idf, up to scanRows; beyond, the count of the rarest word's rows, which
// is more.
func (se *session) phraseRows(ctx context.Context, words []string, rarest int) (int, error) {
	key := strings.Join(words, " ")
	if n, ok := se.phrases[key]; ok {
		return n, nil
	}
	var n int
	if err := se.st.count.QueryRowContext(ctx, phrase(words), scanRows).Scan(&n); err != nil {
		return 0, queryError(err)
	}
	if n == scanRows {
		n = max(n, rarest)
	}
	se.phrases[key] = n
	return n, nil
}

// plan reads the terms of slots.
func (se *session) plan(ctx context.Context, slots []slot) (*plan, error) {
	var words []string
	for _, s := range slots {
		for _, a := range s.alts {
			words = append(words, a...)
		}
	}
	if err := se.lookup(ctx, words); err != nil {
		return nil, err
	}
	cache := se.terms
	p := &plan{match: matchAll(slots)}
	byID := map[int32]*qterm{}
	for _, s := range slots {
		var qs qslot
	alts:
		for _, a := range s.alts {
			var qa qalt
			for _, w := range a {
				info := cache[w]
				if info == nil {
					continue alts // a word no row has: so has no row the alternative
				}
				t := byID[info.id]
				if t == nil {
					t = &qterm{termInfo: *info, idf: idf(se.ix.ranking.rows, info.rows)}
					t.start(se.ix.ranking.avgLength)
					byID[info.id] = t
					p.terms = append(p.terms, t)
				}
				qa.terms = append(qa.terms, t)
				if qa.src == nil || t.rows < qa.src.rows {
					qa.src = t
				}
			}
			qa.idf = qa.src.idf
			if len(qa.terms) > 1 {
				n, err := se.phraseRows(ctx, a, qa.src.rows)
				if err != nil {
					return nil, err
				}
				if n == 0 {
					continue // the words are never together
				}
				qa.idf = idf(se.ix.ranking.rows, n)
			}
			qs.alts = append(qs.alts, qa)
		}
		if len(qs.alts) == 0 {
			p.none = true
		}
		p.slots = append(p.slots, qs)
	}
	slices.SortFunc(p.terms, func(a, b *qterm) int { return cmp.Compare(a.id, b.id) })
	p.f = make([]int, len(p.terms))
	return p, nil
}

// oneTerm is the term of a query of one word with no synonyms, else nil.
func (p *plan) oneTerm() *qterm {
	if len(p.slots) == 1 && len(p.slots[0].alts) == 1 && len(p.slots[0].alts[0].terms) == 1 {
		return p.slots[0].alts[0].terms[0]
	}
	return nil
}

// score is a row's score for the query from its forward terms (bm25(10,
// 2, 1), as FTS5 computes it), and whether it has every slot. check says
// the row has every word of a phrase: whether they are together, and how
// often, only its text says (rescore), which then gives the row's score
// and whether it matches.
func (p *plan) score(terms []byte, length int, avgLength float64) (score float64, ok, check bool, err error) {
	clear(p.f)
	i := 0
	if !eachTerm(terms, func(t int32, f int) {
		for i < len(p.terms) && p.terms[i].id < t {
			i++
		}
		if i < len(p.terms) && p.terms[i].id == t {
			p.f[i] = f
		}
	}) {
		return 0, false, false, errors.New("search: a broken row of terms")
	}
	countOf := func(t *qterm) int {
		j, _ := slices.BinarySearchFunc(p.terms, t.id, func(q *qterm, id int32) int { return cmp.Compare(q.id, id) })
		return p.f[j]
	}
	for _, s := range p.slots {
		met := false
		for _, a := range s.alts {
			if len(a.terms) > 1 {
				all := true
				for _, t := range a.terms {
					all = all && countOf(t) > 0
				}
				met = met || all
				check = check || all
				continue
			}
			if f := countOf(a.src); f > 0 {
				met = true
				score += a.idf * weight(f, length, avgLength)
			}
		}
		if !met {
			return 0, false, false, nil
		}
	}
	return score, true, check, nil
}

// scoreText is a row's score and whether it has every slot, from the terms
// of its columns in order (title, article, body): what score says, with
// each phrase counted where its words are together, as FTS5 counts it.
func (p *plan) scoreText(cols [3][]int32, avgLength float64) (float64, bool) {
	length := len(cols[0]) + len(cols[1]) + len(cols[2])
	score := 0.0
	for _, s := range p.slots {
		met := false
		for _, a := range s.alts {
			f := 0
			for c, col := range cols {
				f += columnWeights[c] * runs(col, a.terms)
			}
			if f > 0 {
				met = true
				score += a.idf * weight(f, length, avgLength)
			}
		}
		if !met {
			return 0, false
		}
	}
	return score, true
}

// runs counts the places where col holds the terms one after another.
func runs(col []int32, terms []*qterm) int {
	n := 0
	for i := 0; i+len(terms) <= len(col); i++ {
		j := 0
		for j < len(terms) && col[i+j] == terms[j].id {
			j++
		}
		if j == len(terms) {
			n++
		}
	}
	return n
}

// hit is an article found, with the score and id of its best row found.
type hit struct {
	slug  string
	score float64
	row   int64
}

func byScore(a, b hit) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.row, b.row))
}

// ranking is what rank found: the articles best first, at most
// MaxArticles, and how many articles match, exactly or estimated.
type ranking struct {
	articles []hit
	total    int
	exact    bool
}

// rank ranks the articles that match p; see the top of the file.
func (se *session) rank(ctx context.Context, p *plan) (ranking, error) {
	if p.none {
		return ranking{exact: true}, nil
	}
	if t := p.oneTerm(); t != nil {
		return se.rankHead(t), nil
	}
	ids, complete, covered, err := se.sample(ctx, p, countLimit, scanRows)
	if err != nil {
		return ranking{}, err
	}
	if complete {
		return se.rankAll(ctx, p, ids)
	}
	found, err := se.rankHeads(ctx, p, MaxArticles, rankBudget, true)
	if err != nil {
		return ranking{}, err
	}
	if len(found) < MaxArticles {
		// The heads hold few rows with every word (each word is
		// prominent where the others are not): the sample's rows are
		// matches too.
		sampled, err := se.rankAll(ctx, p, ids)
		if err != nil {
			return ranking{}, err
		}
		best := map[string]int{}
		merged := []hit{}
		for _, h := range append(found, sampled.articles...) {
			merged = addHit(merged, best, h)
		}
		slices.SortFunc(merged, byScore)
		found = merged[:min(len(merged), MaxArticles)]
	}
	// The articles of the sample, over the part of the index it covers.
	articles, prev := 0, ""
	for _, id := range ids {
		if s := se.ix.row(id).slug; s != prev {
			articles, prev = articles+1, s
		}
	}
	estimate := roughly(float64(articles) * float64(se.ix.next) / float64(max(covered, 1)))
	return ranking{articles: found, total: max(estimate, len(found))}, nil
}

// roughly rounds an estimate to two significant digits.
func roughly(x float64) int {
	if x < 100 {
		return int(math.Round(x))
	}
	unit := math.Pow(10, math.Floor(math.Log10(x))-1)
	return int(math.Round(x/unit) * unit)
}

// rankHead ranks the articles of one term's head.
func (se *session) rankHead(t *qterm) ranking {
	r := ranking{total: t.articles, exact: true}
	seen := map[string]bool{}
	for p, rest, ok := nextPosting(t.head, se.ix.ranking.avgLength); ok && len(r.articles) < MaxArticles; p, rest, ok = nextPosting(rest, se.ix.ranking.avgLength) {
		slug := se.ix.row(p.row).slug
		if !seen[slug] && slug != "" {
			seen[slug] = true
			r.articles = append(r.articles, hit{slug, t.idf * p.w, p.row})
		}
	}
	return r
}

// sample lists the rows FTS5 matches with p, in order of row, up to limit,
// over at most the part of the index where p's rarest slot has scan rows.
// complete says they are every row that matches; covered is the highest
// row the listing got to.
func (se *session) sample(ctx context.Context, p *plan, limit, scan int) (ids []int64, complete bool, covered int64, err error) {
	rarest := math.MaxInt
	for _, s := range p.slots {
		n := 0
		for _, a := range s.alts {
			n += a.src.rows
		}
		rarest = min(rarest, n)
	}
	upTo := se.ix.next
	if rarest > scan {
		upTo = max(1, int64(float64(se.ix.next)*float64(scan)/float64(rarest)))
	}
	rows, err := se.st.sample.QueryContext(ctx, p.match, upTo, limit)
	if err != nil {
		return nil, false, 0, queryError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, 0, queryError(err)
		}
		ids = append(ids, id)
		// Far more matches than limit: the sample so far estimates
		// their number as well.
		if len(ids) == sampleEnough && float64(len(ids))*float64(se.ix.next)/float64(id) > 4*float64(limit) {
			return ids, false, id, rows.Close()
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, 0, queryError(err)
	}
	covered = upTo
	if len(ids) == limit {
		covered = ids[len(ids)-1]
	}
	return ids, len(ids) < limit && upTo >= se.ix.next, covered, nil
}

// rankAll ranks the articles of ids, every row FTS5 matches with p.
func (se *session) rankAll(ctx context.Context, p *plan, ids []int64) (ranking, error) {
	best := map[string]int{}
	var found, check []hit
	err := se.readRows(ctx, ids, func(id int64, length int, terms []byte) error {
		score, ok, rescore, err := p.score(terms, length, se.ix.ranking.avgLength)
		switch {
		case err != nil || !ok:
			return err
		case rescore:
			check = append(check, hit{se.ix.row(id).slug, score, id})
		default:
			found = addHit(found, best, hit{se.ix.row(id).slug, score, id})
		}
		return nil
	})
	if err != nil {
		return ranking{}, err
	}
	if len(check) > 0 {
		rescored, err := se.rescore(ctx, p, check)
		if err != nil {
			return ranking{}, err
		}
		for _, h := range rescored {
			found = addHit(found, best, h)
		}
	}
	slices.SortFunc(found, byScore)
	return ranking{articles: found[:min(len(found), MaxArticles)], total: len(found), exact: true}, nil
}

// addHit keeps the best row of each article; best indexes found by slug.
func addHit(found []hit, best map[string]int, h hit) []hit {
	i, ok := best[h.slug]
	if !ok {
		best[h.slug] = len(found)
		return append(found, h)
	}
	if byScore(h, found[i]) < 0 {
		found[i] = h
	}
	return found
}

// rankHeads finds the best articles in the heads of p's terms, up to want
// of them, reading at most budget rows (see the top of the file); unless
// prove, it stops as soon as it has want.
func (se *session) rankHeads(ctx context.Context, p *plan, want, budget int, prove bool) ([]hit, error) {
	var streams []*qterm
	for _, s := range p.slots {
		for _, a := range s.alts {
			if !slices.Contains(streams, a.src) {
				streams = append(streams, a.src)
			}
		}
	}
	// When every term is in more than half of the rows, FTS5 gives each
	// its lowest idf, a millionth: scores differ by millionths, and no
	// ranking is worth reading further than the articles wanted.
	enough := true
	for _, t := range p.terms {
		enough = enough && t.idf == minIDF
	}
	enough = enough || !prove
	avg := se.ix.ranking.avgLength
	seen := map[int64]bool{}
	best := map[string]int{}
	var found []hit
	for read, turn := 0, 0; read < budget; turn++ {
		// The heads in turn, each a batch, so that every term's bound
		// comes down.
		var s *qterm
		for k := range streams {
			if t := streams[(turn+k)%len(streams)]; t.more {
				s = t
				turn += k
				break
			}
		}
		if s == nil {
			break
		}
		var batch []int64
		for ; s.more && len(batch) < rankBatch; s.advance(avg) {
			if !seen[s.next.row] {
				seen[s.next.row] = true
				batch = append(batch, s.next.row)
			}
		}
		read += len(batch)
		var check []hit
		err := se.readRows(ctx, batch, func(id int64, length int, terms []byte) error {
			score, ok, rescore, err := p.score(terms, length, avg)
			if err != nil || !ok {
				return err
			}
			h := hit{se.ix.row(id).slug, score, id}
			if rescore {
				check = append(check, h)
				return nil
			}
			found = addHit(found, best, h)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(check) > 0 {
			rescored, err := se.rescore(ctx, p, check)
			if err != nil {
				return nil, err
			}
			for _, h := range rescored {
				found = addHit(found, best, h)
			}
		}
		if len(found) >= want && (enough || se.provenFirst(p, found, streams)) {
			break
		}
	}
	slices.SortFunc(found, byScore)
	return found[:min(len(found), want)], nil
}

// provenFirst reports whether no row not yet read from the heads can
// score more than the exactArticles-th article found, so that the first
// page is in order.
func (se *session) provenFirst(p *plan, found []hit, streams []*qterm) bool {
	scores := make([]float64, len(found))
	for i, h := range found {
		scores[i] = h.score
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmp.Compare(b, a) })
	k := scores[min(exactArticles, len(scores))-1]
	// A row no head has given scores at most each alternative's bound.
	bound := 0.0
	for _, s := range p.slots {
		for _, a := range s.alts {
			bound += a.bound()
		}
	}
	return k > bound
}

// rescore scores hits again from their rows' text, for the phrases
// (score's check), and keeps those that match: a phrase's words must be
// together, in order, in one column, as FTS5 matches a phrase. (Asking
// FTS5 to match each row costs far more: it seeks the row in every word's
// list.)
func (se *session) rescore(ctx context.Context, p *plan, hits []hit) ([]hit, error) {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.row
	}
	rows, err := se.st.text.QueryContext(ctx, idList(ids))
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	type scored struct {
		score float64
		ok    bool
	}
	byRow := map[int64]scored{}
	var cols [3][]int32
	for rows.Next() {
		var id int64
		var text [3]string
		if err := rows.Scan(&id, &text[0], &text[1], &text[2]); err != nil {
			return nil, queryError(err)
		}
		for i, t := range text {
			cols[i] = cols[i][:0]
			forEachWord(t, func(w string) { cols[i] = append(cols[i], se.ix.ranking.wordTerm[w]) })
		}
		score, ok := p.scoreText(cols, se.ix.ranking.avgLength)
		byRow[id] = scored{score, ok}
	}
	if err := rows.Err(); err != nil {
		return nil, queryError(err)
	}
	var out []hit
	for _, h := range hits {
		if s := byRow[h.row]; s.ok {
			h.score = s.score
			out = append(out, h)
		}
	}
	return out, nil
}

// anyMatch reports whether any row matches p, reading at most a few
// thousand rows: an FTS5 listing over the start of the index, then the
// heads. A query whose only matches are rows none of its words weighs
// much in, far into the index, may be said to match nothing.
func (se *session) anyMatch(ctx context.Context, p *plan) (bool, error) {
	if p.none {
		return false, nil
	}
	if t := p.oneTerm(); t != nil {
		return t.rows > 0, nil
	}
	ids, complete, _, err := se.sample(ctx, p, 1, scanRows/4)
	if err != nil || len(ids) > 0 || complete {
		return len(ids) > 0, err
	}
	found, err := se.rankHeads(ctx, p, 1, rankBudget/4, false)
	return len(found) > 0, err
}

// sections picks the sections to show of each article of a page: its rows
// that match p, best first, at most SectionsPerArticle.
func (se *session) sections(ctx context.Context, p *plan, articles []hit) ([][]int64, error) {
	var ids []int64
	for _, a := range articles {
		ids = append(ids, se.ix.bySlg[a.slug]...)
	}
	rowsOf := map[string][]hit{}
	var check []hit
	err := se.readRows(ctx, ids, func(id int64, length int, terms []byte) error {
		score, ok, rescore, err := p.score(terms, length, se.ix.ranking.avgLength)
		if err != nil || !ok {
			return err
		}
		h := hit{se.ix.row(id).slug, score, id}
		if rescore {
			check = append(check, h)
		} else {
			rowsOf[h.slug] = append(rowsOf[h.slug], h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(check) > 0 {
		rescored, err := se.rescore(ctx, p, check)
		if err != nil {
			return nil, err
		}
		for _, h := range rescored {
			rowsOf[h.slug] = append(rowsOf[h.slug], h)
		}
	}
	groups := make([][]int64, 0, len(articles))
	for _, a := range articles {
		hs := rowsOf[a.slug]
		if len(hs) == 0 {
			return nil, errors.New("search: a ranked article has no matching row")
		}
		slices.SortFunc(hs, byScore)
		var g []int64
		for _, h := range hs[:min(len(hs), SectionsPerArticle)] {
			g = append(g, h.row)
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// readRows calls fn with the forward row of each of ids.
func (se *session) readRows(ctx context.Context, ids []int64, fn func(id int64, length int, terms []byte) error) error {
	if len(ids) == 0 {
		return nil
	}
	query := func(ctx context.Context, ids string) (*sql.Rows, error) {
		return se.st.forward.QueryContext(ctx, ids)
	}
	return queryError(readRows(ctx, query, ids, fn))
}

// idList is ids as a JSON array, which json_each reads.
func idList(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// stringList is words as a JSON array.
func stringList(words []string) string {
	b, _ := json.Marshal(words) // strings always marshal
	return string(b)
}
