package content

import (
	"bytes"
	"cmp"
	"errors"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The symptom checker's rules are content: one file per complaint in a
// folder beside the articles, and, optionally, one file of red flags that
// every complaint asks about.
const (
	// ComplaintsDir holds one rules file per complaint, named after its
	// id: "complaints/back-pain.yaml".
	ComplaintsDir = "complaints"
	// SiteWideFile holds the site-wide red flags: signs that always mean
	// getting help, asked with every complaint's own. Its name cannot be a
	// complaint's, since ids never start with "_".
	SiteWideFile = ComplaintsDir + "/_site-wide.yaml"
	// oldSymptomsFile held the rules when the checker knew one complaint.
	// It is refused, not ignored, so that rules are never silently dropped.
	oldSymptomsFile = "symptoms.yaml"
)

// NoneID is the reserved answer "No, I do not have any of these", which
// cannot be ticked together with a red flag.
const NoneID = "none"

// reservedComplaintIDs cannot name a complaint: "/symptoms/results" is the
// old address of results, which sends shared links on to their complaint.
var reservedComplaintIDs = map[string]bool{"results": true}

// Level is how urgently a red flag needs medical help.
type Level int

// Levels, most urgent first: sorting by Level puts emergencies on top.
const (
	Emergency Level = iota
	Urgent
	Soon
)

var levelNames = map[string]Level{"emergency": Emergency, "urgent": Urgent, "soon": Soon}

func (l Level) String() string {
	for name, v := range levelNames {
		if v == l {
			return name
		}
	}
	return "unknown"
}

// Complaint is one complaint's validated rules: what the checker asks a
// reader who chose it, in the rules' own words, and where each answer
// leads. It is never modified after Load.
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
	LastReviewed Date
	// NextReview is when the rules are next due to be checked against the
	// articles they point to; never earlier than LastReviewed.
	NextReview Date
	// SignOff is a clinician's approval of the rules' text, or nil; its
	// State says whether the text is still the one approved.
	SignOff *SignOff
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
	// has none.
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
	Level Level
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
	Article *Article
	Heading Heading
	Weight  int
	// Mentions, when set, replaces the symptom's Mentions for this section,
	// which may word the same thing its own way.
	Mentions string
	Line     int // in the rules file
}

// URL is the site-relative address of the section.
func (l SectionLink) URL() string { return "/articles/" + l.Article.Slug + "#" + l.Heading.ID }

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
	LastReviewed Date
	NextReview   Date
	SignOff      *SignOff
	RedFlags     []*RedFlag
}

// ReviewOverdue reports whether the site-wide red flags are past their next review date.
func (s *SiteWideRedFlags) ReviewOverdue(now time.Time) bool {
	return s != nil && s.NextReview.Overdue(now)
}

// Complaint returns the complaint with the given id.
func (s *Site) Complaint(id string) (*Complaint, bool) {
	c, ok := s.byComplaint[id]
	return c, ok
}

// The rules files as written. Items remember their line (UnmarshalYAML),
// so that every problem is reported where it is.
type (
	complaintYAML struct {
		ID           string `yaml:"id"`
		Name         string `yaml:"name"`
		Description  string `yaml:"description"`
		Category     string `yaml:"category"`
		LastReviewed Date   `yaml:"last_reviewed"`
		NextReview   Date   `yaml:"next_review"`
		// ReviewedBy is refused, as in front matter (signoff.go).
		ReviewedBy      string       `yaml:"reviewed_by"`
		ClinicalSignOff *signOffYAML `yaml:"clinical_signoff"`
		RedFlags        struct {
			Question string        `yaml:"question"`
			Hint     string        `yaml:"hint"`
			Flags    []redFlagYAML `yaml:"flags"`
		} `yaml:"red_flags"`
		SafetyNet     string      `yaml:"safety_net"`
		SymptomGroups []groupYAML `yaml:"symptom_groups"`
	}
	siteWideYAML struct {
		LastReviewed    Date          `yaml:"last_reviewed"`
		NextReview      Date          `yaml:"next_review"`
		ReviewedBy      string        `yaml:"reviewed_by"`
		ClinicalSignOff *signOffYAML  `yaml:"clinical_signoff"`
		RedFlags        []redFlagYAML `yaml:"red_flags"`
	}
	redFlagYAML struct {
		ID     string `yaml:"id"`
		Label  string `yaml:"label"`
		Hint   string `yaml:"hint"`
		When   string `yaml:"when"`
		Level  string `yaml:"level"`
		Advice string `yaml:"advice"`
		line   int
	}
	groupYAML struct {
		Question string        `yaml:"question"`
		Hint     string        `yaml:"hint"`
		Symptoms []symptomYAML `yaml:"symptoms"`
		line     int
	}
	symptomYAML struct {
		ID       string     `yaml:"id"`
		Label    string     `yaml:"label"`
		Hint     string     `yaml:"hint"`
		Mentions string     `yaml:"mentions"`
		Sections []linkYAML `yaml:"sections"`
		line     int
	}
	linkYAML struct {
		To       string `yaml:"to"`
		Weight   int    `yaml:"weight"`
		Mentions string `yaml:"mentions"`
		line     int
	}
)

func (f *redFlagYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain redFlagYAML
	f.line = n.Line
	return n.Decode((*plain)(f))
}

func (g *groupYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain groupYAML
	g.line = n.Line
	return n.Decode((*plain)(g))
}

func (s *symptomYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain symptomYAML
	s.line = n.Line
	return n.Decode((*plain)(s))
}

func (l *linkYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain linkYAML
	l.line = n.Line
	return n.Decode((*plain)(l))
}

// rulesFile is one rules file, read and decoded but not yet checked
// against the articles: Reload keeps it for files that did not change.
type rulesFile struct {
	name string
	src  []byte
	// keys are the lines of the top-level keys, for problems about a
	// missing or wrong value.
	keys      map[string]int
	complaint *complaintYAML // for a complaint's file
	siteWide  *siteWideYAML  // for SiteWideFile
	cases     *casesYAML     // for a complaint's cases (cases.go)
}

// keyLine is the line of a top-level key, or 1 when it is missing.
func (f *rulesFile) keyLine(key string) int { return max(f.keys[key], 1) }

// ruleFileNames lists the rules files of fsys, and reports the old single
// rules file if it is still there.
func ruleFileNames(fsys fs.FS) ([]string, Problems) {
	var probs Problems
	if _, err := fs.Stat(fsys, oldSymptomsFile); err == nil {
		probs.add(oldSymptomsFile, 0, "the checker's rules are now one file per complaint in %s/: move these into %s/{complaint-id}.yaml (see the README) and delete this file", ComplaintsDir, ComplaintsDir)
	}
	names, err := fs.Glob(fsys, ComplaintsDir+"/*.yaml")
	if err != nil {
		probs.add(ComplaintsDir, 0, "cannot list: %v", err)
	}
	return names, probs
}

// IsRulesFile reports whether a path (relative to the articles folder,
// with slashes) is a rules file the site loads: a complaint's, or the
// site-wide red flags (not a complaint's cases).
func IsRulesFile(name string) bool {
	dir, file := path.Split(name)
	return dir == ComplaintsDir+"/" && path.Ext(file) == ".yaml" && !strings.HasSuffix(file, casesSuffix)
}

// readRules reads and decodes rules files, reporting every problem that
// a file has on its own.
func readRules(fsys fs.FS, names []string) (map[string]*rulesFile, Problems) {
	out := make(map[string]*rulesFile, len(names))
	var probs Problems
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			probs.add(name, 0, "cannot read: %v", err)
			continue
		}
		f, ps := parseRules(name, src)
		probs = append(probs, ps...)
		if f != nil {
			out[name] = f
		}
	}
	return out, probs
}

// parseRules decodes one rules file: a complaint's, or SiteWideFile. It
// checks the YAML, unknown fields and types; what needs the articles or
// the other files is checked when the site is built.
func parseRules(name string, src []byte) (*rulesFile, Problems) {
	var probs Problems
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		addYAMLError(&probs, name, err, 1, "")
		return nil, probs
	}
	f := &rulesFile{name: name, src: src}
	var into any
	switch {
	case IsCasesFile(name):
		f.cases = &casesYAML{}
		into = f.cases
		if root.Kind == 0 {
			probs.add(name, 1, "there are no cases: list them under \"cases\", or delete the file")
			return nil, probs
		}
	case name == SiteWideFile:
		f.siteWide = &siteWideYAML{}
		into = f.siteWide
	default:
		f.complaint = &complaintYAML{}
		into = f.complaint
	}
	if root.Kind == 0 { // an empty file
		return f, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		probs.add(name, max(root.Line, 1), "the file must be a set of fields, like \"name: Back pain\"")
		return nil, probs
	}
	f.keys = topKeyLines(&root)
	unknownFields(&probs, name, 0, "", root.Content[0], reflect.TypeOf(into))
	if err := root.Decode(into); err != nil {
		addYAMLError(&probs, name, err, 1, "")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return f, nil
}

var answerID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// maxAnswerIDLen keeps ids well inside the 64-byte limit on result links.
const maxAnswerIDLen = 64

// linkRules checks the rules files against each other and the articles,
// and sets the site's complaints. Every problem is reported with its line.
func (s *Site) linkRules(files map[string]*rulesFile) Problems {
	s.rules = files
	s.byComplaint = map[string]*Complaint{}
	var probs Problems
	if f := files[SiteWideFile]; f != nil {
		s.SiteWide, probs = linkSiteWide(f)
	}
	siteWideIDs := map[string]bool{}
	if s.SiteWide != nil {
		for _, rf := range s.SiteWide.RedFlags {
			siteWideIDs[rf.ID] = true
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name, f := range files {
			if f.complaint != nil && !yield(name) {
				return
			}
		}
	}) {
		c, ps := linkComplaint(files[name], s.SiteWide, s.bySlug)
		probs = append(probs, ps...)
		if c != nil {
			s.Complaints = append(s.Complaints, c)
			s.byComplaint[c.ID] = c
		}
	}
	slices.SortFunc(s.Complaints, func(a, b *Complaint) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return append(probs, s.linkAllCases(files)...)
}

// reviewDates checks the review dates of a rules or synonyms file; keyLine
// gives the line of a top-level key for the problem.
func reviewDates(probs *Problems, file string, keyLine func(string) int, last, next Date) {
	for _, d := range []struct {
		key  string
		date Date
	}{{"last_reviewed", last}, {"next_review", next}} {
		if d.date.IsZero() {
			probs.add(file, keyLine(d.key), "%q is required (YYYY-MM-DD)", d.key)
		}
	}
	if !last.IsZero() && !next.IsZero() && next.Before(last.Time) {
		probs.add(file, keyLine("next_review"), "next_review %s is earlier than last_reviewed %s", next.ISO(), last.ISO())
	}
}

// refuseReviewedBy refuses a reviewer named without a sign-off (signoff.go).
func refuseReviewedBy(probs *Problems, f *rulesFile, reviewedBy string) {
	if reviewedBy != "" {
		probs.add(f.name, f.keyLine("reviewed_by"), "%q is replaced by a clinician's sign-off bound to the text, which lapses when the text changes: run healthsite signoff -by %q %s", "reviewed_by", strings.TrimSpace(reviewedBy), f.name)
	}
}

// ClinicalState is where the rules a complaint's pages show stand with
// clinicians: its own and, when the site has them, the site-wide red
// flags asked with them. Both must be signed off for the pages to say
// so; an edit to either since its sign-off lapses it. The sign-off
// returned is the complaint's, for its name and date.
func (c *Complaint) ClinicalState(siteWide *SiteWideRedFlags) (ClinicalState, *SignOff) {
	state := c.SignOff.State()
	if siteWide != nil && state == Reviewed {
		state = siteWide.SignOff.State()
		if state == NotReviewed {
			return NotReviewed, nil
		}
	}
	return state, c.SignOff
}

// answerIDs checks the answer ids of one form: each well formed, not the
// reserved "none", and used once (taken holds those already used).
type answerIDs struct {
	file  string
	probs *Problems
	taken map[string]string // id -> where it is used, for the message
}

func (a answerIDs) check(kind, id string, line int) bool {
	switch {
	case id == "":
		a.probs.add(a.file, line, "%s has no id", kind)
	case id == NoneID:
		a.probs.add(a.file, line, "%s id %q is reserved for \"No, I do not have any of these\"", kind, id)
	case !answerID.MatchString(id) || len(id) > maxAnswerIDLen:
		a.probs.add(a.file, line, "%s id %q must be lowercase letters, digits and single hyphens, at most %d bytes", kind, id, maxAnswerIDLen)
	case a.taken[id] != "":
		a.probs.add(a.file, line, "%s id %q is already used by %s: ids must be unique within a complaint", kind, id, a.taken[id])
	default:
		return true
	}
	return false
}

func redFlag(probs *Problems, file string, f redFlagYAML) (*RedFlag, bool) {
	level, known := levelNames[f.Level]
	ok := true
	if !known {
		probs.add(file, f.line, "red flag %q: level %q is not one of emergency, urgent, soon", f.ID, f.Level)
		ok = false
	}
	if strings.TrimSpace(f.Label) == "" {
		probs.add(file, f.line, "red flag %q has no label", f.ID)
		ok = false
	}
	if strings.TrimSpace(f.When) == "" {
		probs.add(file, f.line, "red flag %q has no \"when\": the sign in words, as it completes its card's heading (\"See a doctor promptly if:\"), like \"you feel dizzy and have back pain\"", f.ID)
		ok = false
	}
	if strings.TrimSpace(f.Advice) == "" {
		probs.add(file, f.line, "red flag %q has no advice", f.ID)
		ok = false
	}
	return &RedFlag{ID: f.ID, Label: strings.TrimSpace(f.Label), Hint: strings.TrimSpace(f.Hint), When: strings.TrimSpace(f.When), Level: level, Advice: strings.TrimSpace(f.Advice), Line: f.line}, ok
}

func linkSiteWide(f *rulesFile) (*SiteWideRedFlags, Problems) {
	var probs Problems
	raw := f.siteWide
	sw := &SiteWideRedFlags{File: f.name, LastReviewed: raw.LastReviewed, NextReview: raw.NextReview}
	reviewDates(&probs, f.name, f.keyLine, raw.LastReviewed, raw.NextReview)
	refuseReviewedBy(&probs, f, raw.ReviewedBy)
	sw.SignOff = signOff(&probs, f.name, f.keyLine(SignOffField), raw.ClinicalSignOff, siteWideTextHash(raw))
	if len(raw.RedFlags) == 0 {
		probs.add(f.name, f.keyLine("red_flags"), "there are no red flags: list them under \"red_flags\", or delete the file")
	}
	ids := answerIDs{file: f.name, probs: &probs, taken: map[string]string{}}
	for _, rf := range raw.RedFlags {
		idOK := ids.check("red flag", rf.ID, rf.line)
		flag, ok := redFlag(&probs, f.name, rf)
		if idOK {
			ids.taken[rf.ID] = "another site-wide red flag"
		}
		if idOK && ok {
			flag.SiteWide = true
			sw.RedFlags = append(sw.RedFlags, flag)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return sw, nil
}

// linkComplaint checks a complaint's rules and resolves its section links
// against the articles. The safety rules: every section link resolves,
// the complaint has red flags of its own, ids are unique within it (the
// site-wide red flags included), and every symptom is reachable: it is
// asked under a question and leads to at least one section.
func linkComplaint(f *rulesFile, siteWide *SiteWideRedFlags, bySlug map[string]*Article) (*Complaint, Problems) {
	var probs Problems
	file, raw := f.name, f.complaint
	stem := strings.TrimSuffix(path.Base(file), ".yaml")
	c := &Complaint{
		File:         file,
		ID:           raw.ID,
		Name:         strings.TrimSpace(raw.Name),
		Description:  strings.TrimSpace(raw.Description),
		Category:     strings.TrimSpace(raw.Category),
		LastReviewed: raw.LastReviewed,
		NextReview:   raw.NextReview,
		SafetyNet:    strings.TrimSpace(raw.SafetyNet),
		RedFlagQuestion: Question{
			Text: strings.TrimSpace(raw.RedFlags.Question),
			Hint: strings.TrimSpace(raw.RedFlags.Hint),
		},
		byID: map[string]any{},
	}
	switch {
	case c.ID == "":
		probs.add(file, f.keyLine("id"), "\"id\" is required: the complaint's address, /symptoms/%s, and its file name", stem)
	case !slugPattern.MatchString(c.ID):
		probs.add(file, f.keyLine("id"), "id %q must be lowercase letters, digits and single hyphens", c.ID)
	case reservedComplaintIDs[c.ID]:
		probs.add(file, f.keyLine("id"), "id %q is reserved: /symptoms/%s is an address of its own", c.ID, c.ID)
	case c.ID != stem:
		probs.add(file, f.keyLine("id"), "id %q does not match the file name: name the file %s/%s.yaml", c.ID, ComplaintsDir, c.ID)
	}
	if c.Name == "" {
		probs.add(file, f.keyLine("name"), "\"name\" is required: the complaint as a reader says it, like \"Back pain\"")
	}
	if c.Description == "" {
		probs.add(file, f.keyLine("description"), "\"description\" is required: one line shown under the name on the list of complaints")
	}
	reviewDates(&probs, f.name, f.keyLine, c.LastReviewed, c.NextReview)
	refuseReviewedBy(&probs, f, raw.ReviewedBy)
	c.SignOff = signOff(&probs, file, f.keyLine(SignOffField), raw.ClinicalSignOff, complaintTextHash(raw))
	if c.SafetyNet == "" {
		probs.add(file, f.keyLine("safety_net"), "\"safety_net\" is required: when to get help if things change, with the source's thresholds, like \"See a doctor promptly if your back pain lasts more than 3 days.\"")
	}
	if c.RedFlagQuestion.Text == "" {
		probs.add(file, f.keyLine("red_flags"), "red_flags: \"question\" is required: the words of the first question, like \"Do you have any of these?\"")
	}

	ids := answerIDs{file: file, probs: &probs, taken: map[string]string{}}
	if siteWide != nil {
		for _, rf := range siteWide.RedFlags {
			c.RedFlags = append(c.RedFlags, rf)
			c.byID[rf.ID] = rf
			ids.taken[rf.ID] = "a site-wide red flag in " + SiteWideFile
		}
	}
	if len(raw.RedFlags.Flags) == 0 {
		probs.add(file, f.keyLine("red_flags"), "the complaint has no red flags of its own: every complaint must ask about the signs that mean getting medical help (red_flags: flags:)")
	}
	for _, rf := range raw.RedFlags.Flags {
		idOK := ids.check("red flag", rf.ID, rf.line)
		flag, ok := redFlag(&probs, file, rf)
		if idOK {
			ids.taken[rf.ID] = "a red flag on line " + strconv.Itoa(rf.line)
		}
		if idOK && ok {
			c.RedFlags = append(c.RedFlags, flag)
			c.byID[rf.ID] = flag
		}
	}

	if len(raw.SymptomGroups) == 0 {
		probs.add(file, f.keyLine("symptom_groups"), "there are no symptoms: list them under \"symptom_groups\"")
	}
	groupIDs := map[string]int{}
	for _, g := range raw.SymptomGroups {
		q := Question{Text: strings.TrimSpace(g.Question), Hint: strings.TrimSpace(g.Hint)}
		group := &SymptomGroup{ID: "group-" + Slugify(q.Text), Question: q}
		if q.Text == "" {
			probs.add(file, g.line, "a symptom group has no \"question\": the words its symptoms are asked under, like \"Pain\"")
		} else if first, dup := groupIDs[group.ID]; dup {
			probs.add(file, g.line, "the question %q is already asked on line %d: merge the two groups", q.Text, first)
		} else {
			groupIDs[group.ID] = g.line
		}
		if len(g.Symptoms) == 0 {
			probs.add(file, g.line, "the group %q has no symptoms", q.Text)
		}
		for _, sy := range g.Symptoms {
			out, ok := linkSymptom(&probs, file, ids, sy, bySlug)
			if !ok {
				continue
			}
			ids.taken[sy.ID] = "a symptom on line " + strconv.Itoa(sy.line)
			c.Symptoms = append(c.Symptoms, out)
			c.byID[out.ID] = out
			group.Symptoms = append(group.Symptoms, out)
		}
		c.Groups = append(c.Groups, group)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return c, nil
}

func linkSymptom(probs *Problems, file string, ids answerIDs, sy symptomYAML, bySlug map[string]*Article) (*Symptom, bool) {
	ok := ids.check("symptom", sy.ID, sy.line)
	out := &Symptom{ID: sy.ID, Label: strings.TrimSpace(sy.Label), Hint: strings.TrimSpace(sy.Hint), Mentions: strings.TrimSpace(sy.Mentions), Line: sy.line}
	if out.Label == "" {
		probs.add(file, sy.line, "symptom %q has no label", sy.ID)
		ok = false
	}
	if len(sy.Sections) == 0 {
		probs.add(file, sy.line, "symptom %q points to no article section, so ticking it would lead nowhere", sy.ID)
		ok = false
	}
	seen := map[string]bool{}
	for _, sec := range sy.Sections {
		at := cmp.Or(sec.line, sy.line)
		slug, id, found := strings.Cut(sec.To, "#")
		if !found || slug == "" || id == "" {
			probs.add(file, at, "symptom %q: %q must be written article-slug#section-id", sy.ID, sec.To)
			ok = false
			continue
		}
		a, known := bySlug[slug]
		if !known {
			probs.add(file, at, "symptom %q: no article with slug %q", sy.ID, slug)
			ok = false
			continue
		}
		h, known := a.Heading(id)
		if !known {
			probs.add(file, at, "symptom %q: article %q has no section %q", sy.ID, slug, id)
			ok = false
			continue
		}
		if seen[sec.To] {
			probs.add(file, at, "symptom %q points to %q twice", sy.ID, sec.To)
			ok = false
			continue
		}
		seen[sec.To] = true
		if sec.Weight < 0 {
			probs.add(file, at, "symptom %q: weight %d must not be negative", sy.ID, sec.Weight)
			ok = false
		}
		out.Sections = append(out.Sections, SectionLink{Article: a, Heading: h, Weight: cmp.Or(sec.Weight, 1), Mentions: strings.TrimSpace(sec.Mentions), Line: at})
	}
	return out, ok
}

// reloadRules reads again the rules files among changed and records what
// changed in ch. It returns every rules file of the new site.
func (s *Site) reloadRules(fsys fs.FS, changed []string, ch *Change) (map[string]*rulesFile, Problems) {
	files := make(map[string]*rulesFile, len(s.rules))
	for name, f := range s.rules {
		files[name] = f
	}
	var probs Problems
	var names []string
	for _, name := range changed {
		switch {
		case name == oldSymptomsFile:
			if _, err := fs.Stat(fsys, name); err == nil {
				_, ps := ruleFileNames(fsys)
				probs = append(probs, ps...)
			}
		case IsComplaintFile(name):
			names = append(names, name)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var present []string
	for _, name := range names {
		if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
			if old, ok := files[name]; ok {
				s.ruleFileChanged(old, nil, ch)
				delete(files, name)
			}
			continue
		}
		present = append(present, name)
	}
	read, ps := readRules(fsys, present)
	probs = append(probs, ps...)
	for name, f := range read {
		old := files[name]
		if old != nil && bytes.Equal(old.src, f.src) {
			continue // saved without a change
		}
		s.ruleFileChanged(old, f, ch)
		files[name] = f
	}
	return files, probs
}

// ruleFileChanged records a rules file that appeared (old nil), went (f
// nil) or was edited: the forms and results of its complaint change, of
// every complaint for the site-wide red flags, and the list of complaints
// when one comes or goes or shows differently there.
func (s *Site) ruleFileChanged(old, f *rulesFile, ch *Change) {
	if (old != nil && old.cases != nil) || (f != nil && f.cases != nil) {
		ch.Cases = true
		return
	}
	if (old != nil && old.siteWide != nil) || (f != nil && f.siteWide != nil) {
		for _, c := range s.Complaints {
			ch.Complaints = append(ch.Complaints, c.ID)
		}
		return
	}
	if old == nil || f == nil {
		ch.ComplaintList = true
	}
	for _, r := range []*rulesFile{old, f} {
		if r != nil && r.complaint.ID != "" {
			ch.Complaints = append(ch.Complaints, r.complaint.ID)
		}
	}
	if old != nil && f != nil {
		a, b := old.complaint, f.complaint
		if a.ID != b.ID || a.Name != b.Name || a.Description != b.Description || a.Category != b.Category ||
			!a.LastReviewed.Equal(b.LastReviewed.Time) {
			ch.ComplaintList = true
		}
	}
}
