package checker

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"healthsite/internal/contentfile"
)

// The reader-facing text of a rules file: what a clinician approves. Ids
// and links are in it (they decide where a reader is sent); the review
// dates, the category and the authoring check's "mentions" are not.
type (
	rulesText struct {
		Name          string      `json:"name,omitempty"`
		Description   string      `json:"description,omitempty"`
		Question      string      `json:"question,omitempty"`
		Hint          string      `json:"hint,omitempty"`
		RedFlags      []flagText  `json:"red_flags"`
		SafetyNet     string      `json:"safety_net,omitempty"`
		SymptomGroups []groupText `json:"symptom_groups,omitempty"`
	}
	flagText struct {
		ID, Label, Hint, When, Level, Advice string
	}
	groupText struct {
		Question, Hint string
		Symptoms       []symptomText
	}
	symptomText struct {
		ID, Label, Hint string
		Sections        []linkText
	}
	linkText struct {
		To     string
		Weight int
	}
)

func flagTexts(flags []redFlagYAML) []flagText {
	out := make([]flagText, 0, len(flags))
	for _, f := range flags {
		out = append(out, flagText{ID: f.ID, Label: trim(f.Label), Hint: trim(f.Hint), When: trim(f.When), Level: f.Level, Advice: trim(f.Advice)})
	}
	return out
}

var trim = strings.TrimSpace

// complaintTextHash is the hash a sign-off of a complaint's rules approves.
func complaintTextHash(c *complaintYAML) string {
	t := rulesText{
		Name: trim(c.Name), Description: trim(c.Description),
		Question: trim(c.RedFlags.Question), Hint: trim(c.RedFlags.Hint),
		RedFlags:  flagTexts(c.RedFlags.Flags),
		SafetyNet: trim(c.SafetyNet),
	}
	for _, g := range c.SymptomGroups {
		gt := groupText{Question: trim(g.Question), Hint: trim(g.Hint)}
		for _, s := range g.Symptoms {
			st := symptomText{ID: s.ID, Label: trim(s.Label), Hint: trim(s.Hint)}
			for _, l := range s.Sections {
				st.Sections = append(st.Sections, linkText{To: trim(l.To), Weight: max(l.Weight, 1)})
			}
			gt.Symptoms = append(gt.Symptoms, st)
		}
		t.SymptomGroups = append(t.SymptomGroups, gt)
	}
	return jsonHash(t)
}

// siteWideTextHash is the hash a sign-off of the site-wide red flags approves.
func siteWideTextHash(s *siteWideYAML) string {
	return jsonHash(rulesText{RedFlags: flagTexts(s.RedFlags)})
}

func jsonHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil { // plain strings and ints always marshal
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RulesTextHash is the hash a sign-off of the rules file name approves,
// for healthsite signoff: the file must decode (ParseRules reports why
// not).
func RulesTextHash(name string, src []byte) (string, error) {
	f, probs := parseRules(name, src)
	if len(probs) > 0 {
		return "", probs
	}
	if f.siteWide != nil {
		return siteWideTextHash(f.siteWide), nil
	}
	return complaintTextHash(f.complaint), nil
}

// RulesSignOff reads the sign-off of the rules file name, checked against
// its text: nil when it has none.
func RulesSignOff(name string, src []byte) (*contentfile.SignOff, error) {
	f, probs := parseRules(name, src)
	if len(probs) > 0 {
		return nil, probs
	}
	var raw *contentfile.SignOffYAML
	var hash string
	if f.siteWide != nil {
		raw, hash = f.siteWide.ClinicalSignOff, siteWideTextHash(f.siteWide)
	} else {
		raw, hash = f.complaint.ClinicalSignOff, complaintTextHash(f.complaint)
	}
	s := contentfile.CheckSignOff(&probs, name, f.keyLine(contentfile.SignOffField), raw, hash)
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}
