package pages

import (
	"net/http"

	"healthsite/web"
)

// FeedbackUnavailable is the page for feedback that could not be stored
// just now (the database is slow or down): the reader is told plainly,
// and that the page they were reading is unaffected (503).
func FeedbackUnavailable(e Env, f FeedbackForm) Built[web.ErrorView] {
	t, _ := feedbackTargetOf(e.Site, f.Page)
	h := e.Head("Feedback not saved", "We could not save your feedback just now.", "")
	h.NoIndex = true
	return Built[web.ErrorView]{Status: http.StatusServiceUnavailable, Head: h, OneReader: true, View: web.ErrorView{
		Heading: "Sorry, we could not save your feedback just now",
		Message: "Nothing you sent was kept. The page you were reading (" + t.Title + ") works as usual. Please try again in a few minutes.",
	}}
}
