package content

import (
	"bytes"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Link is a link in an article's Markdown, for checking where it goes.
type Link struct {
	Dest string
	Line int
}

// Image is an image in an article's Markdown, for checking its alt text.
type Image struct {
	Dest string
	Alt  string
	Line int
}

// Block is a paragraph, list item or table cell of plain text with the
// line it starts on, for checking plain language.
type Block struct {
	Text string
	Line int
}

// HeadingLevel is any heading's level and line, for checking the outline.
type HeadingLevel struct {
	Level int
	Line  int
}

// Inventory is what the authoring checks look at in an article: links,
// images, every heading level with its line, and the text of the intro
// (SectionText[0]) and of each section (SectionText[i+1] for Sections[i]).
type Inventory struct {
	Links       []Link
	Images      []Image
	Outline     []HeadingLevel
	SectionText [][]Block
}

// Inspect parses an article again and lists what the authoring checks
// look at. The server never needs it, so Load does not keep it.
func Inspect(a *Article) Inventory {
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	src := a.source()
	doc := markdownFor(src).Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	var inv Inventory
	inv.take(doc, src)
	return inv
}

func (a *Inventory) take(doc ast.Node, src []byte) {
	// sectionOf maps each top-level block to its ## section: -1 for the
	// intro, then 0, 1, ... in order.
	sectionOf := map[ast.Node]int{}
	i := -1
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			i++
		}
		sectionOf[n] = i
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			a.Outline = append(a.Outline, HeadingLevel{Level: n.Level, Line: lineOf(n, src)})
		case *ast.Link:
			a.Links = append(a.Links, Link{Dest: string(n.Destination), Line: lineOfInline(n, src)})
		case *ast.AutoLink:
			a.Links = append(a.Links, Link{Dest: string(n.URL(src)), Line: lineOfInline(n, src)})
		case *ast.Image:
			a.Images = append(a.Images, Image{Dest: string(n.Destination), Alt: string(plainText(n, src)), Line: lineOfInline(n, src)})
		case *ast.Paragraph, *ast.TextBlock:
			top := n
			for top.Parent() != nil && top.Parent().Kind() != ast.KindDocument {
				top = top.Parent()
			}
			idx := sectionOf[top]
			for len(a.SectionText) <= idx+1 {
				a.SectionText = append(a.SectionText, nil)
			}
			text := strings.TrimSpace(string(plainText(n, src)))
			if text != "" {
				a.SectionText[idx+1] = append(a.SectionText[idx+1], Block{Text: text, Line: lineOf(n, src)})
			}
			return ast.WalkContinue, nil // links and images are inside
		}
		return ast.WalkContinue, nil
	})
}

// lineOfInline is the line of an inline node: that of its first text, or
// of the block that holds it.
func lineOfInline(n ast.Node, src []byte) int {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return bytes.Count(src[:t.Segment.Start], []byte("\n")) + 1
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return lineOf(p, src)
		}
	}
	return 0
}

// hasClass reports whether a heading was given a class, as in {.general}.
func hasClass(n ast.Node, class string) bool {
	v, ok := n.AttributeString("class")
	if !ok {
		return false
	}
	b, _ := v.([]byte)
	return slices.Contains(strings.Fields(string(b)), class)
}
