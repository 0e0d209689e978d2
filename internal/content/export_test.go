package content

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// htmlOf is src rendered whole by the parser and renderer of linkify.
func htmlOf(t testing.TB, linkify bool, src []byte) string {
	t.Helper()
	md := markdownNoLinks
	if linkify {
		md = markdown
	}
	ctx := parser.NewContext(parser.WithIDs(headingIDs{}))
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// BothWays renders src whole with linkify and without it, and says
// whether markdownFor would use linkify for it, for the tests of
// markdownFor (linkify_test.go), which need the generated corpus.
func BothWays(t testing.TB, src []byte) (with, without string, linkify bool) {
	t.Helper()
	if markdownFor(src) == markdown {
		return "", "", true
	}
	return htmlOf(t, true, src), htmlOf(t, false, src), false
}
