package sitefiles

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/internal/content"
	"healthsite/internal/deps"
	"healthsite/internal/pages"
)

func testEnv(t *testing.T) pages.Env {
	t.Helper()
	article := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: About " + title + ".\n" +
			"last_reviewed: 2026-01-01\nnext_review: 2026-06-01\n" +
			"sources:\n  - {title: A paper, publisher: A press, author: Dr A, date: 2025-01-01}\n---\n\n" +
			"## When to get medical help\n\nSee a doctor.\n")}
	}
	site, err := content.Load(fstest.MapFS{"a.md": article("Ankle pain"), "b.md": article("Back pain <&>"), "c.md": article("Chest pain")})
	if err != nil {
		t.Fatal(err)
	}
	return pages.Env{Site: site, BaseURL: "https://health.example.org"}
}

func TestSitemapAndFeedListEveryArticle(t *testing.T) {
	env := testEnv(t)
	for name, build := range map[string]func(pages.Env, pages.Request) (File, error){"sitemap": Sitemap, "feed": Feed} {
		f, err := build(env, pages.Request{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"a", "b", "c"} {
			if !strings.Contains(string(f.Body), "https://health.example.org/articles/"+s+"<") {
				t.Errorf("%s does not list /articles/%s", name, s)
			}
		}
		if !slices.Contains(f.Deps, deps.AllArticles) {
			t.Errorf("%s does not depend on the list of articles", name)
		}
		// Well-formed XML, whatever the titles hold.
		if err := xml.Unmarshal(f.Body, new(struct{})); err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
		}
	}
}

func TestRobotsPointsAtTheSitemap(t *testing.T) {
	f, err := Robots(testEnv(t), pages.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "User-agent: *\nAllow: /\n\nSitemap: https://health.example.org/sitemap.xml\n"; string(f.Body) != want {
		t.Errorf("robots.txt = %q, want %q", f.Body, want)
	}
}

func TestOpenSearchTemplate(t *testing.T) {
	f, err := OpenSearch(testEnv(t), pages.Request{})
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		URL struct {
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal(f.Body, &d); err != nil {
		t.Fatal(err)
	}
	if want := "https://health.example.org/search?q={searchTerms}"; d.URL.Template != want {
		t.Errorf("template = %q, want %q", d.URL.Template, want)
	}
}
