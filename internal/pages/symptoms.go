package pages

import (
	"errors"
	"net/http"
	"strconv"

	"healthsite/internal/content"
	"healthsite/internal/symptoms"
	"healthsite/web"
)

const (
	formTitle       = "Check your symptoms"
	formDescription = "Tick what you feel to find out when to get medical help and which parts of our articles explain your symptoms."
	formPath        = "/symptoms"
	resultsPath     = "/symptoms/results"
)

// readAnswers finds the site's checker rules (ErrNotFound when it has
// none) and reads the answers ticked in a query string (a BadRequestError
// for a link that cannot be read).
func readAnswers(e Env, rawQuery string) (*content.Symptoms, symptoms.Answers, error) {
	rules := e.Site.Symptoms
	if rules == nil {
		return nil, symptoms.Answers{}, ErrNotFound
	}
	ids, err := symptoms.ParseQuery(rawQuery)
	if errors.Is(err, symptoms.ErrBadQuery) {
		return nil, symptoms.Answers{}, &BadRequestError{Err: err}
	}
	if err != nil {
		return nil, symptoms.Answers{}, err
	}
	return rules, symptoms.Classify(rules, ids), nil
}

// AnswersKey names the page a query string gives, for keeping it: pages
// depend only on the answers the checker recognises, in link order, and on
// how many it does not, so links that differ otherwise share one page.
func AnswersKey(e Env, rawQuery string) (string, error) {
	_, a, err := readAnswers(e, rawQuery)
	if err != nil {
		return "", err
	}
	return symptoms.Query(a.Known) + "#" + strconv.Itoa(a.Unknown), nil
}

// SymptomForm is the checker's form, with the answers in the query ticked
// (the "change your answers" link).
func SymptomForm(e Env, req Request) (Built[web.SymptomFormView], error) {
	rules, a, err := readAnswers(e, req.RawQuery)
	if err != nil {
		return Built[web.SymptomFormView]{}, err
	}
	return form(e, rules, a, nil), nil
}

func form(e Env, rules *content.Symptoms, a symptoms.Answers, problems []symptoms.Problem) Built[web.SymptomFormView] {
	checked := make(map[string]bool, len(a.Known))
	for _, id := range a.Known {
		checked[id] = true
	}
	h := e.Head(formTitle, formDescription, formPath)
	h.Scripts = []string{e.Assets.URL("symptoms.js")}
	status := http.StatusOK
	if len(problems) > 0 {
		h.ErrorPrefix = true
		h.NoIndex = true
		status = http.StatusUnprocessableEntity
	}
	v := web.SymptomFormView{
		Heading:      formTitle,
		Lede:         "Tick what you feel. We will tell you if you should get medical help, and point you to the parts of our articles that explain your symptoms.",
		Action:       resultsPath,
		RedFlags:     web.Question{ID: "red-flags", Legend: "Do you have any of these?", Hint: "Along with neck pain. Select all that apply."},
		None:         web.Option{Value: content.NoneID, Label: "No, I do not have any of these", Checked: checked[content.NoneID]},
		LastReviewed: rules.LastReviewed.Time,
	}
	for _, f := range rules.RedFlags {
		v.RedFlags.Options = append(v.RedFlags.Options, web.Option{Value: f.ID, Label: f.Label, Hint: f.Hint, Checked: checked[f.ID]})
	}
	for _, g := range rules.Groups {
		q := web.Question{ID: g.ID, Legend: g.Name, Hint: "Select all that apply."}
		for _, s := range g.Symptoms {
			q.Options = append(q.Options, web.Option{Value: s.ID, Label: s.Label, Hint: s.Hint, Checked: checked[s.ID]})
		}
		v.Groups = append(v.Groups, q)
	}
	for _, p := range problems {
		// A problem sits beside its question, and the summary's link moves
		// focus to that question's first answer. "Nothing ticked" is about
		// every symptom group, so it sits on the first.
		q := &v.RedFlags
		if p.Field == symptoms.FieldSymptoms && len(v.Groups) > 0 {
			q = &v.Groups[0]
		}
		q.Error = p.Message
		target := q.ID
		if len(q.Options) > 0 {
			target = "symptom-" + q.Options[0].Value
		}
		v.Errors = append(v.Errors, web.FormError{Target: target, Message: p.Message})
	}
	return Built[web.SymptomFormView]{Status: status, Head: h, View: v, Deps: []string{DepRules}}
}

// SymptomResults is the checker's result for the answers in the query, or
// the form again with what is wrong (422).
func SymptomResults(e Env, req Request) (Built[web.ResultView], error) {
	rules, a, err := readAnswers(e, req.RawQuery)
	if err != nil {
		return Built[web.ResultView]{}, err
	}
	if problems := symptoms.Validate(a); len(problems) > 0 {
		return Built[web.ResultView]{}, &FormErrors{Form: form(e, rules, a, problems)}
	}
	q := symptoms.Query(a.Known)
	// Every result is a view of the one form, so search engines are
	// pointed at the form: no result, with the answers in its address, is
	// indexed as a page of its own.
	h := e.Head("Your results", "What to do next and which parts of our articles explain what you ticked.", formPath)
	result := symptoms.Compute(e.Site, a)
	v := web.ResultView{
		Unknown:   a.Unknown,
		ChangeURL: formPath + "?" + q,
		ShareURL:  e.abs(resultsPath + "?" + q),
		SiteURL:   e.BaseURL,
	}
	for _, c := range result.Cards {
		card := web.CareCard{Urgency: urgency(c.Level)}
		for _, f := range c.RedFlags {
			card.Ticked = append(card.Ticked, f.Label)
			card.Advice = append(card.Advice, f.Advice)
		}
		v.Cards = append(v.Cards, card)
	}
	deps := []string{DepRules}
	excerpts := map[*content.Article]map[string]string{} // each article read once
	for _, m := range result.Sections {
		ex, ok := excerpts[m.Link.Article]
		if !ok {
			ex = content.Excerpts(m.Link.Article)
			excerpts[m.Link.Article] = ex
		}
		s := web.ResultSection{
			Title:        m.Link.Heading.Title,
			URL:          m.Link.URL(),
			ArticleTitle: m.Link.Article.Title,
			Excerpt:      ex[m.Link.Heading.ID],
		}
		for _, b := range m.Because {
			s.Because = append(s.Because, b.Label)
		}
		v.Sections = append(v.Sections, s)
		deps = append(deps, DepArticle(m.Link.Article.Slug))
	}
	for _, f := range a.RedFlags {
		v.Answers = append(v.Answers, f.Label)
	}
	for _, s := range a.Symptoms {
		v.Answers = append(v.Answers, s.Label)
	}
	return Built[web.ResultView]{Status: http.StatusOK, Head: h, View: v, Deps: deps}, nil
}

// FormErrors is returned instead of a result when the answers cannot give
// one: the server shows Form, the form again with what is wrong.
type FormErrors struct {
	Form Built[web.SymptomFormView]
}

func (*FormErrors) Error() string { return "the answers cannot give a result" }

func urgency(l content.Level) web.Urgency {
	switch l {
	case content.Emergency:
		return web.Emergency
	case content.Urgent:
		return web.Urgent
	default:
		return web.Soon
	}
}
