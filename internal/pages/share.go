package pages

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // share images may be JPEG
	_ "image/png"
	"net/url"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/web"
)

// DefaultShareImage is shown in link previews of pages without their own.
const (
	DefaultShareImage    = "share.png"
	DefaultShareImageAlt = "Healthsite: a white health cross on a teal background"
	PublisherName        = web.SiteName
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
	h.JSONLD = medicalWebPage(a, h.Canonical, h.Image.URL, e.Abs("/"))
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
	publisher := schemaThing{Type: "Organization", Name: PublisherName, URL: siteURL}
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
