package pages

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"healthsite/internal/content"
	"healthsite/internal/deps"
	"healthsite/web"
)

// The ways to browse: the A to Z index at /articles, a page per letter at
// /a-z/{letter}, and a page per topic (tag) at /topics/{tag}. Long lists
// are paged with ?page=N, so that no page grows with the site.

const (
	AZPath     = "/articles"
	TopicsPath = "/topics"
	// LetterPageSize is how many titles a page of a letter lists: at
	// 10,000 articles the longest letter has about 600, six pages.
	LetterPageSize = 100
	// TopicPageSize is how many articles, with their summaries, a page of
	// a topic lists.
	TopicPageSize = 50
	// HomeRecent and HomeTopics bound what the home page lists.
	HomeRecent = 8
	HomeTopics = 12
)

// letters are the A to Z's entries, in order.
var letters = func() []string {
	var out []string
	for c := 'a'; c <= 'z'; c++ {
		out = append(out, string(c))
	}
	return append(out, deps.OtherLetter)
}()

func letterLabel(l string) string {
	if l == deps.OtherLetter {
		return l
	}
	return strings.ToUpper(l)
}

// LetterURL is the first page of a letter's list.
func LetterURL(letter string) string { return "/a-z/" + letter }

// TopicURL is the first page of a topic's list. Tags are free text in
// front matter, so the tag is escaped.
func TopicURL(tag string) string { return TopicsPath + "/" + url.PathEscape(tag) }

// TopicName is how a tag is shown: "muscles-and-joints" is "Muscles and
// joints".
func TopicName(tag string) string {
	name := strings.ReplaceAll(tag, "-", " ")
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

// errBadPage is a page number that is not one: the page does not exist.
var errBadPage = errors.New("no such page of the list")

// PageNumber reads ?page=N from a query string: 1 when absent, and
// errBadPage for anything but one whole number from 1 to 10,000.
func PageNumber(rawQuery string) (int, error) {
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return 0, errBadPage
	}
	return pageParam(v, maxListPage)
}

// Pages of lists and of search results: more than any reader turns.
const (
	maxListPage   = 10000
	maxSearchPage = 1000
)

// pageParam is the one reading of ?page= for lists and search: 1 when
// absent, else one whole number from 1 to last written plainly ("2", not
// "02" or "+2"), or errBadPage.
func pageParam(v url.Values, last int) (int, error) {
	s, ok := v["page"]
	if !ok {
		return 1, nil
	}
	n, err := strconv.Atoi(s[0])
	if err != nil || n < 1 || n > last || len(s) > 1 || strconv.Itoa(n) != s[0] {
		return 0, errBadPage
	}
	return n, nil
}

// PagedKey is the cache key of a page of a list: its path, and the page
// number after the first, so that "?page=1", "?utm=x" and no query share
// one entry and no query string can fill the cache with copies.
func PagedKey(_ Env, req Request) (string, error) {
	n, err := PageNumber(req.RawQuery)
	if err != nil {
		return "", ErrNotFound
	}
	if n == 1 {
		return req.Path, nil
	}
	return req.Path + "?page=" + strconv.Itoa(n), nil
}

// pageOf cuts page n (from 1) of a list of total items, size to a page;
// ok is false past the last page (an empty list has one, empty, page).
func pageOf(total, size, n int) (from, to int, ok bool) {
	from = (n - 1) * size
	if n > 1 && from >= total {
		return 0, 0, false
	}
	return from, min(from+size, total), true
}

// lastPage is the number of pages a list of total items takes, size to a
// page.
func lastPage(total, size int) int { return (total + size - 1) / size }

// pageSuffix ends the title of page n of last, when there is more than one.
func pageSuffix(n, last int) string {
	if last <= 1 {
		return ""
	}
	return " (page " + strconv.Itoa(n) + " of " + strconv.Itoa(last) + ")"
}

// listPage is page n of a list at base: which items it shows, its links
// to the other pages, and its title's ending and address.
type listPage struct {
	from, to     int
	nav          web.Pagination
	suffix, path string
}

// pageOfList is page n of a list of total items at base, size to a page;
// ok is false past the last page.
func pageOfList(base string, total, size, n int) (p listPage, ok bool) {
	p.from, p.to, ok = pageOf(total, size, n)
	if !ok {
		return listPage{}, false
	}
	last := lastPage(total, size)
	p.nav, p.suffix, p.path = pagination(base, n, last), pageSuffix(n, last), pageURL(base, n)
	return p, true
}

// pageURL is the address of page n of the list at base, which may have
// a query already.
func pageURL(base string, n int) string {
	if n == 1 {
		return base
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "page=" + strconv.Itoa(n)
}

// pagination links the pages of a list at base (a path without a query).
func pagination(base string, current, last int) web.Pagination {
	if last <= 1 {
		return web.Pagination{}
	}
	url := func(n int) string { return pageURL(base, n) }
	p := web.Pagination{Current: current, Last: last}
	if current > 1 {
		p.Prev = url(current - 1)
	}
	if current < last {
		p.Next = url(current + 1)
	}
	// The first and last pages, and two either side of this one.
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || n >= current-2 && n <= current+2 {
			p.Pages = append(p.Pages, web.PageLink{Number: n, URL: url(n)})
		} else if len(p.Pages) > 0 && p.Pages[len(p.Pages)-1].Number != 0 {
			p.Pages = append(p.Pages, web.PageLink{})
		}
	}
	return p
}

// byLetter lists the articles under each letter, in site (title) order.
func byLetter(site *content.Site) map[string][]*content.Article {
	out := map[string][]*content.Article{}
	for _, a := range site.Articles {
		l := deps.LetterOf(a.Title)
		out[l] = append(out[l], a)
	}
	return out
}

// letterLinks is the row of letters at the top of A to Z pages.
func letterLinks(groups map[string][]*content.Article, current string) []web.LetterLink {
	out := make([]web.LetterLink, 0, len(letters))
	for _, l := range letters {
		link := web.LetterLink{Label: letterLabel(l), Current: l == current}
		if len(groups[l]) > 0 { // a letter with no articles is not a link
			link.URL = LetterURL(l)
		}
		out = append(out, link)
	}
	return out
}

// allLetterDeps are the dependencies of a page made from every letter.
func allLetterDeps() []string {
	from := make([]string, len(letters))
	for i, l := range letters {
		from[i] = deps.Letter(l)
	}
	return from
}

// AZ is the A to Z index: each letter with links to every page of its
// list, labelled with the titles they run from and to.
func AZ(e Env, _ Request) (Built[web.AZView], error) {
	groups := byLetter(e.Site)
	v := web.AZView{Letters: letterLinks(groups, ""), Total: len(e.Site.Articles)}
	for i, l := range letters {
		list := groups[l]
		if len(list) == 0 {
			continue
		}
		g := web.AZGroup{Letter: v.Letters[i], ID: "letter-" + l}
		pages := lastPage(len(list), LetterPageSize)
		for n := 1; n <= pages; n++ {
			from, to, _ := pageOf(len(list), LetterPageSize, n)
			link := web.Link{Title: strconv.Itoa(len(list)) + " " + plural(len(list), "article") + " starting with " + letterLabel(l), URL: pageURL(LetterURL(l), n)}
			if pages > 1 {
				link.Title = shortTitle(list[from].Title) + " to " + shortTitle(list[to-1].Title)
			}
			g.Pages = append(g.Pages, link)
		}
		v.Groups = append(v.Groups, g)
	}
	h := e.Head("Articles A to Z", "Every article on Healthsite, by the first letter of its title.", AZPath)
	return Built[web.AZView]{Status: http.StatusOK, Head: h, View: v, Deps: allLetterDeps()}, nil
}

// shortTitle is the first words of a title, enough to tell where a page of
// the A to Z starts and ends.
func shortTitle(title string) string {
	words := strings.Fields(title)
	if len(words) <= 4 {
		return title
	}
	return strings.Join(words[:4], " ") + "…"
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// AZLetter is a page of the articles whose titles start with a letter.
func AZLetter(e Env, req Request) (Built[web.AZLetterView], error) {
	l := req.Param("letter")
	if !slices.Contains(letters, l) {
		return Built[web.AZLetterView]{}, ErrNotFound
	}
	n, err := PageNumber(req.RawQuery)
	if err != nil {
		return Built[web.AZLetterView]{}, ErrNotFound
	}
	groups := byLetter(e.Site)
	list := groups[l]
	p, ok := pageOfList(LetterURL(l), len(list), LetterPageSize, n)
	if !ok || len(list) == 0 {
		return Built[web.AZLetterView]{}, ErrNotFound
	}
	v := web.AZLetterView{Letter: letterLabel(l), Letters: letterLinks(groups, l), Pages: p.nav}
	from := []string{deps.Letter(l)}
	for _, a := range list[p.from:p.to] {
		v.Articles = append(v.Articles, web.Link{Title: a.Title, URL: ArticleURL(a.Slug)})
	}
	h := e.Head("Articles: "+letterLabel(l)+p.suffix, "Articles on Healthsite whose titles start with "+letterLabel(l)+".", p.path)
	return Built[web.AZLetterView]{Status: http.StatusOK, Head: h, View: v, Deps: from}, nil
}

// topicCounts lists every tag with its number of articles, by name.
func topicCounts(site *content.Site) []web.TopicLink {
	seen := map[string]bool{}
	var out []web.TopicLink
	for _, a := range site.Articles {
		for _, t := range a.Tags {
			if !seen[t] {
				seen[t] = true
				out = append(out, web.TopicLink{Name: TopicName(t), URL: TopicURL(t), Count: site.TagCount(t)})
			}
		}
	}
	slices.SortFunc(out, func(a, b web.TopicLink) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Topics lists every topic.
func Topics(e Env, _ Request) (Built[web.TopicsView], error) {
	h := e.Head("Topics", "Every topic on Healthsite, with its articles.", TopicsPath)
	return Built[web.TopicsView]{Status: http.StatusOK, Head: h, View: web.TopicsView{Topics: topicCounts(e.Site)}, Deps: []string{deps.AllArticles}}, nil
}

// Topic is a page of the articles with a tag.
func Topic(e Env, req Request) (Built[web.TopicView], error) {
	tag, err := url.PathUnescape(req.Param("tag"))
	if err != nil {
		return Built[web.TopicView]{}, ErrNotFound
	}
	list := e.Site.Tagged(tag)
	n, err := PageNumber(req.RawQuery)
	if err != nil || len(list) == 0 {
		return Built[web.TopicView]{}, ErrNotFound
	}
	p, ok := pageOfList(TopicURL(tag), len(list), TopicPageSize, n)
	if !ok {
		return Built[web.TopicView]{}, ErrNotFound
	}
	name := TopicName(tag)
	v := web.TopicView{Name: name, Count: len(list), Pages: p.nav}
	for _, a := range list[p.from:p.to] {
		v.Articles = append(v.Articles, card(a))
	}
	h := e.Head(name+p.suffix, "Articles on Healthsite about "+strings.ToLower(name)+".", p.path)
	return Built[web.TopicView]{Status: http.StatusOK, Head: h, View: v, Deps: []string{deps.Topic(tag)}}, nil
}

// recent is the articles reviewed most recently, newest first.
func recent(site *content.Site, n int) []web.ArticleCard {
	list := slices.Clone(site.Articles)
	slices.SortStableFunc(list, func(a, b *content.Article) int { return b.LastReviewed.Compare(a.LastReviewed.Time) })
	var out []web.ArticleCard
	for _, a := range list[:min(n, len(list))] {
		out = append(out, card(a))
	}
	return out
}

// mainTopics are the n topics with the most articles, most first.
func mainTopics(site *content.Site, n int) []web.TopicLink {
	all := topicCounts(site)
	slices.SortStableFunc(all, func(a, b web.TopicLink) int { return cmp.Compare(b.Count, a.Count) })
	return all[:min(n, len(all))]
}
