package content

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary article files to the parser: it must never
// panic, and what it accepts must be a well-formed article.
func FuzzParse(f *testing.F) {
	good := "---\ntitle: T\nsummary: S\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\n## Cause {#cause}\n\nText with [a link](https://example.org) and <script>x</script>.\n\n## When to get medical help\n\nNow.\n"
	for _, seed := range []string{
		good,
		"",
		"---\n---\n",
		"---\ntitle: [\n---\n",
		strings.Replace(good, "2027-01-01", "2020-01-01", 1),
		good + "\n## Cause\n\nDuplicate.\n",
		"---\ntitle: x\n",
		"# no front matter\n",
		"---\ntitle: \"\\u0000\"\n---\n## {#}\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		a, probs := Parse("fuzz.md", []byte(src))
		if a == nil {
			if len(probs) == 0 {
				t.Fatal("no article and no problem reported")
			}
			for _, p := range probs {
				if p.File != "fuzz.md" || p.Msg == "" {
					t.Fatalf("problem without file or message: %+v", p)
				}
			}
			return
		}
		if len(probs) > 0 {
			t.Fatalf("an article and problems together: %v", probs)
		}
		if a.Title == "" || a.Summary == "" || len(a.Sources) == 0 || a.NextReview.Before(a.LastReviewed.Time) {
			t.Fatalf("accepted an invalid article: %+v", a)
		}
		seen := map[string]bool{}
		for _, h := range a.Headings {
			if h.ID == "" || seen[h.ID] {
				t.Fatalf("empty or duplicate heading id %q", h.ID)
			}
			seen[h.ID] = true
		}
		// What was accepted must render, section for section.
		r, err := Render(a, RenderOptions{})
		if err != nil {
			t.Fatalf("an accepted article does not render: %v", err)
		}
		for _, html := range append(r.SectionHTML, r.IntroHTML) {
			if strings.Contains(strings.ToLower(html), "<script") {
				t.Fatalf("raw script passed through: %s", html)
			}
		}
	})
}
