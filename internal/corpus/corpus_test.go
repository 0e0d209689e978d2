package corpus_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/contentcheck"
	"healthsite/internal/contentfile"
	"healthsite/internal/corpus"
	"healthsite/static"
)

// sampleSize is how many generated articles the property tests look at.
func sampleSize() int {
	if testing.Short() {
		return 300
	}
	return 2000
}

// load parses a sample of the corpus as the server does.
func load(t *testing.T, n int) *content.Site {
	t.Helper()
	site, err := content.Load(corpus.FS(n))
	if err != nil {
		t.Fatalf("loading %d generated articles: %v", n, err)
	}
	return site
}

func TestLengthsSpreadFromAThirdToThreeTimesTheSeed(t *testing.T) {
	n := sampleSize()
	var lens []int
	for i := range n {
		l := len(corpus.Article(i))
		if l < corpus.MinLen || l > corpus.MaxLen {
			t.Errorf("article %d is %d bytes, want %d to %d (a third to three times the seed's %d)", i, l, corpus.MinLen, corpus.MaxLen, corpus.SeedLen)
		}
		lens = append(lens, l)
	}
	slices.Sort(lens)
	// Spread, not bunched: both ends of the range are reached, and the
	// seed's size is near the middle.
	if got, want := lens[0], corpus.SeedLen/2; got > want {
		t.Errorf("shortest article is %d bytes, want one under %d", got, want)
	}
	if got, want := lens[n-1], corpus.SeedLen*5/2; got < want {
		t.Errorf("longest article is %d bytes, want one over %d", got, want)
	}
	if median := lens[n/2]; median < corpus.SeedLen*2/3 || median > corpus.SeedLen*3/2 {
		t.Errorf("median article is %d bytes, want it near the seed's %d", median, corpus.SeedLen)
	}
}

// SeedLen is fixed so that the corpus does not move when the seed article
// is edited; this notices when the two have drifted far apart.
func TestSeedLenIsCloseToTheSeedArticle(t *testing.T) {
	seed, err := articles.FS.ReadFile("neck-pain-after-cervical-massage.md")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(seed); got < corpus.SeedLen*2/3 || got > corpus.SeedLen*3/2 {
		t.Errorf("the seed article is %d bytes and corpus.SeedLen is %d: update SeedLen if the seed's size changed for good", got, corpus.SeedLen)
	}
}

func TestTags(t *testing.T) {
	site := load(t, sampleSize())
	seen := map[string]int{}
	for _, a := range site.Articles {
		if len(a.Tags) < 1 || len(a.Tags) > 6 {
			t.Errorf("%s has %d tags %v, want 1 to 6", a.Slug, len(a.Tags), a.Tags)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(a.Tags)))) != len(a.Tags) {
			t.Errorf("%s repeats a tag: %v", a.Slug, a.Tags)
		}
		for _, tag := range a.Tags {
			seen[tag]++
		}
	}
	// "A few hundred" tags: enough that related articles are a real
	// choice, few enough that most tags are shared.
	if len(seen) < 200 || len(seen) > 500 {
		t.Errorf("%d articles use %d different tags, want a few hundred (200 to 500)", len(site.Articles), len(seen))
	}
	for tag := range seen {
		if contentfile.Slugify(tag) != tag {
			t.Errorf("tag %q does not look like a tag (lowercase words joined by hyphens)", tag)
		}
	}
}

// Measurements made on different days compare only if the corpus is the
// same, so a change to any article is a deliberate one.
func TestCorpusIsStable(t *testing.T) {
	const want = "334b8c0b459c275c"
	h := sha256.New()
	for i := range 200 {
		io.WriteString(h, corpus.Article(i))
	}
	if got := hex.EncodeToString(h.Sum(nil))[:16]; got != want {
		t.Errorf("the first 200 articles hash to %s, want %s: if the corpus was changed on purpose, update want and say in the commit that figures before and after are not comparable", got, want)
	}
}

func TestSameIndexSameArticle(t *testing.T) {
	const n = 50
	forward := make([]string, n)
	for i := range n {
		forward[i] = corpus.Article(i)
	}
	// Made again in the other order: no state is shared between articles.
	for i := n - 1; i >= 0; i-- {
		if got := corpus.Article(i); got != forward[i] {
			t.Fatalf("article %d differs between two calls", i)
		}
	}
	if corpus.Article(1) == corpus.Article(2) {
		t.Errorf("articles 1 and 2 are the same")
	}
}

// shapes are the features the pages must cope with; a sample of the
// corpus has each, and each only in some articles, as in a real library.
var shapes = []struct {
	name string
	has  func(a *content.Article, src string) bool
}{
	{"an image in the body", func(a *content.Article, _ string) bool { return len(content.Inspect(a).Images) > 0 }},
	{"a share image in front matter", func(a *content.Article, _ string) bool { return a.Image != "" }},
	{"a heading with an explicit id", func(_ *content.Article, src string) bool { return strings.Contains(src, "{#") }},
	{"a ### sub-heading", func(_ *content.Article, src string) bool { return strings.Contains(src, "\n### ") }},
	{"a {.general} section", func(a *content.Article, _ string) bool {
		return slices.ContainsFunc(a.Sections, func(s content.Section) bool { return s.General })
	}},
	{"more than one source", func(a *content.Article, _ string) bool { return len(a.Sources) > 1 }},
	{"a source with a url", func(a *content.Article, _ string) bool {
		return slices.ContainsFunc(a.Sources, func(s content.Source) bool { return s.URL != "" })
	}},
	{"a clinician's sign-off of its text", func(a *content.Article, _ string) bool { return a.SignOff.State() == contentfile.Reviewed }},
	{"a link to another article", func(_ *content.Article, src string) bool { return strings.Contains(src, "](/articles/") }},
}

func TestSampleHasEveryShape(t *testing.T) {
	n := sampleSize()
	site := load(t, n)
	// File names are slugs: map them back to the article's index.
	index := map[string]int{}
	for i := range n {
		index[corpus.Name(i)] = i
	}
	count := make([]int, len(shapes))
	sectionCounts := map[int]bool{}
	for _, a := range site.Articles {
		src := corpus.Article(index[a.File])
		h2 := 0
		for _, h := range a.Headings {
			if h.Level == 2 {
				h2++
			}
		}
		sectionCounts[h2] = true
		if h2 < corpus.MinSections || h2 > corpus.MaxSections {
			t.Errorf("%s has %d sections, want %d to %d", a.Slug, h2, corpus.MinSections, corpus.MaxSections)
		}
		if _, ok := a.Heading(content.UrgentSectionID); !ok {
			t.Errorf("%s has no %q section", a.Slug, content.UrgentSectionID)
		}
		for k, shape := range shapes {
			if shape.has(a, src) {
				count[k]++
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(src), " "), "not health advice") {
			t.Errorf("%s does not say it is not health advice", a.Slug)
		}
	}
	for k, shape := range shapes {
		if got := count[k]; got == 0 || got == n {
			t.Errorf("%d of %d articles have %s, want some but not all", got, n, shape.name)
		}
	}
	for s := corpus.MinSections; s <= corpus.MaxSections; s++ {
		if !sectionCounts[s] {
			t.Errorf("no article has %d sections, want every count from %d to %d", s, corpus.MinSections, corpus.MaxSections)
		}
	}
}

func TestTitlesAreDistinctAndStartWithManyLetters(t *testing.T) {
	// Beyond the corpus's 100,000-article measurement, so that one has
	// distinct slugs too.
	const n = 120_000
	slugs := make(map[string]int, n)
	letters := map[byte]int{}
	for i := range n {
		s := corpus.Slug(i)
		if other, dup := slugs[s]; dup {
			t.Fatalf("articles %d and %d have the same slug %q", other, i, s)
		}
		slugs[s] = i
		if i < 1000 {
			letters[corpus.Title(i)[0]]++
		}
	}
	if len(letters) < 24 {
		t.Errorf("the first 1000 titles start with %d different letters, want most of the alphabet: %v", len(letters), letters)
	}
}

// Every generated article passes "healthsite check" with no error, and
// no warning on a day before any review falls due.
func TestPassesTheChecks(t *testing.T) {
	n := sampleSize()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	findings := contentcheck.Check(corpus.FS(n), content.Options{Static: static.FS}, day)
	for _, f := range findings[:min(len(findings), 20)] {
		t.Error(f)
	}
	if len(findings) > 20 {
		t.Errorf("... and %d more findings", len(findings)-20)
	}
}

// The first titles of every corpus. A change here changes every corpus
// measured from now on: say so in the commit.
func ExampleTitle() {
	for i := range 5 {
		fmt.Println(corpus.Title(i))
	}
	// Output:
	// Your eyelid and daily habits after sitting for hours
	// How the nape recovers when reaching up
	// Stiffness in the back of the knee in older adults
	// Bruising on the gum after decorating
	// Mild swelling of the elbow after carrying bags
}

func BenchmarkArticle(b *testing.B) {
	i := 0
	for b.Loop() {
		corpus.Article(i)
		i++
	}
}

// The corpus has a symptom checker too: one complaint per 100 articles,
// each with 2 or 3 red flags and 5 to 10 symptoms that lead into its own
// hundred articles. That each section mentions its symptom, and that every
// cause of an article a complaint leads to is reached, is checked by
// TestPassesTheChecks.
func TestComplaints(t *testing.T) {
	n := sampleSize()
	site := load(t, n)
	if got, want := len(site.Complaints), corpus.Complaints(n); got != want || want != (n+99)/100 {
		t.Fatalf("%d complaints for %d articles, want %d (one per 100)", got, n, (n+99)/100)
	}
	index := map[string]int{}
	for i := range n {
		index[corpus.Slug(i)] = i
	}
	categories := map[string]bool{}
	for k := range corpus.Complaints(n) {
		c, ok := site.Complaint(corpus.ComplaintID(k))
		if !ok {
			t.Fatalf("no complaint %s", corpus.ComplaintID(k))
		}
		categories[c.Category] = true
		if len(c.RedFlags) < 2 || len(c.RedFlags) > 3 {
			t.Errorf("%s has %d red flags, want 2 or 3", c.ID, len(c.RedFlags))
		}
		if len(c.Symptoms) < corpus.MinComplaintSymptoms || len(c.Symptoms) > corpus.MaxComplaintSymptoms {
			t.Errorf("%s has %d symptoms, want %d to %d", c.ID, len(c.Symptoms), corpus.MinComplaintSymptoms, corpus.MaxComplaintSymptoms)
		}
		for _, s := range c.Symptoms {
			for _, l := range s.Sections {
				if i := index[l.Slug]; i/corpus.ArticlesPerComplaint != k {
					t.Errorf("%s leads to article %d, outside its hundred", c.ID, i)
				}
			}
		}
	}
	if len(categories) < 2 {
		t.Errorf("the complaints are in %d categories, want several, so the chooser groups them", len(categories))
	}
}
