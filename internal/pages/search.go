package pages

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"healthsite/internal/deps"
	"healthsite/internal/search"
	"healthsite/web"
)

const (
	SearchPath = "/search"
	// SearchPageSize is how many articles a page of results shows.
	SearchPageSize = 10
)

// Searcher searches the version of the site a page is made from. It
// returns search.ErrNotReady until the index holds that version.
type Searcher interface {
	Search(ctx context.Context, q search.Query, page, perPage int) (search.Results, error)
}

// ErrSearchNotReady means search is still starting: the server answers
// 503 with Retry-After, never results from another version of the site.
var ErrSearchNotReady = errors.New("search is not ready")

// searchRequest is what a search page is asked for: the query and the
// page of results, or why they cannot be read.
type searchRequest struct {
	q       search.Query
	page    int
	tooLong bool
}

// readSearch reads ?q= (only the first counts) and ?page=. A
// query string that is not one, or a page that is not a number from 1,
// is ErrNotFound; a query too long to be a person's is tooLong, which
// gets a page of its own (400) rather than an error.
func readSearch(rawQuery string) (searchRequest, error) {
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return searchRequest{}, &BadRequestError{Err: errors.New("the search address cannot be read")}
	}
	q, err := search.ParseQuery(v.Get("q"))
	if errors.Is(err, search.ErrTooLong) {
		return searchRequest{tooLong: true}, nil
	}
	if err != nil {
		return searchRequest{}, &BadRequestError{Err: err}
	}
	n, err := pageParam(v, maxSearchPage)
	if err != nil {
		return searchRequest{}, ErrNotFound
	}
	return searchRequest{q: q, page: n}, nil
}

// SearchKey is the cache key of a search page: the query as shown and the
// page number, so queries that differ only in spaces or control
// characters share one page. Keys live in memory only, like the pages.
func SearchKey(_ Env, req Request) (string, error) {
	r, err := readSearch(req.RawQuery)
	if err != nil {
		return "", err
	}
	if r.tooLong {
		return "search:too-long", nil
	}
	return "search:" + strconv.Itoa(r.page) + ":" + r.q.Text, nil
}

// SearchURL is the address of the results for a query; pagination adds
// the page number.
func SearchURL(query string) string {
	return SearchPath + "?" + url.Values{"q": {query}}.Encode()
}

// Search is the search page: the form alone, or the results of a query.
// Its address holds what the reader searched for, which is health data:
// the page is never indexed (noindex) and points search engines at the
// empty form.
func Search(e Env, req Request) (Built[web.SearchView], error) {
	r, err := readSearch(req.RawQuery)
	if err != nil {
		return Built[web.SearchView]{}, err
	}
	h := e.Head("Search", "Search Healthsite's articles for the section that answers your question.", SearchPath)
	h.NoIndex = true
	b := Built[web.SearchView]{Status: http.StatusOK, Head: h, Deps: []string{deps.Search}}
	switch {
	case r.tooLong:
		b.Status = http.StatusBadRequest
		b.Head.ErrorPrefix = true
		b.View.Error = "Your search is too long. Use fewer words, up to " + strconv.Itoa(search.MaxQueryChars) + " characters."
		return b, nil
	case len(r.q.Words) == 0:
		// The empty form; a query of punctuation alone is shown back too.
		b.View.Query = r.q.Text
		return b, nil
	}
	if e.Search == nil {
		return b, ErrSearchNotReady
	}
	ctx := req.Context
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := e.Search.Search(ctx, r.q, r.page, SearchPageSize)
	if errors.Is(err, search.ErrNotReady) {
		return b, ErrSearchNotReady
	}
	if err != nil {
		return b, err
	}
	if r.page > 1 && r.page > res.Pages {
		return b, ErrNotFound
	}
	b.Head.Title = "Search results for " + r.q.Text
	v := web.SearchView{Query: r.q.Text, Total: res.Total, About: res.About, Listed: res.Listed, Partial: res.Partial}
	if res.Suggestion != "" {
		v.Suggestion, v.SuggestionURL = res.Suggestion, SearchURL(res.Suggestion)
	}
	for _, a := range res.Articles {
		sr := web.SearchResult{Title: marked(a.Title), URL: ArticleURL(a.Slug), Intro: marked(a.Intro)}
		for _, s := range a.Sections {
			sr.Sections = append(sr.Sections, web.SearchSection{Title: marked(s.Title), URL: ArticleURL(a.Slug) + "#" + s.ID, Snippet: marked(s.Snippet)})
		}
		v.Results = append(v.Results, sr)
	}
	if res.Pages > 1 {
		v.Pages = pagination(SearchURL(r.q.Text), r.page, res.Pages)
		b.Head.Title += pageSuffix(r.page, res.Pages)
	}
	b.View = v
	return b, nil
}

func marked(fs []search.Fragment) []web.Marked {
	if fs == nil {
		return nil
	}
	out := make([]web.Marked, len(fs))
	for i, f := range fs {
		out[i] = web.Marked{Text: f.Text, Match: f.Match}
	}
	return out
}
