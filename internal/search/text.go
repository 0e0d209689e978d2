package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"healthsite/internal/content"
)

// doc is one row of the index: an article's introduction or one of its
// "##" sections, as plain text.
type doc struct {
	slug    string
	section string // the section's id; "" for the introduction
	title   string // the section's title; "" for the introduction
	article string // the article's title
	body    string
}

// blockSep joins the paragraphs and list items of a section in its plain
// text, so that a snippet shows where one ends and the next begins.
const blockSep = " · "

// docsOf is the rows of an article: the introduction (with the summary)
// and every "##" section, whose text includes its "###" headings.
func docsOf(a *content.Article) []doc { return docsFrom(a, content.Inspect(a)) }

// docsFrom is docsOf with the article's inventory already made.
func docsFrom(a *content.Article, inv content.Inventory) []doc {
	type block struct {
		line int
		text string
	}
	// SectionText[0] is the introduction, SectionText[i+1] Sections[i].
	blocks := make([][]block, len(a.Sections)+1)
	for i, bs := range inv.SectionText {
		for _, b := range bs {
			if i < len(blocks) {
				blocks[i] = append(blocks[i], block{b.Line, b.Text})
			}
		}
	}
	for _, h := range a.Headings {
		if h.Level == 3 {
			i := sectionAt(a.Sections, h.Line) + 1
			blocks[i] = append(blocks[i], block{h.Line, h.Title})
		}
	}
	text := func(bs []block, first ...string) string {
		slices.SortStableFunc(bs, func(x, y block) int { return cmp.Compare(x.line, y.line) })
		for _, b := range bs {
			first = append(first, b.text)
		}
		return clean(strings.Join(first, blockSep))
	}

	title := clean(a.Title)
	docs := make([]doc, 0, len(a.Sections)+1)
	docs = append(docs, doc{slug: a.Slug, article: title, body: text(blocks[0], a.Summary)})
	for i, s := range a.Sections {
		docs = append(docs, doc{slug: a.Slug, section: s.ID, title: clean(s.Title), article: title, body: text(blocks[i+1])})
	}
	return docs
}

// sectionAt is the index of the last section starting before line, or -1
// for a line of the introduction.
func sectionAt(sections []content.Section, line int) int {
	i, _ := slices.BinarySearchFunc(sections, line, func(s content.Section, line int) int { return cmp.Compare(s.Line, line) })
	return i - 1
}

// clean makes text safe to index: control characters, among them the
// ones that mark matches in snippets, become spaces, and runs of white
// space one space.
func clean(s string) string {
	return squeeze(s, func(r rune, _ int) bool { return r < 0x20 || r == 0x7f || unicode.IsSpace(r) })
}

// squeeze is s with every run of the runes gap reports (given each rune
// and its size in bytes, 1 for a byte that is not UTF-8) made one space,
// and none at either end: the one loop behind clean (indexed text) and
// ParseQuery (what a reader typed), which differ only in what a gap is.
func squeeze(s string, gap func(r rune, size int) bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		if gap(r, size) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD") // as ranging over a string would give
		} else {
			b.WriteString(s[i : i+size])
		}
	}
	return b.String()
}

// words lists the distinct words of a row (Words of its columns), for
// the vocabulary. seen is the caller's scratch map, reused from row to row
// so that a row costs no map of its own; the words are slices of the
// row's text, which the vocabulary copies when it keeps one.
func (d doc) words(seen map[string]bool) []string {
	clear(seen)
	var out []string
	for _, text := range []string{d.title, d.article, d.body} {
		forEachWord(text, func(w string) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		})
	}
	return out
}

// wordCount is a distinct word of a row and its weighted count: each use
// adds its column's weight (columnWeights), as FTS5's bm25 counts a
// phrase's instances.
type wordCount struct {
	word string
	f    int
}

// count lists the distinct words of a row with their weighted counts, and
// how many words the row has (FTS5's size of the row, the "D" of bm25).
// at is the caller's scratch map, as words' seen; the words are slices of
// the row's text.
func (d doc) count(at map[string]int) (words []wordCount, length int) {
	clear(at)
	for col, text := range []string{d.title, d.article, d.body} {
		weight := columnWeights[col]
		forEachWord(text, func(w string) {
			length++
			if i, ok := at[w]; ok {
				words[i].f += weight
				return
			}
			at[w] = len(words)
			words = append(words, wordCount{w, weight})
		})
	}
	return words, length
}

// forEachWord calls fn with each word of text as Words splits it, without
// copying words that are lowercase already.
func forEachWord(text string, fn func(string)) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		word, size := false, 1
		switch {
		case c < utf8.RuneSelf: // ASCII, most of any English text
			word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			fn(lower(text[start:i]))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(lower(text[start:]))
	}
}

// lower is strings.ToLower without a copy for the words that need none.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}

// ArticleWords calls fn with every word of an article's indexed text, in
// lowercase, as a search would match it: for checks of the words content
// names, like the terms of synonyms. inv is content.Inspect(a), which the
// caller has made for its own checks too.
func ArticleWords(a *content.Article, inv content.Inventory, fn func(word string)) {
	for _, d := range docsFrom(a, inv) {
		for _, text := range []string{d.title, d.article, d.body} {
			forEachWord(text, fn)
		}
	}
}
