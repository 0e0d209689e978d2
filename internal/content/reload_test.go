package content_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

func tagged(title string, tags ...string) string {
	return article(strings.Replace(goodFrontMatter, "title: Back pain", "title: "+title, 1)+"tags: ["+strings.Join(tags, ", ")+"]\n", goodBody)
}

func TestReloadReadsOnlyWhatChanged(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte(tagged("Ankle pain", "legs"))},
		"b.md": {Data: []byte(tagged("Back pain", "back"))},
		"c.md": {Data: []byte(tagged("Calf pain", "legs"))},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	oldB, _ := site.Article("b")

	tests := []struct {
		name    string
		change  func()
		files   []string
		want    content.Change
		wantErr string
	}{
		{
			name: "body edited",
			change: func() {
				fsys["a.md"].Data = []byte(strings.Replace(tagged("Ankle pain", "legs"), "Text about strain.", "New text.", 1))
			},
			files: []string{"a.md"},
			want:  content.Change{Articles: []string{"a"}},
		},
		{
			name:   "retitled",
			change: func() { fsys["a.md"].Data = []byte(tagged("Aching ankle", "legs")) },
			files:  []string{"a.md"},
			want:   content.Change{Articles: []string{"a"}, Listed: []string{"a"}},
		},
		{
			name:   "re-tagged",
			change: func() { fsys["a.md"].Data = []byte(tagged("Aching ankle", "feet")) },
			files:  []string{"a.md"},
			want:   content.Change{Articles: []string{"a"}, Listed: []string{"a"}, Tags: []string{"feet", "legs"}},
		},
		{
			name:   "saved unchanged",
			change: func() {},
			files:  []string{"a.md"},
			want:   content.Change{},
		},
		{
			name:   "added",
			change: func() { fsys["d.md"] = &fstest.MapFile{Data: []byte(tagged("Dizziness", "head"))} },
			files:  []string{"d.md"},
			want:   content.Change{Articles: []string{"d"}, Listed: []string{"d"}, Tags: []string{"head"}},
		},
		{
			name:   "removed",
			change: func() { delete(fsys, "c.md") },
			files:  []string{"c.md"},
			want:   content.Change{Articles: []string{"c"}, Listed: []string{"c"}, Tags: []string{"legs"}},
		},
		{
			name:    "broken",
			change:  func() { fsys["a.md"].Data = []byte("no front matter") },
			files:   []string{"a.md"},
			wantErr: "a.md:1: no front matter",
		},
		{
			name:    "a slug taken twice",
			change:  func() { fsys["e.md"] = &fstest.MapFile{Data: []byte("---\nslug: b\n" + tagged("Elbow", "arms")[4:])} },
			files:   []string{"e.md"},
			wantErr: `e.md: slug "b" is already used by b.md`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			next, ch, err := site.Reload(fsys, tt.files)
			if tt.wantErr != "" {
				var probs contentfile.Problems
				if !errors.As(err, &probs) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want problems with %q", err, tt.wantErr)
				}
				// Put it back, so the next case starts from a good folder.
				delete(fsys, "e.md")
				fsys["a.md"].Data = []byte(tagged("Aching ankle", "feet"))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ch.Articles, tt.want.Articles) || !slices.Equal(ch.Listed, tt.want.Listed) || !slices.Equal(ch.Tags, tt.want.Tags) || !slices.Equal(ch.Complaints, tt.want.Complaints) || ch.ComplaintList != tt.want.ComplaintList {
				t.Errorf("change = %+v, want %+v", ch, tt.want)
			}
			// Untouched articles are the same values, parsed once.
			if b, _ := next.Article("b"); b != oldB {
				t.Error("an untouched article was parsed again")
			}
			// The reloaded site is the site a fresh load would give.
			fresh, err := content.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := titles(next), titles(fresh); !slices.Equal(got, want) {
				t.Errorf("articles = %v, a fresh load gives %v", got, want)
			}
			for _, a := range fresh.Articles {
				got, _ := next.Article(a.Slug)
				if got == nil || !slices.Equal(titles2(next.Related(got)), titles2(fresh.Related(a))) {
					t.Errorf("%s: related articles differ from a fresh load's", a.Slug)
				}
			}
			site = next
		})
	}
}

func titles(s *content.Site) []string { return titles2(s.Articles) }

func titles2(as []*content.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

// ChangedArticles sums up several reloads: what an index built for the
// first site must re-read to hold the last.
func TestChangedArticles(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte(tagged("Ankle pain", "legs"))},
		"b.md": {Data: []byte(tagged("Back pain", "back"))},
		"c.md": {Data: []byte(tagged("Calf pain", "legs"))},
	}
	first, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := content.ChangedArticles(first, first, 10); !ok || len(got) != 0 {
		t.Errorf("a site against itself: %v, %v", got, ok)
	}
	site := first
	reload := func(files ...string) {
		t.Helper()
		next, _, err := site.Reload(fsys, files)
		if err != nil {
			t.Fatal(err)
		}
		site = next
	}
	fsys["a.md"] = &fstest.MapFile{Data: []byte(tagged("Aching ankle", "legs"))}
	reload("a.md")
	delete(fsys, "c.md")
	reload("c.md")
	fsys["d.md"] = &fstest.MapFile{Data: []byte(tagged("Dizziness", "head"))}
	reload("d.md", "b.md") // b saved without a change
	got, ok := content.ChangedArticles(first, site, 10)
	if want := []string{"a", "c", "d"}; !ok || !slices.Equal(got, want) {
		t.Errorf("ChangedArticles = %v, %v; want %v, true", got, ok, want)
	}
	if got, ok := content.ChangedArticles(first, site, 2); ok {
		t.Errorf("past the limit: %v, true; want false", got)
	}
}

func TestTagCount(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte(tagged("Ankle pain", "legs"))},
		"b.md": {Data: []byte(tagged("Back pain", "back"))},
		"c.md": {Data: []byte(tagged("Calf pain", "legs"))},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]int{"legs": 2, "back": 1, "arms": 0} {
		if got := site.TagCount(tag); got != want || got != len(site.Tagged(tag)) {
			t.Errorf("TagCount(%q) = %d, want %d", tag, got, want)
		}
	}
	delete(fsys, "c.md")
	next, _, err := site.Reload(fsys, []string{"c.md"})
	if err != nil {
		t.Fatal(err)
	}
	if got := next.TagCount("legs"); got != 1 {
		t.Errorf("after removing an article, TagCount(legs) = %d, want 1", got)
	}
}
