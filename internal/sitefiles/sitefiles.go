// Package sitefiles makes the site's files for machines rather than
// readers: the sitemap and robots.txt for crawlers, the Atom feed for feed
// readers, and the OpenSearch description for browsers. Like the pages,
// each is made from the loaded site when first asked for, with the names
// of what it was made from (internal/deps), and kept.
package sitefiles

import (
	"cmp"
	"encoding/xml"
	"slices"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/deps"
	"healthsite/internal/pages"
)

// File is a site file, whole, with what it was made from.
type File struct {
	Body []byte
	Deps []string
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// Sitemap lists the home page, the symptom checker's list of complaints
// and each complaint's form, the about page, the A to Z and the topics
// (which link every list), and every article with the day it was last
// reviewed.
func Sitemap(e pages.Env, _ pages.Request) (File, error) {
	site := e.Site
	set := sitemapURLSet{URLs: []sitemapURL{{Loc: e.Abs("/"), LastMod: newestReview(site)}}}
	if len(site.Complaints) > 0 {
		set.URLs = append(set.URLs, sitemapURL{Loc: e.Abs(pages.ChooserPath)})
		for _, c := range site.Complaints {
			set.URLs = append(set.URLs, sitemapURL{Loc: e.Abs(pages.FormPath(c.ID)), LastMod: c.LastReviewed.ISO()})
		}
	}
	set.URLs = append(set.URLs, sitemapURL{Loc: e.Abs("/about")}, sitemapURL{Loc: e.Abs(pages.AZPath)}, sitemapURL{Loc: e.Abs(pages.TopicsPath)})
	for _, a := range site.Articles {
		set.URLs = append(set.URLs, sitemapURL{Loc: e.Abs(pages.ArticleURL(a.Slug)), LastMod: a.LastReviewed.ISO()})
	}
	body, err := marshalXML(set)
	return File{Body: body, Deps: []string{deps.AllArticles, deps.ComplaintList}}, err
}

func newestReview(site *content.Site) string {
	var newest contentfile.Date
	for _, a := range site.Articles {
		if a.LastReviewed.After(newest.Time) {
			newest = a.LastReviewed
		}
	}
	return newest.ISO()
}

// Robots lets every crawler in and points it at the sitemap.
func Robots(e pages.Env, _ pages.Request) (File, error) {
	return File{Body: []byte("User-agent: *\nAllow: /\n\nSitemap: " + e.Abs("/sitemap.xml") + "\n")}, nil
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Link      atomLink   `xml:"link"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Author    atomPerson `xml:"author"`
	Summary   string     `xml:"summary"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Links   []atomLink  `xml:"link"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// Feed is an Atom feed of the articles, newest review first.
func Feed(e pages.Env, _ pages.Request) (File, error) {
	articles := slices.Clone(e.Site.Articles)
	slices.SortStableFunc(articles, func(a, b *content.Article) int {
		return cmp.Or(b.LastReviewed.Compare(a.LastReviewed.Time), cmp.Compare(a.Slug, b.Slug))
	})
	f := atomFeed{
		ID:    e.Abs("/"),
		Title: pages.PublisherName + ": health articles",
		Links: []atomLink{
			{Href: e.Abs("/feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: e.Abs("/"), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: pages.PublisherName},
	}
	if len(articles) > 0 {
		f.Updated = articles[0].LastReviewed.Format(time.RFC3339)
	}
	for _, a := range articles {
		entry := atomEntry{
			ID:      e.Abs(pages.ArticleURL(a.Slug)),
			Title:   a.Title,
			Link:    atomLink{Href: e.Abs(pages.ArticleURL(a.Slug)), Rel: "alternate", Type: "text/html"},
			Updated: a.LastReviewed.Format(time.RFC3339),
			Author:  atomPerson{Name: cmp.Or(a.Author, pages.PublisherName)},
			Summary: a.Summary,
		}
		if !a.Published.IsZero() {
			entry.Published = a.Published.Format(time.RFC3339)
		}
		f.Entries = append(f.Entries, entry)
	}
	body, err := marshalXML(f)
	return File{Body: body, Deps: []string{deps.AllArticles}}, err
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// openSearch is an OpenSearch description: browsers offer to add the site
// as a search engine from it.
type openSearch struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Image         openSearchImage `xml:"Image"`
	URL           openSearchURL   `xml:"Url"`
}

type openSearchImage struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	URL    string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr"`
	Template string `xml:"template,attr"`
}

// OpenSearch is the site's OpenSearch description, linked from every page.
func OpenSearch(e pages.Env, _ pages.Request) (File, error) {
	body, err := marshalXML(openSearch{
		ShortName:     pages.PublisherName,
		Description:   "Search " + pages.PublisherName + "'s health articles",
		InputEncoding: "UTF-8",
		Image:         openSearchImage{Width: 32, Height: 32, Type: "image/x-icon", URL: e.Abs("/favicon.ico")},
		URL:           openSearchURL{Type: "text/html", Method: "get", Template: e.Abs(pages.SearchPath) + "?q={searchTerms}"},
	})
	return File{Body: body}, err
}
