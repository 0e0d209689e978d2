package e2e

import (
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"

	"healthsite/articles"
	"healthsite/internal/browsertest"
	"healthsite/internal/corpus"
)

// Search as a reader uses it, with JavaScript off as well as on: type in
// the header's box, submit, follow a result, and land on its section.
func TestSearchFlow(t *testing.T) {
	base := startSite(t)
	for _, js := range []bool{false, true} {
		name := map[bool]string{true: "javascript-on", false: "javascript-off"}[js]
		t.Run(name, func(t *testing.T) {
			p := browsertest.NewPage(t, browsertest.Options{Width: 375, Height: 800, NoJavaScript: !js})
			p.Navigate(base + articlePath)
			p.Do(chromedp.SendKeys(chromedp.CSS("#header-search-q"), "inflamed tissue"))
			p.ClickAndWait(".header-search-button")
			if got := browsertest.Eval[string](p, `location.pathname + location.search`); got != "/search?q=inflamed+tissue" {
				t.Fatalf("submitting went to %s", got)
			}
			if got := browsertest.Eval[string](p, `document.getElementById("search-q").value`); got != "inflamed tissue" {
				t.Errorf("the results page's box holds %q", got)
			}
			href := browsertest.Eval[string](p, `document.querySelector(".search-sections a").getAttribute("href")`)
			if want := articlePath + "#neck-and-shoulder-fasciitis"; href != want {
				t.Fatalf("first section links to %s, want %s", href, want)
			}
			p.ClickAndWait(".search-sections a")
			if got := browsertest.Eval[string](p, `location.pathname + location.hash`); got != href {
				t.Errorf("landed on %s, want %s", got, href)
			}
			if got := browsertest.Eval[string](p, `document.querySelector(":target") ? document.querySelector(":target").id : ""`); got != "neck-and-shoulder-fasciitis" {
				t.Errorf(":target is %q", got)
			}
			if js { // Poll runs in the page, which needs scripts
				p.WaitFor(`Math.abs(document.getElementById("neck-and-shoulder-fasciitis").getBoundingClientRect().top) < 80`)
			}
			// The article is fetched with no referrer: the search's address,
			// which holds the query, goes nowhere.
			if got := browsertest.Eval[string](p, `document.referrer`); got != "" {
				t.Errorf("the article was sent the referrer %q", got)
			}
			p.CheckNoProblems(name, "")
		})
	}
}

// "Did you mean" leads to the spelling it suggests.
func TestDidYouMean(t *testing.T) {
	base := startSite(t)
	p := browsertest.NewPage(t, browsertest.Options{NoJavaScript: true})
	p.Navigate(base + "/search?q=" + url.QueryEscape("nekc pain"))
	p.ClickAndWait(".search-suggestion a")
	if got := browsertest.Eval[string](p, `location.search`); got != "?q=neck+pain" {
		t.Errorf("the suggestion went to %s", got)
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll(".search-result").length`); n == 0 {
		t.Error("the suggestion finds nothing")
	}
}

// The pages with long lists, at 2,000 generated articles so that they are
// paged: accessible at phone and desktop widths, and no sideways scroll.
func TestListsAtScale(t *testing.T) {
	base := serve(t, withBundled(corpus.FS(2000)))
	for _, path := range []string{"/", "/articles", "/a-z/s?page=2", "/topics", "/topics/muscles-and-joints?page=2", "/search?q=pain&page=2"} {
		for _, width := range []int64{375, 1280} {
			t.Run(fmt.Sprintf("%s/%d", path, width), func(t *testing.T) {
				p := browsertest.NewPage(t, browsertest.Options{Width: width, Height: 900})
				p.Navigate(base + path)
				if !strings.HasPrefix(path, "/topics?") && path != "/" && path != "/topics" && path != "/articles" {
					if n := browsertest.Eval[int](p, `document.querySelectorAll("nav.pagination a").length`); n < 2 {
						t.Errorf("%d pagination links: the list is not paged", n)
					}
				}
				p.CheckAxe(path)
				if overflow := browsertest.Eval[int](p, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
					t.Errorf("the page scrolls sideways by %dpx", overflow)
				}
				p.CheckNoProblems(path, "")
				if width == 375 && path != "/" {
					p.Screenshot("scale-" + strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(strings.TrimPrefix(path, "/")) + "-375")
				}
			})
		}
	}
}

// withBundled adds the bundled article, rules and synonyms to a generated
// corpus.
func withBundled(gen fs.FS) fs.FS {
	out := fstest.MapFS{}
	for _, dir := range []fs.FS{gen, articles.FS} {
		_ = fs.WalkDir(dir, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(dir, name)
			out[name] = &fstest.MapFile{Data: data}
			return err
		})
	}
	return out
}
