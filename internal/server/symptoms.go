package server

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/a-h/templ"

	"healthsite/internal/content"
	"healthsite/internal/symptoms"
	"healthsite/web"
)

const (
	formTitle       = "Check your symptoms"
	formDescription = "Tick what you feel to find out when to get medical help and which parts of our articles explain your symptoms."
)

// symptomRules returns the checker's rules, or a 404 when the site has none.
func (s *Server) symptomRules() (*content.Site, *content.Symptoms, error) {
	site := s.state.Load().site
	if site.Symptoms == nil {
		return nil, nil, errNotFound()
	}
	return site, site.Symptoms, nil
}

// parseAnswers reads the ticked answers; a link that cannot be read is a 400.
func parseAnswers(r *http.Request) ([]string, error) {
	ids, err := symptoms.ParseQuery(r.URL.RawQuery)
	if errors.Is(err, symptoms.ErrBadQuery) {
		return nil, &statusError{status: http.StatusBadRequest, err: err}
	}
	return ids, err
}

func (s *Server) symptomForm(w http.ResponseWriter, r *http.Request) error {
	_, rules, err := s.symptomRules()
	if err != nil {
		return err
	}
	ids, err := parseAnswers(r)
	if err != nil {
		return err
	}
	a := symptoms.Sort(rules, ids)
	return s.renderForm(w, r, rules, a, nil)
}

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, rules *content.Symptoms, a symptoms.Answers, problems []symptoms.Problem) error {
	checked := make(map[string]bool, len(a.Known))
	for _, id := range a.Known {
		checked[id] = true
	}
	h := s.head(formTitle, formDescription, "/symptoms")
	h.Scripts = []string{s.assets.url("symptoms.js")}
	status := http.StatusOK
	if len(problems) > 0 {
		h.ErrorPrefix = true
		h.NoIndex = true
		status = http.StatusUnprocessableEntity
	}
	return renderDynamic(w, r, status, web.SymptomFormPage(h, web.SymptomFormView{Rules: rules, Checked: checked, Problems: problems}))
}

func (s *Server) symptomResults(w http.ResponseWriter, r *http.Request) error {
	site, rules, err := s.symptomRules()
	if err != nil {
		return err
	}
	ids, err := parseAnswers(r)
	if err != nil {
		return err
	}
	a := symptoms.Sort(rules, ids)
	if problems := symptoms.Validate(a); len(problems) > 0 {
		return s.renderForm(w, r, rules, a, problems)
	}
	q := symptoms.Query(a.Known)
	// Every result is a view of the one form, so search engines are pointed
	// at the form: no result, with the answers in its address, is indexed
	// as a page of its own.
	h := s.head("Your results", "What to do next and which parts of our articles explain what you ticked.", "/symptoms")
	v := web.ResultView{
		Answers:   a,
		Result:    symptoms.Compute(site, a),
		ChangeURL: "/symptoms?" + q,
		ShareURL:  s.abs("/symptoms/results?" + q),
	}
	return renderDynamic(w, r, http.StatusOK, web.ResultPage(h, v))
}

var noReferrer = []string{"no-referrer"}

// renderDynamic renders a page computed for this request into a buffer
// first, so a failed render never sends half a page. These pages carry a
// reader's answers: they are not stored by caches and leak no referrer.
func renderDynamic(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header()["Referrer-Policy"] = noReferrer
	writeDynamic(w, r, status, "text/html; charset=utf-8", cacheNever, buf.Bytes())
	return nil
}
