package pages

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg" // share images may be JPEG
	_ "image/png"
	"net/url"
	"slices"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/web"
)

// DefaultShareImage is shown in link previews of pages without their own.
const (
	DefaultShareImage    = "share.png"
	DefaultShareImageAlt = "Healthsite: a white health cross on a teal background"
	publisherName        = web.SiteName
)

// ShareImage describes a static image for link previews, reading its size
// from the file so the tags can never disagree with the picture.
func ShareImage(as Assets, baseURL, name, alt string) (web.ShareImage, error) {
	body, ok := as.Bytes(name)
	if !ok {
		return web.ShareImage{}, fmt.Errorf("share image %q is not in static/", name)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return web.ShareImage{}, fmt.Errorf("share image %q: %w", name, err)
	}
	return web.ShareImage{URL: baseURL + as.URL(name), Width: cfg.Width, Height: cfg.Height, Alt: alt}, nil
}

// articleHead is the head of an article page: the common tags plus article
// dates, its share image and schema.org data.
func (e Env) articleHead(a *content.Article, path string) (web.Head, error) {
	h := e.Head(a.Title, a.Summary, path)
	h.OGType = "article"
	if a.Image != "" {
		img, err := ShareImage(e.Assets, e.BaseURL, a.Image, a.ImageAlt)
		if err != nil {
			return h, fmt.Errorf("%s: %w", a.File, err)
		}
		h.Image = img
	}
	if !a.Published.IsZero() {
		h.Published = a.Published.Format(time.RFC3339)
	}
	h.Modified = a.LastReviewed.Format(time.RFC3339)
	h.Scripts = []string{e.Assets.URL("share.js")}
	h.JSONLD = medicalWebPage(a, h.Canonical, h.Image.URL, e.abs("/"))
	return h, nil
}

// schema.org types, as much of each as the site fills in.
type (
	schemaThing struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	schemaCreativeWork struct {
		Type          string      `json:"@type"`
		Name          string      `json:"name"`
		Author        schemaThing `json:"author"`
		Publisher     schemaThing `json:"publisher"`
		DatePublished string      `json:"datePublished"`
		URL           string      `json:"url,omitempty"`
		// InLanguage is the language cited (English) and TranslationOfWork
		// the original, when the source is a translation.
		InLanguage        string      `json:"inLanguage,omitempty"`
		TranslationOfWork *schemaWork `json:"translationOfWork,omitempty"`
	}
	schemaWork struct {
		Type       string `json:"@type"`
		InLanguage string `json:"inLanguage"`
	}
	schemaMedicalWebPage struct {
		Context       string               `json:"@context"`
		Type          string               `json:"@type"`
		Headline      string               `json:"headline"`
		Name          string               `json:"name"`
		Description   string               `json:"description"`
		URL           string               `json:"url"`
		Image         string               `json:"image,omitempty"`
		DatePublished string               `json:"datePublished,omitempty"`
		DateModified  string               `json:"dateModified"`
		LastReviewed  string               `json:"lastReviewed"`
		ReviewedBy    *schemaThing         `json:"reviewedBy,omitempty"`
		Author        schemaThing          `json:"author"`
		Publisher     schemaThing          `json:"publisher"`
		About         []schemaThing        `json:"about"`
		Citation      []schemaCreativeWork `json:"citation"`
	}
)

// medicalWebPage is an article's schema.org data. The page writes it with
// encoding/json, which escapes <, > and & as \u003c and so on, so no title
// or summary can close the script element it is embedded in.
func medicalWebPage(a *content.Article, url, imageURL, siteURL string) schemaMedicalWebPage {
	publisher := schemaThing{Type: "Organization", Name: publisherName, URL: siteURL}
	author := publisher
	if a.Author != "" {
		author = schemaThing{Type: "Organization", Name: a.Author}
	}
	page := schemaMedicalWebPage{
		Context:      "https://schema.org",
		Type:         "MedicalWebPage",
		Headline:     a.Title,
		Name:         a.Title,
		Description:  a.Summary,
		URL:          url,
		Image:        imageURL,
		DateModified: a.LastReviewed.ISO(),
		LastReviewed: a.LastReviewed.ISO(),
		Author:       author,
		Publisher:    publisher,
	}
	if !a.Published.IsZero() {
		page.DatePublished = a.Published.ISO()
	}
	// A reviewer is named only while the text is the one they signed off.
	if a.SignOff.State() == contentfile.Reviewed {
		page.ReviewedBy = &schemaThing{Type: "Person", Name: a.SignOff.By}
	}
	page.About = append(page.About, schemaThing{Type: "Thing", Name: a.Title})
	for _, t := range a.Tags {
		page.About = append(page.About, schemaThing{Type: "Thing", Name: t})
	}
	for _, src := range a.Sources {
		cite := schemaCreativeWork{
			Type:          "CreativeWork",
			Name:          src.Title,
			Author:        schemaThing{Type: "Person", Name: src.Author},
			Publisher:     schemaThing{Type: "Organization", Name: src.Publisher},
			DatePublished: src.Date.ISO(),
			URL:           src.URL,
		}
		if src.TranslatedFrom != "" {
			cite.InLanguage = "English"
			cite.TranslationOfWork = &schemaWork{Type: "CreativeWork", InLanguage: src.TranslatedFrom}
		}
		page.Citation = append(page.Citation, cite)
	}
	return page
}

// shareLinks are plain links that share a page by email and on common
// networks, with no third-party script: each network's own share address.
func shareLinks(title, pageURL string) []web.ShareLink {
	q := url.QueryEscape
	return []web.ShareLink{
		{Name: "Email", URL: "mailto:?subject=" + mailtoEscape(title) + "&body=" + q(pageURL)},
		{Name: "WhatsApp", URL: "https://wa.me/?text=" + q(title+" "+pageURL)},
		{Name: "Facebook", URL: "https://www.facebook.com/sharer/sharer.php?u=" + q(pageURL)},
		{Name: "X (Twitter)", URL: "https://x.com/intent/post?text=" + q(title) + "&url=" + q(pageURL)},
	}
}

// mailtoEscape escapes a mailto: field. Mail programs read "+" as a plus
// sign, not a space, so spaces are escaped as in a path, %20.
func mailtoEscape(s string) string { return url.PathEscape(s) }

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
func Sitemap(e Env, _ Request) (File, error) {
	site := e.Site
	set := sitemapURLSet{URLs: []sitemapURL{{Loc: e.abs("/"), LastMod: newestReview(site)}}}
	if len(site.Complaints) > 0 {
		set.URLs = append(set.URLs, sitemapURL{Loc: e.abs(ChooserPath)})
		for _, c := range site.Complaints {
			set.URLs = append(set.URLs, sitemapURL{Loc: e.abs(FormPath(c.ID)), LastMod: c.LastReviewed.ISO()})
		}
	}
	set.URLs = append(set.URLs, sitemapURL{Loc: e.abs("/about")}, sitemapURL{Loc: e.abs(azPath)}, sitemapURL{Loc: e.abs(topicsPath)})
	for _, a := range site.Articles {
		set.URLs = append(set.URLs, sitemapURL{Loc: e.abs(ArticleURL(a.Slug)), LastMod: a.LastReviewed.ISO()})
	}
	body, err := marshalXML(set)
	return File{Body: body, Deps: []string{DepAllArticles, DepComplaintList}}, err
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
func Robots(e Env, _ Request) (File, error) {
	return File{Body: []byte("User-agent: *\nAllow: /\n\nSitemap: " + e.abs("/sitemap.xml") + "\n")}, nil
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
func Feed(e Env, _ Request) (File, error) {
	articles := slices.Clone(e.Site.Articles)
	slices.SortStableFunc(articles, func(a, b *content.Article) int {
		return cmp.Or(b.LastReviewed.Compare(a.LastReviewed.Time), cmp.Compare(a.Slug, b.Slug))
	})
	f := atomFeed{
		ID:    e.abs("/"),
		Title: publisherName + ": health articles",
		Links: []atomLink{
			{Href: e.abs("/feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: e.abs("/"), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: publisherName},
	}
	if len(articles) > 0 {
		f.Updated = articles[0].LastReviewed.Format(time.RFC3339)
	}
	for _, a := range articles {
		entry := atomEntry{
			ID:      e.abs(ArticleURL(a.Slug)),
			Title:   a.Title,
			Link:    atomLink{Href: e.abs(ArticleURL(a.Slug)), Rel: "alternate", Type: "text/html"},
			Updated: a.LastReviewed.Format(time.RFC3339),
			Author:  atomPerson{Name: cmp.Or(a.Author, publisherName)},
			Summary: a.Summary,
		}
		if !a.Published.IsZero() {
			entry.Published = a.Published.Format(time.RFC3339)
		}
		f.Entries = append(f.Entries, entry)
	}
	body, err := marshalXML(f)
	return File{Body: body, Deps: []string{DepAllArticles}}, err
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
