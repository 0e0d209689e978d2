package content_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/htmltest"
)

// goodFrontMatter is a complete, valid front matter block; tests change one
// field at a time.
const goodFrontMatter = `title: Back pain
summary: What causes back pain and what helps.
last_reviewed: 2026-01-10
next_review: 2027-01-10
sources:
  - title: A source
    publisher: A publisher
    author: A. Author
    date: 2025-12-01
`

const goodBody = `
Intro paragraph.

## Muscle strain

Text about strain.

## When to get medical help

See a doctor if it gets worse.
`

func article(frontMatter, body string) string {
	return "---\n" + frontMatter + "---\n" + body
}

func load(t *testing.T, files map[string]string) (*content.Site, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return content.Load(fsys)
}

func TestLoadBundledArticles(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatalf("bundled articles do not load:\n%v", err)
	}
	a, ok := site.Article("neck-pain-after-cervical-massage")
	if !ok {
		t.Fatal("the seed article is missing")
	}
	if len(a.Sources) == 0 || a.Sources[0].Publisher != "Cainiu Health" {
		t.Errorf("seed article sources = %+v, want the Cainiu Health source cited", a.Sources)
	}
}

func TestLoadGoodArticle(t *testing.T) {
	site, err := load(t, map[string]string{"back-pain.md": article(goodFrontMatter+"author: Jo\ntags: [back]\npublished: 2025-12-24\n", goodBody)})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	a, ok := site.Article("back-pain")
	if !ok {
		t.Fatal("slug should default to the file name")
	}
	if a.Title != "Back pain" || a.Author != "Jo" || a.SignOff != nil {
		t.Errorf("got title %q author %q sign-off %+v", a.Title, a.Author, a.SignOff)
	}
	if got, want := a.LastReviewed.ISO(), "2026-01-10"; got != want {
		t.Errorf("last_reviewed = %s, want %s", got, want)
	}
	if got, want := a.NextReview.Human(), "10 January 2027"; got != want {
		t.Errorf("next_review = %s, want %s", got, want)
	}
	var ids []string
	for _, s := range a.Sections {
		ids = append(ids, s.ID)
	}
	if got, want := strings.Join(ids, ","), "muscle-strain,when-to-get-medical-help"; got != want {
		t.Errorf("section ids = %s, want %s", got, want)
	}
	if !a.Sections[1].Urgent || a.Sections[0].Urgent {
		t.Errorf("only the medical help section should be urgent: %+v", a.Sections)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantErrs []string // each must appear in the error text
	}{
		{
			name:     "no front matter",
			files:    map[string]string{"a.md": "# Title\n\ntext\n"},
			wantErrs: []string{"a.md:1: no front matter"},
		},
		{
			name:     "missing title",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "title: Back pain\n", "", 1), goodBody)},
			wantErrs: []string{`a.md:1: front matter: "title" is required`},
		},
		{
			name:     "empty summary",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "summary: What causes back pain and what helps.", "summary: ''", 1), goodBody)},
			wantErrs: []string{`a.md:3: front matter: "summary" is required`},
		},
		{
			name:     "unparseable date",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "2026-01-10", "10/01/2026", 1), goodBody)},
			wantErrs: []string{`a.md:4: front matter: "10/01/2026" is not a date`},
		},
		{
			name:     "date with no value",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "last_reviewed: 2026-01-10", "last_reviewed:", 1), goodBody)},
			wantErrs: []string{`a.md:4: front matter: "last_reviewed" is required`},
		},
		{
			name:     "heading with an empty explicit id",
			files:    map[string]string{"a.md": article(goodFrontMatter, goodBody+"\n## Other strain {#}\n\nText.\n")},
			wantErrs: []string{`a.md:23: the heading "Other strain" has an empty id`},
		},
		{
			name:     "mistyped field",
			files:    map[string]string{"a.md": article(goodFrontMatter+"tags: {a: b}\n", goodBody)},
			wantErrs: []string{"a.md:11: front matter:", "is not a list"},
		},
		{
			name:     "unknown field",
			files:    map[string]string{"a.md": article(goodFrontMatter+"next_reveiw: 2027-01-01\n", goodBody)},
			wantErrs: []string{`a.md:11: front matter: unknown field "next_reveiw"`},
		},
		{
			name:     "no sources",
			files:    map[string]string{"a.md": article(strings.Split(goodFrontMatter, "sources:")[0], goodBody)},
			wantErrs: []string{`a.md:1: front matter: at least one entry in "sources" is required`},
		},
		{
			name:     "source missing its publisher",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "    publisher: A publisher\n", "", 1), goodBody)},
			wantErrs: []string{`a.md:7: front matter: source 1 needs a "publisher"`},
		},
		{
			name:     "next review before last review",
			files:    map[string]string{"a.md": article(strings.Replace(goodFrontMatter, "next_review: 2027-01-10", "next_review: 2025-01-10", 1), goodBody)},
			wantErrs: []string{"a.md:5: front matter: next_review 2025-01-10 is earlier than last_reviewed 2026-01-10"},
		},
		{
			name:     "bad YAML",
			files:    map[string]string{"a.md": article(goodFrontMatter+"title: [unclosed\n", goodBody)},
			wantErrs: []string{"a.md:", "front matter:"},
		},
		{
			name: "duplicate slugs",
			files: map[string]string{
				"a.md": article(goodFrontMatter+"slug: same\n", goodBody),
				"b.md": article(goodFrontMatter+"slug: same\n", goodBody),
			},
			wantErrs: []string{`b.md: slug "same" is already used by a.md`},
		},
		{
			name:     "bad slug",
			files:    map[string]string{"a.md": article(goodFrontMatter+"slug: Not A Slug\n", goodBody)},
			wantErrs: []string{`a.md:11: front matter: slug "Not A Slug" must be lowercase`},
		},
		{
			name:     "duplicate section ids",
			files:    map[string]string{"a.md": article(goodFrontMatter, goodBody+"\n## Muscle strain\n\nAgain.\n")},
			wantErrs: []string{`a.md:23: section id "muscle-strain" is already used by the heading on line 15`},
		},
		{
			name:     "explicit id clashing with a generated one",
			files:    map[string]string{"a.md": article(goodFrontMatter, goodBody+"\n### Other {#muscle-strain}\n")},
			wantErrs: []string{`a.md:23: section id "muscle-strain" is already used`},
		},
		{
			name:     "no medical help section",
			files:    map[string]string{"a.md": article(goodFrontMatter, "\n## Muscle strain\n\ntext\n")},
			wantErrs: []string{`a.md: missing the section "## When to get medical help"`},
		},
		{
			name: "several problems in several files are all reported",
			files: map[string]string{
				"a.md": article(strings.Replace(goodFrontMatter, "title: Back pain\n", "", 1), goodBody),
				"b.md": article(strings.Replace(goodFrontMatter, "2027-01-10", "soon", 1), goodBody),
			},
			wantErrs: []string{`a.md:1: front matter: "title" is required`, `b.md:5: front matter: "soon" is not a date`},
		},
		{
			name:     "no articles at all",
			files:    map[string]string{"notes.txt": "hello"},
			wantErrs: []string{"no articles"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, err := load(t, tt.files)
			if err == nil {
				t.Fatalf("Load succeeded, want errors %q", tt.wantErrs)
			}
			if site != nil {
				t.Errorf("Load returned a site along with errors")
			}
			var probs contentfile.Problems
			if !errors.As(err, &probs) {
				t.Errorf("error is %T, want contentfile.Problems", err)
			}
			for _, want := range tt.wantErrs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\ndoes not contain %q", err, want)
				}
			}
		})
	}
}

func TestRendering(t *testing.T) {
	body := `
Intro with [an outside link](https://example.org/page) and [an inside one](/about).

<script>alert("x")</script>

Inline <script>alert(1)</script> too, and [a trap](javascript:alert(1)).

## Neck muscle strain

First paragraph of the strain section.

### How it feels {#feels}

Sore.

## Cervicobrachial (neck and shoulder) fasciitis {#neck-and-shoulder-fasciitis}

### What happens {#fasciitis-what-happens}

Fascia becomes inflamed.

## When to get medical help

Now.
`
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, body)})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	a := site.Articles[0]
	r, err := content.Render(a, content.RenderOptions{})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	var html strings.Builder
	html.WriteString(r.IntroHTML)
	for _, s := range r.SectionHTML {
		html.WriteString(s)
	}
	doc := htmltest.Parse(t, []byte("<!DOCTYPE html><html><body>"+html.String()+"</body></html>"))

	t.Run("heading ids", func(t *testing.T) {
		for _, id := range []string{"neck-muscle-strain", "feels", "neck-and-shoulder-fasciitis", "when-to-get-medical-help"} {
			htmltest.One(t, doc, "#"+id)
		}
	})
	t.Run("self-links", func(t *testing.T) {
		for _, id := range []string{"neck-muscle-strain", "feels", "neck-and-shoulder-fasciitis"} {
			link := htmltest.One(t, doc, `a.self-link[href="#`+id+`"]`)
			if got := htmltest.Text(link); !strings.Contains(got, "Link to this section") {
				t.Errorf("self-link to %s says %q, want it to name what it does", id, got)
			}
		}
	})
	t.Run("sections and headings", func(t *testing.T) {
		if len(a.Sections) != 3 {
			t.Fatalf("got %d sections, want 3 (one per ##)", len(a.Sections))
		}
		h, ok := a.Heading("feels")
		if !ok || h.Level != 3 || h.Title != "How it feels" {
			t.Errorf("Heading(feels) = %+v, %v", h, ok)
		}
		excerpts := content.Excerpts(a)
		if got, want := excerpts[a.Sections[0].ID], "First paragraph of the strain section."; got != want {
			t.Errorf("excerpt = %q, want %q", got, want)
		}
		if got, want := a.Sections[1].Title, "Cervicobrachial (neck and shoulder) fasciitis"; got != want {
			t.Errorf("title = %q, want %q", got, want)
		}
		// A section that opens with a sub-heading shows its first words.
		if got, want := excerpts[a.Sections[1].ID], "Fascia becomes inflamed."; got != want {
			t.Errorf("excerpt of a section opening with ### = %q, want %q", got, want)
		}
		if got := excerpts[a.Sections[2].ID]; got != "Now." {
			t.Errorf("excerpt of the last section = %q, want %q", got, "Now.")
		}
	})
	t.Run("no script passes through", func(t *testing.T) {
		if n := len(htmltest.All(t, doc, "script")); n != 0 {
			t.Errorf("found %d <script> elements, want none", n)
		}
		for _, l := range htmltest.All(t, doc, "a") {
			href, _ := htmltest.Attr(l, "href")
			if strings.HasPrefix(strings.ToLower(href), "javascript:") {
				t.Errorf("javascript: link passed through: %q", href)
			}
		}
	})
	t.Run("external links are marked", func(t *testing.T) {
		ext := htmltest.One(t, doc, `a[href="https://example.org/page"]`)
		if rel, _ := htmltest.Attr(ext, "rel"); !strings.Contains(rel, "noopener") || !strings.Contains(rel, "noreferrer") {
			t.Errorf("external link rel = %q, want noopener noreferrer", rel)
		}
		in := htmltest.One(t, doc, `a[href="/about"]`)
		if rel, ok := htmltest.Attr(in, "rel"); ok {
			t.Errorf("internal link has rel %q, want none", rel)
		}
	})
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Neck muscle strain", "neck-muscle-strain"},
		{"Cervicobrachial (neck and shoulder) fasciitis", "cervicobrachial-neck-and-shoulder-fasciitis"},
		{"  What   helps?  ", "what-helps"},
		{"Über 50s", "über-50s"},
		{"!!!", "section"},
	}
	for _, tt := range tests {
		if got := contentfile.Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRelated(t *testing.T) {
	fm := func(title, tags string) string {
		return strings.Replace(goodFrontMatter, "title: Back pain", "title: "+title, 1) + "tags: " + tags + "\n"
	}
	site, err := load(t, map[string]string{
		"a.md": article(fm("A", "[neck, massage]"), goodBody),
		"b.md": article(fm("B", "[neck]"), goodBody),
		"c.md": article(fm("C", "[neck, massage]"), goodBody),
		"d.md": article(fm("D", "[knee]"), goodBody),
	})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := site.Article("a")
	var got []string
	for _, r := range site.Related(a) {
		got = append(got, r.Slug)
	}
	if strings.Join(got, ",") != "c,b" {
		t.Errorf("related to a = %v, want [c b] (most shared tags first)", got)
	}
	d, _ := site.Article("d")
	if n := len(site.Related(d)); n != 0 {
		t.Errorf("d shares no tags but has %d related", n)
	}
}

// Pictures from static/ are listed at load, for the server to check, and
// rendered at the address the server gives them.
func TestStaticImages(t *testing.T) {
	body := "\nIntro.\n\n![A drawing of the neck](/static/neck.png)\n\n## When to get medical help\n\n![Elsewhere](https://example.org/x.png) and ![](/static/missing.png)\n"
	site, err := load(t, map[string]string{"a.md": article(goodFrontMatter, body)})
	if err != nil {
		t.Fatal(err)
	}
	a := site.Articles[0]
	want := []content.StaticImage{{Name: "neck.png", Line: 15}, {Name: "missing.png", Line: 19}}
	if !slices.Equal(a.StaticImages, want) {
		t.Errorf("static images = %+v, want %+v", a.StaticImages, want)
	}
	r, err := content.Render(a, content.RenderOptions{StaticURL: func(name string) (string, bool) {
		if name == "neck.png" {
			return "/static/neck.0123456789.png", true
		}
		return "", false
	}})
	if err != nil {
		t.Fatal(err)
	}
	doc := htmltest.Parse(t, []byte(r.IntroHTML+strings.Join(r.SectionHTML, "")))
	var srcs []string
	for _, img := range htmltest.All(t, doc, "img") {
		src, _ := htmltest.Attr(img, "src")
		srcs = append(srcs, src)
	}
	if got := strings.Join(srcs, " "); got != "/static/neck.0123456789.png https://example.org/x.png /static/missing.png" {
		t.Errorf("img src = %s", got)
	}
}
