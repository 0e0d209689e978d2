// Package deps names what a page was made from, so that when the content
// changes the server drops only the kept pages the change touched: an edit
// to one article remakes that article, the lists that show it and the
// results that quote it, and nothing else. Builders in internal/pages and
// internal/sitefiles list a page's names; Stale says which names a change
// touches.
package deps

import (
	"unicode"
	"unicode/utf8"

	"healthsite/internal/content"
)

// Names of what every page of a kind is made from.
const (
	// AllArticles is a page that lists every article (home, sitemap,
	// feed): any article added, removed or retitled changes it.
	AllArticles = "articles"
	// ComplaintList is a page that lists the checker's complaints (the
	// chooser, the sitemap, the home page's promise).
	ComplaintList = "complaints"
	// Search is a page of search results: any change to an article's text
	// or to the synonyms may change it.
	Search = "search"
	// Cases is a page that counts the checker's triage cases (about).
	Cases = "cases"
)

// Complaint is a page made from a complaint's rules: its form and
// results.
func Complaint(id string) string { return "complaint:" + id }

// Article is a page showing the article's text: its own page, and
// results that quote its sections.
func Article(slug string) string { return "article:" + slug }

// Listed is a page that lists the article: its title, summary or date.
func Listed(slug string) string { return "listed:" + slug }

// Tag is a page whose choice of articles follows who has the tag.
func Tag(tag string) string { return "tag:" + tag }

// Letter is a page of the A to Z list of a letter; Topic a page of a
// topic's list.
func Letter(letter string) string { return "letter:" + letter }
func Topic(tag string) string     { return "topic:" + tag }

// OtherLetter is the A to Z's last entry: titles that start with a digit
// or anything but the letters a to z.
const OtherLetter = "0-9"

// LetterOf is the entry of the A to Z a title is listed under.
func LetterOf(title string) string {
	r, _ := utf8.DecodeRuneInString(title)
	r = unicode.ToLower(r)
	if 'a' <= r && r <= 'z' {
		return string(r)
	}
	return OtherLetter
}

// Stale names every dependency a change touches, where next is old
// reloaded as ch says.
func Stale(old, next *content.Site, ch content.Change) map[string]bool {
	stale := map[string]bool{}
	for _, slug := range ch.Articles {
		stale[Article(slug)] = true
	}
	for _, slug := range ch.Listed {
		stale[Listed(slug)] = true
	}
	if len(ch.Listed) > 0 {
		stale[AllArticles] = true
	}
	for _, t := range ch.Tags {
		stale[Tag(t)] = true
	}
	// Pages that quote an article's sections (results) depend on it too,
	// so a change to the complaint's rules file alone is all Complaint
	// stands for.
	for _, id := range ch.Complaints {
		stale[Complaint(id)] = true
	}
	if ch.ComplaintList {
		stale[ComplaintList] = true
	}
	if len(ch.Articles) > 0 || ch.Synonyms {
		stale[Search] = true
	}
	if ch.Cases {
		stale[Cases] = true
	}
	// The letters and topics whose lists show an article whose entry
	// changed, under its old title and tags (in old) and its new ones (in
	// next). An edit to the body alone touches none.
	for _, slug := range ch.Listed {
		for _, site := range []*content.Site{old, next} {
			if a, ok := site.Article(slug); ok {
				stale[Letter(LetterOf(a.Title))] = true
				for _, t := range a.Tags {
					stale[Topic(t)] = true
				}
			}
		}
	}
	return stale
}
