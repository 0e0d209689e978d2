package content_test

import (
	"strings"
	"testing"
)

// "clinical_review: pending" says plainly that no clinician has reviewed
// an article yet; it cannot stand beside a reviewer's name.
func TestClinicalReview(t *testing.T) {
	tests := []struct {
		name        string
		extra       string // front matter lines after goodFrontMatter, from line 11
		wantPending bool
		wantErr     string // "" when the article loads
	}{
		{"not given", "", false, ""},
		{"reviewed", "reviewed_by: Dr A. Example, GP\n", false, ""},
		{"pending", "clinical_review: pending\n", true, ""},
		{"pending and a reviewer", "clinical_review: pending\nreviewed_by: Dr A. Example, GP\n", false,
			`a.md:11: front matter: clinical_review "pending" says no clinician has reviewed the article, but reviewed_by names "Dr A. Example, GP": keep one`},
		{"another value", "clinical_review: done\n", false,
			`a.md:11: front matter: clinical_review "done": the only value is "pending"`},
		{"a list", "clinical_review: [pending]\n", false, `a.md:11: front matter: a list is not text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, err := load(t, map[string]string{"a.md": article(goodFrontMatter+tt.extra, goodBody)})
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
		})
	}
}
