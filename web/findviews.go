package web

// View models of the pages that find articles: search, the A to Z index
// and topics. internal/pages builds them.

// SearchView is the search page: the form, and what a search found.
type SearchView struct {
	// Query is what the reader searched for, made safe (shown in the box
	// and the heading); empty before a search.
	Query string
	// Error says why the query could not be searched (a 400), like "Your
	// search is too long"; the box is then empty.
	Error string
	// Total articles found, exactly or, when About, roughly (counting
	// every match of a word most articles use would cost more than the
	// page). Listed is how many of them the pages go through, best
	// first, when that is fewer.
	Total  int
	About  bool
	Listed int
	// Partial: no section has every word; these have some.
	Partial bool
	// Suggestion is a spelling of Query that finds sections, whose results
	// these are, since Query found none; SuggestionURL searches it.
	Suggestion    string
	SuggestionURL string
	Results       []SearchResult
	Pages         Pagination
}

// Searched reports whether the page shows a search, rather than the empty
// form.
func (v SearchView) Searched() bool { return v.Query != "" && v.Error == "" }

// SearchResult is an article with its sections that matched.
type SearchResult struct {
	Title []Marked
	URL   string
	// Intro is a snippet of the introduction when it matched; nil if not.
	Intro    []Marked
	Sections []SearchSection
}

// SearchSection is one matching section: a link to it and a snippet.
type SearchSection struct {
	Title   []Marked
	URL     string // /articles/{slug}#{section}
	Snippet []Marked
}

// Marked is a piece of text, Match when it is a word the reader searched
// for (shown in <mark>).
type Marked struct {
	Text  string
	Match bool
}

// Pagination links the pages of a long list. It is empty (no Pages) for
// a list that fits on one page.
type Pagination struct {
	// Prev and Next are the neighbouring pages' addresses, "" at the ends.
	Prev, Next string
	// Pages are the page numbers to show, with gaps (Number 0) between
	// runs, like 1 … 4 5 6 … 20.
	Pages []PageLink
	// Current is this page, from 1, of Last.
	Current, Last int
}

// PageLink is one page number of a Pagination; Number 0 is a gap.
type PageLink struct {
	Number int
	URL    string
}

// LetterLink is one letter of the A to Z; URL is empty for a letter
// without any articles.
type LetterLink struct {
	Label   string // "A", or "0-9" for titles that start otherwise
	URL     string
	Current bool
}

// AZView is the A to Z index: every letter, and for each the pages of
// its list, so that every article is two clicks from here.
type AZView struct {
	Letters []LetterLink
	Groups  []AZGroup
	Total   int
}

// AZGroup is a letter of the A to Z index with links to its pages.
type AZGroup struct {
	Letter LetterLink
	ID     string // the group's heading id, for the letter links
	// Pages link to each page of the letter's list, labelled with the
	// first and last titles on it when there is more than one.
	Pages []Link
}

// AZLetterView is one page of the articles whose titles start with a
// letter.
type AZLetterView struct {
	Letter   string
	Letters  []LetterLink
	Articles []Link
	Pages    Pagination
}

// TopicLink is a topic with how many articles it has.
type TopicLink struct {
	Name  string
	URL   string
	Count int
}

// TopicsView lists every topic.
type TopicsView struct {
	Topics []TopicLink
}

// TopicView is one page of the articles with a topic.
type TopicView struct {
	Name     string
	Count    int
	Articles []ArticleCard
	Pages    Pagination
}
