package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
)

// A clinician's sign-off approves one exact text. The file records who
// signed, on what day, and a hash of the text they approved
// ("healthsite signoff" writes it); pages say "Reviewed by" them only
// while the text still hashes to that value, and once it is edited they
// say it has changed since, with the date. A name alone ("reviewed_by")
// would stay true after any later edit, which is why it is refused.

// SignOffField is the field that records a sign-off, in an article's front
// matter and at the top of a rules file.
const SignOffField = "clinical_signoff"

// signOffYAML is a sign-off as written.
type signOffYAML struct {
	By     string `yaml:"by"`
	Date   Date   `yaml:"date"`
	SHA256 string `yaml:"sha256"`
}

// SignOff is a clinician's approval of a file's clinical text.
type SignOff struct {
	By   string
	Date Date
	// SHA256 is the hex SHA-256 of the text approved (ArticleTextHash,
	// RulesTextHash).
	SHA256 string
	// Current reports whether the file's text is still the text approved.
	Current bool
}

// ClinicalState is where a file's text stands with clinicians.
type ClinicalState int

const (
	// NotReviewed: no clinician has signed the text off.
	NotReviewed ClinicalState = iota
	// Reviewed: a clinician signed off this exact text.
	Reviewed
	// ChangedSinceReview: a clinician signed off an earlier text; it has
	// been edited since.
	ChangedSinceReview
)

// State is where a sign-off leaves its file; a nil sign-off is NotReviewed.
func (s *SignOff) State() ClinicalState {
	switch {
	case s == nil:
		return NotReviewed
	case s.Current:
		return Reviewed
	default:
		return ChangedSinceReview
	}
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// signOff checks a sign-off as written against the hash of the text it
// sits in; line is where the field is, for problems. It returns nil when
// the file has none.
func signOff(probs *Problems, file string, line int, raw *signOffYAML, textHash string) *SignOff {
	if raw == nil {
		return nil
	}
	ok := true
	if strings.TrimSpace(raw.By) == "" {
		probs.add(file, line, "%s: \"by\" is required: the clinician's name and role, like \"Dr A. Example, GP\"", SignOffField)
		ok = false
	}
	if raw.Date.IsZero() && !probs.onLine(file, line) {
		probs.add(file, line, "%s: \"date\" is required (YYYY-MM-DD)", SignOffField)
		ok = false
	}
	if !sha256Hex.MatchString(raw.SHA256) {
		probs.add(file, line, "%s: \"sha256\" must be the 64 hex digits healthsite signoff writes; run it again rather than editing the field", SignOffField)
		ok = false
	}
	if !ok {
		return nil
	}
	return &SignOff{By: strings.TrimSpace(raw.By), Date: raw.Date, SHA256: raw.SHA256, Current: raw.SHA256 == textHash}
}

// ArticleTextHash is the hash a sign-off of an article approves: its
// title, its summary and its body (the Markdown after the front matter),
// with line endings and the space around the body made uniform, so that
// saving the file on another system does not lapse a sign-off.
func ArticleTextHash(title, summary string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(strings.TrimSpace(title)))
	h.Write([]byte{0})
	h.Write([]byte(strings.TrimSpace(summary)))
	h.Write([]byte{0})
	h.Write(bytes.TrimSpace(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))))
	return hex.EncodeToString(h.Sum(nil))
}

// ArticleBody is the Markdown of an article file after its front matter
// (all of src when it has none).
func ArticleBody(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---"))
	if !ok {
		return src
	}
	for len(rest) > 0 {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		rest = after
		if string(bytes.TrimRight(line, " \t\r")) == "---" {
			return rest
		}
	}
	return nil
}

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
func RulesSignOff(name string, src []byte) (*SignOff, error) {
	f, probs := parseRules(name, src)
	if len(probs) > 0 {
		return nil, probs
	}
	var raw *signOffYAML
	var hash string
	if f.siteWide != nil {
		raw, hash = f.siteWide.ClinicalSignOff, siteWideTextHash(f.siteWide)
	} else {
		raw, hash = f.complaint.ClinicalSignOff, complaintTextHash(f.complaint)
	}
	s := signOff(&probs, name, f.keyLine(SignOffField), raw, hash)
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}
