package search

import (
	"bytes"
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// many is an index of 10,000 generated articles and the bundled one (300
// with -short), built once for the tests that need many articles.
var many struct {
	once sync.Once
	site *content.Site
	ix   *Index
	err  error
}

func manyArticles(t *testing.T) (*content.Site, *Index) {
	t.Helper()
	many.once.Do(func() {
		n := 10000
		if testing.Short() {
			n = 300
		}
		many.site, many.err = content.Load(withBundled(corpus.FS(n)))
		if many.err == nil {
			many.ix, many.err = Build(context.Background(), many.site, "")
		}
	})
	if many.err != nil {
		t.Fatal(many.err)
	}
	return many.site, many.ix
}

// fts5Ranking is FTS5's own ranking of the articles that match text, best
// first by their best row's bm25(10, 2, 1), as search ranked them before
// it had the ranking tables, by reading and scoring every match. best is
// each article's score.
func fts5Ranking(t testing.TB, ix *Index, text string) (order []string, best map[string]float64) {
	t.Helper()
	q, err := ParseQuery(text)
	if err != nil {
		t.Fatal(err)
	}
	se, done, err := ix.session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	rows, err := se.st.conn.QueryContext(context.Background(), `SELECT rowid, -rank FROM sections WHERE sections MATCH ? ORDER BY rank`, matchAll(ix.thes.slots(q.Words)))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	best = map[string]float64{}
	for rows.Next() {
		var id int64
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			t.Fatal(err)
		}
		if slug := ix.rows[id].slug; slug != "" {
			if _, ok := best[slug]; !ok {
				best[slug] = score
				order = append(order, slug)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return order, best
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// A row's score from the ranking tables is FTS5's bm25(10, 2, 1) of it.
func TestScoresAreFTS5s(t *testing.T) {
	_, ix := manyArticles(t)
	se, done, err := ix.session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	for _, text := range []string{"pain", "knee", "line shoulder", "tender", "page real generated", "neck pain", "fasciitis", "inflamed tissue"} {
		q, _ := ParseQuery(text)
		slots := ix.thes.slots(q.Words)
		p, err := se.plan(context.Background(), slots)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := se.st.conn.QueryContext(context.Background(), `SELECT rowid, -rank FROM sections WHERE sections MATCH ? ORDER BY rank LIMIT 50`, p.match)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]float64{}
		var ids []int64
		for rows.Next() {
			var id int64
			var score float64
			if err := rows.Scan(&id, &score); err != nil {
				t.Fatal(err)
			}
			want[id] = score
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			t.Fatalf("%q matches nothing: the test would pass vacuously", text)
		}
		var check []hit
		err = se.readRows(context.Background(), ids, func(id int64, length int, terms []byte) error {
			got, ok, rescore, err := p.score(terms, length, ix.ranking.avgLength)
			switch {
			case err != nil:
				return err
			case rescore:
				check = append(check, hit{row: id})
				return nil
			case !ok || !near(got, want[id]):
				t.Errorf("%q, row %d: score %v (matches %v), FTS5's %v", text, id, got, ok, want[id])
			}
			delete(want, id)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A row with a phrase's words is scored from its text.
		rescored, err := se.rescore(context.Background(), p, check)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range rescored {
			if !near(h.score, want[h.row]) {
				t.Errorf("%q, row %d: score from the text %v, FTS5's %v", text, h.row, h.score, want[h.row])
			}
			delete(want, h.row)
		}
		if len(want) > 0 {
			t.Errorf("%q: %d rows FTS5 matches are not matched", text, len(want))
		}
	}
}

// checkPages searches text page by page up to the last and checks that
// the pages go through the articles in FTS5's order of their best row
// (each at the score of the article FTS5 ranks there: equal scores may
// come in any order), wantExact pages of them, that no article is on two
// pages, and that the page after the last is empty.
func checkPages(t *testing.T, ix *Index, site *content.Site, text string, wantExact int) Results {
	t.Helper()
	order, best := fts5Ranking(t, ix, text)
	first := search(t, ix, site, text, 1)
	if first.Partial || first.Suggestion != "" {
		t.Fatalf("%q: partial %v, suggestion %q: want every word to match", text, first.Partial, first.Suggestion)
	}
	if first.Listed == 0 || first.Pages != (first.Listed+9)/10 {
		t.Fatalf("%q: %d listed on %d pages", text, first.Listed, first.Pages)
	}
	seen := map[string]int{}
	for page := 1; page <= first.Pages; page++ {
		res := search(t, ix, site, text, page)
		if want := min(10, first.Listed-(page-1)*10); len(res.Articles) != want {
			t.Fatalf("%q page %d: %d articles, want %d", text, page, len(res.Articles), want)
		}
		for i, a := range res.Articles {
			at := (page-1)*10 + i
			if p, ok := seen[a.Slug]; ok {
				t.Errorf("%q: %s is on pages %d and %d", text, a.Slug, p, page)
			}
			seen[a.Slug] = page
			score, ok := best[a.Slug]
			if !ok {
				t.Errorf("%q page %d: %s does not match", text, page, a.Slug)
				continue
			}
			if page <= wantExact && !near(score, best[order[at]]) {
				t.Errorf("%q, article %d (page %d): %s scores %v, FTS5's article there %s scores %v", text, at+1, page, a.Slug, score, order[at], best[order[at]])
			}
		}
	}
	if past := search(t, ix, site, text, first.Pages+1); len(past.Articles) != 0 {
		t.Errorf("%q: the page after the last has %d articles", text, len(past.Articles))
	}
	return first
}

// A word many articles share: every page is FTS5's ranking, page 2
// continues page 1, and the count is exact.
func TestCommonWordPages(t *testing.T) {
	site, ix := manyArticles(t)
	for _, text := range []string{"pain", "advice", "the"} {
		order, _ := fts5Ranking(t, ix, text)
		res := checkPages(t, ix, site, text, MaxArticles)
		if res.Total != len(order) || res.About {
			t.Errorf("%q: %d articles found (about: %v), FTS5 matches %d", text, res.Total, res.About, len(order))
		}
		if want := min(len(order), MaxArticles); res.Listed != want {
			t.Errorf("%q: %d listed, want %d", text, res.Listed, want)
		}
	}
}

// Queries of several words that match thousands of rows (ranked from the
// heads, with the first page proven) still show the best articles first,
// and say about how many they found, close to the true count.
func TestManyMatchesBestFirst(t *testing.T) {
	if testing.Short() {
		t.Skip("needs thousands of matching rows")
	}
	site, ix := manyArticles(t)
	for _, text := range []string{"line shoulder", "filler joint", "about exercise", "text aching", "knee sitting"} {
		order, _ := fts5Ranking(t, ix, text)
		res := checkPages(t, ix, site, text, 1)
		switch {
		case !res.About && res.Total != len(order):
			t.Errorf("%q: %d articles found, exactly; FTS5 matches %d", text, res.Total, len(order))
		case res.About && math.Abs(float64(res.Total-len(order))) > 0.25*float64(len(order)):
			t.Errorf("%q: about %d articles found; FTS5 matches %d", text, res.Total, len(order))
		}
	}
}

// A phrase of a synonym group matches a row with its words together, in
// order, not one with them apart.
func TestPhrasesMatchWordsTogether(t *testing.T) {
	page := func(title, text string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: About " + title + ".\nlast_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
			"sources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\nIntro.\n\n## Care\n\n" + text + "\n\n## When to get medical help\n\nSee a doctor.\n")}
	}
	fsys := fstest.MapFS{
		"together.md":   page("Together", "Hold a cold pack on it."),
		"apart.md":      page("Apart", "A cold day; pack a bag."),
		"reversed.md":   page("Reversed", "Pack cold things."),
		"word.md":       page("Word", "Put ice on it."),
		"synonyms.yaml": {Data: []byte("last_reviewed: 2026-01-01\nnext_review: 2027-01-01\ngroups:\n  - [ice, cold pack]\n")},
	}
	site, ix := buildIndex(t, fsys)
	var got []string
	for _, a := range search(t, ix, site, "ice", 1).Articles {
		got = append(got, a.Slug)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"together", "word"}) {
		t.Errorf("ice finds %v, want together and word", got)
	}
	// The same check rank uses for rows the heads give (there are too
	// few rows here for a search to need the heads).
	q, _ := ParseQuery("ice")
	se, done, err := ix.session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	p, err := se.plan(context.Background(), ix.thes.slots(q.Words))
	if err != nil {
		t.Fatal(err)
	}
	var hits []hit
	for _, slug := range []string{"together", "apart", "reversed", "word"} {
		for _, id := range ix.bySlg[slug] {
			hits = append(hits, hit{slug: slug, row: id})
		}
	}
	confirmed, err := se.rescore(context.Background(), p, hits)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, h := range confirmed {
		kept[h.slug] = true
	}
	if !maps.Equal(kept, map[string]bool{"together": true, "word": true}) {
		t.Errorf("confirmed rows of %v, want together and word", slices.Sorted(maps.Keys(kept)))
	}
}

// A word no article uses as written finds the rows of its stem, through
// FTS5 ("straining": the articles say "strained" and "strain").
func TestWordOfAStemNoArticleUses(t *testing.T) {
	site, ix := manyArticles(t)
	if _, ok := ix.ranking.wordTerm["straining"]; ok {
		t.Fatal("the articles use straining: the test would not test the lookup through FTS5")
	}
	res := search(t, ix, site, "straining", 1)
	want, _ := fts5Ranking(t, ix, "straining")
	if res.Suggestion != "" || res.Total != len(want) || len(want) == 0 {
		t.Errorf("straining: %d found, suggestion %q; FTS5 matches %d", res.Total, res.Suggestion, len(want))
	}
}

// Edits keep the ranking tables right: each word's count of articles is
// what a new index of the edited site counts, and its rows are found.
func TestEditsKeepTheRankingTables(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range corpus.Files(300) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	site, ix := buildIndex(t, fsys)
	edited := maps.Clone(fsys)
	gone, changed := unlinked(fsys), corpus.Name(1)
	delete(edited, gone)
	edited[changed] = &fstest.MapFile{Data: append(slices.Clone(fsys[changed].Data), []byte("\n## Zygomatic arch\n\nThe zygomatic arch is the cheekbone; pain here is zygomatic pain.\n")...)}
	edited["new-article.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Zygomatic pain\nsummary: About the cheekbone.\nlast_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
		"sources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\nIntro.\n\n## Causes\n\nA knock to the zygomatic arch.\n\n## When to get medical help\n\nSee a doctor.\n")}
	next, ch, err := site.Reload(edited, []string{gone, changed, "new-article.md"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Update(context.Background(), next, ch); err != nil {
		t.Fatal(err)
	}
	fresh, rebuilt := buildIndex(t, edited)
	for _, text := range []string{"zygomatic", "pain", "advice", "knee", "strained", "the", "knee sitting", "zygomatic pain", "cheekbone"} {
		got, want := search(t, ix, next, text, 1), search(t, rebuilt, fresh, text, 1)
		if got.Total != want.Total || got.About != want.About {
			t.Errorf("%q after the edit: %d found (about %v); a new index finds %d (about %v)", text, got.Total, got.About, want.Total, want.About)
		}
		if len(got.Articles) == 0 {
			t.Errorf("%q after the edit finds nothing", text)
		}
	}
	if got := search(t, ix, next, "zygomatic", 1); got.Total != 2 {
		t.Errorf("zygomatic: %d articles, want the edited one and the new one", got.Total)
	}
}

// The rows of an index are numbered the same at every build, whichever
// worker reads which article first.
func TestRowsAreNumberedTheSameEveryBuild(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range corpus.Files(200) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	_, a := buildIndex(t, fsys)
	_, b := buildIndex(t, fsys)
	if !slices.Equal(a.rows, b.rows) {
		t.Error("two builds of one site numbered its rows differently")
	}
}

// unlinked is the first generated article but the second that no other
// article links to: the site refuses a link to an article that is gone, and
// the test edits the second.
func unlinked(fsys fstest.MapFS) string {
	for i := 0; ; i++ {
		if i == 1 {
			continue
		}
		name := corpus.Name(i)
		link := []byte("/articles/" + strings.TrimSuffix(name, ".md"))
		linked := false
		for other, f := range fsys {
			if other != name && bytes.Contains(f.Data, link) {
				linked = true
				break
			}
		}
		if !linked {
			return name
		}
	}
}
