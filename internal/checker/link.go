package checker

import (
	"cmp"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"healthsite/internal/contentfile"
)

var answerID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// maxAnswerIDLen keeps ids well inside the 64-byte limit on result links.
const maxAnswerIDLen = 64

// Options are what Link needs besides the files and the articles.
type Options struct {
	// ReservedIDs cannot name a complaint: addresses of their own under
	// /symptoms (the server's page table says which).
	ReservedIDs []string
}

// Link checks the files against each other and the articles, resolves
// every section link, and runs every triage case through Evaluate: rules
// whose cases fail are refused like rules that are broken, since they
// would send readers to the wrong place. Every problem is reported with
// its file and line.
func Link(files Files, articles Articles, opts Options) (*Rules, contentfile.Problems) {
	r := &Rules{byID: map[string]*Complaint{}}
	var probs contentfile.Problems
	if f := files.byName[SiteWideFile]; f != nil {
		r.SiteWide, probs = linkSiteWide(f)
	}
	for _, name := range slices.Sorted(maps.Keys(files.byName)) {
		f := files.byName[name]
		if f.complaint == nil {
			continue
		}
		c, ps := linkComplaint(f, r.SiteWide, articles, opts.ReservedIDs)
		probs = append(probs, ps...)
		if c != nil {
			r.Complaints = append(r.Complaints, c)
			r.byID[c.ID] = c
		}
	}
	slices.SortFunc(r.Complaints, func(a, b *Complaint) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	probs = append(probs, r.linkAllCases(files.byName, articles)...)
	if len(probs) > 0 {
		return nil, probs
	}
	if probs := RunCases(r); len(probs) > 0 {
		return nil, probs
	}
	return r, nil
}

// refuseReviewedBy refuses a reviewer named without a sign-off.
func refuseReviewedBy(probs *contentfile.Problems, f *rulesFile, reviewedBy string) {
	contentfile.RefuseReviewedBy(probs, f.name, f.keyLine("reviewed_by"), "", reviewedBy, f.name)
}

// ClinicalState is where the rules a complaint's pages show stand with
// clinicians: its own and, when the site has them, the site-wide red
// flags asked with them. Both must be signed off for the pages to say
// so; an edit to either since its sign-off lapses it. The sign-off
// returned is the complaint's, for its name and date.
func (c *Complaint) ClinicalState(siteWide *SiteWideRedFlags) (contentfile.ClinicalState, *contentfile.SignOff) {
	state := c.SignOff.State()
	if siteWide != nil && state == contentfile.Reviewed {
		state = siteWide.SignOff.State()
		if state == contentfile.NotReviewed {
			return contentfile.NotReviewed, nil
		}
	}
	return state, c.SignOff
}

// answerIDs checks the answer ids of one form: each well formed, not the
// reserved "none", and used once (taken holds those already used).
type answerIDs struct {
	file  string
	probs *contentfile.Problems
	taken map[string]string // id -> where it is used, for the message
}

func (a answerIDs) check(kind, id string, line int) bool {
	switch {
	case id == "":
		a.probs.Add(a.file, line, "%s has no id", kind)
	case id == NoneID:
		a.probs.Add(a.file, line, "%s id %q is reserved for \"No, I do not have any of these\"", kind, id)
	case !answerID.MatchString(id) || len(id) > maxAnswerIDLen:
		a.probs.Add(a.file, line, "%s id %q must be lowercase letters, digits and single hyphens, at most %d bytes", kind, id, maxAnswerIDLen)
	case a.taken[id] != "":
		a.probs.Add(a.file, line, "%s id %q is already used by %s: ids must be unique within a complaint", kind, id, a.taken[id])
	default:
		return true
	}
	return false
}

func redFlag(probs *contentfile.Problems, file string, f redFlagYAML) (*RedFlag, bool) {
	level, known := contentfile.ParseLevel(f.Level)
	ok := true
	if !known {
		probs.Add(file, f.Line, "red flag %q: level %q is not one of emergency, urgent, soon", f.ID, f.Level)
		ok = false
	}
	if strings.TrimSpace(f.Label) == "" {
		probs.Add(file, f.Line, "red flag %q has no label", f.ID)
		ok = false
	}
	if strings.TrimSpace(f.When) == "" {
		probs.Add(file, f.Line, "red flag %q has no \"when\": the sign in words, as it completes its card's heading (\"See a doctor promptly if:\"), like \"you feel dizzy and have back pain\"", f.ID)
		ok = false
	}
	if strings.TrimSpace(f.Advice) == "" {
		probs.Add(file, f.Line, "red flag %q has no advice", f.ID)
		ok = false
	}
	return &RedFlag{ID: f.ID, Label: strings.TrimSpace(f.Label), Hint: strings.TrimSpace(f.Hint), When: strings.TrimSpace(f.When), Level: level, Advice: strings.TrimSpace(f.Advice), Line: f.Line}, ok
}

func linkSiteWide(f *rulesFile) (*SiteWideRedFlags, contentfile.Problems) {
	var probs contentfile.Problems
	raw := f.siteWide
	sw := &SiteWideRedFlags{File: f.name, LastReviewed: raw.LastReviewed, NextReview: raw.NextReview}
	contentfile.CheckReviewDates(&probs, f.name, f.keyLine, raw.LastReviewed, raw.NextReview)
	refuseReviewedBy(&probs, f, raw.ReviewedBy)
	sw.SignOff = contentfile.CheckSignOff(&probs, f.name, f.keyLine(contentfile.SignOffField), raw.ClinicalSignOff, siteWideTextHash(raw))
	if len(raw.RedFlags) == 0 {
		probs.Add(f.name, f.keyLine("red_flags"), "there are no red flags: list them under \"red_flags\", or delete the file")
	}
	ids := answerIDs{file: f.name, probs: &probs, taken: map[string]string{}}
	for _, rf := range raw.RedFlags {
		idOK := ids.check("red flag", rf.ID, rf.Line)
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
func linkComplaint(f *rulesFile, siteWide *SiteWideRedFlags, articles Articles, reserved []string) (*Complaint, contentfile.Problems) {
	var probs contentfile.Problems
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
		probs.Add(file, f.keyLine("id"), "\"id\" is required: the complaint's address, /symptoms/%s, and its file name", stem)
	case !contentfile.SlugPattern.MatchString(c.ID):
		probs.Add(file, f.keyLine("id"), "id %q must be lowercase letters, digits and single hyphens", c.ID)
	case slices.Contains(reserved, c.ID):
		probs.Add(file, f.keyLine("id"), "id %q is reserved: /symptoms/%s is an address of its own", c.ID, c.ID)
	case c.ID != stem:
		probs.Add(file, f.keyLine("id"), "id %q does not match the file name: name the file %s/%s.yaml", c.ID, ComplaintsDir, c.ID)
	}
	if c.Name == "" {
		probs.Add(file, f.keyLine("name"), "\"name\" is required: the complaint as a reader says it, like \"Back pain\"")
	}
	if c.Description == "" {
		probs.Add(file, f.keyLine("description"), "\"description\" is required: one line shown under the name on the list of complaints")
	}
	contentfile.CheckReviewDates(&probs, f.name, f.keyLine, c.LastReviewed, c.NextReview)
	refuseReviewedBy(&probs, f, raw.ReviewedBy)
	c.SignOff = contentfile.CheckSignOff(&probs, file, f.keyLine(contentfile.SignOffField), raw.ClinicalSignOff, complaintTextHash(raw))
	if c.SafetyNet == "" {
		probs.Add(file, f.keyLine("safety_net"), "\"safety_net\" is required: when to get help if things change, with the source's thresholds, like \"See a doctor promptly if your back pain lasts more than 3 days.\"")
	}
	if c.RedFlagQuestion.Text == "" {
		probs.Add(file, f.keyLine("red_flags"), "red_flags: \"question\" is required: the words of the first question, like \"Do you have any of these?\"")
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
		probs.Add(file, f.keyLine("red_flags"), "the complaint has no red flags of its own: every complaint must ask about the signs that mean getting medical help (red_flags: flags:)")
	}
	for _, rf := range raw.RedFlags.Flags {
		idOK := ids.check("red flag", rf.ID, rf.Line)
		flag, ok := redFlag(&probs, file, rf)
		if idOK {
			ids.taken[rf.ID] = "a red flag on line " + strconv.Itoa(rf.Line)
		}
		if idOK && ok {
			c.RedFlags = append(c.RedFlags, flag)
			c.byID[rf.ID] = flag
		}
	}

	if len(raw.SymptomGroups) == 0 {
		probs.Add(file, f.keyLine("symptom_groups"), "there are no symptoms: list them under \"symptom_groups\"")
	}
	groupIDs := map[string]int{}
	for _, g := range raw.SymptomGroups {
		q := Question{Text: strings.TrimSpace(g.Question), Hint: strings.TrimSpace(g.Hint)}
		group := &SymptomGroup{ID: "group-" + contentfile.Slugify(q.Text), Question: q}
		if q.Text == "" {
			probs.Add(file, g.Line, "a symptom group has no \"question\": the words its symptoms are asked under, like \"Pain\"")
		} else if first, dup := groupIDs[group.ID]; dup {
			probs.Add(file, g.Line, "the question %q is already asked on line %d: merge the two groups", q.Text, first)
		} else {
			groupIDs[group.ID] = g.Line
		}
		if len(g.Symptoms) == 0 {
			probs.Add(file, g.Line, "the group %q has no symptoms", q.Text)
		}
		for _, sy := range g.Symptoms {
			out, ok := linkSymptom(&probs, file, ids, sy, articles)
			if !ok {
				continue
			}
			ids.taken[sy.ID] = "a symptom on line " + strconv.Itoa(sy.Line)
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

func linkSymptom(probs *contentfile.Problems, file string, ids answerIDs, sy symptomYAML, articles Articles) (*Symptom, bool) {
	ok := ids.check("symptom", sy.ID, sy.Line)
	out := &Symptom{ID: sy.ID, Label: strings.TrimSpace(sy.Label), Hint: strings.TrimSpace(sy.Hint), Mentions: strings.TrimSpace(sy.Mentions), Line: sy.Line}
	if out.Label == "" {
		probs.Add(file, sy.Line, "symptom %q has no label", sy.ID)
		ok = false
	}
	if len(sy.Sections) == 0 {
		probs.Add(file, sy.Line, "symptom %q points to no article section, so ticking it would lead nowhere", sy.ID)
		ok = false
	}
	seen := map[string]bool{}
	for _, sec := range sy.Sections {
		at := cmp.Or(sec.Line, sy.Line)
		slug, id, found := strings.Cut(sec.To, "#")
		if !found || slug == "" || id == "" {
			probs.Add(file, at, "symptom %q: %q must be written article-slug#section-id", sy.ID, sec.To)
			ok = false
			continue
		}
		if !articles.HasArticle(slug) {
			probs.Add(file, at, "symptom %q: no article with slug %q", sy.ID, slug)
			ok = false
			continue
		}
		target, known := articles.Section(slug, id)
		if !known {
			probs.Add(file, at, "symptom %q: article %q has no section %q", sy.ID, slug, id)
			ok = false
			continue
		}
		if seen[sec.To] {
			probs.Add(file, at, "symptom %q points to %q twice", sy.ID, sec.To)
			ok = false
			continue
		}
		seen[sec.To] = true
		if sec.Weight < 0 {
			probs.Add(file, at, "symptom %q: weight %d must not be negative", sy.ID, sec.Weight)
			ok = false
		}
		out.Sections = append(out.Sections, SectionLink{Section: target, Weight: cmp.Or(sec.Weight, 1), Mentions: strings.TrimSpace(sec.Mentions), Line: at})
	}
	return out, ok
}
