package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg" // share images may be JPEG
	_ "image/png"
	"net/url"
	"slices"
	"time"

	"healthsite/internal/content"
	"healthsite/web"
)

// defaultShareImage is shown in link previews of pages without their own.
const (
	defaultShareImage    = "share.png"
	defaultShareImageAlt = "Healthsite: a white health cross on a teal background"
	publisherName        = "Healthsite"
)

// shareImage describes a static image for link previews, reading its size
// from the file so the tags can never disagree with the picture.
func (s *Server) shareImage(name, alt string) (web.ShareImage, error) {
	body, ok := s.assets.Bytes(name)
	if !ok {
		return web.ShareImage{}, fmt.Errorf("share image %q is not in static/", name)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return web.ShareImage{}, fmt.Errorf("share image %q: %w", name, err)
	}
	return web.ShareImage{URL: s.abs(s.assets.URL(name)), Width: cfg.Width, Height: cfg.Height, Alt: alt}, nil
}

// articleHead is the head of an article page: the common tags plus article
// dates, its share image and schema.org data.
func (s *Server) articleHead(a *content.Article, path string) (web.Head, error) {
	h := s.head(a.Title, a.Summary, path)
	h.OGType = "article"
	if a.Image != "" {
		img, err := s.shareImage(a.Image, a.ImageAlt)
		if err != nil {
			return h, fmt.Errorf("%s: %w", a.File, err)
		}
		h.Image = img
	}
	if !a.Published.IsZero() {
		h.Published = a.Published.Format(time.RFC3339)
	}
	h.Modified = a.LastReviewed.Format(time.RFC3339)
	h.Scripts = []string{s.assets.URL("share.js")}
	ld, err := medicalWebPage(a, h.Canonical, h.Image.URL, s.abs("/"))
	if err != nil {
		return h, err
	}
	h.JSONLD = string(ld)
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

// medicalWebPage marshals an article's schema.org data. encoding/json
// escapes <, > and & as \u003c and so on, so no title or summary can close
// the script element it is embedded in.
func medicalWebPage(a *content.Article, url, imageURL, siteURL string) ([]byte, error) {
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
	if a.ReviewedBy != "" {
		page.ReviewedBy = &schemaThing{Type: "Person", Name: a.ReviewedBy}
	}
	page.About = append(page.About, schemaThing{Type: "Thing", Name: a.Title})
	for _, t := range a.Tags {
		page.About = append(page.About, schemaThing{Type: "Thing", Name: t})
	}
	for _, src := range a.Sources {
		page.Citation = append(page.Citation, schemaCreativeWork{
			Type:          "CreativeWork",
			Name:          src.Title,
			Author:        schemaThing{Type: "Person", Name: src.Author},
			Publisher:     schemaThing{Type: "Organization", Name: src.Publisher},
			DatePublished: src.Date.ISO(),
			URL:           src.URL,
		})
	}
	return json.Marshal(page)
}

// shareLinks are plain links that share a page by email and on common
// networks, with no third-party script: each network's own share address.
func shareLinks(title, pageURL string) []web.ShareLink {
	q := url.QueryEscape
	return []web.ShareLink{
		{Name: "Email", URL: "mailto:?subject=" + pathEscape(title) + "&body=" + q(pageURL)},
		{Name: "WhatsApp", URL: "https://wa.me/?text=" + q(title+" "+pageURL)},
		{Name: "Facebook", URL: "https://www.facebook.com/sharer/sharer.php?u=" + q(pageURL)},
		{Name: "X (Twitter)", URL: "https://x.com/intent/post?text=" + q(title) + "&url=" + q(pageURL)},
	}
}

// pathEscape escapes for mailto: fields, where mail programs read "+" as a
// plus sign, not a space.
func pathEscape(s string) string { return url.PathEscape(s) }

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the home page, the symptom form, the about page and every
// article with the day it was last reviewed.
func (s *Server) sitemap(site *content.Site) ([]byte, error) {
	set := sitemapURLSet{URLs: []sitemapURL{{Loc: s.abs("/"), LastMod: newestReview(site)}}}
	if site.Symptoms != nil {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.abs("/symptoms"), LastMod: site.Symptoms.LastReviewed.ISO()})
	}
	set.URLs = append(set.URLs, sitemapURL{Loc: s.abs("/about")})
	for _, a := range site.Articles {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.abs("/articles/" + a.Slug), LastMod: a.LastReviewed.ISO()})
	}
	return marshalXML(set)
}

func newestReview(site *content.Site) string {
	var newest content.Date
	for _, a := range site.Articles {
		if a.LastReviewed.After(newest.Time) {
			newest = a.LastReviewed
		}
	}
	return newest.ISO()
}

func (s *Server) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.abs("/sitemap.xml") + "\n")
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

// feed is an Atom feed of the articles, newest review first.
func (s *Server) feed(site *content.Site) ([]byte, error) {
	articles := slices.Clone(site.Articles)
	slices.SortStableFunc(articles, func(a, b *content.Article) int {
		return cmp.Or(b.LastReviewed.Compare(a.LastReviewed.Time), cmp.Compare(a.Slug, b.Slug))
	})
	f := atomFeed{
		ID:    s.abs("/"),
		Title: publisherName + ": health articles",
		Links: []atomLink{
			{Href: s.abs("/feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: s.abs("/"), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: publisherName},
	}
	if len(articles) > 0 {
		f.Updated = articles[0].LastReviewed.Format(time.RFC3339)
	}
	for _, a := range articles {
		e := atomEntry{
			ID:      s.abs("/articles/" + a.Slug),
			Title:   a.Title,
			Link:    atomLink{Href: s.abs("/articles/" + a.Slug), Rel: "alternate", Type: "text/html"},
			Updated: a.LastReviewed.Format(time.RFC3339),
			Author:  atomPerson{Name: cmp.Or(a.Author, publisherName)},
			Summary: a.Summary,
		}
		if !a.Published.IsZero() {
			e.Published = a.Published.Format(time.RFC3339)
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
