package content

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"

	"healthsite/internal/contentfile"
)

// newMarkdown configures goldmark once. Raw HTML is left at goldmark's safe
// default (omitted), so nothing a writer types can inject script into a page.
// Without linkify, it is the parser for text that linkify would find
// nothing in (see markdownFor).
func newMarkdown(linkify bool) goldmark.Markdown {
	gfm := []goldmark.Extender{extension.GFM}
	if !linkify {
		gfm = []goldmark.Extender{extension.Table, extension.Strikethrough, extension.TaskList, linkifyShadow{}}
	}
	return goldmark.New(
		goldmark.WithExtensions(append(gfm,
			&frontmatter.Extender{Formats: []frontmatter.Format{rawYAML}},
		)...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(), // lets a writer pin an id: ## Title {#id}
			parser.WithASTTransformers(util.Prioritized(externalLinks{}, 100), util.Prioritized(staticImageURLs{}, 100)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(selfLinkHeadings{}, 100)),
		),
	)
}

// newOutlineMarkdown is the parser Load uses to validate an article and
// list its headings: the same block and inline parsing as newMarkdown,
// without what only changes the HTML. Turning bare URLs into links
// (linkify) took a third of parsing time and changes no heading, id or
// section; the link attributes are set only in the HTML. Render checks
// that its sections are the ones Load found.
func newOutlineMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Table, extension.Strikethrough, extension.TaskList, // GFM without Linkify
			&frontmatter.Extender{Formats: []frontmatter.Format{rawYAML}},
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
		),
	)
}

// linkifyShadow stands in for linkify: an inline parser with linkify's
// triggers and priority that finds nothing. Where an inline parser may
// start shapes the tree even when it finds nothing (the text is split
// there, and the spaces before a line break are kept or not), so without
// it the tree differed from linkify's for text with no address at all.
type linkifyShadow struct{}

func (linkifyShadow) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(linkifyShadow{}, 999)))
}

func (linkifyShadow) Trigger() []byte { return []byte{' ', '*', '_', '~', '('} }

func (linkifyShadow) Parse(ast.Node, text.Reader, parser.Context) ast.Node { return nil }

// markdownFor is the parser and renderer for src: linkify, which makes
// links of bare addresses, looks for one wherever a word starts, and took
// a third of the time of parsing an article, most of which name no
// address. It makes a link only of text starting "http:", "https:",
// "ftp:" or "www.", or of an e-mail address, which has an "@"; text with
// none of these parses to the same tree with linkifyShadow in its place
// (TestMarkdownWithoutLinkifyIsTheSame, FuzzMarkdownWithoutLinkify).
// Only the text after the front matter counts: linkify does not read the
// front matter, where every source's address is.
func markdownFor(src []byte) goldmark.Markdown {
	body := afterFrontMatter(src)
	if bytes.IndexByte(body, '@') >= 0 || bytes.Contains(body, []byte("www.")) ||
		bytes.Contains(body, []byte("http:")) || bytes.Contains(body, []byte("https:")) || bytes.Contains(body, []byte("ftp:")) {
		return markdown
	}
	return markdownNoLinks
}

// afterFrontMatter is src after its front matter, found as the frontmatter
// extension finds it: a first line of three or more "-" and nothing else
// opens it, and the next line of as many closes it (or the end does).
// Anything else is all text.
func afterFrontMatter(src []byte) []byte {
	dashes := func(line []byte) int {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) < 3 || len(bytes.Trim(line, "-")) > 0 {
			return 0
		}
		return len(line)
	}
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	n := dashes(first)
	if n == 0 {
		return src
	}
	for len(rest) > 0 {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		if dashes(line) == n {
			return after
		}
		rest = after
	}
	return nil
}

// rawYAML hands the front matter bytes back untouched; decodeFrontMatter
// does the strict decoding so that errors carry file line numbers.
var rawYAML = frontmatter.Format{
	Name:  "YAML",
	Delim: '-',
	Unmarshal: func(b []byte, v any) error {
		*(v.(*[]byte)) = append([]byte(nil), b...)
		return nil
	},
}

// headingIDs makes readable ids ("Back muscle strain" -> "back-muscle-strain")
// and, unlike goldmark's default, does not number duplicates: a duplicate id
// is a content error that Load reports instead of silently renaming.
type headingIDs struct{}

func (headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	return []byte(contentfile.Slugify(string(value)))
}

func (headingIDs) Put([]byte) {}

// externalLinks marks links that leave the site, so they open no window
// handle back to us and leak no referrer.
type externalLinks struct{}

func (externalLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch l := n.(type) {
		case *ast.Link:
			dest = l.Destination
		case *ast.AutoLink:
			dest = l.URL(src)
		default:
			return ast.WalkContinue, nil
		}
		lower := bytes.ToLower(dest)
		if bytes.HasPrefix(lower, []byte("http://")) || bytes.HasPrefix(lower, []byte("https://")) || bytes.HasPrefix(lower, []byte("//")) {
			n.SetAttributeString("rel", []byte("external noopener noreferrer"))
		}
		return ast.WalkContinue, nil
	})
}

// staticURLKey holds, in a parser context, the function that gives a
// static file's served address.
var staticURLKey = parser.NewContextKey()

// staticImageURLs points pictures from static/ at the hashed names the
// server serves them under: writers address them by their own names.
type staticImageURLs struct{}

func (staticImageURLs) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	staticURL, ok := pc.Get(staticURLKey).(func(string) (string, bool))
	if !ok {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && bytes.HasPrefix(img.Destination, []byte(StaticPrefix)) {
			if u, ok := staticURL(string(img.Destination[len(StaticPrefix):])); ok {
				img.Destination = []byte(u)
			}
		}
		return ast.WalkContinue, nil
	})
}

// selfLinkHeadings renders h2 and h3 with a visible "#" link to the heading
// itself, so readers can copy a link to any section.
type selfLinkHeadings struct{}

func (selfLinkHeadings) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(kindCareLabel, renderCareLabel)
}

// careLabel is the urgency of the "When to get medical help" card in
// words, at the start of its heading (RenderOptions.CareLabel). It is
// shown as a line above the heading's text, and read with it: "Urgent
// advice: When to get medical help". The self-link's text, the contents
// and the section's id keep the heading's own words.
type careLabel struct {
	ast.BaseInline
	text string
}

var kindCareLabel = ast.NewNodeKind("CareLabel")

func (*careLabel) Kind() ast.NodeKind { return kindCareLabel }

func (l *careLabel) Dump(src []byte, level int) {
	ast.DumpHelper(l, src, level, map[string]string{"Text": l.text}, nil)
}

func renderCareLabel(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<span class="care-label">`)
		_, _ = w.Write(util.EscapeHTML([]byte(node.(*careLabel).text)))
		_, _ = w.WriteString(`<span class="visually-hidden">:</span></span> `)
	}
	return ast.WalkSkipChildren, nil
}

func renderHeading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	id, hasID := n.AttributeString("id")
	linked := hasID && (n.Level == 2 || n.Level == 3)
	tag := "h" + string("0123456"[n.Level])
	if entering {
		if linked {
			_, _ = w.WriteString(`<div class="section-heading">`)
		}
		_, _ = w.WriteString("<" + tag)
		html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</" + tag + ">")
	if linked {
		idb, _ := id.([]byte)
		_, _ = w.WriteString(`<a class="self-link" href="#`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(idb, false)))
		_, _ = w.WriteString(`"><span aria-hidden="true">#</span><span class="visually-hidden">Link to this section: `)
		_, _ = w.Write(util.EscapeHTML(plainText(n, src)))
		_, _ = w.WriteString(`</span></a></div>`)
	}
	_ = w.WriteByte('\n')
	return ast.WalkContinue, nil
}

// plainText is the text of a node with its inline markup stripped.
func plainText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return bytes.TrimSpace(b.Bytes())
}
