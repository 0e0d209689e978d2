package pages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"healthsite/internal/content"
	"healthsite/web"
)

// Readers are asked "Is this page helpful?" at the end of every article,
// the list of complaints and each complaint's form; never on a result or a
// search, where an answer would sit next to what a reader ticked or
// searched for. The form is sent to FeedbackPath; the server stores the
// answer and sends the reader back to the page, where the block thanks
// them and, after an answer, asks what was wrong (or what helped).

// FeedbackPath is where feedback forms are sent; feedbackScript sends them
// in place when it can.
const (
	FeedbackPath   = "/feedback"
	feedbackScript = "feedback.js"
)

// MaxComment is the longest comment, in characters.
const MaxComment = 1000

// The query a page is sent back to after feedback: ?feedback=yes or no
// with the token of the answer (the comment form), or ?feedback=sent.
const (
	feedbackParam = "feedback"
	tokenParam    = "token"
	feedbackSent  = "sent"
)

// feedbackTarget is a page that asks for feedback.
type feedbackTarget struct {
	Title string
	// Sections are an article's sections a comment may be about.
	Sections []web.Option
}

// feedbackTargetOf is the page at path, if it asks for feedback.
func feedbackTargetOf(site *content.Site, path string) (feedbackTarget, bool) {
	switch {
	case path == ChooserPath:
		return feedbackTarget{Title: chooserTitle}, len(site.Complaints) > 0
	case strings.HasPrefix(path, ChooserPath+"/"):
		c, ok := site.Complaint(strings.TrimPrefix(path, ChooserPath+"/"))
		if !ok {
			return feedbackTarget{}, false
		}
		return feedbackTarget{Title: formCaption + ": " + c.Name}, true
	case strings.HasPrefix(path, "/articles/"):
		a, ok := site.Article(strings.TrimPrefix(path, "/articles/"))
		if !ok {
			return feedbackTarget{}, false
		}
		t := feedbackTarget{Title: a.Title}
		for _, s := range a.Sections {
			t.Sections = append(t.Sections, web.Option{Value: s.ID, Label: s.Title})
		}
		return t, true
	}
	return feedbackTarget{}, false
}

// feedbackBlock is the feedback block of the page at path, in the state
// its query says: the question, the comment form after an answer, or
// thanks.
func feedbackBlock(site *content.Site, path, rawQuery string) *web.FeedbackView {
	t, ok := feedbackTargetOf(site, path)
	if !ok {
		return nil
	}
	v := &web.FeedbackView{Action: FeedbackPath, Page: path, MaxComment: MaxComment, Sections: t.Sections}
	q, _ := url.ParseQuery(rawQuery)
	switch answer := q.Get(feedbackParam); answer {
	case "yes", "no":
		if tok := q.Get(tokenParam); tok != "" && len(tok) <= maxTokenLen {
			v.State, v.Helpful, v.Token = web.FeedbackComment, answer == "yes", tok
		}
	case feedbackSent:
		v.State = web.FeedbackThanks
	}
	return v
}

// maxTokenLen is longer than any token the store makes: anything longer
// in an address is not one.
const maxTokenLen = 64

// hasFeedback reports whether a page's query puts its feedback block in a
// state of one reader's: such a page is made for its request and kept by
// no cache.
func hasFeedback(rawQuery string) bool {
	q, _ := url.ParseQuery(rawQuery)
	return q.Has(feedbackParam)
}

// FeedbackForm is a feedback form as sent, read by ReadFeedback.
type FeedbackForm struct {
	// Page is the address of the page it is about.
	Page string
	// Answer is "yes" or "no" for an answer; "" for a comment, which
	// carries the Token of its answer, and Helpful, that answer.
	Answer  string
	Token   string
	Helpful bool
	Section string
	Comment string
	// Trap is the field people never see (a honeypot): only a machine
	// fills it in. Such a form is thanked and not stored.
	Trap bool
}

// ErrNotAPage means the form names no page that asks for feedback (404).
var ErrNotAPage = errors.New("feedback about no page that asks for it")

// ReadFeedback reads a feedback form's fields, only the first value of
// each counting. It refuses (ErrNotAPage, or a *BadRequestError) only what
// no page's form could have sent; what a reader may get wrong (a comment
// too long) is checked by CheckFeedback, which sends the form back.
func ReadFeedback(site *content.Site, form url.Values) (FeedbackForm, error) {
	f := FeedbackForm{
		Page:    form.Get("page"),
		Answer:  form.Get("answer"),
		Token:   form.Get(tokenParam),
		Helpful: form.Get("helpful") == "yes",
		Section: form.Get("section"),
		Comment: form.Get("comment"),
		Trap:    form.Get("website") != "",
	}
	if _, ok := feedbackTargetOf(site, f.Page); !ok {
		return f, ErrNotAPage
	}
	switch {
	case f.Answer != "" && f.Answer != "yes" && f.Answer != "no":
		return f, &BadRequestError{Err: errors.New("an answer that is not yes or no")}
	case f.Answer == "" && f.Token == "":
		return f, &BadRequestError{Err: errors.New("neither an answer nor a comment")}
	case f.Answer != "" && (f.Token != "" || f.Comment != ""):
		return f, &BadRequestError{Err: errors.New("an answer and a comment at once")}
	case len(f.Token) > maxTokenLen || !utf8.ValidString(f.Token):
		return f, &BadRequestError{Err: errors.New("a token that is not one")}
	}
	return f, nil
}

// Problems a reader can fix, in their words.
const (
	commentTooLong    = "Your comment must be 1,000 characters or fewer"
	commentNotText    = "Your comment has characters we cannot read: type it again"
	unknownSection    = "Choose a part of this page from the list"
	commentTokenStale = "We could not match your comment to your answer. Your answer was saved: to add a comment, answer the question again"
)

// CheckFeedback says what is wrong with a comment that its form could
// have sent, to show beside the form again (422); none for an answer.
func CheckFeedback(site *content.Site, f FeedbackForm) []web.FormError {
	if f.Answer != "" {
		return nil
	}
	var errs []web.FormError
	switch {
	case !utf8.ValidString(f.Comment):
		errs = append(errs, web.FormError{Target: web.FeedbackCommentID, Message: commentNotText})
	case utf8.RuneCountInString(f.Comment) > MaxComment:
		errs = append(errs, web.FormError{Target: web.FeedbackCommentID, Message: commentTooLong})
	}
	t, _ := feedbackTargetOf(site, f.Page)
	if f.Section != "" && !slices.ContainsFunc(t.Sections, func(o web.Option) bool { return o.Value == f.Section }) {
		errs = append(errs, web.FormError{Target: web.FeedbackSectionID, Message: unknownSection})
	}
	return errs
}

// StaleToken is the problem shown when a comment's token matches no
// answer that can take one (too old, or already commented on).
var StaleToken = web.FormError{Target: web.FeedbackCommentID, Message: commentTokenStale}

// FeedbackAgain is the feedback form on a page of its own, with what is
// wrong and what the reader wrote (422).
func FeedbackAgain(e Env, f FeedbackForm, errs []web.FormError) Built[web.FeedbackPageView] {
	t, _ := feedbackTargetOf(e.Site, f.Page)
	h := e.Head("Your feedback on "+t.Title, "Is this page helpful?", "")
	h.ErrorPrefix, h.NoIndex = true, true
	v := web.FeedbackPageView{PageTitle: t.Title, Form: web.FeedbackView{
		Action: FeedbackPath, Page: f.Page, State: web.FeedbackComment, Helpful: f.Helpful,
		Token: f.Token, Sections: t.Sections, Section: f.Section,
		// Kept as written, but never as bytes that are not text.
		Comment: strings.ToValidUTF8(f.Comment, "\uFFFD"), MaxComment: MaxComment, Errors: errs,
	}}
	for _, e := range errs {
		if e.Target == web.FeedbackCommentID {
			v.Form.CommentError = e.Message
		}
	}
	if !slices.ContainsFunc(t.Sections, func(o web.Option) bool { return o.Value == f.Section }) {
		v.Form.Section = ""
	}
	return Built[web.FeedbackPageView]{Status: http.StatusUnprocessableEntity, Head: h, View: v, OneReader: true}
}

// FeedbackDone is where a reader goes once their feedback is stored (or,
// for a machine that filled in the trap, seems to be): back to the page,
// whose block then thanks them, with the answer's token for a comment.
func FeedbackDone(f FeedbackForm, token string) string {
	q := url.Values{}
	if f.Answer != "" && token != "" {
		q.Set(feedbackParam, f.Answer)
		q.Set(tokenParam, token)
	} else {
		q.Set(feedbackParam, feedbackSent)
	}
	return f.Page + "?" + q.Encode() + "#feedback"
}
