package content_test

import (
	"strings"
	"testing"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/htmltest"
)

// "care_level" says how urgent an article's "When to get medical help"
// section is; left out, it is urgent, as every card was before the field.
func TestCareLevel(t *testing.T) {
	tests := []struct {
		name    string
		extra   string // front matter lines after goodFrontMatter, from line 11
		want    contentfile.Level
		wantErr string // "" when the article loads
	}{
		{"not given", "", contentfile.Urgent, ""},
		{"emergency", "care_level: emergency\n", contentfile.Emergency, ""},
		{"urgent", "care_level: urgent\n", contentfile.Urgent, ""},
		{"soon", "care_level: soon\n", contentfile.Soon, ""},
		{"another value", "care_level: high\n", 0,
			`a.md:11: front matter: care_level "high" is not one of emergency, urgent, soon`},
		{"a list", "care_level: [urgent]\n", 0, `a.md:11: front matter: a list is not text`},
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
			if a.CareLevel != tt.want {
				t.Errorf("CareLevel = %v, want %v", a.CareLevel, tt.want)
			}
		})
	}
}

// The card's urgency in words starts the heading of "When to get medical
// help", so that screen readers say it with the heading; the heading's id,
// its self-link and every other heading stay as they were.
func TestRenderCareLabel(t *testing.T) {
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, goodBody)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := site.Article("a")
	r, err := content.Render(a, content.RenderOptions{CareLabel: "Urgent <advice>"})
	if err != nil {
		t.Fatal(err)
	}
	urgent := htmltest.Parse(t, []byte(r.SectionHTML[len(r.SectionHTML)-1]))
	h2 := htmltest.One(t, urgent, "h2#"+content.UrgentSectionID)
	// Text puts a space between text nodes: the hidden colon is one.
	if got := strings.ReplaceAll(htmltest.Text(h2), " :", ":"); got != "Urgent <advice>: When to get medical help" {
		t.Errorf("heading = %q, want the label, escaped, then the heading", got)
	}
	label := htmltest.One(t, h2, "span.care-label")
	if got := htmltest.Text(htmltest.One(t, label, ".visually-hidden")); got != ":" {
		t.Errorf("the label's hidden punctuation = %q, want a colon", got)
	}
	if got := htmltest.Text(htmltest.One(t, urgent, ".self-link .visually-hidden")); got != "Link to this section: When to get medical help" {
		t.Errorf("self-link text = %q, want the heading's own words", got)
	}
	other := htmltest.Parse(t, []byte(r.SectionHTML[0]))
	if n := len(htmltest.All(t, other, ".care-label")); n != 0 {
		t.Errorf("another section's heading has %d care labels", n)
	}

	r, err = content.Render(a, content.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.SectionHTML[len(r.SectionHTML)-1], "care-label") {
		t.Error("a render without a label shows one")
	}
}
