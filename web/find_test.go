package web

import (
	"strings"
	"testing"

	"healthsite/internal/htmltest"
)

// Component tests of the pages that find articles, each from a literal
// view model.

func TestHeaderSearchOnEveryPage(t *testing.T) {
	doc := render(t, ErrorPage(testHead, ErrorView{}))
	form := htmltest.One(t, doc, `header form[role="search"][action="/search"][method="get"]`)
	input := htmltest.One(t, form, `input[type="search"][name="q"][maxlength="200"][autocomplete="off"]`)
	if got := htmltest.Text(htmltest.One(t, form, `label[for="`+attr(input, "id")+`"]`)); got != "Search this site" {
		t.Errorf("the header box is labelled %q", got)
	}
	htmltest.One(t, form, `button[type="submit"]`)
	htmltest.One(t, doc, `link[rel="search"][type="application/opensearchdescription+xml"][href="/opensearch.xml"]`)
	htmltest.One(t, doc, `nav[aria-label="Main"] a[href="/articles"]`)
}

func searchResults() SearchView {
	return SearchView{
		Query: `neck <b>pain</b>`, Total: 12, Listed: 12,
		Results: []SearchResult{{
			Title: []Marked{{Text: "Neck", Match: true}, {Text: " pain after a massage"}},
			URL:   "/articles/neck-pain",
			Intro: []Marked{{Text: "Why your "}, {Text: "neck", Match: true}, {Text: " hurts."}},
			Sections: []SearchSection{
				{Title: []Marked{{Text: "Muscle strain"}}, URL: "/articles/neck-pain#muscle-strain", Snippet: []Marked{{Text: "…a "}, {Text: "<neck>", Match: true}, {Text: " muscle…"}}},
				{Title: []Marked{{Text: "Fasciitis"}}, URL: "/articles/neck-pain#fasciitis", Snippet: []Marked{{Text: "the fascia"}}},
			},
		}},
		Pages: Pagination{Current: 1, Last: 2, Next: "/search?q=neck&page=2", Pages: []PageLink{{1, "/search?q=neck"}, {2, "/search?q=neck&page=2"}}},
	}
}

func TestSearchPageResults(t *testing.T) {
	doc := render(t, SearchPage(testHead, searchResults()))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Search results" {
		t.Errorf("h1 = %q", got)
	}
	// The query is shown back as text, escaped: never as markup.
	input := htmltest.One(t, doc, `main input#search-q[name="q"]`)
	if got := attr(input, "value"); got != `neck <b>pain</b>` {
		t.Errorf("the box holds %q", got)
	}
	if n := len(htmltest.All(t, doc, "main b")); n != 0 {
		t.Error("the query became markup")
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".search-summary")); got != "12 articles found for “neck <b>pain</b>”" {
		t.Errorf("summary = %q", got)
	}
	result := htmltest.One(t, doc, ".search-results > li")
	htmltest.One(t, result, `h2 a[href="/articles/neck-pain"] mark`)
	sections := htmltest.All(t, result, `.search-sections h3 a`)
	if len(sections) != 2 || attr(sections[0], "href") != "/articles/neck-pain#muscle-strain" {
		t.Fatalf("sections: %d", len(sections))
	}
	marks := htmltest.All(t, result, ".snippet mark")
	if len(marks) != 2 || htmltest.Text(marks[1]) != "<neck>" {
		t.Errorf("marks in snippets: %d", len(marks))
	}
	nav := htmltest.One(t, doc, `nav.pagination[aria-label="Pages of results"]`)
	htmltest.One(t, nav, `a[aria-current="page"][href="/search?q=neck"]`)
	htmltest.One(t, nav, `a[rel="next"][href="/search?q=neck&page=2"]`)
	if n := len(htmltest.All(t, nav, `a[rel="prev"]`)); n != 0 {
		t.Error("the first page links to a previous one")
	}
	if n := len(htmltest.All(t, doc, ".search-suggestion")) + len(htmltest.All(t, doc, ".safety-net")); n != 0 {
		t.Error("results show a suggestion or the no-results help")
	}
}

func TestSearchPageSuggestionAndPartial(t *testing.T) {
	v := searchResults()
	v.Query, v.Suggestion, v.SuggestionURL = "nekc", "neck", "/search?q=neck"
	doc := render(t, SearchPage(testHead, v))
	s := htmltest.One(t, doc, ".search-suggestion")
	if !strings.Contains(htmltest.Text(s), "Did you mean neck") {
		t.Errorf("suggestion reads %q", htmltest.Text(s))
	}
	if got := htmltest.Text(htmltest.One(t, s, `a[href="/search?q=neck"]`)); got != "neck" {
		t.Errorf("the suggestion links %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, ".search-summary")); got != "12 articles found for “neck”" {
		t.Errorf("summary = %q: want it to name the suggestion, whose results these are", got)
	}

	v = searchResults()
	v.Partial = true
	doc = render(t, SearchPage(testHead, v))
	if !strings.Contains(htmltest.Text(doc), "No section has all of your words") {
		t.Error("partial results are not said to be partial")
	}
}

// The summary says how many articles were found, "about" when that is an
// estimate, and how many the pages list when that is fewer.
func TestSearchPageCounts(t *testing.T) {
	for _, tt := range []struct {
		name          string
		total, listed int
		about         bool
		want          string
	}{
		{"every one listed", 12, 12, false, "12 articles found for “neck <b>pain</b>”"},
		{"one", 1, 1, false, "1 article found for “neck <b>pain</b>”"},
		{"more than listed", 4321, 200, false, "4,321 articles found for “neck <b>pain</b>”. Showing the first 200."},
		{"an estimate", 43000, 200, true, "About 43,000 articles found for “neck <b>pain</b>”. Showing the first 200."},
		{"an estimate, every one listed", 40, 40, true, "About 40 articles found for “neck <b>pain</b>”"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := searchResults()
			v.Total, v.Listed, v.About = tt.total, tt.listed, tt.about
			doc := render(t, SearchPage(testHead, v))
			if got := htmltest.Text(htmltest.One(t, doc, ".search-summary")); got != tt.want {
				t.Errorf("summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSearchPageNoResults(t *testing.T) {
	doc := render(t, SearchPage(testHead, SearchView{Query: "xyzzy"}))
	main := htmltest.One(t, doc, "main")
	for _, href := range []string{"/articles", "/topics", "/symptoms"} {
		htmltest.One(t, main, `ul a[href="`+href+`"]`)
	}
	if !strings.Contains(htmltest.Text(htmltest.One(t, doc, ".safety-net")), "In an emergency, call your local emergency number") {
		t.Error("no results without the safety line")
	}
	if n := len(htmltest.All(t, doc, ".search-results")); n != 0 {
		t.Error("an empty result list is shown")
	}
}

func TestSearchPageEmptyAndTooLong(t *testing.T) {
	doc := render(t, SearchPage(testHead, SearchView{}))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Search" {
		t.Errorf("h1 = %q", got)
	}
	if n := len(htmltest.All(t, doc, ".search-summary")) + len(htmltest.All(t, doc, ".safety-net")); n != 0 {
		t.Error("the empty form shows results or their absence")
	}

	doc = render(t, SearchPage(testHead, SearchView{Error: "Your search is too long."}))
	input := htmltest.One(t, doc, `main input#search-q[aria-invalid="true"]`)
	if got := attr(input, "aria-describedby"); got != "search-q-error" {
		t.Errorf("the box is described by %q", got)
	}
	if got := htmltest.Text(htmltest.One(t, doc, "#search-q-error")); got != "Error: Your search is too long." {
		t.Errorf("error = %q", got)
	}
	if _, ok := htmltest.Attr(input, "value"); ok {
		t.Error("a query too long is shown back")
	}
}

func TestPaginationWithGaps(t *testing.T) {
	p := Pagination{Current: 5, Last: 20, Prev: "/t?page=4", Next: "/t?page=6", Pages: []PageLink{{1, "/t"}, {}, {3, "/t?page=3"}, {4, "/t?page=4"}, {5, "/t?page=5"}, {20, "/t?page=20"}}}
	doc := render(t, TopicPage(testHead, TopicView{Name: "Neck", Count: 1000, Pages: p}))
	nav := htmltest.One(t, doc, "nav.pagination")
	htmltest.One(t, nav, `.pagination-gap[aria-hidden="true"]`)
	if got := htmltest.Text(htmltest.One(t, nav, `a[aria-current="page"]`)); got != "Page 5" {
		t.Errorf("the current page reads %q", got)
	}
	htmltest.One(t, nav, `a[rel="prev"][href="/t?page=4"]`)
	if got := htmltest.Text(htmltest.One(t, nav, ".pagination-status")); got != "Page 5 of 20" {
		t.Errorf("status = %q", got)
	}
	doc = render(t, TopicPage(testHead, TopicView{Name: "Neck", Count: 1}))
	if n := len(htmltest.All(t, doc, "nav.pagination")); n != 0 {
		t.Error("a list of one page has pagination")
	}
}

func TestAZPage(t *testing.T) {
	letters := []LetterLink{{Label: "A", URL: "/a-z/a"}, {Label: "B"}}
	v := AZView{Letters: letters, Total: 150, Groups: []AZGroup{{
		Letter: letters[0], ID: "letter-a",
		Pages: []Link{{Title: "Ankle pain to Arm ache", URL: "/a-z/a"}, {Title: "Arm pain to Axe", URL: "/a-z/a?page=2"}},
	}}}
	doc := render(t, AZPage(testHead, v))
	htmltest.One(t, doc, `nav.az-nav a[href="/a-z/a"]`)
	group := htmltest.One(t, doc, `section.az-group[aria-labelledby="letter-a"]`)
	htmltest.One(t, group, "h2#letter-a")
	if pages := htmltest.All(t, group, "a"); len(pages) != 2 || attr(pages[1], "href") != "/a-z/a?page=2" {
		t.Errorf("the letter links %d pages", len(pages))
	}
}

func TestAZLetterPage(t *testing.T) {
	v := AZLetterView{
		Letter:   "N",
		Letters:  []LetterLink{{Label: "M", URL: "/a-z/m"}, {Label: "N", URL: "/a-z/n", Current: true}},
		Articles: []Link{{Title: "Neck pain", URL: "/articles/neck-pain"}},
	}
	doc := render(t, AZLetterPage(testHead, v))
	if got := htmltest.Text(htmltest.One(t, doc, "h1")); got != "Articles: N" {
		t.Errorf("h1 = %q", got)
	}
	htmltest.One(t, doc, `.az-nav a[aria-current="page"][href="/a-z/n"]`)
	htmltest.One(t, doc, `.az-list a[href="/articles/neck-pain"]`)
	htmltest.One(t, doc, `main a[href="/articles"]`)
}

func TestTopicsAndTopicPage(t *testing.T) {
	doc := render(t, TopicsPage(testHead, TopicsView{Topics: []TopicLink{{Name: "Neck", URL: "/topics/neck", Count: 3}}}))
	if got := htmltest.Text(htmltest.One(t, doc, ".topic-list li")); got != "Neck (3)" {
		t.Errorf("topic reads %q", got)
	}
	doc = render(t, TopicPage(testHead, TopicView{Name: "Neck", Count: 1, Articles: []ArticleCard{{Title: "Neck pain", URL: "/articles/neck-pain", Summary: "Why.", LastReviewed: day}}}))
	if got := htmltest.Text(htmltest.One(t, doc, ".lede")); got != "1 article on this topic." {
		t.Errorf("lede = %q", got)
	}
	htmltest.One(t, doc, `.article-list h2 a[href="/articles/neck-pain"]`)
}

func TestArticleLinksItsTopics(t *testing.T) {
	doc := render(t, ArticlePage(testHead, ArticleView{Title: "Neck pain", Topics: []Link{{Title: "Neck", URL: "/topics/neck"}, {Title: "Massage", URL: "/topics/massage"}}}))
	nav := htmltest.One(t, doc, `nav.article-topics[aria-labelledby="topics-heading"]`)
	if links := htmltest.All(t, nav, "a"); len(links) != 2 || attr(links[0], "href") != "/topics/neck" {
		t.Errorf("the article links %d topics", len(links))
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 10001: "10,001", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := number(n); got != want {
			t.Errorf("number(%d) = %q, want %q", n, got, want)
		}
	}
}
