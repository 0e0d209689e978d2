package contentfile

import (
	"regexp"
	"strings"
)

// A clinician's sign-off approves one exact text. The file records who
// signed, on what day, and a hash of the text they approved
// ("healthsite signoff" writes it); pages say "Reviewed by" them only
// while the text still hashes to that value, and once it is edited they
// say it has changed since, with the date. A name alone ("reviewed_by")
// would stay true after any later edit, which is why it is refused. What
// the hash covers is the business of each kind of file (an article's
// title, summary and body; a complaint's reader-facing rules).

// SignOffField is the field that records a sign-off, in an article's front
// matter and at the top of a rules file.
const SignOffField = "clinical_signoff"

// SignOffYAML is a sign-off as written, for the structs files decode into.
type SignOffYAML struct {
	By     string `yaml:"by"`
	Date   Date   `yaml:"date"`
	SHA256 string `yaml:"sha256"`
}

// SignOff is a clinician's approval of a file's clinical text.
type SignOff struct {
	By   string
	Date Date
	// SHA256 is the hex SHA-256 of the text approved.
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

// CheckSignOff checks a sign-off as written against textHash, the hash of
// the text it sits in now; line is where the field is, for problems. It
// returns nil when the file has none.
func CheckSignOff(probs *Problems, file string, line int, raw *SignOffYAML, textHash string) *SignOff {
	if raw == nil {
		return nil
	}
	ok := true
	if strings.TrimSpace(raw.By) == "" {
		probs.Add(file, line, "%s: \"by\" is required: the clinician's name and role, like \"Dr A. Example, GP\"", SignOffField)
		ok = false
	}
	if raw.Date.IsZero() && !probs.OnLine(file, line) {
		probs.Add(file, line, "%s: \"date\" is required (YYYY-MM-DD)", SignOffField)
		ok = false
	}
	if !sha256Hex.MatchString(raw.SHA256) {
		probs.Add(file, line, "%s: \"sha256\" must be the 64 hex digits healthsite signoff writes; run it again rather than editing the field", SignOffField)
		ok = false
	}
	if !ok {
		return nil
	}
	return &SignOff{By: strings.TrimSpace(raw.By), Date: raw.Date, SHA256: raw.SHA256, Current: raw.SHA256 == textHash}
}

// RefuseReviewedBy refuses a reviewer named without a sign-off, at line.
func RefuseReviewedBy(probs *Problems, file string, line int, prefix, reviewedBy, command string) {
	if reviewedBy != "" {
		probs.Add(file, line, "%s%q is replaced by a clinician's sign-off bound to the text, which lapses when the text changes: run healthsite signoff -by %q %s", prefix, "reviewed_by", strings.TrimSpace(reviewedBy), command)
	}
}
