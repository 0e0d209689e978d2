package pages

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/deps"
	"healthsite/web"
)

// The checker's own words. Everything about one complaint (its name, its
// questions and hints, its answers) is in the complaint's rules file. They
// promise only what the checker does: it knows the signs its rules list,
// so it says whether anything ticked is one, not whether a reader is well.
const (
	chooserTitle    = "Check your symptoms"
	chooserHeading  = "What is your main symptom?"
	chooserLede     = "Choose the one that bothers you most. We will then ask you about it."
	otherComplaints = "Other symptoms"
	formCaption     = "Check your symptoms"

	unmatchedMessage = "We could not tell which symptom the answers in this link are about. Choose your main symptom to start again."
	// ChooserPath is the list of complaints.
	ChooserPath = "/symptoms"
	// complaintsListID is the id of the list of complaints on the chooser.
	complaintsListID = "complaints"
)

// What the checker promises, in the words of the most urgent advice the
// rules can give: no template says "see a doctor promptly" for rules whose
// red flags call for an emergency.

// CheckerPromise is what the checker will tell a reader of complaints cs
// (all of the site's for the home page and the chooser).
func CheckerPromise(cs ...*checker.Complaint) string {
	return "Tick what you feel. We will tell you if anything you tick means you should " + actions(cs) +
		", and point you to the parts of our articles that mention what you ticked."
}

// actions are what the red flags of cs tell readers to do, most urgent
// first: "get emergency help or see a doctor promptly".
func actions(cs []*checker.Complaint) string {
	levels := map[contentfile.Level]bool{}
	for _, c := range cs {
		for _, f := range c.RedFlags {
			levels[f.Level] = true
		}
	}
	var out []string
	for _, l := range []struct {
		level contentfile.Level
		words string
	}{{contentfile.Emergency, "get emergency help"}, {contentfile.Urgent, "see a doctor promptly"}, {contentfile.Soon, "speak to a doctor"}} {
		if levels[l.level] {
			out = append(out, l.words)
		}
	}
	if len(out) == 0 { // rules always have a red flag; this is for safety
		return "get medical help"
	}
	return strings.Join(out, " or ")
}

// FormPath is a complaint's form, and ResultsPath its results.
func FormPath(id string) string    { return ChooserPath + "/" + id }
func ResultsPath(id string) string { return FormPath(id) + "/results" }

// complaintOf is the complaint a page's address names (ErrNotFound when
// there is none).
func complaintOf(e Env, req Request) (*checker.Complaint, error) {
	c, ok := e.Site.Complaint(req.Param("complaint"))
	if !ok {
		return nil, ErrNotFound
	}
	return c, nil
}

// readIDs reads the answers of a query string: a BadRequestError for a
// link that cannot be read.
func readIDs(rawQuery string) ([]string, error) {
	ids, err := checker.ParseQuery(rawQuery)
	if errors.Is(err, checker.ErrBadQuery) {
		return nil, &BadRequestError{Err: err}
	}
	return ids, err
}

// readAnswers finds the complaint a page's address names and reads the
// answers ticked in its query string.
func readAnswers(e Env, req Request) (*checker.Complaint, checker.Answers, error) {
	c, err := complaintOf(e, req)
	if err != nil {
		return nil, checker.Answers{}, err
	}
	ids, err := readIDs(req.RawQuery)
	if err != nil {
		return nil, checker.Answers{}, err
	}
	return c, checker.Classify(c, ids), nil
}

// AnswersKey names the page a request for a complaint's form or results
// gives, for keeping it: pages depend only on the complaint, the answers
// it recognises, in link order, and how many it does not, so links that
// differ otherwise share one page.
func AnswersKey(e Env, req Request) (string, error) {
	c, a, err := readAnswers(e, req)
	if err != nil {
		return "", err
	}
	if hasFeedback(req.RawQuery) { // one reader's thanks: not kept
		return "", nil
	}
	return c.ID + "?" + checker.Query(a.Known) + "#" + strconv.Itoa(a.Unknown), nil
}

// SymptomChooser is the checker's first page: the complaints as links,
// by category, the same for every reader. An old "change your answers"
// link whose answers no one complaint has (LegacyForm leaves it here) gets
// UnmatchedAnswers instead.
func SymptomChooser(e Env, req Request) (Built[web.ChooserView], error) {
	if len(e.Site.Complaints) == 0 {
		return Built[web.ChooserView]{}, ErrNotFound
	}
	if hasAnswers(req.RawQuery) {
		return UnmatchedAnswers(e, req)
	}
	b := chooser(e, nil)
	if e.Feedback {
		b.View.Feedback = feedbackBlock(e.Site, ChooserPath, req.RawQuery)
		b.OneReader = hasFeedback(req.RawQuery)
		b.Head.Scripts = append(b.Head.Scripts, e.Assets.URL(feedbackScript))
	}
	return b, nil
}

// ChooserKey names the kept chooser: its path, or "" (not kept) when the
// address holds answers, whose page is one reader's.
func ChooserKey(_ Env, req Request) (string, error) {
	if hasAnswers(req.RawQuery) || hasFeedback(req.RawQuery) {
		return "", nil
	}
	return ChooserPath, nil
}

// hasAnswers reports whether a query string names answers at all.
func hasAnswers(rawQuery string) bool {
	values, _ := url.ParseQuery(rawQuery)
	_, ok := values[checker.Param]
	return ok
}

// UnmatchedAnswers is the page for an old link whose answers belong to no
// one complaint (an unknown id, answers split across complaints, or only
// answers every complaint asks): the chooser, with an error summary
// saying why the link's answers cannot be shown (422), after the care
// cards of any red flag the link names (UrgentCards).
func UnmatchedAnswers(e Env, req Request) (Built[web.ChooserView], error) {
	if len(e.Site.Complaints) == 0 {
		return Built[web.ChooserView]{}, ErrNotFound
	}
	if _, err := readIDs(req.RawQuery); err != nil {
		return Built[web.ChooserView]{}, err
	}
	b := chooser(e, []web.FormError{{Target: complaintsListID, Message: unmatchedMessage}})
	b.View.Cards = UrgentCards(e, req)
	return b, nil
}

func chooser(e Env, errs []web.FormError) Built[web.ChooserView] {
	h := e.Head(chooserTitle, "Choose your main symptom. "+CheckerPromise(e.Site.Complaints...), ChooserPath)
	status := http.StatusOK
	if len(errs) > 0 {
		h.ErrorPrefix = true
		h.NoIndex = true
		status = http.StatusUnprocessableEntity
	}
	v := web.ChooserView{Heading: chooserHeading, Lede: chooserLede, ListID: complaintsListID, Errors: errs}
	// Categories in alphabetical order, as the complaints in each are
	// (Site.Complaints is by name); complaints in none come last.
	byCategory := map[string]*web.ComplaintGroup{}
	var titles []string
	var other web.ComplaintGroup
	for _, c := range e.Site.Complaints {
		link := web.ComplaintLink{Name: c.Name, Description: c.Description, URL: FormPath(c.ID)}
		if c.Category == "" {
			other.Complaints = append(other.Complaints, link)
			continue
		}
		g := byCategory[c.Category]
		if g == nil {
			g = &web.ComplaintGroup{Title: c.Category}
			byCategory[c.Category] = g
			titles = append(titles, c.Category)
		}
		g.Complaints = append(g.Complaints, link)
	}
	sortFold(titles)
	for _, t := range titles {
		v.Groups = append(v.Groups, *byCategory[t])
	}
	if len(other.Complaints) > 0 {
		if len(v.Groups) > 0 {
			other.Title = otherComplaints
		}
		v.Groups = append(v.Groups, other)
	}
	return Built[web.ChooserView]{Status: status, Head: h, View: v, Deps: []string{deps.ComplaintList}}
}

// LegacyForm sends an old "change your answers" link, /symptoms?symptom=...,
// to the form of the complaint whose rules define its answers. It returns
// "" for the chooser's own address (no answers in the query), and for
// answers no one complaint defines (the chooser then says so).
func LegacyForm(e Env, req Request) (string, error) {
	if _, err := url.ParseQuery(req.RawQuery); err != nil {
		return "", &BadRequestError{Err: err}
	}
	if !hasAnswers(req.RawQuery) {
		return "", nil
	}
	return legacyRedirect(e, req.RawQuery, FormPath)
}

// LegacyResults sends an old result link, /symptoms/results?symptom=..., to
// the results of the complaint whose rules define its answers; "" for
// answers no one complaint defines (UnmatchedAnswers then says so).
func LegacyResults(e Env, req Request) (string, error) {
	return legacyRedirect(e, req.RawQuery, ResultsPath)
}

func legacyRedirect(e Env, rawQuery string, to func(string) string) (string, error) {
	if len(e.Site.Complaints) == 0 {
		return "", ErrNotFound
	}
	ids, err := readIDs(rawQuery)
	if err != nil {
		return "", err
	}
	c, ok := checker.ComplaintFor(e.Site.Complaints, ids)
	if !ok {
		return "", nil
	}
	if len(ids) == 0 {
		return to(c.ID), nil
	}
	return to(c.ID) + "?" + checker.Query(ids), nil
}

// SymptomForm is a complaint's form, with the answers in the query ticked
// (the "change your answers" link).
func SymptomForm(e Env, req Request) (Built[web.SymptomFormView], error) {
	c, a, err := readAnswers(e, req)
	if err != nil {
		return Built[web.SymptomFormView]{}, err
	}
	b := form(e, c, a, nil)
	// The question is asked on the form as everyone sees it: never next
	// to answers a reader has ticked ("change your answers").
	if e.Feedback && len(a.Known) == 0 && a.Unknown == 0 {
		b.View.Feedback = feedbackBlock(e.Site, FormPath(c.ID), req.RawQuery)
		b.OneReader = hasFeedback(req.RawQuery)
		b.Head.Scripts = append(b.Head.Scripts, e.Assets.URL(feedbackScript))
	}
	return b, nil
}

// review is what readers are told of when a complaint's questions were
// reviewed: overdue when its rules, or the site-wide red flags asked with
// them, are past their review date.
func review(e Env, c *checker.Complaint) web.RulesReview {
	return web.RulesReview{
		LastReviewed: c.LastReviewed.Time,
		NextReview:   c.NextReview.Time,
		Overdue:      c.ReviewOverdue(e.Today) || e.Site.SiteWide.ReviewOverdue(e.Today),
		Clinical:     clinicalReview(c.ClinicalState(e.Site.SiteWide)),
	}
}

func form(e Env, c *checker.Complaint, a checker.Answers, problems []checker.Problem) Built[web.SymptomFormView] {
	checked := make(map[string]bool, len(a.Known))
	for _, id := range a.Known {
		checked[id] = true
	}
	h := e.Head(formCaption+": "+c.Name, c.Description+" "+CheckerPromise(c), FormPath(c.ID))
	h.Scripts = []string{e.Assets.URL("symptoms.js")}
	status := http.StatusOK
	if len(problems) > 0 {
		h.ErrorPrefix = true
		h.NoIndex = true
		status = http.StatusUnprocessableEntity
	}
	v := web.SymptomFormView{
		Caption:   formCaption,
		Heading:   c.Name,
		Lede:      CheckerPromise(c),
		ChooseURL: ChooserPath,
		Action:    ResultsPath(c.ID),
		RedFlags:  web.Question{ID: "red-flags", Legend: c.RedFlagQuestion.Text, Hint: c.RedFlagQuestion.Hint},
		None:      web.Option{Value: checker.NoneID, Label: "No, I do not have any of these", Checked: checked[checker.NoneID]},
		Review:    review(e, c),
		// A red flag ticked is shown as advice before anything else, the
		// error summary included: a contradiction elsewhere in the answers
		// never hides it.
		Cards: careCards(checker.CardsFor(a.RedFlags)),
	}
	for _, f := range c.RedFlags {
		v.RedFlags.Options = append(v.RedFlags.Options, web.Option{Value: f.ID, Label: f.Label, Hint: f.Hint, Checked: checked[f.ID]})
	}
	for _, g := range c.Groups {
		q := web.Question{ID: g.ID, Legend: g.Question.Text, Hint: g.Question.Hint}
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
		if p.Field == checker.FieldSymptoms && len(v.Groups) > 0 {
			q = &v.Groups[0]
		}
		q.Error = p.Message
		target := q.ID
		if len(q.Options) > 0 {
			target = web.CheckboxID(q.Options[0].Value)
		}
		v.Errors = append(v.Errors, web.FormError{Target: target, Message: p.Message})
	}
	return Built[web.SymptomFormView]{Status: status, Head: h, View: v, Deps: []string{deps.Complaint(c.ID)}}
}

// SymptomResults is a complaint's result for the answers in the query, or
// its form again with what is wrong (422).
func SymptomResults(e Env, req Request) (Built[web.SymptomResultsView], error) {
	c, err := complaintOf(e, req)
	if err != nil {
		return Built[web.SymptomResultsView]{}, err
	}
	ids, err := readIDs(req.RawQuery)
	if err != nil {
		return Built[web.SymptomResultsView]{}, err
	}
	// The triage cases run through the same Evaluate (checker.RunCases).
	o := checker.Evaluate(c, ids)
	a := o.Answers
	if len(o.Problems) > 0 {
		// The answers cannot give a result: the form again, with what is
		// wrong (422).
		f := form(e, c, a, o.Problems)
		return Built[web.SymptomResultsView]{Status: f.Status, Head: f.Head, View: web.SymptomResultsView{Form: &f.View}, Deps: f.Deps}, nil
	}
	q := checker.Query(a.Known)
	// Every result is a view of its complaint's form, so search engines
	// are pointed at the form: no result, with the answers in its address,
	// is indexed as a page of its own.
	h := e.Head("Your results: "+c.Name, "What to do next and which parts of our articles explain what you ticked.", FormPath(c.ID))
	v := web.ResultView{
		Caption:   c.Name,
		Unknown:   a.Unknown,
		ChangeURL: FormPath(c.ID) + "?" + q,
		ShareURL:  e.Abs(ResultsPath(c.ID) + "?" + q),
		SiteURL:   e.BaseURL,
		Review:    review(e, c),
		SafetyNet: c.SafetyNet,
	}
	v.Cards = careCards(o.Cards)
	from := []string{deps.Complaint(c.ID)}
	for _, m := range o.Sections {
		s := web.ResultSection{
			Title:        m.Link.Title,
			URL:          m.Link.URL(),
			ArticleTitle: m.Link.ArticleTitle,
		}
		if a, ok := e.Site.Article(m.Link.Slug); ok {
			s.Excerpt = content.Excerpts(a)[m.Link.ID]
		}
		for _, b := range m.Because {
			s.Because = append(s.Because, b.Label)
		}
		v.Sections = append(v.Sections, s)
		from = append(from, deps.Article(m.Link.Slug))
	}
	for _, f := range a.RedFlags {
		v.Answers = append(v.Answers, f.Label)
	}
	for _, s := range a.Symptoms {
		v.Answers = append(v.Answers, s.Label)
	}
	return Built[web.SymptomResultsView]{Status: http.StatusOK, Head: h, View: web.SymptomResultsView{Result: &v}, Deps: from}, nil
}

// UrgentCards are the care cards of the red flags a request for a checker
// page names, whatever else is wrong with it: the server shows them first
// on any page it answers such a request with, error pages included, so
// that no problem with a link (too many answers, an unknown complaint, too
// many requests) withholds urgent advice.
func UrgentCards(e Env, req Request) []web.CareCard {
	ids := checker.AnswerIDs(req.RawQuery)
	if len(ids) == 0 {
		return nil
	}
	c, _ := e.Site.Complaint(req.Param("complaint")) // nil: any complaint's
	return careCards(checker.CardsFor(checker.RedFlagsIn(e.Site.Complaints, c, ids)))
}

func careCards(cards []checker.Card) []web.CareCard {
	var out []web.CareCard
	for _, c := range cards {
		out = append(out, careCard(c))
	}
	return out
}

// careCard lists the signs of one level in words, then what to do, each
// advice once: red flags of one level usually share theirs, and a card
// repeating it per sign reads as many different things to do.
func careCard(card checker.Card) web.CareCard {
	cc := web.CareCard{Urgency: urgency(card.Level)}
	for _, f := range card.RedFlags {
		cc.Conditions = append(cc.Conditions, f.When)
		if !slices.Contains(cc.Advice, f.Advice) {
			cc.Advice = append(cc.Advice, f.Advice)
		}
	}
	return cc
}

func urgency(l contentfile.Level) web.Urgency {
	switch l {
	case contentfile.Emergency:
		return web.Emergency
	case contentfile.Urgent:
		return web.Urgent
	default:
		return web.Soon
	}
}

// sortFold sorts words as a reader looks them up: ignoring case.
func sortFold(words []string) {
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
	})
}
