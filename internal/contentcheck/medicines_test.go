package contentcheck

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"healthsite/articles"
	"healthsite/internal/content"
)

func TestMedicineLists(t *testing.T) {
	const fm = "---\ntitle: T\nsummary: Which medicines help, and which drugs do not.\n---\n"
	tests := []struct {
		name string
		body string // from line 5
		want []medicineList
	}{
		{"a list after a sentence about medicines", "\n## Cause\n\nSome medicines may help. They include:\n\n- pill A\n- gel B\n",
			[]medicineList{{Line: 8, Items: []string{"pill A", "gel B"}}}},
		{"the sentence may come a paragraph earlier", "\n## Cause\n\nA doctor may suggest medication.\n\nAsk first. They include:\n\n1. pill A\n",
			[]medicineList{{Line: 8, Items: []string{"pill A"}}}},
		{"loose list, two lines in an item", "\nDrugs that may help:\n\n- pill A,\n  taken with food\n\n- gel B\n",
			[]medicineList{{Line: 6, Items: []string{"pill A, taken with food", "gel B"}}}},
		{"every list under the heading counts", "\n### What helps\n\nSome medicines:\n\n- pill A\n\nOr:\n\n- gel B\n",
			[]medicineList{{Line: 8, Items: []string{"pill A"}}, {Line: 8, Items: []string{"gel B"}}}},
		{"a heading ends the lead-in", "\nMedicines can help.\n\n## Daily care\n\n- keep warm\n", nil},
		{"a list with no sentence about medicines", "\n## Daily care\n\nEvery day:\n\n- keep warm\n", nil},
		{"the word only in a list", "\n## Care\n\nWhat helps:\n\n- medicine, if a doctor advises it\n", nil},
		{"words that only contain the word", "\nAt the drugstore or for medicinal tea:\n\n- tea\n", nil},
		{"front matter is not text", "\n## Care\n\n- keep warm\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := medicineLists([]byte(fm + tt.body))
			if !slices.EqualFunc(got, tt.want, func(a, b medicineList) bool { return a.Line == b.Line && slices.Equal(a.Items, b.Items) }) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The bundled article names the source's 9 medicines in the house style,
// and the check finds all of them.
func TestMedicineListsInBundledArticle(t *testing.T) {
	src, err := fs.ReadFile(articles.FS, "neck-pain-after-cervical-massage.md")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range medicineLists(src) {
		for _, item := range l.Items {
			name, _, _ := strings.Cut(item, " (") // an explanation may follow in brackets
			got = append(got, name)
		}
	}
	want := []string{
		"diclofenac diethylamine gel", "ibuprofen sustained-release capsules", "Yunnan Baiyao aerosol",
		"celecoxib capsules", "eperisone hydrochloride tablets", "Huoxue Zhitong capsules",
		"loxoprofen sodium gel patches", "etoricoxib tablets", "compound chlorzoxazone tablets",
	}
	if !slices.Equal(got, want) {
		t.Errorf("medicines found\n got %q\nwant %q", got, want)
	}
}

// An article that names medicines must say who reviewed it, or say that
// no clinician has yet; -strict then fails until one of the two is there.
func TestClinicalReviewWarning(t *testing.T) {
	const medicines = "\n## First cause\n\nIt hurts. Some medicines may help. They include:\n\n- pill A\n- gel B\n\n## When to get medical help\n\nSee a doctor.\n"
	const oneMedicine = "\n## First cause\n\nIt hurts. A medicine may help:\n\n- pill A\n\n## When to get medical help\n\nSee a doctor.\n"
	tests := []struct {
		name  string
		extra string // front matter lines
		body  string
		want  string // the finding, "" for none
	}{
		{"medicines, no reviewer", "", medicines,
			`a.md:12: warning: names 2 medicines, like "pill A", but no clinician has signed it off: once one has reviewed it, record it with healthsite signoff; until then set "clinical_review: pending" to say you know`},
		{"one medicine", "", oneMedicine, `a.md:12: warning: names a medicine, "pill A", but no clinician has signed it off`},
		{"medicines, signed off", "clinical_signoff: {by: Dr A. Example, date: 2026-12-01, sha256: SIGNED}\n", medicines, ""},
		{"medicines, signed off but changed since", "clinical_signoff: {by: Dr A. Example, date: 2026-12-01, sha256: " + strings.Repeat("0", 64) + "}\n", medicines,
			`a.md: warning: changed since clinical sign-off on 1 December 2026 (by Dr A. Example): the pages now say so`},
		{"medicines, review pending", "clinical_review: pending\n", medicines, ""},
		{"no medicines", "", okBody, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(article("2027-06-01", tt.body), "---\n", "---\n"+tt.extra, 1)
			if strings.Contains(src, "SIGNED") { // the hash of the text as it is
				a, probs := content.Parse("a.md", []byte(strings.Replace(src, "SIGNED", strings.Repeat("0", 64), 1)))
				if len(probs) > 0 {
					t.Fatal(probs)
				}
				src = strings.Replace(src, "SIGNED", content.ArticleTextHash(a.Title, a.Summary, content.ArticleBody([]byte(src))), 1)
			}
			var got []string
			for _, f := range Check(fstest.MapFS{"a.md": {Data: []byte(src)}}, testOptions, now) {
				got = append(got, f.String())
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("findings %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.want)):
				t.Errorf("findings %q, want one starting %q", got, tt.want)
			}
		})
	}
}
