package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// A saved index, opened, answers every query of the list, on every page
// asked, exactly as the index it was saved from.
func TestSavedIndexAnswersAsBuilt(t *testing.T) {
	site, built := manyArticles(t)
	path := filepath.Join(t.TempDir(), "search.db")
	if err := built.Save(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	opened, err := Open(context.Background(), path, site)
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	queries := readQueryList(t)
	queries = append(queries, benchQuery{text: "nekc pian"}, benchQuery{text: "sore throat"}, benchQuery{text: "zzzzqqq"})
	for _, q := range queries {
		for _, page := range []int{1, 2} {
			want, got := search(t, built, site, q.text, page), search(t, opened, site, q.text, page)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%q page %d: opened index differs from built (-built +opened):\n%s", q.text, page, diff)
			}
		}
	}
	if err := opened.Update(context.Background(), site, content.Change{}); err == nil {
		t.Error("an opened index took an update")
	}
}

// An index saved for one site is refused for another.
func TestSavedIndexIsForItsSite(t *testing.T) {
	_, ix := buildIndex(t, corpus.FS(30))
	path := filepath.Join(t.TempDir(), "search.db")
	if err := ix.Save(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	other, err := content.Load(corpus.FS(20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path, other); err == nil {
		t.Error("an index of 30 articles opened for a site of 20")
	}
	if err := ix.Save(context.Background(), path); err == nil {
		t.Error("Save wrote over a file")
	}
}
