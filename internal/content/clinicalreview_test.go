package content_test

import (
	"strings"
	"testing"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// A clinician's review is a sign-off bound to the text it approved:
// current while the text is unchanged, lapsed once it is edited.
// "clinical_review: pending" says the editors know no clinician has yet,
// and cannot stand beside a sign-off; a name alone (reviewed_by) is
// refused, since it would stay true after any edit.
func TestClinicalReview(t *testing.T) {
	body := goodBody
	hash := content.ArticleTextHash("Back pain", "What causes back pain and what helps.", []byte(body))
	signed := func(sum string) string {
		return "clinical_signoff:\n  by: Dr A. Example, GP\n  date: 2026-12-04\n  sha256: " + sum + "\n"
	}
	tests := []struct {
		name        string
		extra       string // front matter lines after goodFrontMatter, from line 11
		body        string // "" for goodBody
		wantPending bool
		wantState   contentfile.ClinicalState
		wantErr     string // "" when the article loads
	}{
		{"not given", "", "", false, contentfile.NotReviewed, ""},
		{"pending", "clinical_review: pending\n", "", true, contentfile.NotReviewed, ""},
		{"signed off", signed(hash), "", false, contentfile.Reviewed, ""},
		{"signed off, then edited", signed(hash), body + "\nA new paragraph.\n", false, contentfile.ChangedSinceReview, ""},
		{"signed off, only the space around the body changed", signed(hash), "\n\n" + body + "\n\n", false, contentfile.Reviewed, ""},
		{"pending and a sign-off", "clinical_review: pending\n" + signed(hash), "", false, 0,
			`a.md:11: front matter: clinical_review "pending" says no clinician has reviewed the article, but it has a clinical_signoff: keep one`},
		{"a reviewer's name alone", "reviewed_by: Dr A. Example, GP\n", "", false, 0,
			`a.md:11: front matter: "reviewed_by" is replaced by a clinician's sign-off bound to the text, which lapses when the text changes: run healthsite signoff -by "Dr A. Example, GP" a.md`},
		{"a sign-off without a name", "clinical_signoff: {date: 2026-12-04, sha256: " + hash + "}\n", "", false, 0,
			`a.md:11: clinical_signoff: "by" is required`},
		{"a sign-off without a date", "clinical_signoff: {by: Dr A, sha256: " + hash + "}\n", "", false, 0,
			`a.md:11: clinical_signoff: "date" is required (YYYY-MM-DD)`},
		{"a sign-off with a date that is not one", "clinical_signoff: {by: Dr A, date: 4/12/2026, sha256: " + hash + "}\n", "", false, 0,
			`a.md:11: front matter: "4/12/2026" is not a date`},
		{"a hash edited by hand", signed("abc"), "", false, 0,
			`a.md:11: clinical_signoff: "sha256" must be the 64 hex digits healthsite signoff writes`},
		{"an unknown field in the sign-off", "clinical_signoff:\n  by: Dr A\n  on: 2026-12-04\n", "", false, 0,
			`a.md:13: front matter: unknown field "on"`},
		{"another value", "clinical_review: done\n", "", false, 0,
			`a.md:11: front matter: clinical_review "done": the only value is "pending"`},
		{"a list", "clinical_review: [pending]\n", "", false, 0, `a.md:11: front matter: a list is not text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body
			if tt.body != "" {
				b = tt.body
			}
			site, err := load(t, map[string]string{"a.md": article(goodFrontMatter+tt.extra, b)})
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Load succeeded, want %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error\n%v\ndoes not contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			a, _ := site.Article("a")
			if a.ClinicalReviewPending != tt.wantPending {
				t.Errorf("ClinicalReviewPending = %v, want %v", a.ClinicalReviewPending, tt.wantPending)
			}
			if got := a.SignOff.State(); got != tt.wantState {
				t.Errorf("state = %v, want %v", got, tt.wantState)
			}
		})
	}
}
