package contentcheck

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
)

// Without a drug database the check cannot recognise a medicine's name, so
// it relies on the way the house style asks writers to name medicines: as
// a list after a short sentence that says what they are ("Some medicines
// may help. They include:"). A medicine list is a list that comes after a
// paragraph using one of these words, with no heading between them. A
// medicine named any other way is not found: this is a reminder for
// writers, not a guarantee.
var medicineWord = regexp.MustCompile(`(?i)\b(?:medicines?|medications?|drugs?)\b`)

// medicineList is a list of medicines and the line of the paragraph that
// introduces it.
type medicineList struct {
	Line  int
	Items []string
}

// medicineMarkdown parses articles for medicineLists. It needs only the
// block structure: front matter skipped, GFM lists, attributes on headings.
var medicineMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, &frontmatter.Extender{}),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// medicineLists finds the medicine lists in an article file.
func medicineLists(src []byte) []medicineList {
	doc := medicineMarkdown.Parser().Parse(text.NewReader(src))
	var out []medicineList
	leadIn := 0 // line of the paragraph naming medicines under the current heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			leadIn = 0
		case *ast.Paragraph:
			if medicineWord.Match(blockText(n, src)) {
				leadIn = blockLine(n, src)
			}
		case *ast.List:
			if leadIn == 0 {
				continue
			}
			l := medicineList{Line: leadIn}
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				if first := item.FirstChild(); first != nil {
					l.Items = append(l.Items, string(blockText(first, src)))
				}
			}
			out = append(out, l)
		}
	}
	return out
}

// blockText is the text of a paragraph or text block, its lines joined.
func blockText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(bytes.TrimSpace(seg.Value(src)))
	}
	return b.Bytes()
}

// blockLine is the line of the file where a block starts.
func blockLine(n ast.Node, src []byte) int {
	if n.Lines().Len() == 0 {
		return 0
	}
	return bytes.Count(src[:n.Lines().At(0).Start], []byte("\n")) + 1
}

// namedMedicines describes the medicine lists for a message: how many
// medicines, and the first.
func namedMedicines(lists []medicineList) (n int, first string) {
	for _, l := range lists {
		for _, item := range l.Items {
			if first == "" {
				first = strings.TrimSpace(item)
			}
			n++
		}
	}
	return n, first
}
