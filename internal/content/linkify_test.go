package content_test

import (
	"io/fs"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// Text that markdownFor parses without linkify renders exactly as with
// it: the bundled articles, a generated library, and text with every
// kind of inline Markdown and the characters linkify looks after.
func TestMarkdownWithoutLinkifyIsTheSame(t *testing.T) {
	var sources [][]byte
	for _, fsys := range []fs.FS{articles.FS, corpus.FS(300)} {
		names, _ := fs.Glob(fsys, "*.md")
		for _, name := range names {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, src)
		}
	}
	for _, s := range linkifySeeds {
		sources = append(sources, []byte(s))
	}
	var without int
	for _, src := range sources {
		a, b, linkify := content.BothWays(t, src)
		if linkify {
			continue
		}
		without++
		if a != b {
			t.Errorf("rendered differently without linkify:\n%s\nwith:\n%s\nwithout:\n%s", src, a, b)
		}
	}
	if without < 300 {
		t.Errorf("only %d texts parsed without linkify: the test compares nothing", without)
	}
	for _, s := range []string{"see www.nhs.uk", "mail a@b.org", "go to https://x.org", "http://x", "ftp://x"} {
		if _, _, linkify := content.BothWays(t, []byte(s)); !linkify {
			t.Errorf("%q would be parsed without linkify", s)
		}
	}
}

var linkifySeeds = []string{
	"Plain *emphasis*, _under_, **strong**, ~~struck~~ and ~single~ (in brackets) text.\n",
	"## A heading {#pinned}\n\n- [ ] a task\n- [x] done (see [a link](/articles/x#y))\n",
	"| a | b |\n|---|:-:|\n| (x) | *y* ~z~ |\n",
	"A line ending in two spaces  \nthen more, and `code (with) *stars*`.\n",
	"Words like wwwx, http, https, ftp and an at-sign word without one: (www) _www_ ~http~.\n",
	"![A picture](/static/p.png \"title\") and <span>raw</span> html.\n",
	"1. one\n2. two (2)\n\n> quoted *text* with ~~strikes~~\n",
	"---\ntitle: T\nsources:\n  - {url: https://example.org, email: a@b.org}\n---\n\nBody (with *no* address).\n",
	"---\ntitle: T\n---\nwww.example.org\n---\nmore\n",
	"----\nurl: https://x.org\n---\nBody www.x.org\n",
	"---  \r\na: https://x.org\r\n---\r\n\r\nText see https://y.org\r\n",
}

// FuzzMarkdownWithoutLinkify: any text markdownFor parses without
// linkify renders exactly as with it.
func FuzzMarkdownWithoutLinkify(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b, linkify := content.BothWays(t, []byte(s))
		if !linkify && a != b {
			t.Errorf("%q rendered differently without linkify:\nwith:    %q\nwithout: %q", s, a, b)
		}
	})
}
