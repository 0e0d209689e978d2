// Package desk holds the editors' desk's templ components and their view
// models. Like package web for the public site, each view is shaped like
// its page, already in words, so a component renders from a literal in a
// test; internal/desk builds them. No I/O, no business rules, no
// JavaScript: every page works as plain HTML forms and links.
package desk

import "fmt"

// Head is what every desk page tells the browser, and who is signed in.
type Head struct {
	Title string // without the desk's name
	// Stylesheets are the paths of the content-hashed stylesheets, the
	// public site's first, then the desk's own.
	Stylesheets []string
	Icon        string // path of the content-hashed favicon
	// ErrorPrefix marks a page shown again with errors in its form.
	ErrorPrefix bool
	// Nav is the signed-in account; zero when nobody is signed in.
	Nav Nav
}

// Nav is the header's account links for a signed-in account.
type Nav struct {
	Email string
	Admin bool
	// Current names the section the page is in: "attention", "comments",
	// "audit" or "accounts", for aria-current.
	Current string
}

// SignedIn reports whether the header shows an account.
func (n Nav) SignedIn() bool { return n.Email != "" }

// Name is the desk's name, after every page title.
const Name = "Healthsite editors' desk"

func fullTitle(h Head) string {
	t := Name
	if h.Title != "" {
		t = h.Title + " - " + Name
	}
	if h.ErrorPrefix {
		t = "Error: " + t
	}
	return t
}

// FieldError is a problem with one field of a form: the error summary
// links to the field by its id.
type FieldError struct {
	Field   string // the input's id
	Message string
}

// SignInView is the sign-in page.
type SignInView struct {
	Email  string // as typed, to show again
	Next   string // where to go after signing in ("" for the start page)
	Notice string // "You have signed out.", "Your session has ended..."
	Errors []FieldError
	// Failed is the message for a wrong e-mail or password, the same
	// whichever it was.
	Failed string
}

// Counts are the answers to a page over some days, in words.
type Counts struct {
	Yes, No int64
	// Rate is the share of No as "25%", or "-" with no answers.
	Rate string
}

// AttentionView is the start page: pages ranked by how much they need
// an editor, with how the score is made.
type AttentionView struct {
	Rows []AttentionRow
	// Listed is how many pages are ranked in all; Page and Pages place
	// this page among them.
	Listed, Page, Pages int
	Prev, Next          string // URLs of the pages before and after, or ""
	Score               ScoreRules
	Today               string
}

// Status says how many pages are listed and which page of them this is.
func (v AttentionView) Status() string {
	return fmt.Sprintf("%d pages listed on %s. Page %d of %d.", v.Listed, v.Today, v.Page, v.Pages)
}

// ScoreRules are the numbers the score is made from, for the page to
// explain it.
type ScoreRules struct {
	MinAnswers, NoRatePoints, OverduePoints, DueSoonPoints, DueSoonDays, LapsedPoints int
}

// AttentionRow is one page on the start page.
type AttentionRow struct {
	Rank      int
	Title     string
	Kind      string // "Article", "Symptom checker", "Other page"
	DeskURL   string // its page in the desk
	PublicURL string // its page on the public site, or "" when it has none
	Score     int
	Reasons   []string
	Days7     Counts
	Days30    Counts
	Days90    Counts
	Review    string // "Overdue since 1 November 2026", "Due 20 December 2026", ...
	Urgent    bool   // the review is overdue: shown in words and colour
	SignOff   string // "Reviewed", "Changed since review", "Not reviewed", or ""
}

// PageView is one page's feedback and review state.
type PageView struct {
	Title     string
	Path      string // the public path
	Kind      string
	PublicURL string // "" when the page is not on the site
	Periods   []Period
	// Sections are the answers over 90 days by section; the whole page
	// first.
	Sections []SectionRow
	// Review and SignOff say where the page stands; empty for a page with
	// neither (not an article or complaint).
	LastReviewed, NextReview, Review string
	ReviewUrgent                     bool
	SignOff                          string
	Comments                         []CommentRow
	CommentsTotal                    int64
	CommentsURL                      string // the queue filtered to this page
}

// Period is a page's answers over some days.
type Period struct {
	Label string // "Last 7 days"
	Counts
}

// SectionRow is a section's answers.
type SectionRow struct {
	Name string // the heading, or "Whole page"
	ID   string // the section's id, "" for the whole page
	Counts
}

// CommentRow is one comment in a list.
type CommentRow struct {
	ID      string
	Day     string // "4 December 2026"
	Page    string // the public path
	PageURL string // its page in the desk
	Section string // the section's id, or ""
	Answer  string // "Yes" or "No"
	Text    string
	State   string
}

// Meta is the line above a comment: its day, its answer, what it is
// about and its state.
func (c CommentRow) Meta() string {
	s := c.Day + ", answered " + c.Answer
	if c.Section != "" {
		s += ", about #" + c.Section
	}
	return s + ", " + c.State
}

// CommentsView is the comment queue.
type CommentsView struct {
	Filter   FilterForm
	Errors   []FieldError
	Comments []CommentRow
	Total    int64
	// Next is the URL of the next, older page, First that of the newest;
	// "" when there is none or this is it.
	Next, First string
	ExportURL   string
	// Return is the filter's query string, which the marking form sends
	// back so that the queue it returns to is the same.
	Return string
	// Done says what the last marking did ("3 comments marked spam.").
	Done string
	// MarkError says why the last marking did nothing.
	MarkError string
	States    []Option
}

// FilterForm is the queue's filter as typed.
type FilterForm struct {
	Page, State, From, To string
	States                []Option
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// AuditView is a page of the audit log.
type AuditView struct {
	Entries []AuditRow
	Next    string // URL of the older entries, or ""
	First   string // URL of the newest, when this is not it
}

// AuditRow is one entry.
type AuditRow struct {
	When, Who, Action, Detail, Client string
}

// AccountsView is the accounts page, for admins.
type AccountsView struct {
	Accounts []AccountRow
	Add      AddAccountForm
	Notice   string
}

// AccountRow is one account.
type AccountRow struct {
	Email, Role, State, Created string
	Disabled                    bool
	Self                        bool // the admin looking: cannot disable themselves
	DisableURL, ResetURL        string
}

// AddAccountForm is the form to add an account.
type AddAccountForm struct {
	Email, Role string
	Roles       []Option
	Errors      []FieldError
}

// PasswordView shows a new account's or a reset password, once.
type PasswordView struct {
	Email    string
	Password string
	Added    bool // a new account, rather than a new password
}

// ErrorView is an error page.
type ErrorView struct {
	Heading, Message string
	// SignIn offers a link to sign in (a page that needs a session).
	SignIn bool
}
