package content

import (
	"bytes"
	"cmp"
	"errors"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
	"golang.org/x/sync/errgroup"
)

// Site is every article, loaded and validated. It is immutable after Load,
// so any number of requests may read it at once; Reload makes a new one.
type Site struct {
	// Articles are ordered by title.
	Articles []*Article
	bySlug   map[string]*Article
	// byTag lists the articles with each tag, in site order.
	byTag map[string][]*Article
	// byFile are the articles in file name order, the order problems are
	// reported in; Reload replaces files in it.
	byFile []*Article
	// Complaints are the symptom checker's complaints, by name; none when
	// the site has no checker.
	Complaints  []*Complaint
	byComplaint map[string]*Complaint
	// SiteWide are the red flags every complaint asks about, or nil.
	SiteWide *SiteWideRedFlags
	// rules are the rules files as read, by path; Reload replaces files in it.
	rules map[string]*rulesFile
}

// Article returns the article with the given slug.
func (s *Site) Article(slug string) (*Article, bool) {
	a, ok := s.bySlug[slug]
	return a, ok
}

// Tagged returns the articles with a tag, in site order.
func (s *Site) Tagged(tag string) []*Article { return s.byTag[tag] }

// maxRelated is how many related articles a page lists.
const maxRelated = 5

// Related returns up to five other articles that share a tag with a, most
// shared tags first, then in site order. It is worked out when a page asks
// for it, from the articles of a's few tags, rather than for every article
// at load: with thousands of articles that took most of start-up.
func (s *Site) Related(a *Article) []*Article {
	shared := map[*Article]int{}
	for _, t := range uniqueTags(a) {
		for _, b := range s.byTag[t] {
			if b != a {
				shared[b]++
			}
		}
	}
	list := make([]*Article, 0, len(shared))
	for b := range shared {
		list = append(list, b)
	}
	slices.SortFunc(list, func(x, y *Article) int {
		return cmp.Or(cmp.Compare(shared[y], shared[x]), compareArticles(x, y))
	})
	return list[:min(len(list), maxRelated)]
}

func uniqueTags(a *Article) []string {
	return slices.Compact(slices.Sorted(slices.Values(a.Tags)))
}

// compareArticles is site order: by title, ignoring case, then by slug.
func compareArticles(a, b *Article) int {
	return cmp.Or(strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.Slug, b.Slug))
}

// Load reads every *.md file at the top of fsys and the symptom checker's
// rules in ComplaintsDir. It returns Problems listing everything wrong, so
// that a server can refuse to start with bad content.
func Load(fsys fs.FS) (*Site, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Problems{{File: ".", Msg: "no articles (*.md files) found"}}
	}
	articles, probs := parseFiles(fsys, names)
	ruleNames, ps := ruleFileNames(fsys)
	probs = append(probs, ps...)
	rules, ps := readRules(fsys, ruleNames)
	probs = append(probs, ps...)
	if len(probs) > 0 {
		return nil, probs
	}
	return build(articles, rules)
}

// parseFiles reads and parses files on every core: with thousands of
// articles this is most of start-up. Results keep the order of names, so
// problems are reported in file order; a file with problems gives a nil
// article.
func parseFiles(fsys fs.FS, names []string) ([]*Article, Problems) {
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
			results[i].article, results[i].probs = Parse(name, src)
			return nil
		})
	}
	_ = g.Wait() // the workers report problems, not errors
	articles := make([]*Article, len(names))
	var probs Problems
	for i, r := range results {
		probs = append(probs, r.probs...)
		articles[i] = r.article
	}
	return articles, probs
}

// build makes a site of articles in file order and the rules files: it
// checks what spans files (unique slugs, the rules' links) and indexes the
// articles.
func build(byFile []*Article, rules map[string]*rulesFile) (*Site, error) {
	site := &Site{
		bySlug: make(map[string]*Article, len(byFile)),
		byTag:  map[string][]*Article{},
		byFile: byFile,
	}
	var probs Problems
	for _, a := range byFile {
		if other, dup := site.bySlug[a.Slug]; dup {
			probs.add(a.File, 0, "slug %q is already used by %s", a.Slug, other.File)
			continue
		}
		site.bySlug[a.Slug] = a
	}
	if len(probs) == 0 {
		probs = site.linkRules(rules)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	site.Articles = slices.SortedFunc(slices.Values(byFile), compareArticles)
	for _, a := range site.Articles {
		for _, t := range uniqueTags(a) {
			site.byTag[t] = append(site.byTag[t], a)
		}
	}
	return site, nil
}

// Change is what a Reload changed.
type Change struct {
	// Articles are the slugs of articles added, removed or edited, under
	// their old and their new slug.
	Articles []string
	// Listed are the articles whose entry in lists changed: added, removed,
	// or with a new title, summary, review date or tags. Edits to the body
	// alone change only the article's own page.
	Listed []string
	// Tags are the tags whose articles changed: the old and new tags of
	// every added, removed or re-tagged article.
	Tags []string
	// Complaints are the ids of complaints whose rules changed (all of them
	// when the site-wide red flags did), under their old and new id.
	Complaints []string
	// ComplaintList reports that the list of complaints changed: one was
	// added or removed, or its name, description, category or review date.
	ComplaintList bool
}

// Reload makes a new site from s and the files of fsys named in changed
// (paths relative to fsys, like "back-pain.md" or
// "complaints/back-pain.yaml"): each is read again, added, or dropped when
// it no longer exists. Every other article is kept
// as it was, parsed once. The checks that span files run again on the
// whole new site, so it is as valid as one Load would give.
func (s *Site) Reload(fsys fs.FS, changed []string) (*Site, Change, error) {
	var ch Change
	byFile := make(map[string]*Article, len(s.byFile))
	for _, a := range s.byFile {
		byFile[a.File] = a
	}
	var names []string
	for _, name := range changed {
		if path.Ext(name) == ".md" && !strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var present []string
	for _, name := range names {
		if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
			if old, ok := byFile[name]; ok {
				ch.addedOrRemoved(old)
				delete(byFile, name)
			}
			continue
		}
		present = append(present, name)
	}
	parsed, probs := parseFiles(fsys, present)
	rules, ps := s.reloadRules(fsys, changed, &ch)
	probs = append(probs, ps...)
	if len(probs) > 0 {
		return nil, Change{}, probs
	}
	for i, name := range present {
		a := parsed[i]
		if old, ok := byFile[name]; ok {
			ch.edited(old, a)
		} else {
			ch.addedOrRemoved(a)
		}
		byFile[name] = a
	}
	if len(byFile) == 0 {
		return nil, Change{}, Problems{{File: ".", Msg: "no articles (*.md files) found"}}
	}
	files := slices.SortedFunc(func(yield func(*Article) bool) {
		for _, a := range byFile {
			if !yield(a) {
				return
			}
		}
	}, func(a, b *Article) int { return strings.Compare(a.File, b.File) })
	site, err := build(files, rules)
	if err != nil {
		return nil, Change{}, err
	}
	ch.Articles = compactSorted(ch.Articles)
	ch.Listed = compactSorted(ch.Listed)
	ch.Tags = compactSorted(ch.Tags)
	ch.Complaints = compactSorted(ch.Complaints)
	return site, ch, nil
}

// addedOrRemoved records an article that appears or disappears: its page,
// every list it is in and every tag it has change.
func (ch *Change) addedOrRemoved(a *Article) {
	ch.Articles = append(ch.Articles, a.Slug)
	ch.Listed = append(ch.Listed, a.Slug)
	ch.Tags = append(ch.Tags, a.Tags...)
}

// edited records an article whose file was saved again.
func (ch *Change) edited(old, a *Article) {
	if bytes.Equal(old.src, a.src) {
		return // saved without a change
	}
	ch.Articles = append(ch.Articles, old.Slug, a.Slug)
	if old.Slug != a.Slug || old.Title != a.Title || old.Summary != a.Summary ||
		!old.LastReviewed.Equal(a.LastReviewed.Time) || !old.Published.Equal(a.Published.Time) ||
		old.Author != a.Author || !slices.Equal(uniqueTags(old), uniqueTags(a)) {
		ch.Listed = append(ch.Listed, old.Slug, a.Slug)
	}
	if !slices.Equal(uniqueTags(old), uniqueTags(a)) || old.Slug != a.Slug {
		ch.Tags = append(ch.Tags, old.Tags...)
		ch.Tags = append(ch.Tags, a.Tags...)
	}
}

func compactSorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// Parse reads one article file. It returns a nil article when the file has
// problems. It validates everything about the file but renders no HTML.
func Parse(file string, src []byte) (*Article, Problems) {
	var probs Problems
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	doc := markdown.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

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
		src:          src,
	}
	a.sortKey = strings.ToLower(a.Title)
	a.ClinicalReviewPending = fm.ClinicalReview == clinicalReviewPending
	if fm.Slug == "" && !slugPattern.MatchString(a.Slug) {
		probs.add(file, 0, "the file name gives the slug %q, which is not lowercase letters, digits and single hyphens: rename the file or set \"slug\"", a.Slug)
	}

	a.Headings, a.Sections = outline(doc, src)
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
	if len(probs) > 0 {
		return nil, probs
	}
	return a, nil
}

// outline lists the h2 and h3 of doc with their ids, lines and excerpts,
// and the "##" sections they start.
func outline(doc ast.Node, src []byte) ([]Heading, []Section) {
	var hs []Heading
	var ss []Section
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || (h.Level != 2 && h.Level != 3) {
			continue
		}
		heading := Heading{
			ID:      headingID(h),
			Title:   string(plainText(h, src)),
			Level:   h.Level,
			Line:    lineOf(h, src),
			Excerpt: excerpt(h, src),
		}
		hs = append(hs, heading)
		if h.Level == 2 {
			ss = append(ss, Section{Heading: heading, Urgent: heading.ID == UrgentSectionID, General: hasClass(h, "general")})
		}
	}
	return hs, ss
}

func headingID(h *ast.Heading) string {
	id, _ := h.AttributeString("id")
	idb, _ := id.([]byte)
	return string(idb)
}

func lineOf(n ast.Node, src []byte) int {
	if n.Lines().Len() == 0 {
		return 0
	}
	return bytes.Count(src[:n.Lines().At(0).Start], []byte("\n")) + 1
}

// excerptLen keeps an excerpt to about one line of a results page.
const excerptLen = 160

// excerpt is the text of the first paragraph of a heading's section: after
// it and before the next heading of its level or higher. Sub-headings are
// passed over, so a section that opens with "### What happens" still has
// its first words to show.
func excerpt(h *ast.Heading, src []byte) string {
	for n := h.NextSibling(); n != nil; n = n.NextSibling() {
		if next, ok := n.(*ast.Heading); ok && next.Level <= h.Level {
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
