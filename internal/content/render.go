package content

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/klauspost/compress/s2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Each parser is configured once; goldmark is safe for concurrent use.
var (
	markdown        = newMarkdown(true)
	markdownNoLinks = newMarkdown(false)
	outlineMarkdown = newOutlineMarkdown()
)

// Rendered is an article's text as HTML.
type Rendered struct {
	// IntroHTML is the Markdown before the first "##" heading.
	IntroHTML string
	// SectionHTML holds each "##" section, heading included, in the order
	// of Article.Sections.
	SectionHTML []string
}

// RenderOptions are what the page adds to an article's HTML.
type RenderOptions struct {
	// StaticURL gives the address a static file is served at (a hashed
	// name), for the pictures the text shows; nil leaves them.
	StaticURL func(name string) (string, bool)
	// CareLabel is the article's CareLevel in words, like "Urgent
	// advice": it starts the heading of the "When to get medical help"
	// section, so that everyone, screen reader users included, hears how
	// urgent the card is, not only sees its colour. "" adds nothing.
	CareLabel string
}

// Render makes an article's HTML from the text that was validated. It is
// called when a page needs it, not at load, so a site of any size starts
// at once; each section is rendered on its own, so the page can wrap each
// in its own element.
//
// An article given its HTML with KeepRendered returns that, whatever opts
// say: the caller that kept it made it with the options it renders with.
func Render(a *Article, opts RenderOptions) (Rendered, error) {
	if a.html != nil {
		return decodeRendered(a)
	}
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	if opts.StaticURL != nil {
		ctx.Set(staticURLKey, opts.StaticURL)
	}
	src := a.source()
	md := markdownFor(src)
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	var groups [][]ast.Node
	var current []ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			groups = append(groups, current)
			current = nil
			if opts.CareLabel != "" && headingID(h) == UrgentSectionID {
				h.InsertBefore(h, h.FirstChild(), &careLabel{text: opts.CareLabel})
			}
		}
		current = append(current, n)
	}
	groups = append(groups, current)

	var buf bytes.Buffer
	render := func(nodes []ast.Node) (string, error) {
		part := ast.NewDocument()
		for _, n := range nodes {
			part.AppendChild(part, n)
		}
		buf.Reset()
		if err := md.Renderer().Render(&buf, src, part); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	var r Rendered
	var err error
	if r.IntroHTML, err = render(groups[0]); err != nil {
		return Rendered{}, fmt.Errorf("%s: %w", a.File, err)
	}
	if len(groups)-1 != len(a.Sections) { // the same bytes, parsed the same way
		return Rendered{}, fmt.Errorf("%s: %d sections rendered, %d loaded", a.File, len(groups)-1, len(a.Sections))
	}
	r.SectionHTML = make([]string, len(a.Sections))
	for i, g := range groups[1:] {
		if id := headingID(g[0].(*ast.Heading)); id != a.Sections[i].ID {
			return Rendered{}, fmt.Errorf("%s: section %d rendered as %q, loaded as %q", a.File, i+1, id, a.Sections[i].ID)
		}
		if r.SectionHTML[i], err = render(g); err != nil {
			return Rendered{}, fmt.Errorf("%s: section %q: %w", a.File, a.Sections[i].ID, err)
		}
	}
	return r, nil
}

// Excerpts gives, for each h2 and h3 of an article by id, the plain text of
// the first paragraph of its section, shortened to one line, for pages that
// point to sections (results). They are made from the source the first time
// they are asked for, then kept with the article: kept for every heading of
// every article they were the largest part of a large site's memory after
// the sources, but only the articles the checker points to need them.
func Excerpts(a *Article) map[string]string {
	a.excerptsOnce.Do(func() {
		src := a.source()
		ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
		doc := outlineMarkdown.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
		a.excerpts = make(map[string]string, len(a.Headings))
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if h, ok := n.(*ast.Heading); ok && (h.Level == 2 || h.Level == 3) {
				a.excerpts[headingID(h)] = excerpt(h, src)
			}
		}
	})
	return a.excerpts
}

// EncodeRendered is r compressed, for KeepRendered: a pack keeps each
// article's HTML, made once when it is built, so that serving from it
// parses no Markdown at all.
func EncodeRendered(r Rendered) []byte {
	b := binary.AppendUvarint(nil, uint64(len(r.SectionHTML)))
	b = binary.AppendUvarint(b, uint64(len(r.IntroHTML)))
	for _, s := range r.SectionHTML {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	b = append(b, r.IntroHTML...)
	for _, s := range r.SectionHTML {
		b = append(b, s...)
	}
	return s2.Encode(nil, b)
}

// KeepRendered gives a its HTML, from EncodeRendered of what Render made
// of its text with the options the server renders with; html must not
// change while the article is used (it may be a mapped file). It is
// checked when first rendered: HTML that does not decode, or has another
// number of sections than the article, is an error then.
func (a *Article) KeepRendered(html []byte) { a.html = html }

func decodeRendered(a *Article) (Rendered, error) {
	b, err := s2.Decode(nil, a.html)
	if err != nil {
		return Rendered{}, fmt.Errorf("%s: kept HTML: %w", a.File, err)
	}
	bad := fmt.Errorf("%s: kept HTML is not whole", a.File)
	n, k := binary.Uvarint(b)
	if k <= 0 || n != uint64(len(a.Sections)) {
		return Rendered{}, fmt.Errorf("%s: kept HTML has %d sections, the article %d", a.File, n, len(a.Sections))
	}
	b = b[k:]
	sizes := make([]uint64, n+1)
	var total uint64
	for i := range sizes {
		if sizes[i], k = binary.Uvarint(b); k <= 0 {
			return Rendered{}, bad
		}
		b, total = b[k:], total+sizes[i]
	}
	if total != uint64(len(b)) {
		return Rendered{}, bad
	}
	// One string holds every part: the page copies them into its body.
	all := string(b)
	next := func(n uint64) string {
		s := all[:n]
		all = all[n:]
		return s
	}
	r := Rendered{IntroHTML: next(sizes[0]), SectionHTML: make([]string, n)}
	for i := range r.SectionHTML {
		r.SectionHTML[i] = next(sizes[i+1])
	}
	return r, nil
}
