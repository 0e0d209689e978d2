package pack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// The articles of site.bin, in a format of this package's own: first a
// table of every distinct string (their lengths, then their bytes end to
// end), then each article's fields in order, numbers as varints and
// strings as their place in the table. Reading it takes no reflection
// and copies no text: every string of an article points into the mapped
// file, whose text pages the system reads only when a page shows them,
// and a heading, a source or a tag that thousands of articles share is
// kept once. encoding/gob read 10,000 articles in
// 180 ms and kept their text on the heap (16 MB); this reads them in a
// fraction of that (BenchmarkReadArticles). TestArticleFieldsAreKnown
// fails when content.Article gains a field this does not write.

// articleWriter appends articles, numbering their strings.
type articleWriter struct {
	b   []byte
	tab []string
	at  map[string]uint64
}

// table is the strings the articles written use, to write before them.
func (w *articleWriter) table() []byte { return appendTable(nil, w.tab) }

// appendTable appends parts to b as a table: how many, the length of
// each, then all of them end to end, so that a reader finds every part
// without reading the others (site.bin's strings, html.bin's articles).
func appendTable[S ~string | ~[]byte](b []byte, parts []S) []byte {
	b = binary.AppendUvarint(b, uint64(len(parts)))
	for _, p := range parts {
		b = binary.AppendUvarint(b, uint64(len(p)))
	}
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// splitTable reads the table appendTable wrote at the start of b: its
// parts, pointing into b, and what follows it. It allocates nothing that
// b's length does not bound, whatever b holds.
func splitTable(b []byte) (parts [][]byte, rest []byte, err error) {
	next := func() (int, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return 0, false
		}
		b = b[k:]
		return int(n), true
	}
	n, ok := next()
	if !ok {
		return nil, nil, errShort
	}
	lengths := make([]int, n)
	total := 0
	for i := range lengths {
		if lengths[i], ok = next(); !ok {
			return nil, nil, errShort
		}
		total += lengths[i]
	}
	if total > len(b) {
		return nil, nil, errShort
	}
	parts = make([][]byte, n)
	for i, l := range lengths {
		parts[i], b = b[:l:l], b[l:]
	}
	return parts, b, nil
}

func (w *articleWriter) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }
func (w *articleWriter) int(n int)     { w.b = binary.AppendVarint(w.b, int64(n)) }
func (w *articleWriter) bool(v bool) {
	if v {
		w.uint(1)
	} else {
		w.uint(0)
	}
}
func (w *articleWriter) string(s string) {
	if s == "" {
		w.uint(0)
		return
	}
	if w.at == nil {
		w.at = map[string]uint64{}
	}
	i, ok := w.at[s]
	if !ok {
		w.tab = append(w.tab, s)
		i = uint64(len(w.tab)) // from 1: 0 is ""
		w.at[s] = i
	}
	w.uint(i)
}
func (w *articleWriter) strings(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.string(s)
	}
}

// date writes a day as seconds since 1970, or nothing set as 0 (no
// article date is the epoch).
func (w *articleWriter) date(d contentfile.Date) {
	if d.IsZero() {
		w.int(0)
		return
	}
	w.int(int(d.Unix()))
}

func (w *articleWriter) heading(h content.Heading) {
	w.string(h.ID)
	w.string(h.Title)
	w.int(h.Level)
	w.int(h.Line)
}

func (w *articleWriter) article(a *content.Article) {
	w.string(a.File)
	w.string(a.Slug)
	w.string(a.Title)
	w.string(a.Summary)
	w.string(a.Author)
	w.date(a.Published)
	w.date(a.LastReviewed)
	w.date(a.NextReview)
	w.strings(a.Tags)
	w.uint(uint64(len(a.Sources)))
	for _, s := range a.Sources {
		w.string(s.Title)
		w.string(s.Publisher)
		w.string(s.Author)
		w.date(s.Date)
		w.string(s.URL)
		w.string(s.TranslatedFrom)
	}
	w.bool(a.SignOff != nil)
	if a.SignOff != nil {
		w.string(a.SignOff.By)
		w.date(a.SignOff.Date)
		w.string(a.SignOff.SHA256)
		w.bool(a.SignOff.Current)
	}
	w.bool(a.ClinicalReviewPending)
	w.int(int(a.CareLevel))
	w.string(a.Image)
	w.string(a.ImageAlt)
	w.uint(uint64(len(a.StaticImages)))
	for _, im := range a.StaticImages {
		w.string(im.Name)
		w.int(im.Line)
	}
	w.uint(uint64(len(a.SiteLinks)))
	for _, l := range a.SiteLinks {
		w.string(l.Dest)
		w.int(l.Line)
	}
	w.uint(uint64(len(a.Headings)))
	for _, h := range a.Headings {
		w.heading(h)
	}
	// Sections are headings of the list above, which the reader shares
	// rather than reading twice: each is its heading's place and flags.
	w.uint(uint64(len(a.Sections)))
	for _, s := range a.Sections {
		at := -1
		for i, h := range a.Headings {
			if h == s.Heading {
				at = i
				break
			}
		}
		w.int(at)
		if at < 0 {
			w.heading(s.Heading)
		}
		w.bool(s.Urgent)
		w.bool(s.General)
	}
}

// errShort is a file that ends inside an article.
var errShort = errors.New("the file ends too soon")

// articleReader reads what articleWriter wrote, from b, whose strings it
// returns without copying.
type articleReader struct {
	b   []byte
	tab []string // from 1; tab[0] is ""
	err error
}

// readTable reads the table of strings at the start of r.b.
func (r *articleReader) readTable() {
	parts, rest, err := splitTable(r.b)
	if err != nil {
		r.fail()
		return
	}
	r.tab = make([]string, len(parts)+1)
	for i, p := range parts {
		if len(p) > 0 {
			r.tab[i+1] = unsafe.String(&p[0], len(p))
		}
	}
	r.b = rest
}

func (r *articleReader) uint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}

func (r *articleReader) int() int {
	n, k := binary.Varint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return int(n)
}

// count reads a length, refusing one longer than what is left (a broken
// file must not make the reader allocate without bound).
func (r *articleReader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *articleReader) bool() bool { return r.uint() == 1 }

func (r *articleReader) string() string {
	i := r.uint()
	if i >= uint64(len(r.tab)) {
		r.fail()
		return ""
	}
	return r.tab[i]
}

func (r *articleReader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.string()
	}
	return out
}

func (r *articleReader) date() contentfile.Date {
	sec := r.int()
	if sec == 0 {
		return contentfile.Date{}
	}
	return contentfile.Date{Time: time.Unix(int64(sec), 0).UTC()}
}

func (r *articleReader) heading() content.Heading {
	return content.Heading{ID: r.string(), Title: r.string(), Level: r.int(), Line: r.int()}
}

func (r *articleReader) fail() {
	if r.err == nil {
		r.err = errShort
	}
	r.b = nil
}

// article reads one article into a.
func (r *articleReader) article(a *content.Article) error {
	a.File = r.string()
	a.Slug = r.string()
	a.Title = r.string()
	a.Summary = r.string()
	a.Author = r.string()
	a.Published = r.date()
	a.LastReviewed = r.date()
	a.NextReview = r.date()
	a.Tags = r.strings()
	if n := r.count(); n > 0 {
		a.Sources = make([]content.Source, n)
		for i := range a.Sources {
			a.Sources[i] = content.Source{Title: r.string(), Publisher: r.string(), Author: r.string(), Date: r.date(), URL: r.string(), TranslatedFrom: r.string()}
		}
	}
	if r.bool() {
		a.SignOff = &contentfile.SignOff{By: r.string(), Date: r.date(), SHA256: r.string(), Current: r.bool()}
	}
	a.ClinicalReviewPending = r.bool()
	a.CareLevel = contentfile.Level(r.int())
	a.Image = r.string()
	a.ImageAlt = r.string()
	if n := r.count(); n > 0 {
		a.StaticImages = make([]content.StaticImage, n)
		for i := range a.StaticImages {
			a.StaticImages[i] = content.StaticImage{Name: r.string(), Line: r.int()}
		}
	}
	if n := r.count(); n > 0 {
		a.SiteLinks = make([]content.Link, n)
		for i := range a.SiteLinks {
			a.SiteLinks[i] = content.Link{Dest: r.string(), Line: r.int()}
		}
	}
	if n := r.count(); n > 0 {
		a.Headings = make([]content.Heading, n)
		for i := range a.Headings {
			a.Headings[i] = r.heading()
		}
	}
	if n := r.count(); n > 0 {
		a.Sections = make([]content.Section, n)
		for i := range a.Sections {
			var h content.Heading
			switch at := r.int(); {
			case at < 0:
				h = r.heading()
			case at < len(a.Headings):
				h = a.Headings[at]
			default:
				r.fail()
			}
			a.Sections[i] = content.Section{Heading: h, Urgent: r.bool(), General: r.bool()}
		}
	}
	if r.err != nil {
		return fmt.Errorf("%s: %w", a.File, r.err)
	}
	return nil
}
