package server

import (
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
	"healthsite/internal/htmltest"
)

// listedFile is an article whose summary can change apart from its title
// and its text.
func listedFile(title, summary, text string, tags ...string) *fstest.MapFile {
	f := articleFile(title, text, tags...)
	f.Data = []byte(strings.Replace(string(f.Data), "summary: About "+title+".", "summary: "+summary, 1))
	return f
}

// Each edit remakes the lists that show the article, before and after,
// and no other: counted in renders.
func TestListsFollowEdits(t *testing.T) {
	fsys := fstest.MapFS{
		"ankle.md": listedFile("Ankle pain", "Ankles.", "Text.", "legs"),
		"arm.md":   listedFile("Arm ache", "Arms.", "Text.", "arms"),
		"back.md":  listedFile("Back pain", "Backs.", "Text.", "back"),
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lists := []string{"/", "/articles", "/topics", "/a-z/a", "/a-z/b", "/a-z/z", "/topics/legs", "/topics/back", "/topics/arms"}
	// visit counts the renders of each list, leaving out the lists that
	// do not exist (404), which are made again on every request.
	visit := func() map[string]int {
		renders := map[string]int{}
		for _, p := range lists {
			if do(t, s, "GET", p).Code == http.StatusOK {
				renders[p] = s.renders.count(p)
			}
		}
		return renders
	}
	edit := func(file string, f *fstest.MapFile) []string {
		t.Helper()
		before := visit()
		if f == nil {
			delete(fsys, file)
		} else {
			fsys[file] = f
		}
		next, ch, err := s.Site().Reload(fsys, []string{file})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(next, ch); err != nil {
			t.Fatal(err)
		}
		after := visit()
		var remade []string
		for _, p := range lists {
			if n, ok := after[p]; ok && n != before[p] {
				remade = append(remade, p)
			}
		}
		return remade
	}
	everything := []string{"/", "/articles", "/topics"} // they show every letter or topic
	for _, tt := range []struct {
		name string
		file string
		f    *fstest.MapFile
		want []string
	}{
		{"text only", "ankle.md", listedFile("Ankle pain", "Ankles.", "Other text.", "legs"), nil},
		{"summary", "ankle.md", listedFile("Ankle pain", "Ankles ache.", "Other text.", "legs"), append(everything, "/a-z/a", "/topics/legs")},
		{"retitled to another letter", "ankle.md", listedFile("Zebra ankle", "Ankles ache.", "Other text.", "legs"), append(everything, "/a-z/a", "/a-z/z", "/topics/legs")},
		{"re-tagged", "ankle.md", listedFile("Zebra ankle", "Ankles ache.", "Other text.", "back"), append(everything, "/a-z/z", "/topics/back")},
		{"added", "abdomen.md", listedFile("Abdominal pain", "Tummies.", "Text.", "arms"), append(everything, "/a-z/a", "/topics/arms")},
		{"removed", "back.md", nil, append(everything, "/topics/back")}, // /a-z/b is gone
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := edit(tt.file, tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("remade %v, want %v", got, tt.want)
			}
		})
	}
	for _, p := range []string{"/a-z/b", "/topics/legs"} {
		if rec := do(t, s, "GET", p); rec.Code != http.StatusNotFound {
			t.Errorf("%s lists no article now: %d, want 404", p, rec.Code)
		}
	}
	if body := do(t, s, "GET", "/topics/back").Body.String(); strings.Contains(body, "Back pain") || !strings.Contains(body, "Zebra ankle") {
		t.Error("the topic back does not list what it has now")
	}
	doc := htmltest.Parse(t, do(t, s, "GET", "/a-z/a").Body.Bytes())
	var titles []string
	for _, a := range htmltest.All(t, doc, ".az-list a") {
		titles = append(titles, htmltest.Text(a))
	}
	if !slices.Equal(titles, []string{"Abdominal pain", "Arm ache"}) {
		t.Errorf("A lists %v", titles)
	}
}

// gzipSize is the size of a page as most readers receive it.
func gzipSize(t *testing.T, h http.Handler, path string) (int, []byte) {
	t.Helper()
	rec := get(t, h, "GET", path, http.Header{"Accept-Encoding": {"gzip"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.Len(), decode(t, rec)
}

// pageBudget is what a list page may weigh gzipped at 10,000 articles:
// the home page's budget (under 14 KB, a first round trip) for every
// list, so that no list grows with the site.
const pageBudget = 14 << 10

// At 10,000 articles (2,000 with -short): the home page, the A to Z and
// the topics stay within budget, and every article is two clicks from
// /articles: a page of its letter, then the article.
func TestListsAtScale(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 2000
	}
	fsys := fstest.MapFS{}
	for _, dir := range []fs.FS{corpus.FS(n), articles.FS} {
		err := fs.WalkDir(dir, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(dir, name)
			fsys[name] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	budget := func(path string) []byte {
		t.Helper()
		size, body := gzipSize(t, s, path)
		if size > pageBudget {
			t.Errorf("%s is %d bytes gzipped, over the budget of %d", path, size, pageBudget)
		}
		return body
	}
	links := func(body []byte, selector string) []string {
		var out []string
		for _, a := range htmltest.All(t, htmltest.Parse(t, body), selector) {
			out = append(out, attr(a, "href"))
		}
		return out
	}

	home := budget("/")
	if got := len(links(home, ".article-list a")); got == 0 || got > 10 {
		t.Errorf("home lists %d articles, want a bounded selection", got)
	}
	reached := map[string]bool{}
	letterPages := links(budget("/articles"), ".az-pages a")
	for _, page := range letterPages { // first click
		for _, href := range links(budget(page), ".az-list a") { // second click
			reached[href] = true
		}
	}
	for _, a := range site.Articles {
		if !reached["/articles/"+a.Slug] {
			t.Errorf("%s is not within two clicks of /articles", a.Slug)
		}
	}
	if len(reached) != len(site.Articles) {
		t.Errorf("the A to Z reaches %d articles, the site has %d", len(reached), len(site.Articles))
	}
	if len(letterPages) < 27 {
		t.Errorf("%d letter pages: at this size some letters should need more than one", len(letterPages))
	}

	budget("/topics")
	// The biggest topic, page by page.
	var biggest string
	for _, href := range links(budget("/topics"), ".topic-list a") {
		tag := strings.TrimPrefix(href, "/topics/")
		if len(site.Tagged(tag)) > len(site.Tagged(biggest)) {
			biggest = tag
		}
	}
	seen := 0
	for page := "/topics/" + biggest; page != ""; {
		body := budget(page)
		seen += len(links(body, ".article-list h2 a"))
		next := links(body, `.pagination a[rel="next"]`)
		page = ""
		if len(next) == 1 {
			page = next[0]
		}
	}
	if seen != len(site.Tagged(biggest)) {
		t.Errorf("the pages of topic %s list %d articles, it has %d", biggest, seen, len(site.Tagged(biggest)))
	}
}

// Tags are free text in front matter: a topic page works for any tag.
func TestTopicOfAnyTag(t *testing.T) {
	fsys := fstest.MapFS{"a.md": articleFile("Ankle pain", "Text.", `"Legs & feet"`, `"a/b"`, "ünïcode")}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(site, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doc := htmltest.Parse(t, do(t, s, "GET", "/topics").Body.Bytes())
	links := htmltest.All(t, doc, ".topic-list a")
	if len(links) != 3 {
		t.Fatalf("%d topics listed", len(links))
	}
	for _, a := range links {
		href := attr(a, "href")
		rec := do(t, s, "GET", href)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/articles/a") {
			t.Errorf("%s: status %d, or the article is not listed", href, rec.Code)
		}
	}
}
