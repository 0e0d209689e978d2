package content_test

import (
	"slices"
	"strings"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/htmltest"
)

const seedSlug = "neck-pain-after-cervical-massage"

func seedArticle(t *testing.T) *content.Article {
	t.Helper()
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatalf("bundled articles do not load:\n%v", err)
	}
	a, ok := site.Article(seedSlug)
	if !ok {
		t.Fatalf("no article %q", seedSlug)
	}
	return a
}

// seedCauses are the seed article's cause sections, by the id in shared
// links, with the prefix of their "###" heading ids.
var seedCauses = []struct{ id, prefix string }{
	{"too-much-force-during-manipulation", "too-much-force"},
	{"muscle-tension-and-protective-spasm", "muscle-tension"},
	{"neck-muscle-strain", "muscle-strain"},
	{"cervical-facet-joint-disorder", "facet-joint"},
	{"neck-and-shoulder-fasciitis", "fasciitis"},
}

// The "##" ids are in links people have shared: they never change.
func TestSeedArticleSectionIDs(t *testing.T) {
	a := seedArticle(t)
	var got []string
	for _, s := range a.Sections {
		got = append(got, s.ID)
	}
	var want []string
	for _, c := range seedCauses {
		want = append(want, c.id)
	}
	want = append(want, "looking-after-your-neck-every-day", "if-too-forceful", content.UrgentSectionID)
	if !slices.Equal(got, want) {
		t.Errorf("section ids\n got %q\nwant %q", got, want)
	}
}

// Each cause is scanned by the same three "###" headings, each with an id
// of its own so that it can be linked to.
func TestSeedArticleCauseHeadings(t *testing.T) {
	a := seedArticle(t)
	seen := map[string]bool{}
	for _, h := range a.Headings {
		if seen[h.ID] {
			t.Errorf("heading id %q is used twice", h.ID)
		}
		seen[h.ID] = true
	}
	for _, c := range seedCauses {
		t.Run(c.id, func(t *testing.T) {
			var got []content.Heading
			in := false
			for _, h := range a.Headings {
				if h.Level == 2 {
					in = h.ID == c.id
					continue
				}
				if in {
					got = append(got, h)
				}
			}
			want := []struct{ title, id string }{
				{"What happens", c.prefix + "-what-happens"},
				{"How it feels", c.prefix + "-how-it-feels"},
				{"What helps", c.prefix + "-what-helps"},
			}
			if len(got) != len(want) {
				t.Fatalf("got %d h3 headings %+v, want %d", len(got), got, len(want))
			}
			for i, w := range want {
				if got[i].Level != 3 || got[i].Title != w.title || got[i].ID != w.id {
					t.Errorf("heading %d = h%d %q #%s, want h3 %q #%s", i+1, got[i].Level, got[i].Title, got[i].ID, w.title, w.id)
				}
			}
		})
	}
}

// The source names 9 medicines; each keeps its exact form, as a list item
// of the section it belongs to (an explanation may follow in brackets).
func TestSeedArticleMedicines(t *testing.T) {
	a := seedArticle(t)
	want := map[string][]string{
		"neck-muscle-strain":            {"diclofenac diethylamine gel", "ibuprofen sustained-release capsules", "Yunnan Baiyao aerosol"},
		"cervical-facet-joint-disorder": {"celecoxib capsules", "eperisone hydrochloride tablets", "Huoxue Zhitong capsules"},
		"neck-and-shoulder-fasciitis":   {"loxoprofen sodium gel patches", "etoricoxib tablets", "compound chlorzoxazone tablets"},
	}
	inv := content.Inspect(a)
	for i, s := range a.Sections {
		names, ok := want[s.ID]
		if !ok {
			continue
		}
		for _, name := range names {
			found := false
			for _, b := range inv.SectionText[i+1] {
				if b.Text == name || strings.HasPrefix(b.Text, name+" (") {
					found = true
				}
			}
			if !found {
				t.Errorf("section %q does not list %q", s.ID, name)
			}
		}
	}
}

// The advice is also shown as a Do list and a Don't list, each under a
// heading that says which it is (the tick or cross the stylesheet draws
// only repeats it), built only from what the source advises.
func TestSeedArticleDoAndDont(t *testing.T) {
	a := seedArticle(t)
	for _, id := range []string{"looking-after-your-neck-every-day", "if-too-forceful"} {
		i := slices.IndexFunc(a.Sections, func(s content.Section) bool { return s.ID == id })
		if i < 0 {
			t.Fatalf("no section %q", id)
		}
		if !a.Sections[i].General {
			t.Errorf("the Do and Don't section %q is not marked {.general}", id)
		}
	}
	r, err := content.Render(a, content.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Daily care and what to do after too much force are separate lists:
	// a cold compress (for too much force) never stands beside keeping
	// the neck warm (every day), and stretches belong to muscle tension
	// only, as in the source.
	lists := []struct {
		section, heading, id, class string
		items                       []string
	}{
		{"looking-after-your-neck-every-day", "Do", "do", "do-heading", []string{
			"keep your neck warm, so that it does not get cold",
			"use a pillow of the right height, so that it supports your neck",
			"do gentle neck exercises to help your neck recover",
		}},
		{"looking-after-your-neck-every-day", "Don't", "dont", "dont-heading", []string{
			"do not spend long periods looking down at your phone, tablet or computer",
			"do not take the medicines on this page unless a doctor advises it",
		}},
		{"if-too-forceful", "Do", "if-too-forceful-do", "do-heading", []string{
			"stop the massage or manipulation straight away",
			"give your neck enough rest",
			"put a cold compress on the sore area to ease the pain",
		}},
		{"if-too-forceful", "Don't", "if-too-forceful-dont", "dont-heading", []string{
			"do not do strenuous activity, which is anything that is hard work or tiring",
		}},
	}
	for _, l := range lists {
		i := slices.IndexFunc(a.Sections, func(s content.Section) bool { return s.ID == l.section })
		doc := htmltest.Parse(t, []byte(r.SectionHTML[i]))
		h := htmltest.One(t, doc, "h3#"+l.id+"."+l.class)
		if got := htmltest.Text(h); got != l.heading {
			t.Errorf("heading #%s = %q, want %q", l.id, got, l.heading)
		}
		var got []string
		for _, li := range htmltest.All(t, doc, ".section-heading:has(h3#"+l.id+") + ul > li") {
			if text := strings.ToLower(htmltest.Text(li)); strings.HasPrefix(text, "do not") != (l.heading == "Don't") {
				t.Errorf("%q is in the %s list", text, l.heading)
			}
			got = append(got, strings.Join(strings.Fields(htmltest.Text(li)), " "))
		}
		if !slices.Equal(got, l.items) {
			t.Errorf("%s list\n got %q\nwant %q", l.heading, got, l.items)
		}
	}
}
