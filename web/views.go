package web

import (
	"strings"
	"time"
)

// The view models below are shaped like the pages: each field is something
// a page shows, already in words, so a component can be rendered in a test
// from a literal, without loading a site. internal/pages builds them.

// HomeView is the home page: a selection that stays the same size
// however many articles the site has, and the ways into the rest.
type HomeView struct {
	// Recent are the articles reviewed most recently.
	Recent []ArticleCard
	// Topics are the topics with the most articles.
	Topics  []TopicLink
	Letters []LetterLink
	// Total is how many articles the site has.
	Total int
	// CheckerPromise is what the symptom checker will tell a reader, in
	// the words of its rules' most urgent advice; "" when the site has no
	// checker.
	CheckerPromise string
}

// ArticleCard is an article in a list: its title linking to it, its
// summary and when it was last reviewed.
type ArticleCard struct {
	Title        string
	URL          string
	Summary      string
	LastReviewed time.Time
}

// ArticleView is the article page.
type ArticleView struct {
	Title   string
	Summary string
	// Author is empty when the article names none.
	Author string
	// Clinical is whether a clinician signed off this text, which the
	// byline says in words whatever it is.
	Clinical ClinicalReview
	// LastReviewed and NextReview are shown after the text; ReviewOverdue
	// tells readers under the title that the article is past its review.
	LastReviewed  time.Time
	NextReview    time.Time
	ReviewOverdue bool
	// Care is how urgent the "When to get medical help" section is: its
	// card's colour. Its words, UrgencyLabel, start the section's heading,
	// which the Markdown renderer makes.
	Care Urgency
	// IntroHTML and each section's HTML were made by the site's Markdown
	// renderer, which drops raw HTML: they are safe to insert.
	IntroHTML string
	Sections  []ArticleSection
	Sources   []Source
	// URL is the article's absolute address, for sharing and printing.
	URL     string
	Share   []ShareLink
	Related []Link
	// Topics link to the lists of articles with each of its tags.
	Topics []Link
	// Feedback is the "Is this page helpful?" block; nil for none.
	Feedback *FeedbackView
}

// ArticleSection is one "##" section of an article.
type ArticleSection struct {
	ID    string
	Title string
	HTML  string
	// Urgent is the "When to get medical help" section, shown as a care card.
	Urgent bool
}

// Source is a document an article was written from.
type Source struct {
	Title     string
	Author    string
	Publisher string
	Date      time.Time
	URL       string // empty when the source is not online
	// TranslatedFrom is the language of the original when the article
	// was written from an English translation of it; "" otherwise.
	TranslatedFrom string
}

// Link is a link with its text.
type Link struct {
	Title string
	URL   string
}

// ShareLink shares the page somewhere, with no script of anyone else's.
type ShareLink struct {
	Name string
	URL  string
}

// AboutView is what the about page says that comes from the site.
type AboutView struct {
	// Cases counts the symptom checker's triage cases, all passing.
	Cases CaseCounts
	// FeedbackMonths is how many months readers' comments are kept; 0
	// when the site asks for no feedback.
	FeedbackMonths int
}

// CaseCounts are the symptom checker's triage cases by the first advice
// each must get. The server starts only when every case passes, so they
// are all passing.
type CaseCounts struct {
	Total                   int
	Emergency, Urgent, Soon int
	// NoSign expect no care card: no urgent sign was ticked.
	NoSign int
}

// Sentence says the counts in words: "29 test cases, all passing: 9
// urgent, 20 with no urgent sign."
func (c CaseCounts) Sentence() string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{c.Emergency, "emergency"}, {c.Urgent, "urgent"}, {c.Soon, "to see a doctor soon"}, {c.NoSign, "with no urgent sign"}} {
		if p.n > 0 {
			parts = append(parts, number(p.n)+" "+p.name)
		}
	}
	return number(c.Total) + " test " + plural(c.Total, "case") + ", all passing: " + strings.Join(parts, ", ") + "."
}

// ErrorView is a page that explains, in plain words, why there is no page.
type ErrorView struct {
	// Cards are the care cards of any red flag the request named (an
	// error on a symptom checker page): shown before the error.
	Cards   []CareCard
	Heading string
	Message string
}

// ChooserView is the symptom checker's first page: "What is your main
// symptom?", with every complaint as a link.
type ChooserView struct {
	Heading string
	Lede    string
	// Groups are the complaints by category; a group with no Title holds
	// those in none.
	Groups []ComplaintGroup
	// ListID is the id of the list of complaints, which errors link to.
	ListID string
	// Cards are the care cards of any red flag an old link named, shown
	// before everything else, the error summary included.
	Cards []CareCard
	// Errors are listed in a summary at the top (a link whose answers no
	// complaint defines), each linking to the element its Target names.
	Errors []FormError
	// Feedback is the "Is this page helpful?" block; nil for none.
	Feedback *FeedbackView
}

// ComplaintGroup is a category of complaints on the chooser.
type ComplaintGroup struct {
	Title      string
	Complaints []ComplaintLink
}

// ComplaintLink is a complaint on the chooser: its name, linking to its
// form, and its one-line description.
type ComplaintLink struct {
	Name        string
	Description string
	URL         string
}

// RulesReview is when a complaint's questions were reviewed; Overdue
// tells readers, as on articles, that they are past their review.
type RulesReview struct {
	LastReviewed time.Time
	NextReview   time.Time
	Overdue      bool
	// Clinical is whether a clinician signed off the questions' text.
	Clinical ClinicalReview
}

// ClinicalReview is what a page says of a clinician's sign-off of its
// text: always something, so that readers never have to guess.
type ClinicalReview struct {
	State ClinicalState
	// By and Date are the clinician and the day they signed off, for
	// ReviewedByClinician and ChangedSinceClinicalReview.
	By   string
	Date time.Time
}

// ClinicalState is where a page's text stands with clinicians.
type ClinicalState int

const (
	NotReviewedByClinician ClinicalState = iota
	// ReviewedByClinician: a clinician signed off this exact text.
	ReviewedByClinician
	// ChangedSinceClinicalReview: the text was edited after a clinician
	// signed an earlier one off.
	ChangedSinceClinicalReview
)

// Sentence says the clinical review in words, as bylines and review
// dates show it.
func (c ClinicalReview) Sentence() string {
	switch c.State {
	case ReviewedByClinician:
		return "Reviewed by " + c.By + " on " + humanDate(c.Date) + "."
	case ChangedSinceClinicalReview:
		return "Changed since it was reviewed by a clinician on " + humanDate(c.Date) + "."
	default:
		return "Not reviewed by a clinician."
	}
}

// SymptomFormView is one complaint's form, fresh or shown again with
// errors.
type SymptomFormView struct {
	// Cards are the care cards of the red flags ticked, most urgent first:
	// shown before everything else, the error summary included, so that a
	// form sent back with a problem still gives urgent advice.
	Cards []CareCard
	// Caption is shown above the heading: the complaint's name.
	Caption string
	Heading string
	Lede    string
	// ChooseURL is the list of complaints, for a reader who chose the
	// wrong one.
	ChooseURL string
	// Action is where the form is sent: the results page.
	Action string
	// RedFlags is asked first; None is its exclusive "No, I do not have
	// any of these" answer.
	RedFlags Question
	None     Option
	Groups   []Question
	// Errors are listed in a summary at the top, each linking to the
	// answer its Target names (a checkbox id).
	Errors []FormError
	Review RulesReview
	// Feedback is the "Is this page helpful?" block; nil for none (and
	// never on a form sent back with errors, or with answers ticked).
	Feedback *FeedbackView
}

// Question is a set of checkboxes under one legend.
type Question struct {
	ID      string // the fieldset's id
	Legend  string
	Hint    string // "" for none
	Error   string // shown beside the question; empty when there is none
	Options []Option
}

// Option is one checkbox: its value is the answer's id in result links.
type Option struct {
	Value   string
	Label   string
	Hint    string
	Checked bool
}

// FormError is one line of the error summary.
type FormError struct {
	Target  string // id of the checkbox the link moves focus to
	Message string
}

// SymptomResultsView is what a complaint's results address shows: the
// result, or, when the answers cannot give one, the form again with what
// is wrong. Exactly one is set.
type SymptomResultsView struct {
	Result *ResultView
	Form   *SymptomFormView
}

// ResultView is the symptom checker's result.
type ResultView struct {
	// Caption is shown above the heading: the complaint's name.
	Caption string
	// Cards are the red-flag advice, most urgent first.
	Cards []CareCard
	// Unknown counts answers in the link that are no longer recognised.
	Unknown  int
	Sections []ResultSection
	// Answers are the labels of what the reader ticked.
	Answers []string
	// ChangeURL is the form with these answers ticked again; ShareURL the
	// absolute address of this result; SiteURL the site's origin, for the
	// full section addresses a printed result lists.
	ChangeURL string
	ShareURL  string
	SiteURL   string
	// Review is that of the complaint's questions, which the result
	// follows.
	Review RulesReview
	// SafetyNet is when to get help if things change, in the complaint's
	// words (its thresholds); "" for none. Every result shows it.
	SafetyNet string
}

// Urgency is how soon a reader should get medical help.
type Urgency int

// Urgencies, most urgent first.
const (
	Emergency Urgency = iota
	Urgent
	Soon
)

// UrgencyLabel is an urgency in words, as NHS.UK's care cards say it:
// the start of every care card's heading, on results and on articles, so
// the level is never in the colour alone.
func UrgencyLabel(u Urgency) string {
	switch u {
	case Emergency:
		return "Emergency"
	case Urgent:
		return "Urgent advice"
	default:
		return "Non-urgent advice"
	}
}

// CareCard is the advice for one level of urgency: the signs that call
// for it, in words that complete its heading ("See a doctor promptly
// if:" ... "you feel dizzy and have back pain"), then what to do, each
// advice once however many signs share it.
type CareCard struct {
	Urgency    Urgency
	Conditions []string
	Advice     []string
}

// ResultSection is an article section worth reading, and why.
type ResultSection struct {
	Title        string
	URL          string // site-relative, with the section's #id
	ArticleTitle string
	Excerpt      string
	// Because are the labels of the ticked answers that lead here.
	Because []string
}

func isoDate(t time.Time) string   { return t.Format("2006-01-02") }
func humanDate(t time.Time) string { return t.Format("2 January 2006") }

// FeedbackView is the "Is this page helpful?" block at the end of a page
// that asks it: the question, the question after an answer, or thanks.
// It is a plain form that works without JavaScript; feedback.js sends it
// in place when it can.
type FeedbackView struct {
	// Action is where the form is sent; Page the address of the page it is
	// about, sent with it.
	Action string
	Page   string
	State  FeedbackState
	// Helpful is the reader's answer, once they have given it.
	Helpful bool
	// Token links a comment to the answer it follows: issued by the
	// server after the answer, carried by this form, never in a cookie.
	Token string
	// Sections are the page's sections a comment may be about (an
	// article's); Section is the one chosen.
	Sections []Option
	Section  string
	// Comment is what the reader wrote, kept when the form comes back
	// with what is wrong; MaxComment is its limit in characters.
	Comment    string
	MaxComment int
	// Errors are listed in a summary at the top of the block, each
	// linking to its field; CommentError is shown beside the comment.
	Errors       []FormError
	CommentError string
}

// FeedbackState is where a reader is in giving feedback.
type FeedbackState int

const (
	// FeedbackAsk asks "Is this page helpful? Yes / No".
	FeedbackAsk FeedbackState = iota
	// FeedbackComment thanks the reader for the answer and asks, with an
	// optional comment, what was wrong (or what helped).
	FeedbackComment
	// FeedbackThanks thanks the reader: nothing more is asked.
	FeedbackThanks
)

// FeedbackPageView is the feedback form on a page of its own, sent back
// when what was sent cannot be stored as it is (422): a link back to the
// page it is about, and the form with what is wrong.
type FeedbackPageView struct {
	PageTitle string
	Form      FeedbackView
}
