package content

import (
	"bytes"
	"cmp"
	"errors"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
	"golang.org/x/sync/errgroup"

	"healthsite/internal/checker"
	"healthsite/internal/contentfile"
)

// Site is every article, loaded and validated. It is immutable after Load,
// so any number of requests may read it at once; Reload makes a new one.
type Site struct {
	// Articles are ordered by title.
	Articles []*Article
	bySlug   map[string]*Article
	// tagIDs numbers the tags; byTag lists the articles of each tag, by
	// tag number, as places in Articles (so in site order). Numbers and
	// places let Related count in arrays rather than maps, and a reload
	// index thousands of articles in a millisecond.
	tagIDs map[string]int32
	byTag  [][]int32
	// byFile are the articles in file name order, the order problems are
	// reported in; Reload replaces files in it.
	byFile []*Article
	// Complaints are the symptom checker's complaints, by name; none when
	// the site has no checker. The checker (internal/checker) read, checked
	// and linked them to the articles, and ran their triage cases.
	Complaints []*checker.Complaint
	// SiteWide are the red flags every complaint asks about, or nil.
	SiteWide *checker.SiteWideRedFlags
	rules    *checker.Rules
	// opts are what the site was loaded with; Reload keeps them.
	opts Options
	// checkerFiles are the checker's files as read; Reload rereads the
	// ones that changed.
	checkerFiles checker.Files
	// Synonyms are the words search treats as one, or nil when the site
	// has none.
	Synonyms *Synonyms
}

// Article returns the article with the given slug.
func (s *Site) Article(slug string) (*Article, bool) {
	a, ok := s.bySlug[slug]
	return a, ok
}

// Tagged returns the articles with a tag, in site order.
func (s *Site) Tagged(tag string) []*Article {
	id, ok := s.tagIDs[tag]
	if !ok {
		return nil
	}
	pos := s.byTag[id]
	out := make([]*Article, len(pos))
	for i, p := range pos {
		out[i] = s.Articles[p]
	}
	return out
}

// TagCount is how many articles have a tag.
func (s *Site) TagCount(tag string) int {
	id, ok := s.tagIDs[tag]
	if !ok {
		return 0
	}
	return len(s.byTag[id])
}

// maxRelated is how many related articles a page lists.
const maxRelated = 5

// relatedCounts are scratch arrays for Related, one count per article.
var relatedCounts sync.Pool

// Related returns up to five other articles that share a tag with a, most
// shared tags first, then in site order. It is worked out when a page asks
// for it, from the articles of a's few tags, rather than for every article
// at load. A popular tag brings thousands of candidates, so it counts in
// an array by place in the site, not a map, and keeps only the best five
// as it goes: this was a fifth of the time to make an article page.
func (s *Site) Related(a *Article) []*Article {
	counts, _ := relatedCounts.Get().(*[]uint8)
	if counts == nil || len(*counts) < len(s.Articles) {
		c := make([]uint8, len(s.Articles))
		counts = &c
	}
	defer relatedCounts.Put(counts)
	shared := *counts
	var touched []int32
	for _, id := range a.tagIDs {
		for _, p := range s.byTag[id] {
			if s.Articles[p] == a {
				continue
			}
			if shared[p] == 0 {
				touched = append(touched, p)
			}
			if shared[p] < 255 {
				shared[p]++
			}
		}
	}
	// better reports whether the article at p should be listed before
	// the one at q: more shared tags, then earlier in the site.
	better := func(p, q int32) bool {
		return shared[p] > shared[q] || (shared[p] == shared[q] && p < q)
	}
	top := make([]int32, 0, maxRelated)
	for _, p := range touched {
		if len(top) == maxRelated {
			if !better(p, top[maxRelated-1]) {
				continue
			}
			top = top[:maxRelated-1]
		}
		top = append(top, p)
		for i := len(top) - 1; i > 0 && better(top[i], top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	for _, p := range touched {
		shared[p] = 0
	}
	out := make([]*Article, len(top))
	for i, p := range top {
		out[i] = s.Articles[p]
	}
	return out
}

// numberTags gives the tags of articles new to the site their numbers,
// adding tags the site has not seen. An article's numbers are set once,
// when it joins a site; the next site's table extends this one's, so they
// stay right in every later site.
func (s *Site) numberTags(previous map[string]int32, come []*Article) {
	s.tagIDs = previous
	cloned := previous == nil
	if cloned {
		s.tagIDs = map[string]int32{}
	}
	for _, a := range come {
		a.tagIDs = make([]int32, len(a.tags))
		for i, t := range a.tags {
			id, ok := s.tagIDs[t]
			if !ok {
				if !cloned { // the previous site keeps its table as it was
					s.tagIDs, cloned = maps.Clone(previous), true
				}
				id = int32(len(s.tagIDs))
				s.tagIDs[t] = id
			}
			a.tagIDs[i] = id
		}
	}
}

// indexTags lists the articles of each tag by place in the site. It is made
// again on every reload, since one article in or out moves every place
// after it: 35,000 places for 10,000 articles, well under a millisecond.
func (s *Site) indexTags(previous [][]int32) {
	s.byTag = make([][]int32, len(s.tagIDs))
	for id := range previous {
		s.byTag[id] = make([]int32, 0, len(previous[id])+1)
	}
	for i, a := range s.Articles {
		for _, id := range a.tagIDs {
			s.byTag[id] = append(s.byTag[id], int32(i))
		}
	}
}

func uniqueTags(tags []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(tags)))
}

// compareArticles is site order: by title, ignoring case, then by slug.
func compareArticles(a, b *Article) int {
	return cmp.Or(strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.Slug, b.Slug))
}

// Options are what loading needs besides the articles' folder.
type Options struct {
	// Static are the site's static files: every picture an article shows
	// from /static/ must be among them, and every share image must be a
	// PNG or JPEG picture there. Nil checks no picture (tests).
	Static fs.FS
	// Checker is passed on to the symptom checker: what its rules may not
	// use (ids the site's addresses take).
	Checker checker.Options
}

// Load reads every *.md file at the top of fsys, the symptom checker's
// files in checker.ComplaintsDir and search's synonyms (SynonymsFile),
// with no options. It returns contentfile.Problems listing everything
// wrong, so that a server can refuse to start with bad content.
func Load(fsys fs.FS) (*Site, error) { return LoadWith(fsys, Options{}) }

// LoadWith is Load with options; Reload keeps them.
func LoadWith(fsys fs.FS, opts Options) (*Site, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, contentfile.Problems{{File: ".", Msg: "no articles (*.md files) found"}}
	}
	articles, probs := parseFiles(fsys, names)
	files, ps := checker.ReadFiles(fsys)
	probs = append(probs, ps...)
	synonyms, ps := loadSynonyms(fsys)
	probs = append(probs, ps...)
	if len(probs) > 0 {
		return nil, probs
	}
	site, err := build(articles, files, opts)
	if err != nil {
		return nil, err
	}
	site.Synonyms = synonyms
	return site, nil
}

// parseFiles reads and parses files on every core: with thousands of
// articles this is most of start-up. Results keep the order of names, so
// problems are reported in file order; a file with problems gives a nil
// article.
func parseFiles(fsys fs.FS, names []string) ([]*Article, contentfile.Problems) {
	type parsed struct {
		article *Article
		probs   contentfile.Problems
	}
	results := make([]parsed, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				results[i].probs.Add(name, 0, "cannot read: %v", err)
				return nil
			}
			results[i].article, results[i].probs = Parse(name, src)
			return nil
		})
	}
	_ = g.Wait() // the workers report problems, not errors
	articles := make([]*Article, len(names))
	var probs contentfile.Problems
	for i, r := range results {
		probs = append(probs, r.probs...)
		articles[i] = r.article
	}
	return articles, probs
}

// addArticles gives the articles their slugs in the site: a slug used
// twice is a problem.
func (s *Site) addArticles(as []*Article) contentfile.Problems {
	var probs contentfile.Problems
	for _, a := range as {
		if other, dup := s.bySlug[a.Slug]; dup {
			probs.Add(a.File, 0, "slug %q is already used by %s", a.Slug, other.File)
			continue
		}
		s.bySlug[a.Slug] = a
	}
	return probs
}

// checkAcross runs the checks that span files, once the articles have
// their slugs and their order: every link to the site lands, the pictures
// of fresh (the articles new to the site) are in the static files, and the
// checker's files hold together with the articles. Every problem is
// reported, not only the first kind.
func (s *Site) checkAcross(fresh []*Article, files checker.Files) contentfile.Problems {
	probs := s.checkLinks()
	if s.opts.Static != nil {
		probs = append(probs, checkPictures(s.opts.Static, fresh)...)
	}
	return append(probs, s.linkChecker(files)...)
}

// linkChecker has the symptom checker check its files against the site's
// articles, in site order, and run its triage cases.
func (s *Site) linkChecker(files checker.Files) contentfile.Problems {
	rules, probs := checker.Link(files, s, s.opts.Checker)
	if len(probs) > 0 {
		return probs
	}
	s.rules, s.checkerFiles = rules, files
	s.Complaints, s.SiteWide = rules.Complaints, rules.SiteWide
	return nil
}

// build makes a site of articles in file order and the checker's files:
// it checks what spans files (unique slugs, the rules' links and cases)
// and indexes the articles.
func build(byFile []*Article, files checker.Files, opts Options) (*Site, error) {
	site := &Site{
		bySlug: make(map[string]*Article, len(byFile)),
		byFile: byFile,
		opts:   opts,
	}
	if probs := site.addArticles(byFile); len(probs) > 0 {
		return nil, probs
	}
	site.Articles = slices.SortedFunc(slices.Values(byFile), compareArticles)
	if probs := site.checkAcross(byFile, files); len(probs) > 0 {
		return nil, probs
	}
	site.numberTags(nil, byFile)
	site.indexTags(nil)
	return site, nil
}

// Complaint returns the symptom checker's complaint with the given id.
func (s *Site) Complaint(id string) (*checker.Complaint, bool) { return s.rules.Complaint(id) }

// HasArticle reports whether the site has an article with this slug (for
// the checker: checker.Articles).
func (s *Site) HasArticle(slug string) bool {
	_, ok := s.bySlug[slug]
	return ok
}

// Section finds an article's "##" or "###" heading for the checker, with
// its place in the site (checker.Articles): s.Articles must be in order.
func (s *Site) Section(slug, id string) (checker.Section, bool) {
	a, ok := s.bySlug[slug]
	if !ok {
		return checker.Section{}, false
	}
	h := slices.IndexFunc(a.Headings, func(h Heading) bool { return h.ID == id })
	if h < 0 {
		return checker.Section{}, false
	}
	place, _ := slices.BinarySearchFunc(s.Articles, a, compareArticles)
	return checker.Section{Slug: slug, ID: id, Title: a.Headings[h].Title, ArticleTitle: a.Title, Order: place*maxHeadings + h}, true
}

// maxHeadings spaces articles out in a section's Order: more headings
// than any article has.
const maxHeadings = 10000

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
	// Synonyms reports that search's synonyms file changed.
	Synonyms bool
	// Cases reports that a complaint's triage cases changed.
	Cases bool
}

// Reload makes a new site from s and the files of fsys named in changed
// (paths relative to fsys, like "back-pain.md" or
// "complaints/back-pain.yaml"): each is read again, added, or dropped when
// it no longer exists. Every other article is kept as it was, parsed once,
// and the indexes are patched rather than built again, so a save costs
// about the same in a site of ten articles or ten thousand. The checks
// that span files (unique slugs, the rules' links) run again, so the new
// site is as valid as one Load would give.
func (s *Site) Reload(fsys fs.FS, changed []string) (*Site, Change, error) {
	var ch Change
	var names []string
	for _, name := range changed {
		if name == SynonymsFile {
			ch.Synonyms = true
		}
		if path.Ext(name) == ".md" && !strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var present []string
	for _, name := range names {
		if _, err := fs.Stat(fsys, name); !errors.Is(err, fs.ErrNotExist) {
			present = append(present, name)
		}
	}
	parsed, probs := parseFiles(fsys, present)
	files, checkerChange, ps := s.checkerFiles.Reread(fsys, changed)
	probs = append(probs, ps...)
	ch.Complaints, ch.ComplaintList, ch.Cases = checkerChange.Complaints, checkerChange.ComplaintList, checkerChange.Cases
	synonyms := s.Synonyms
	if ch.Synonyms {
		synonyms, ps = loadSynonyms(fsys)
		probs = append(probs, ps...)
	}
	if len(probs) > 0 {
		return nil, Change{}, probs
	}

	// The articles that go (removed, or replaced by a new version) and
	// those that come, by file.
	fresh := make(map[string]*Article, len(present))
	for i, name := range present {
		fresh[name] = parsed[i]
	}
	var gone, come []*Article
	byFile := slices.Clone(s.byFile)
	for _, name := range names {
		i, found := slices.BinarySearchFunc(byFile, name, func(a *Article, name string) int { return strings.Compare(a.File, name) })
		a, exists := fresh[name]
		switch {
		case found && exists:
			old := byFile[i]
			if bytes.Equal(old.src, a.src) { // saved without a change
				continue
			}
			ch.edited(old, a)
			gone, come = append(gone, old), append(come, a)
			byFile[i] = a
		case found:
			ch.addedOrRemoved(byFile[i])
			gone = append(gone, byFile[i])
			byFile = slices.Delete(byFile, i, i+1)
		case exists:
			ch.addedOrRemoved(a)
			come = append(come, a)
			byFile = slices.Insert(byFile, i, a)
		}
	}
	if len(byFile) == 0 {
		return nil, Change{}, contentfile.Problems{{File: ".", Msg: "no articles (*.md files) found"}}
	}

	site := &Site{byFile: byFile, bySlug: maps.Clone(s.bySlug), Synonyms: synonyms, opts: s.opts}
	for _, a := range gone {
		if site.bySlug[a.Slug] == a {
			delete(site.bySlug, a.Slug)
		}
	}
	if probs := site.addArticles(come); len(probs) > 0 {
		return nil, Change{}, probs
	}
	site.Articles = patchSorted(s.Articles, gone, come)
	if probs := site.checkAcross(come, files); len(probs) > 0 {
		return nil, Change{}, probs
	}
	site.numberTags(s.tagIDs, come)
	site.indexTags(s.byTag)
	ch.Articles = compactSorted(ch.Articles)
	ch.Listed = compactSorted(ch.Listed)
	ch.Tags = compactSorted(ch.Tags)
	return site, ch, nil
}

// ChangedArticles returns, sorted, the slugs of the articles added,
// removed or edited between old and new, two versions of a site made by
// Reload, which keeps every article it did not read again as the same
// value. Past limit slugs it stops and returns false: so many changes are
// cheaper to take as a new site.
func ChangedArticles(old, new *Site, limit int) ([]string, bool) {
	var out []string
	for slug, a := range new.bySlug {
		if old.bySlug[slug] != a {
			out = append(out, slug)
		}
		if len(out) > limit {
			return nil, false
		}
	}
	for slug := range old.bySlug {
		if _, ok := new.bySlug[slug]; !ok {
			out = append(out, slug)
		}
		if len(out) > limit {
			return nil, false
		}
	}
	slices.Sort(out)
	return out, true
}

// patchSorted returns list, in site order, without the articles of gone and
// with those of come.
func patchSorted(list, gone, come []*Article) []*Article {
	out := make([]*Article, 0, len(list)+len(come))
	for _, a := range list {
		if !slices.Contains(gone, a) {
			out = append(out, a)
		}
	}
	for _, a := range come {
		i, _ := slices.BinarySearchFunc(out, a, compareArticles)
		out = slices.Insert(out, i, a)
	}
	return out
}

// addedOrRemoved records an article that appears or disappears: its page,
// every list it is in and every tag it has change.
func (ch *Change) addedOrRemoved(a *Article) {
	ch.Articles = append(ch.Articles, a.Slug)
	ch.Listed = append(ch.Listed, a.Slug)
	ch.Tags = append(ch.Tags, a.Tags...)
}

// edited records an article whose file was saved with new text.
func (ch *Change) edited(old, a *Article) {
	ch.Articles = append(ch.Articles, old.Slug, a.Slug)
	if old.Slug != a.Slug || old.Title != a.Title || old.Summary != a.Summary ||
		!old.LastReviewed.Equal(a.LastReviewed.Time) || !old.Published.Equal(a.Published.Time) ||
		old.Author != a.Author || !slices.Equal(old.tags, a.tags) {
		ch.Listed = append(ch.Listed, old.Slug, a.Slug)
	}
	if !slices.Equal(old.tags, a.tags) || old.Slug != a.Slug {
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
func Parse(file string, src []byte) (*Article, contentfile.Problems) {
	var probs contentfile.Problems
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	doc := outlineMarkdown.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

	data := frontmatter.Get(ctx)
	if data == nil {
		probs.Add(file, 1, "no front matter: the file must start with a line \"---\", then the fields, then \"---\"")
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
		Published:    fm.Published,
		LastReviewed: fm.LastReviewed,
		NextReview:   fm.NextReview,
		Tags:         fm.Tags,
		Sources:      fm.Sources,
		Image:        fm.Image,
		ImageAlt:     strings.TrimSpace(fm.ImageAlt),
	}
	a.derive()
	a.ClinicalReviewPending = fm.ClinicalReview == clinicalReviewPending
	if fm.ClinicalSignOff != nil {
		a.SignOff = contentfile.CheckSignOff(&probs, file, fm.signOffLine, fm.ClinicalSignOff, ArticleTextHash(fm.Title, fm.Summary, ArticleBody(src)))
	}
	a.CareLevel = contentfile.Urgent
	if l, ok := contentfile.ParseLevel(fm.CareLevel); ok {
		a.CareLevel = l
	}
	if fm.Slug == "" && !contentfile.SlugPattern.MatchString(a.Slug) {
		probs.Add(file, 0, "the file name gives the slug %q, which is not lowercase letters, digits and single hyphens: rename the file or set \"slug\"", a.Slug)
	}

	a.Headings, a.Sections = outline(doc, src)
	// Most articles show no picture and link to no other page of the
	// site: skip the walk for them.
	if bytes.Contains(src, []byte("]("+StaticPrefix)) || bytes.Contains(src, []byte("](/articles/")) || bytes.Contains(src, []byte("](#")) {
		a.StaticImages, a.SiteLinks = pictsAndLinks(doc, src)
	}
	seen := map[string]int{}
	for _, h := range a.Headings {
		if h.ID == "" {
			probs.Add(file, h.Line, "the heading %q has an empty id: write {#an-id} with letters, digits and hyphens, or leave it out", h.Title)
			continue
		}
		if first, dup := seen[h.ID]; dup {
			probs.Add(file, h.Line, "section id %q is already used by the heading on line %d: give one of them {#another-id}", h.ID, first)
			continue
		}
		seen[h.ID] = h.Line
	}
	if _, ok := seen[UrgentSectionID]; !ok {
		probs.Add(file, 0, "missing the section \"## When to get medical help\" (id %q) that every article needs", UrgentSectionID)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	a.keep(src)
	return a, nil
}

// outline lists the h2 and h3 of doc with their ids, lines and excerpts,
// and the "##" sections they start.
func outline(doc ast.Node, src []byte) ([]Heading, []Section) {
	// Counted first, so each slice is allocated once at its size: thousands
	// of articles keep them for the life of the server.
	var nh, ns int
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && (h.Level == 2 || h.Level == 3) {
			nh++
			if h.Level == 2 {
				ns++
			}
		}
	}
	hs := make([]Heading, 0, nh)
	ss := make([]Section, 0, ns)
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || (h.Level != 2 && h.Level != 3) {
			continue
		}
		heading := Heading{
			ID:    headingID(h),
			Title: string(plainText(h, src)),
			Level: h.Level,
			Line:  lineOf(h, src),
		}
		hs = append(hs, heading)
		if h.Level == 2 {
			ss = append(ss, Section{Heading: heading, Urgent: heading.ID == UrgentSectionID, General: hasClass(h, "general")})
		}
	}
	return hs, ss
}

// pictsAndLinks lists the pictures from static/ that doc shows and its
// links to articles of the site and to its own sections.
func pictsAndLinks(doc ast.Node, src []byte) (images []StaticImage, links []Link) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			if bytes.HasPrefix(n.Destination, []byte(StaticPrefix)) {
				images = append(images, StaticImage{Name: string(n.Destination[len(StaticPrefix):]), Line: lineOfInline(n, src)})
			}
		case *ast.Link:
			if bytes.HasPrefix(n.Destination, []byte("/articles/")) || bytes.HasPrefix(n.Destination, []byte("#")) {
				links = append(links, Link{Dest: string(n.Destination), Line: lineOfInline(n, src)})
			}
		}
		return ast.WalkContinue, nil
	})
	return images, links
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
