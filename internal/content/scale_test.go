package content_test

import (
	"bytes"
	"fmt"
	"testing"
	"testing/fstest"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// The loader must cope with a large site: 10,000 articles (300 with -short).
func TestLoadManyArticles(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 300
	}
	site, err := content.Load(corpus.FS(n))
	if err != nil {
		t.Fatalf("loading %d generated articles: %v", n, err)
	}
	if len(site.Articles) != n {
		t.Fatalf("loaded %d articles, want %d", len(site.Articles), n)
	}
	// The generated articles vary in shape like a real library's; what
	// holds for every one is what the loader and the pages rely on.
	for _, a := range site.Articles {
		if got := len(a.Sections); got < corpus.MinSections || got > corpus.MaxSections {
			t.Errorf("%s has %d sections, want %d to %d", a.Slug, got, corpus.MinSections, corpus.MaxSections)
		}
		if last := a.Sections[len(a.Sections)-1]; !last.Urgent {
			t.Errorf("%s ends with section %q, want %q", a.Slug, last.ID, content.UrgentSectionID)
		}
		if rel := site.Related(a); len(rel) == 0 || len(rel) > 5 {
			t.Errorf("%s has %d related articles, want 1 to 5", a.Slug, len(rel))
		}
	}
}

func BenchmarkLoadGenerated100(b *testing.B) {
	fsys := corpus.FS(100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := content.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReloadOneOf10000 is a save in the preview of a large site: one
// article read again and the site rebuilt around it.
func BenchmarkReloadOneOf10000(b *testing.B) {
	fsys := corpus.FS(10000)
	site, err := content.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	name := corpus.Name(42)
	orig := fsys.(fstest.MapFS)[name].Data
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		fsys.(fstest.MapFS)[name].Data = append(bytes.Clone(orig), fmt.Sprintf("\nEdit %d.\n", i)...)
		if _, _, err := site.Reload(fsys, []string{name}); err != nil {
			b.Fatal(err)
		}
	}
}
