// Package htmltest lets tests check HTML the way a browser reads it: parsed,
// and queried with CSS selectors, rather than by searching for substrings.
package htmltest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Parse parses a whole HTML document, failing the test if it cannot.
func Parse(t testing.TB, body []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parsing HTML: %v", err)
	}
	return doc
}

// All returns every node matching the CSS selector.
func All(t testing.TB, n *html.Node, selector string) []*html.Node {
	t.Helper()
	sel, err := cascadia.Parse(selector)
	if err != nil {
		t.Fatalf("bad selector %q: %v", selector, err)
	}
	return cascadia.QueryAll(n, sel)
}

// One returns the only node matching the selector, failing the test if there
// is not exactly one.
func One(t testing.TB, n *html.Node, selector string) *html.Node {
	t.Helper()
	got := All(t, n, selector)
	if len(got) != 1 {
		t.Fatalf("%q matched %d elements, want 1", selector, len(got))
	}
	return got[0]
}

// Attr returns the value of an attribute, and whether it is present.
func Attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// Text returns the text inside n with white space collapsed.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
