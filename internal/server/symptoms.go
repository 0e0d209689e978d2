package server

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"healthsite/internal/content"
	"healthsite/internal/prepared"
	"healthsite/internal/symptoms"
	"healthsite/web"
)

const (
	formTitle       = "Check your symptoms"
	formDescription = "Tick what you feel to find out when to get medical help and which parts of our articles explain your symptoms."
)

// readAnswers finds the site's checker rules (a 404 when it has none) and
// reads the answers ticked in the request (a 400 for a link that cannot be
// read).
func (s *Server) readAnswers(r *http.Request) (*content.Site, *content.Symptoms, symptoms.Answers, error) {
	site := s.state.Load().site
	if site.Symptoms == nil {
		return nil, nil, symptoms.Answers{}, errNotFound()
	}
	ids, err := symptoms.ParseQuery(r.URL.RawQuery)
	if errors.Is(err, symptoms.ErrBadQuery) {
		return nil, nil, symptoms.Answers{}, &statusError{status: http.StatusBadRequest, err: err}
	}
	if err != nil {
		return nil, nil, symptoms.Answers{}, err
	}
	return site, site.Symptoms, symptoms.Sort(site.Symptoms, ids), nil
}

func (s *Server) symptomForm(w http.ResponseWriter, r *http.Request) error {
	_, rules, a, err := s.readAnswers(r)
	if err != nil {
		return err
	}
	return s.serveAnswers(w, r, "form", a, func() (int, templ.Component) {
		return s.form(rules, a, nil)
	})
}

func (s *Server) form(rules *content.Symptoms, a symptoms.Answers, problems []symptoms.Problem) (int, templ.Component) {
	checked := make(map[string]bool, len(a.Known))
	for _, id := range a.Known {
		checked[id] = true
	}
	h := s.head(formTitle, formDescription, "/symptoms")
	h.Scripts = []string{s.assets.URL("symptoms.js")}
	status := http.StatusOK
	if len(problems) > 0 {
		h.ErrorPrefix = true
		h.NoIndex = true
		status = http.StatusUnprocessableEntity
	}
	return status, web.SymptomFormPage(h, web.SymptomFormView{Rules: rules, Checked: checked, Problems: problems})
}

func (s *Server) symptomResults(w http.ResponseWriter, r *http.Request) error {
	site, rules, a, err := s.readAnswers(r)
	if err != nil {
		return err
	}
	return s.serveAnswers(w, r, "results", a, func() (int, templ.Component) {
		if problems := symptoms.Validate(a); len(problems) > 0 {
			return s.form(rules, a, problems)
		}
		q := symptoms.Query(a.Known)
		// Every result is a view of the one form, so search engines are
		// pointed at the form: no result, with the answers in its address,
		// is indexed as a page of its own.
		h := s.head("Your results", "What to do next and which parts of our articles explain what you ticked.", "/symptoms")
		return http.StatusOK, web.ResultPage(h, web.ResultView{
			Answers:   a,
			Result:    symptoms.Compute(site, a),
			ChangeURL: "/symptoms?" + q,
			ShareURL:  s.abs("/symptoms/results?" + q),
			SiteURL:   s.abs(""),
		})
	})
}

var noReferrer = []string{"no-referrer"}

// serveAnswers sends a page made from a reader's answers. The page depends
// only on the answers the checker recognises, in link order, and how many
// it does not, so a rendered and compressed copy is kept in memory for the
// next reader with the same answers (see answerCache). Rendering goes to a
// buffer first, so a failed render never sends half a page. These pages
// carry a reader's answers: caches must not store them and they leak no
// referrer.
func (s *Server) serveAnswers(w http.ResponseWriter, r *http.Request, page string, a symptoms.Answers, make func() (int, templ.Component)) error {
	st := s.state.Load()
	key := page + "?" + symptoms.Query(a.Known) + "#" + strconv.Itoa(a.Unknown)
	cached, ok := st.answers.get(key)
	if !ok {
		status, c := make()
		var buf bytes.Buffer
		if err := c.Render(r.Context(), &buf); err != nil {
			return err
		}
		cached = answerPage{response: prepared.New(status, "text/html; charset=utf-8", cacheNever, buf.Bytes())}
		st.answers.put(key, cached)
	}
	w.Header()["Referrer-Policy"] = noReferrer
	cached.response.Serve(w, r)
	return nil
}
