package pack

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// The fields of content.Article (and of the types in them) that
// articles.go writes. When this fails, write the new field in
// articles.go, raise FormatVersion, and add it here.
var knownFields = []string{
	"Article.File string", "Article.Slug string", "Article.Title string", "Article.Summary string", "Article.Author string",
	"Article.Published contentfile.Date", "Article.LastReviewed contentfile.Date", "Article.NextReview contentfile.Date",
	"Article.Tags []string", "Article.Sources []content.Source", "Article.SignOff *contentfile.SignOff",
	"Article.ClinicalReviewPending bool", "Article.CareLevel contentfile.Level", "Article.Image string", "Article.ImageAlt string",
	"Article.StaticImages []content.StaticImage", "Article.SiteLinks []content.Link", "Article.Sections []content.Section",
	"Article.Headings []content.Heading",
	"Source.Title string", "Source.Publisher string", "Source.Author string", "Source.Date contentfile.Date", "Source.URL string", "Source.TranslatedFrom string",
	"SignOff.By string", "SignOff.Date contentfile.Date", "SignOff.SHA256 string", "SignOff.Current bool",
	"StaticImage.Name string", "StaticImage.Line int",
	"Link.Dest string", "Link.Line int",
	"Section.Heading content.Heading", "Section.Urgent bool", "Section.General bool",
	"Heading.ID string", "Heading.Title string", "Heading.Level int", "Heading.Line int",
}

func exportedFields(t reflect.Type, seen map[reflect.Type]bool, out *[]string) {
	if seen[t] {
		return
	}
	seen[t] = true
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		*out = append(*out, fmt.Sprintf("%s.%s %s", t.Name(), f.Name, f.Type))
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() != "time" && ft != reflect.TypeFor[contentfile.Date]() {
			exportedFields(ft, seen, out)
		}
	}
}

func TestArticleFieldsAreKnown(t *testing.T) {
	var got []string
	exportedFields(reflect.TypeFor[content.Article](), map[reflect.Type]bool{}, &got)
	slices.Sort(got)
	want := slices.Sorted(slices.Values(knownFields))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("content.Article's fields changed (-known +now): write them in articles.go, raise FormatVersion, then list them here:\n%s", diff)
	}
}

// An article with every field set reads back as it was written.
func TestArticleRoundTrips(t *testing.T) {
	day := func(y int, m time.Month, d int) contentfile.Date {
		return contentfile.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	}
	h := []content.Heading{{ID: "causes", Title: "Causes", Level: 2, Line: 9}, {ID: "strain", Title: "Strain", Level: 3, Line: 11}, {ID: "when-to-get-medical-help", Title: "When to get medical help", Level: 2, Line: 20}}
	full := &content.Article{
		File: "a.md", Slug: "a", Title: "A", Summary: "Sum", Author: "Team",
		Published: day(2025, 1, 2), LastReviewed: day(2026, 3, 4), NextReview: day(2027, 5, 6),
		Tags:                  []string{"neck", "pain"},
		Sources:               []content.Source{{Title: "S", Publisher: "P", Author: "Au", Date: day(2020, 7, 8), URL: "https://x.example", TranslatedFrom: "Chinese"}, {Title: "T"}},
		SignOff:               &contentfile.SignOff{By: "Dr X, GP", Date: day(2026, 1, 1), SHA256: "ab", Current: true},
		ClinicalReviewPending: true, CareLevel: contentfile.Level(2), Image: "p.png", ImageAlt: "alt",
		StaticImages: []content.StaticImage{{Name: "p.png", Line: 4}},
		SiteLinks:    []content.Link{{Dest: "/articles/b#c", Line: 5}},
		Headings:     h,
		Sections:     []content.Section{{Heading: h[0], General: true}, {Heading: content.Heading{ID: "odd", Title: "Not a heading", Level: 2, Line: 1}}, {Heading: h[2], Urgent: true}},
	}
	empty := &content.Article{File: "b.md", Slug: "b", Title: "B"}
	var w articleWriter
	w.article(full)
	w.article(empty)
	r := articleReader{b: append(w.table(), w.b...)}
	r.readTable()
	for _, want := range []*content.Article{full, empty} {
		var got content.Article
		if err := r.article(&got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, &got, cmpopts.IgnoreUnexported(content.Article{})); diff != "" {
			t.Errorf("%s read back differs (-written +read):\n%s", want.File, diff)
		}
	}
	if len(r.b) != 0 || r.err != nil {
		t.Errorf("%d bytes left, error %v", len(r.b), r.err)
	}
}

// A broken file is an error, never a panic or a huge allocation.
func FuzzReadSite(f *testing.F) {
	var w articleWriter
	w.article(&content.Article{File: "a.md", Slug: "a", Title: "A", Tags: []string{"x"}, Headings: []content.Heading{{ID: "h", Title: "H", Level: 2}}, Sections: []content.Section{{Heading: content.Heading{ID: "h", Title: "H", Level: 2}}}})
	f.Add(append(w.table(), w.b...))
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := articleReader{b: b}
		r.readTable()
		for r.err == nil && len(r.b) > 0 {
			var a content.Article
			if r.article(&a) != nil {
				break
			}
		}
	})
}
