// Package pages builds the view model of each HTML page of the site from
// the loaded site: its head, the model its web component draws, the status
// to send it with, and what it was made from (internal/deps), so that a
// cache can drop it when that content changes. It has no HTTP in it: the
// server's page table routes requests to these functions and renders what
// they return.
package pages

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/deps"
	"healthsite/web"
)

// Assets are the static files, for their content-hashed addresses and for
// reading the size of share images.
type Assets interface {
	URL(name string) string
	Bytes(name string) ([]byte, bool)
}

// Env is what every page is built from: the site, and what the server knows
// that the content does not.
type Env struct {
	Site *content.Site
	// BaseURL is the public origin, like "https://health.example.org",
	// without a trailing slash.
	BaseURL string
	Assets  Assets
	// DefaultImage is the link preview picture of pages without their own.
	DefaultImage web.ShareImage
	// Today decides which articles are shown as due for review.
	Today time.Time
	// Dev is set in the authoring preview only.
	Dev web.DevPreview
	// Search searches Site; nil while the server has no index.
	Search Searcher
	// Feedback is set when the server can store readers' feedback: the
	// pages that ask "Is this page helpful?" then ask it. FeedbackMonths
	// is how long comments are kept, which the about page says.
	Feedback       bool
	FeedbackMonths int
}

// Request is what a page needs from the request that asks for it.
type Request struct {
	// Context is the request's, for what a page asks of others (search):
	// its values, and a deadline when the server sets one.
	Context context.Context
	// Param returns a path parameter of the page's pattern, like "slug".
	Param func(name string) string
	// Path is the address's path; RawQuery the query string, without "?".
	Path     string
	RawQuery string
}

// Built is a page ready to render: the status to send it with, its head,
// its view model and what it was made from.
type Built[V any] struct {
	Status int
	Head   web.Head
	View   V
	Deps   []string
	// OneReader marks a page made for one reader's request (a form sent
	// back with what is wrong, thanks for their feedback): no cache may
	// keep it.
	OneReader bool
}

// ErrNotFound means there is no such page; the server answers 404.
var ErrNotFound = errors.New("no such page")

// BadRequestError means the request cannot be read (a 400), with why, for
// the log: the reader sees a friendly page.
type BadRequestError struct{ Err error }

func (e *BadRequestError) Error() string { return "bad request: " + e.Err.Error() }
func (e *BadRequestError) Unwrap() error { return e.Err }

// Head is what every page tells the browser: title, description,
// canonical address (path "" for pages without one, like errors) and the
// site-wide files.
func (e Env) Head(title, description, path string) web.Head {
	h := web.Head{
		Title:       title,
		Description: description,
		Stylesheet:  e.Assets.URL("site.css"),
		OGType:      "website",
		Image:       e.DefaultImage,
		Dev:         e.Dev,
	}
	if path != "" {
		h.Canonical = e.Abs(path)
	}
	return h
}

// staticURL is the address a static file is served at, for pictures in
// articles; false for a file that does not exist.
func (e Env) staticURL(name string) (string, bool) {
	if _, ok := e.Assets.Bytes(name); !ok {
		return "", false
	}
	return e.Assets.URL(name), true
}

// Abs is the absolute URL of a path on this site.
func (e Env) Abs(path string) string { return e.BaseURL + path }

// ArticleURL is the site-relative address of an article.
func ArticleURL(slug string) string { return "/articles/" + slug }

// Home is the home page: what the site is, the articles reviewed last,
// the main topics and the ways to the rest (search, A to Z, topics). It
// lists a bounded number of each, so it stays small at any size of site.
func Home(e Env, _ Request) (Built[web.HomeView], error) {
	v := web.HomeView{
		Recent:  recent(e.Site, HomeRecent),
		Topics:  mainTopics(e.Site, HomeTopics),
		Letters: letterLinks(byLetter(e.Site), ""),
		Total:   len(e.Site.Articles),
	}
	if len(e.Site.Complaints) > 0 {
		v.CheckerPromise = CheckerPromise(e.Site.Complaints...)
	}
	h := e.Head(web.SiteTagline, "Plain-language health articles: what causes a complaint, what helps, and when to get medical help.", "/")
	return Built[web.HomeView]{Status: http.StatusOK, Head: h, View: v, Deps: []string{deps.AllArticles, deps.ComplaintList}}, nil
}

func card(a *content.Article) web.ArticleCard {
	return web.ArticleCard{Title: a.Title, URL: ArticleURL(a.Slug), Summary: a.Summary, LastReviewed: a.LastReviewed.Time}
}

// clinicalReview is what a page says of a sign-off in a given state.
func clinicalReview(state contentfile.ClinicalState, s *contentfile.SignOff) web.ClinicalReview {
	switch state {
	case contentfile.Reviewed:
		return web.ClinicalReview{State: web.ReviewedByClinician, By: s.By, Date: s.Date.Time}
	case contentfile.ChangedSinceReview:
		return web.ClinicalReview{State: web.ChangedSinceClinicalReview, By: s.By, Date: s.Date.Time}
	default:
		return web.ClinicalReview{State: web.NotReviewedByClinician}
	}
}

// About is the page about who publishes the site and how, with the
// symptom checker's triage cases counted from the site it serves.
func About(e Env, _ Request) (Built[web.AboutView], error) {
	h := e.Head("About this site", "Who publishes Healthsite, how articles are written and reviewed, how the symptom checker is tested, and what happens to what you tick.", "/about")
	v := web.AboutView{Cases: caseCounts(e.Site)}
	if e.Feedback {
		v.FeedbackMonths = e.FeedbackMonths
	}
	return Built[web.AboutView]{Status: http.StatusOK, Head: h, View: v, Deps: []string{deps.Cases}}, nil
}

// caseCounts counts every complaint's triage cases by their first card.
// The server refuses a site with a failing case, so all of them pass.
func caseCounts(site *content.Site) web.CaseCounts {
	var n web.CaseCounts
	for _, c := range site.Complaints {
		counts := c.Cases.Counts()
		n.Emergency += counts["emergency"]
		n.Urgent += counts["urgent"]
		n.Soon += counts["soon"]
		n.NoSign += counts[checker.NoCard]
	}
	n.Total = n.Emergency + n.Urgent + n.Soon + n.NoSign
	return n
}

// ArticleHTML is the HTML of an article's text as its page shows it: what
// a site pack keeps of each article (content.KeepRendered).
func ArticleHTML(e Env, a *content.Article) (content.Rendered, error) {
	return content.Render(a, content.RenderOptions{StaticURL: e.staticURL, CareLabel: web.UrgencyLabel(urgency(a.CareLevel))})
}

// Article is an article's page, rendered from its validated Markdown.
func Article(e Env, req Request) (Built[web.ArticleView], error) {
	a, ok := e.Site.Article(req.Param("slug"))
	if !ok {
		return Built[web.ArticleView]{}, ErrNotFound
	}
	path := ArticleURL(a.Slug)
	h, err := e.articleHead(a, path)
	if err != nil {
		return Built[web.ArticleView]{}, err
	}
	care := urgency(a.CareLevel)
	r, err := ArticleHTML(e, a)
	if err != nil {
		return Built[web.ArticleView]{}, err
	}
	v := web.ArticleView{
		Title:         a.Title,
		Summary:       a.Summary,
		Author:        a.Author,
		Clinical:      clinicalReview(a.SignOff.State(), a.SignOff),
		Care:          care,
		LastReviewed:  a.LastReviewed.Time,
		NextReview:    a.NextReview.Time,
		ReviewOverdue: a.ReviewOverdue(e.Today),
		IntroHTML:     r.IntroHTML,
		URL:           h.Canonical,
		Share:         shareLinks(a.Title, h.Canonical),
	}
	for i, s := range a.Sections {
		v.Sections = append(v.Sections, web.ArticleSection{ID: s.ID, Title: s.Title, HTML: r.SectionHTML[i], Urgent: s.Urgent})
	}
	for _, s := range a.Sources {
		v.Sources = append(v.Sources, web.Source{Title: s.Title, Author: s.Author, Publisher: s.Publisher, Date: s.Date.Time, URL: s.URL, TranslatedFrom: strings.TrimSpace(s.TranslatedFrom)})
	}
	from := []string{deps.Article(a.Slug)}
	for _, t := range a.Tags {
		from = append(from, deps.Tag(t))
		v.Topics = append(v.Topics, web.Link{Title: TopicName(t), URL: TopicURL(t)})
	}
	for _, rel := range e.Site.Related(a) {
		v.Related = append(v.Related, web.Link{Title: rel.Title, URL: ArticleURL(rel.Slug)})
		from = append(from, deps.Listed(rel.Slug))
	}
	if e.Feedback {
		v.Feedback = feedbackBlock(e.Site, path, req.RawQuery)
		h.Scripts = append(h.Scripts, e.Assets.URL(feedbackScript))
	}
	return Built[web.ArticleView]{Status: http.StatusOK, Head: h, View: v, Deps: from, OneReader: hasFeedback(req.RawQuery)}, nil
}

// ArticleKey names a kept article: its path, or "" (not kept) when the
// address puts its feedback block in one reader's state.
func ArticleKey(_ Env, req Request) (string, error) {
	if hasFeedback(req.RawQuery) {
		return "", nil
	}
	return req.Path, nil
}

// errorText is what the reader is told for each status the site sends.
var errorText = map[int]struct{ title, heading, message string }{
	http.StatusForbidden: {
		"Not allowed", "Sorry, we cannot accept that",
		"The form was sent from another website. If you were answering one of our pages, go back to it and send the form again from there.",
	},
	http.StatusRequestEntityTooLarge: {
		"Too much to send", "Sorry, that is too much to send",
		"What was sent is longer than any of our forms allows. Go back to the page and try again with a shorter message.",
	},
	http.StatusUnsupportedMediaType: {
		"Not a form", "Sorry, we cannot read what was sent",
		"It was not sent the way our forms send. Go back to the page and send the form from there.",
	},
	http.StatusBadRequest: {
		"Bad request", "Sorry, we could not understand that address",
		"The address has something in it that we cannot read. Check it, or start again from the list of articles.",
	},
	http.StatusNotFound: {
		"Page not found", "Page not found",
		"If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address. The page may also have moved.",
	},
	http.StatusMethodNotAllowed: {
		"Method not allowed", "Sorry, this page cannot do that",
		"This page can only be read. Go back and try again, or start from the list of articles.",
	},
	http.StatusRequestURITooLong: {
		"Address too long", "Sorry, that web address is too long",
		"The address is longer than any page on this site. Check it, or start again from the list of articles.",
	},
	http.StatusTooManyRequests: {
		"Too many requests", "Sorry, you have asked for results too often",
		"Wait a minute, then try again. If you need help now, do not wait: in an emergency, call your local emergency number.",
	},
	http.StatusServiceUnavailable: {
		"Search is starting", "Sorry, search is not ready yet",
		"Search is getting ready and will work in a few seconds. Try again shortly. Every article is in the list of articles A to Z meanwhile.",
	},
	http.StatusNotImplemented: {
		"Not implemented", "Sorry, this site cannot do that",
		"Your browser or app asked for something this site does not do. Pages here can only be read. Start again from the list of articles.",
	},
	http.StatusInternalServerError: {
		"Sorry, there is a problem", "Sorry, there is a problem with this page",
		"Something went wrong on our side. Try again later. The problem has been logged and we will look at it.",
	},
}

// ErrorStatuses are the statuses that have a page of their own.
func ErrorStatuses() []int {
	var out []int
	for status := range errorText {
		out = append(out, status)
	}
	return out
}

// Error is the friendly page for an HTTP error status; ok is false for a
// status without one.
func Error(e Env, status int) (b Built[web.ErrorView], ok bool) {
	t, ok := errorText[status]
	if !ok {
		return b, false
	}
	h := e.Head(t.title, t.message, "")
	h.NoIndex = true
	return Built[web.ErrorView]{Status: status, Head: h, View: web.ErrorView{Heading: t.heading, Message: t.message}}, true
}
