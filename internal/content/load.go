package content

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
	"golang.org/x/sync/errgroup"
)

// Site is every article, loaded and rendered. It is immutable after Load,
// so any number of requests may read it at once.
type Site struct {
	// Articles are ordered by title.
	Articles []*Article
	bySlug   map[string]*Article
	related  map[string][]*Article
	// Symptoms are the symptom checker's rules, or nil when the site has none.
	Symptoms *Symptoms
}

// Article returns the article with the given slug.
func (s *Site) Article(slug string) (*Article, bool) {
	a, ok := s.bySlug[slug]
	return a, ok
}

// Related returns the other articles that share a tag with a, most shared
// tags first.
func (s *Site) Related(a *Article) []*Article { return s.related[a.Slug] }

// Load reads every *.md file at the top of fsys. It returns Problems listing
// everything wrong, so that a server can refuse to start with bad content.
func Load(fsys fs.FS) (*Site, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Problems{{File: ".", Msg: "no articles (*.md files) found"}}
	}
	md := newMarkdown() // goldmark is safe for concurrent use
	// Parse on every core: with thousands of articles this is most of
	// start-up. Results keep file order, so problems are reported in it.
	type parsed struct {
		article *Article
		probs   Problems
	}
	results := make([]parsed, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				results[i].probs.add(name, 0, "cannot read: %v", err)
				return nil
			}
			results[i].article, results[i].probs = Parse(md, name, src)
			return nil
		})
	}
	_ = g.Wait() // the workers report problems, not errors

	site := &Site{bySlug: map[string]*Article{}}
	var probs Problems
	for _, r := range results {
		probs = append(probs, r.probs...)
		a := r.article
		if a == nil {
			continue
		}
		if other, dup := site.bySlug[a.Slug]; dup {
			probs.add(a.File, 0, "slug %q is already used by %s", a.Slug, other.File)
			continue
		}
		site.bySlug[a.Slug] = a
		site.Articles = append(site.Articles, a)
	}
	if len(probs) == 0 {
		site.Symptoms, probs = loadSymptoms(fsys, site.bySlug)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	slices.SortFunc(site.Articles, func(a, b *Article) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
	})
	site.related = relatedByTags(site.Articles)
	return site, nil
}

// Parse reads one article file. It returns a nil article when the file has
// problems.
func Parse(md goldmark.Markdown, file string, src []byte) (*Article, Problems) {
	var probs Problems
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

	data := frontmatter.Get(ctx)
	if data == nil {
		probs.add(file, 1, "no front matter: the file must start with a line \"---\", then the fields, then \"---\"")
		return nil, probs
	}
	var raw []byte
	_ = data.Decode(&raw)
	fm, ps := decodeFrontMatter(file, raw)
	probs = append(probs, ps...)

	a := &Article{
		File:         file,
		Slug:         cmp.Or(fm.Slug, strings.TrimSuffix(path.Base(file), ".md")),
		Title:        strings.TrimSpace(fm.Title),
		Summary:      strings.TrimSpace(fm.Summary),
		Author:       strings.TrimSpace(fm.Author),
		ReviewedBy:   strings.TrimSpace(fm.ReviewedBy),
		Published:    fm.Published,
		LastReviewed: fm.LastReviewed,
		NextReview:   fm.NextReview,
		Tags:         fm.Tags,
		Sources:      fm.Sources,
		Image:        fm.Image,
		ImageAlt:     strings.TrimSpace(fm.ImageAlt),
	}
	a.ClinicalReviewPending = fm.ClinicalReview == clinicalReviewPending
	if fm.Slug == "" && !slugPattern.MatchString(a.Slug) {
		probs.add(file, 0, "the file name gives the slug %q, which is not lowercase letters, digits and single hyphens: rename the file or set \"slug\"", a.Slug)
	}

	a.Headings = headings(doc, src)
	inventory(a, doc, src)
	seen := map[string]int{}
	for _, h := range a.Headings {
		if h.ID == "" {
			probs.add(file, h.Line, "the heading %q has an empty id: write {#an-id} with letters, digits and hyphens, or leave it out", h.Title)
			continue
		}
		if first, dup := seen[h.ID]; dup {
			probs.add(file, h.Line, "section id %q is already used by the heading on line %d: give one of them {#another-id}", h.ID, first)
			continue
		}
		seen[h.ID] = h.Line
	}
	if _, ok := seen[UrgentSectionID]; !ok {
		probs.add(file, 0, "missing the section \"## When to get medical help\" (id %q) that every article needs", UrgentSectionID)
	}

	if err := renderSections(md, a, doc, src); err != nil {
		probs.add(file, 0, "cannot render: %v", err)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return a, nil
}

// headings lists the h2 and h3 of doc with their ids and lines.
func headings(doc ast.Node, src []byte) []Heading {
	var hs []Heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || (h.Level != 2 && h.Level != 3) {
			continue
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		hs = append(hs, Heading{
			ID:      string(idb),
			Title:   string(plainText(h, src)),
			Level:   h.Level,
			Line:    lineOf(h, src),
			Excerpt: excerpt(h, src),
		})
	}
	return hs
}

func lineOf(n ast.Node, src []byte) int {
	if n.Lines().Len() == 0 {
		return 0
	}
	return bytes.Count(src[:n.Lines().At(0).Start], []byte("\n")) + 1
}

// excerptLen keeps an excerpt to about one line of a results page.
const excerptLen = 160

// excerpt is the text of the first paragraph after a heading.
func excerpt(h ast.Node, src []byte) string {
	for n := h.NextSibling(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); ok {
			return ""
		}
		if p, ok := n.(*ast.Paragraph); ok {
			return shorten(string(plainText(p, src)), excerptLen)
		}
	}
	return ""
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
	}
	return strings.TrimRight(s[:cut], ",;:") + "…"
}

// renderSections renders the intro and each "##" section on its own, so the
// page can wrap each section in its own element.
func renderSections(md goldmark.Markdown, a *Article, doc ast.Node, src []byte) error {
	var groups [][]ast.Node
	var current []ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			groups = append(groups, current)
			current = nil
		}
		current = append(current, n)
	}
	groups = append(groups, current)

	render := func(nodes []ast.Node) (string, error) {
		part := ast.NewDocument()
		for _, n := range nodes {
			part.AppendChild(part, n)
		}
		var buf bytes.Buffer
		if err := md.Renderer().Render(&buf, src, part); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	intro, err := render(groups[0])
	if err != nil {
		return err
	}
	a.IntroHTML = intro
	for _, g := range groups[1:] {
		h := g[0].(*ast.Heading)
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		html, err := render(g)
		if err != nil {
			return fmt.Errorf("section %q: %w", idb, err)
		}
		a.Sections = append(a.Sections, Section{
			Heading: Heading{ID: string(idb), Title: string(plainText(h, src)), Level: 2, Line: lineOf(h, src), Excerpt: excerpt(h, src)},
			HTML:    html,
			Urgent:  string(idb) == UrgentSectionID,
			General: hasClass(h, "general"),
		})
	}
	return nil
}

// maxRelated is how many related articles a page lists.
const maxRelated = 5

// relatedByTags finds, for each article, the others sharing at least one
// tag, most shared tags first, then in site order. It counts with slices
// rather than maps and keeps only the top few, because with thousands of
// articles it runs millions of times at start-up.
func relatedByTags(articles []*Article) map[string][]*Article {
	byTag := map[string][]int{}
	for i, a := range articles {
		for _, t := range slices.Compact(slices.Sorted(slices.Values(a.Tags))) {
			byTag[t] = append(byTag[t], i)
		}
	}
	related := make(map[string][]*Article, len(articles))
	shared := make([]int, len(articles))
	var touched []int
	for i, a := range articles {
		touched = touched[:0]
		for _, t := range slices.Compact(slices.Sorted(slices.Values(a.Tags))) {
			for _, j := range byTag[t] {
				if j == i {
					continue
				}
				if shared[j] == 0 {
					touched = append(touched, j)
				}
				shared[j]++
			}
		}
		// better reports whether j should be listed before k.
		better := func(j, k int) bool { return shared[j] > shared[k] || (shared[j] == shared[k] && j < k) }
		var top []int
		for _, j := range touched {
			if len(top) < maxRelated {
				top = append(top, j)
			} else if better(j, top[len(top)-1]) {
				top[len(top)-1] = j
			} else {
				continue
			}
			for k := len(top) - 1; k > 0 && better(top[k], top[k-1]); k-- {
				top[k], top[k-1] = top[k-1], top[k]
			}
		}
		list := make([]*Article, len(top))
		for k, j := range top {
			list[k] = articles[j]
		}
		related[a.Slug] = list
		for _, j := range touched {
			shared[j] = 0
		}
	}
	return related
}
