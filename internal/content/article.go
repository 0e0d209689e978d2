// Package content loads a site's content into an immutable Site that
// handlers only read: the Markdown articles with their front matter
// (parsed and validated once, kept compressed, rendered to HTML when a page
// asks, render.go), search's synonyms, and, through internal/checker, the
// symptom checker's rules. Load refuses a folder with any problem, each
// reported at its file and line; Reload makes the next Site from the files
// a save changed.
package content

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/s2"

	"healthsite/internal/contentfile"
)

// Article is one validated article: its front matter and the outline of
// its sections. Its HTML is made by Render when a page needs it. It is never
// modified after Load.
type Article struct {
	File         string // path inside the articles folder, for error messages
	Slug         string
	Title        string
	Summary      string
	Author       string
	Published    contentfile.Date // zero when not given
	LastReviewed contentfile.Date
	NextReview   contentfile.Date
	Tags         []string
	Sources      []Source
	// SignOff is a clinician's approval of the article's text, or nil;
	// its State says whether the text is still the one approved.
	SignOff *contentfile.SignOff
	// ClinicalReviewPending is set by "clinical_review: pending" in front
	// matter: the editors know no clinician has reviewed the article yet
	// (healthsite check asks for this, or a sign-off, on an article that
	// names medicines). Its page says "Not reviewed by a clinician", as
	// for any article without a sign-off. Never set with SignOff.
	ClinicalReviewPending bool
	// CareLevel is how urgent the "When to get medical help" section is,
	// which its card says in words and colour: "care_level" in front
	// matter, Urgent when it is left out, as every article's card was
	// before the field existed.
	CareLevel contentfile.Level
	// Image is the share image's file name in static/, and ImageAlt its
	// description; empty for the site's default image.
	Image    string
	ImageAlt string

	// StaticImages are the pictures the text shows from the site's own
	// static files, written ![description](/static/name.png): the server
	// checks they exist and serves them under their hashed names.
	StaticImages []StaticImage
	// SiteLinks are the text's links to the site's articles
	// (/articles/slug#section) and to its own sections (#section): the
	// site checks that each lands (links.go).
	SiteLinks []Link
	// Sections are the "##" sections in the order they appear.
	Sections []Section
	// Headings lists every h2 and h3 with its id, so section links can be
	// checked against what the page really contains.
	Headings []Heading

	// src is the file as it was validated, compressed (see source). Pages
	// are rendered from it on demand (Render), so the HTML served is always
	// that of the checked text, never of a file changed since.
	src []byte
	// sortKey orders the site by title, then slug.
	sortKey string
	// tags are Tags sorted, each once, for the indexes; tagIDs their
	// numbers in the sites the article is part of (see Site.numberTags).
	tags   []string
	tagIDs []int32
	// excerpts are made once, when a page first asks (see Excerpts).
	excerptsOnce sync.Once
	excerpts     map[string]string
	// html, when set (KeepRendered), is the article's HTML as Render made
	// it when its pack was built, which Render returns instead of parsing
	// src again.
	html []byte
}

// StaticImage is a picture from static/ in an article's text.
type StaticImage struct {
	Name string // the file name in static/, like "ankle.png"
	Line int
}

// StaticPrefix is how an article's text addresses the site's static files.
const StaticPrefix = "/static/"

// Section is the content from one "##" heading up to the next.
type Section struct {
	Heading
	// Urgent marks the "When to get medical help" section, which the page
	// styles as a care card so it cannot be missed.
	Urgent bool
	// General marks a section that is not about one cause, like daily
	// care, written "## Heading {.general}"; the checks do not expect a
	// symptom to lead to it.
	General bool
}

// Heading is an h2 or h3 of an article.
type Heading struct {
	ID    string
	Title string
	Level int
	Line  int // line in the article file
}

// Source is a document an article was written from.
type Source struct {
	Title     string           `yaml:"title"`
	Publisher string           `yaml:"publisher"`
	Author    string           `yaml:"author"`
	Date      contentfile.Date `yaml:"date"`
	URL       string           `yaml:"url"`
	// TranslatedFrom is the language the source was written in, when the
	// article was written from an English translation ("Chinese"); empty
	// for a source read in English.
	TranslatedFrom string `yaml:"translated_from"`
}

// clinicalReviewPending is the one value of "clinical_review" in front matter.
const clinicalReviewPending = "pending"

// UrgentSectionID is the id of the section every article must have and
// that is styled as a care card.
const UrgentSectionID = "when-to-get-medical-help"

// keep stores the validated file. It is kept compressed with S2, at about
// half its size: with thousands of articles the sources are most of the
// site's memory, and S2 takes a few microseconds an article each way, where
// compress/flate took a hundred or more (measured on this corpus). S2's
// better mode saves another tenth of the size but doubles the time, which
// start-up waits for.
func (a *Article) keep(src []byte) {
	// Encode writes into a buffer of the worst-case size; copy the result
	// out so the rest of that buffer is not kept with it.
	a.src = bytes.Clone(s2.Encode(nil, src))
}

// derive sets what the site's indexes use that follows from the front
// matter: Parse and Thaw both call it, so a site from a pack is ordered
// and tagged as one from the files.
func (a *Article) derive() {
	a.sortKey = strings.ToLower(a.Title)
	a.tags = uniqueTags(a.Tags)
}

// source is the validated file.
func (a *Article) source() []byte {
	src, err := s2.Decode(nil, a.src)
	if err != nil { // only keep writes a.src
		panic(fmt.Sprintf("%s: kept source does not decode: %v", a.File, err))
	}
	return src
}

// Heading returns the h2 or h3 with the given id.
func (a *Article) Heading(id string) (Heading, bool) {
	for _, h := range a.Headings {
		if h.ID == id {
			return h, true
		}
	}
	return Heading{}, false
}

// ReviewOverdue reports whether the article is past its next review date on day now.
func (a *Article) ReviewOverdue(now time.Time) bool {
	return a.NextReview.Overdue(now)
}
