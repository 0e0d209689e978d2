package search

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

const seed = "neck-pain-after-cervical-massage"

func buildIndex(t testing.TB, fsys fs.FS) (*content.Site, *Index) {
	t.Helper()
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), site, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	return site, ix
}

func search(t testing.TB, ix *Index, site *content.Site, text string, page int) Results {
	t.Helper()
	q, err := ParseQuery(text)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", text, err)
	}
	res, err := ix.Search(context.Background(), site, q, page, 10)
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	return res
}

// first is the address of the best result: the article's best section,
// or the article itself when that is its introduction.
func first(res Results) string {
	if len(res.Articles) == 0 {
		return "(nothing)"
	}
	a := res.Articles[0]
	if a.Intro != nil && (len(a.Sections) == 0) {
		return a.Slug
	}
	return a.Slug + "#" + a.Sections[0].ID
}

// relevance is the section a reader should see first for each query: the
// bundled article's five causes by their own words, by a reader's words
// that the synonyms file maps to them, and misspelt.
var relevance = []struct {
	query, want, suggestion string
}{
	// The causes, in the article's words.
	{"too much force", seed + "#too-much-force-during-manipulation", ""},
	{"protective spasm", seed + "#muscle-tension-and-protective-spasm", ""},
	{"neck muscle strain", seed + "#neck-muscle-strain", ""},
	{"facet joint disorder", seed + "#cervical-facet-joint-disorder", ""},
	{"fasciitis", seed + "#neck-and-shoulder-fasciitis", ""},
	// A reader's words: each finds its cause through a synonym group.
	{"too much force in a massage", seed + "#too-much-force-during-manipulation", ""}, // massage ~ manipulation
	{"tight muscles", seed + "#muscle-tension-and-protective-spasm", ""},              // tight ~ tension
	{"swollen sore area", seed + "#neck-muscle-strain", ""},                           // sore area ~ tender
	{"small joints in the neck", seed + "#cervical-facet-joint-disorder", ""},         // small joints ~ facet joints
	{"inflamed tissue", seed + "#neck-and-shoulder-fasciitis", ""},                    // ~ fasciitis
	{"neck and shoulder pain", seed + "#neck-and-shoulder-fasciitis", ""},             // ~ cervicobrachial
	{"cervical spine strain", seed + "#neck-muscle-strain", ""},                       // cervical spine ~ neck
	// Stems: plurals and other endings find the same words.
	{"massages", seed, ""},
	{"strained muscles", seed + "#neck-muscle-strain", ""},
	// Misspellings: "Did you mean" and its results.
	{"too much forse", seed + "#too-much-force-during-manipulation", "too much force"},
	{"protective spsam", seed + "#muscle-tension-and-protective-spasm", "protective spasm"},
	{"muscel strain", seed + "#neck-muscle-strain", "muscle strain"},
	{"facett joint", seed + "#cervical-facet-joint-disorder", "facet joint"},
	{"fascitis", seed + "#neck-and-shoulder-fasciitis", "fasciitis"},
	{"nekc pain", seed, "neck pain"},
}

func TestRelevance(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	for _, tt := range relevance {
		t.Run(tt.query, func(t *testing.T) {
			res := search(t, ix, site, tt.query, 1)
			got := first(res)
			if !strings.Contains(tt.want, "#") { // any section of the article, or its introduction
				got, _, _ = strings.Cut(got, "#")
			}
			if got != tt.want {
				t.Errorf("first result %s, want %s", got, tt.want)
			}
			if res.Suggestion != tt.suggestion {
				t.Errorf("suggestion %q, want %q", res.Suggestion, tt.suggestion)
			}
		})
	}
}

// The words only the bundled article uses still find it first among
// thousands of generated articles (300 with -short).
func TestRelevanceAmongManyArticles(t *testing.T) {
	site, ix := manyArticles(t)
	for _, tt := range []struct{ query, want string }{
		{"protective spasm", seed + "#muscle-tension-and-protective-spasm"},
		{"facet joint disorder", seed + "#cervical-facet-joint-disorder"},
		{"inflamed tissue", seed + "#neck-and-shoulder-fasciitis"},
		{"fascitis", seed + "#neck-and-shoulder-fasciitis"},
	} {
		if got := first(search(t, ix, site, tt.query, 1)); got != tt.want {
			t.Errorf("%q: first result %s, want %s", tt.query, got, tt.want)
		}
	}
}

// withBundled adds the bundled article, symptom rules and synonyms to a
// generated corpus.
func withBundled(gen fs.FS) fs.FS {
	out := fstest.MapFS{}
	for _, dir := range []fs.FS{gen, articles.FS} {
		_ = fs.WalkDir(dir, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(dir, name)
			out[name] = &fstest.MapFile{Data: data}
			return err
		})
	}
	return out
}

func TestResultsShowTheMatchedWords(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	res := search(t, ix, site, "fasciitis", 1)
	if len(res.Articles) != 1 || len(res.Articles[0].Sections) != 1 {
		t.Fatalf("results: %+v", res)
	}
	s := res.Articles[0].Sections[0]
	if got := marked(s.Title); got != "fasciitis" {
		t.Errorf("title marks %q, want the searched word", got)
	}
	if got := marked(s.Snippet); got != "fasciitis" {
		t.Errorf("snippet marks %q", got)
	}
	if text := plain(s.Snippet); !strings.Contains(text, "flare-up of fasciitis") || len(text) > 300 {
		t.Errorf("snippet %q: want the words around the match, about a line of them", text)
	}
	if got := plain(res.Articles[0].Title); got != "Neck pain after a neck massage or manipulation" {
		t.Errorf("article title %q", got)
	}
}

func marked(fs []Fragment) string {
	var out []string
	for _, f := range fs {
		if f.Match {
			out = append(out, strings.ToLower(f.Text))
		}
	}
	return strings.Join(out, " ")
}

func plain(fs []Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Text)
	}
	return b.String()
}

func TestNoResults(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	for _, q := range []string{"qwertyuiop", "zzz", "", "***"} {
		res := search(t, ix, site, q, 1)
		if len(res.Articles) != 0 || res.Suggestion != "" || res.Total != 0 {
			t.Errorf("%q: %d articles, suggestion %q; want nothing", q, len(res.Articles), res.Suggestion)
		}
	}
}

// When no section has every word, sections with some of them are shown,
// and the reader is told.
func TestSomeOfTheWords(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	res := search(t, ix, site, "fasciitis elbow", 1)
	if !res.Partial || first(res) != seed+"#neck-and-shoulder-fasciitis" {
		t.Errorf("partial %v, first %s; want the fasciitis section, marked partial", res.Partial, first(res))
	}
	if res := search(t, ix, site, "fasciitis", 1); res.Partial {
		t.Error("a query whose words all match is marked partial")
	}
	// The commonest words go first, so the rarest, which says most, stays.
	res = search(t, ix, site, "neck fasciitis manipulation dizzy", 1)
	if !res.Partial || first(res) != seed+"#neck-and-shoulder-fasciitis" {
		t.Errorf("partial %v, first %s; want the section of the rarest word", res.Partial, first(res))
	}
}

// Hostile queries reach the engine as plain words: never an error.
func TestHostileQueries(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	for _, q := range []string{
		`"`, `"neck`, `neck"pain`, `*`, `neck*`, `^neck`, `NEAR(neck pain)`, `neck NEAR pain`, `neck AND`, `AND OR NOT`,
		`(((neck`, `neck)))`, `title:neck`, `{title body}: neck`, `- neck`, `+neck`, `neck \x00 pain`, "\xff\xfe",
		`<script>alert(1)</script>`, `'; DROP TABLE sections; --`, `rank MATCH 'x'`, `sections`, `*:*`,
	} {
		parsed, err := ParseQuery(q)
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		if _, err := ix.Search(context.Background(), site, parsed, 1, 10); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	if res := search(t, ix, site, `"neck" AND "fasciitis"`, 1); first(res) != seed+"#neck-and-shoulder-fasciitis" {
		t.Errorf("a query with quotes and AND searches its words, got %s", first(res))
	}
}

func TestPages(t *testing.T) {
	site, ix := buildIndex(t, withBundled(corpus.FS(300)))
	p1 := search(t, ix, site, "pain", 1)
	if p1.Pages < 2 || len(p1.Articles) != 10 {
		t.Fatalf("page 1: %d articles of %d on %d pages; want 10 and more pages", len(p1.Articles), p1.Total, p1.Pages)
	}
	p2 := search(t, ix, site, "pain", 2)
	if p2.Page != 2 || len(p2.Articles) == 0 {
		t.Fatalf("page 2: %+v", p2)
	}
	seen := map[string]bool{}
	for _, a := range append(p1.Articles, p2.Articles...) {
		if seen[a.Slug] {
			t.Errorf("%s is on both pages", a.Slug)
		}
		seen[a.Slug] = true
		if n := len(a.Sections); n > SectionsPerArticle || n == 0 && a.Intro == nil {
			t.Errorf("%s shows %d sections", a.Slug, n)
		}
	}
	if past := search(t, ix, site, "pain", p1.Pages+1); len(past.Articles) != 0 {
		t.Errorf("the page after the last has %d articles", len(past.Articles))
	}
}

// The index follows the articles: an edit re-indexes the edited article
// only, and the index answers only for the version of the site it holds.
func TestUpdate(t *testing.T) {
	page := func(title, text string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: About " + title + ".\nlast_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
			"sources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\nIntro.\n\n## Cause\n\n" + text + "\n\n## When to get medical help\n\nSee a doctor.\n")}
	}
	fsys := fstest.MapFS{
		"ankle.md": page("Ankle pain", "Ankles ache after running."),
		"knee.md":  page("Knee pain", "Knees creak on stairs."),
	}
	site, ix := buildIndex(t, fsys)
	if got := first(search(t, ix, site, "creak", 1)); got != "knee#cause" {
		t.Fatalf("before: creak finds %s", got)
	}

	edit := maps.Clone(fsys)
	edit["knee.md"] = page("Knee pain", "Knees click when kneeling.")
	edit["wrist.md"] = page("Wrist pain", "Wrists creak when typing.")
	delete(edit, "ankle.md")
	next, ch, err := site.Reload(edit, []string{"knee.md", "wrist.md", "ankle.md"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Update(context.Background(), next, ch); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), site, Query{Words: []string{"knee"}}, 1, 10); !errors.Is(err, ErrNotReady) {
		t.Errorf("searching with the old site: %v, want ErrNotReady", err)
	}
	for q, want := range map[string]string{
		"creak":    "wrist#cause", // gone from knee, new in wrist
		"kneeling": "knee#cause",  // the edit
		"running":  "(nothing)",   // the removed article
		"stairs":   "(nothing)",   // the knee's old text
		"kneling":  "knee#cause",  // the vocabulary follows: "Did you mean kneeling?"
		"runing":   "(nothing)",   // and forgets the removed article's words
		"typing":   "wrist#cause", // the added article
	} {
		if got := first(search(t, ix, next, q, 1)); got != want {
			t.Errorf("after the edit, %q finds %s, want %s", q, got, want)
		}
	}
	n := 0
	for _, r := range ix.rows {
		if r.slug != "" {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d rows after the edit, want 6 (two articles of three)", n)
	}
}

func TestClosedIndexIsNotReady(t *testing.T) {
	site, ix := buildIndex(t, articles.FS)
	ix.Close()
	if _, err := ix.Search(context.Background(), site, Query{Words: []string{"neck"}}, 1, 10); !errors.Is(err, ErrNotReady) {
		t.Errorf("search after Close: %v, want ErrNotReady", err)
	}
}

// A word in a section's title counts more than the same word in the text
// of another section, even said there three times.
func TestTitlesCountMore(t *testing.T) {
	fsys := fstest.MapFS{"a.md": {Data: []byte(`---
title: Feet
summary: About feet.
last_reviewed: 2026-01-01
next_review: 2030-01-01
sources:
  - {title: A, publisher: B, author: C, date: 2025-01-01}
---

Intro.

## Swelling after a long walk

Rest with your feet up, and walk a shorter way next time until they feel better again.

## Rest and ice

Swelling goes down with rest. Swelling goes down with ice. Swelling may take a few days.

## When to get medical help

See a doctor.
`)}}
	site, ix := buildIndex(t, fsys)
	if got := first(search(t, ix, site, "swelling", 1)); got != "a#swelling-after-a-long-walk" {
		t.Errorf("first result %s, want the section with the word in its title", got)
	}
}

// Searches run while the index moves from one version of the site to the
// next: each gets the results of the site it asked about or ErrNotReady,
// never an error or another version's rows. (CI runs this with -race.)
func TestConcurrentSearchesAndUpdates(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range corpus.Files(50) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	site, ix := buildIndex(t, fsys)
	var current atomic.Pointer[content.Site]
	current.Store(site)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, text := range []string{"pain after lifting", "pian aftr liftng", "xyzzy", "pain"} {
		wg.Go(func() {
			q, _ := ParseQuery(text)
			for {
				select {
				case <-stop:
					return
				default:
				}
				s := current.Load()
				res, err := ix.Search(context.Background(), s, q, 1, 10)
				if errors.Is(err, ErrNotReady) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				for _, a := range res.Articles {
					if _, ok := s.Article(a.Slug); !ok {
						t.Errorf("a result from another version of the site: %s", a.Slug)
					}
				}
			}
		})
	}
	// Edits rather than removals: other generated articles link to this
	// one, and a site whose links land nowhere is refused.
	name := corpus.Name(0)
	for i := range 20 {
		edited := maps.Clone(fsys)
		edited[name] = &fstest.MapFile{Data: append(slices.Clone(fsys[name].Data), "\nAn edit.\n"...)}
		if i%2 == 1 {
			edited = fsys
		}
		next, ch, err := current.Load().Reload(edited, []string{name})
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Update(context.Background(), next, ch); err != nil {
			t.Fatal(err)
		}
		current.Store(next)
	}
	close(stop)
	wg.Wait()
}

// An index in a file answers as one in memory does, and Close removes its
// folder.
func TestIndexInAFile(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, err := Build(context.Background(), site, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := first(search(t, ix, site, "inflamed tissue", 1)); got != seed+"#neck-and-shoulder-fasciitis" {
		t.Errorf("first result %s", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the folder, want the index's own folder", len(entries))
	}
	ix.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Close left %d entries behind", len(entries))
	}
	if _, err := Build(context.Background(), site, filepath.Join(dir, "missing", "folder")); err == nil {
		t.Error("Build in a folder that does not exist succeeded")
	}
}

// A section that matches only through its article's title (every section
// of the article does) is not shown when others match for themselves.
func TestSectionsMatchingOnlyByTheArticleTitleAreLeftOut(t *testing.T) {
	fsys := fstest.MapFS{"knee.md": {Data: []byte(`---
title: Knee pain
summary: Why knees hurt.
last_reviewed: 2026-01-01
next_review: 2030-01-01
sources:
  - {title: A, publisher: B, author: C, date: 2025-01-01}
---

Intro.

## Stairs

Climbing stairs can hurt.

## Kneeling

Kneeling on a hard floor hurts the knee.

## When to get medical help

See a doctor.
`)}}
	site, ix := buildIndex(t, fsys)
	res := search(t, ix, site, "knee", 1)
	if len(res.Articles) != 1 {
		t.Fatalf("%d articles", len(res.Articles))
	}
	var ids []string
	for _, s := range res.Articles[0].Sections {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []string{"kneeling"}) {
		t.Errorf("sections shown %v, want only the one that says knee", ids)
	}
	if res.Articles[0].Intro == nil {
		t.Error("the introduction (its summary says knees) is not shown")
	}
}
