package checker

import (
	"time"

	"healthsite/internal/contentfile"
)

// The checker's files are content: one rules file per complaint in a
// folder beside the articles, its triage cases beside it, and, optionally,
// one file of red flags that every complaint asks about.
const (
	// ComplaintsDir holds one rules file per complaint, named after its
	// id: "complaints/back-pain.yaml".
	ComplaintsDir = "complaints"
	// SiteWideFile holds the site-wide red flags: signs that always mean
	// getting help, asked with every complaint's own. Its name cannot be a
	// complaint's, since ids never start with "_".
	SiteWideFile = ComplaintsDir + "/_site-wide.yaml"
)

// NoneID is the reserved answer "No, I do not have any of these", which
// cannot be ticked together with a red flag.
const NoneID = "none"

// Rules are a site's checked rules: every complaint, in name order, and
// the site-wide red flags asked with each. They are never modified after
// Link.
type Rules struct {
	Complaints []*Complaint
	// SiteWide are the red flags every complaint asks about, or nil.
	SiteWide *SiteWideRedFlags
	byID     map[string]*Complaint
}

// Complaint returns the complaint with the given id.
func (r *Rules) Complaint(id string) (*Complaint, bool) {
	c, ok := r.byID[id]
	return c, ok
}

// Section is a section of an article, as the rules link to it and a
// result lists it.
type Section struct {
	// Slug is the article's; ID and Title are the heading's.
	Slug, ID, Title string
	// ArticleTitle is the title of the article the section is in.
	ArticleTitle string
	// Order places the section in the site: articles in site order, then
	// headings in article order. Results list sections that the same
	// number of answers lead to in this order.
	Order int
}

// Articles are what the checker needs of the site's articles: the
// sections its rules and cases link to. content.Site is one.
type Articles interface {
	HasArticle(slug string) bool
	// Section finds an article's "##" or "###" heading by its id.
	Section(slug, id string) (Section, bool)
}

// Complaint is one complaint's validated rules: what the checker asks a
// reader who chose it, in the rules' own words, and where each answer
// leads. It is never modified after Link.
type Complaint struct {
	File string
	// ID is the complaint's address, /symptoms/{id}, and its file name.
	ID string
	// Name is the complaint as a reader says it ("Back pain"); Description
	// is one line under it on the list of complaints.
	Name        string
	Description string
	// Category groups complaints on the list; "" for none.
	Category     string
	LastReviewed contentfile.Date
	// NextReview is when the rules are next due to be checked against the
	// articles they point to; never earlier than LastReviewed.
	NextReview contentfile.Date
	// SignOff is a clinician's approval of the rules' text, or nil; its
	// State says whether the text is still the one approved.
	SignOff *contentfile.SignOff
	// RedFlagQuestion is the wording of the first question.
	RedFlagQuestion Question
	// RedFlags are the site-wide red flags, then the complaint's own.
	RedFlags []*RedFlag
	// SafetyNet says, in the complaint's own words, when to get help if
	// things change: the source's thresholds, which results repeat under
	// "If things change" whatever was ticked.
	SafetyNet string
	// Groups are the symptom questions in the file's order.
	Groups   []*SymptomGroup
	Symptoms []*Symptom
	// Cases are the complaint's triage cases (cases.go), or nil when it
	// has none. Link runs them: a complaint whose cases fail is refused.
	Cases *CaseFile
	byID  map[string]any
}

// Question is the wording of a question: its heading and a hint under it.
type Question struct {
	Text string
	Hint string // "" for none
}

// RedFlag is an answer that means the reader should get medical help.
type RedFlag struct {
	ID    string
	Label string
	Hint  string
	// When is the sign in words, as it completes a care card's heading
	// ("See a doctor promptly if:" ... "you feel dizzy and have back
	// pain"): results list it, not the label the reader ticked.
	When  string
	Level contentfile.Level
	// Advice is what to do. A card gives each advice once, however many
	// of its red flags share it, so flags of one level usually say the
	// same words.
	Advice string
	// SiteWide marks a red flag of SiteWideFile, asked with every complaint.
	SiteWide bool
	Line     int // in its rules file
}

// Symptom is an answer that leads to article sections.
type Symptom struct {
	ID    string
	Label string
	Hint  string
	// Mentions are the words every section it leads to must contain (the
	// authoring check's "the section mentions what the symptom names");
	// empty when the rules leave it to the words of the label.
	Mentions string
	Sections []SectionLink
	Line     int // in the rules file
}

// SymptomGroup is a set of symptoms asked under one question.
type SymptomGroup struct {
	ID       string // for the fieldset's id, like "group-pain"
	Question Question
	Symptoms []*Symptom
}

// SectionLink is where a symptom leads: a section of an article.
type SectionLink struct {
	Section
	Weight int
	// Mentions, when set, replaces the symptom's Mentions for this section,
	// which may word the same thing its own way.
	Mentions string
	Line     int // in the rules file
}

// URL is the site-relative address of the section.
func (l SectionLink) URL() string { return "/articles/" + l.Slug + "#" + l.ID }

// RedFlag returns the red flag with the given id, site-wide ones included.
func (c *Complaint) RedFlag(id string) (*RedFlag, bool) {
	f, ok := c.byID[id].(*RedFlag)
	return f, ok
}

// Symptom returns the symptom with the given id.
func (c *Complaint) Symptom(id string) (*Symptom, bool) {
	sy, ok := c.byID[id].(*Symptom)
	return sy, ok
}

// Known reports whether id is an answer of this complaint's form, "none"
// and the site-wide red flags included.
func (c *Complaint) Known(id string) bool {
	_, ok := c.byID[id]
	return ok || id == NoneID
}

// ReviewOverdue reports whether the rules are past their next review date on day now.
func (c *Complaint) ReviewOverdue(now time.Time) bool {
	return c.NextReview.Overdue(now)
}

// SiteWideRedFlags are the red flags every complaint asks about, with the
// review dates of their file.
type SiteWideRedFlags struct {
	File         string
	LastReviewed contentfile.Date
	NextReview   contentfile.Date
	SignOff      *contentfile.SignOff
	RedFlags     []*RedFlag
}

// ReviewOverdue reports whether the site-wide red flags are past their next review date.
func (s *SiteWideRedFlags) ReviewOverdue(now time.Time) bool {
	return s != nil && s.NextReview.Overdue(now)
}
