package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"healthsite/internal/contentfile"
)

// ArticlesPerComplaint is how many generated articles there are for each
// generated complaint of the symptom checker: complaint k leads into
// articles k*100 to k*100+99.
const ArticlesPerComplaint = 100

// Complaints is how many complaints a corpus of n articles has: one per
// ArticlesPerComplaint, and one for a corpus smaller than that.
func Complaints(n int) int { return (n + ArticlesPerComplaint - 1) / ArticlesPerComplaint }

// ComplaintID is the id, and the address /symptoms/{id}, of complaint k.
func ComplaintID(k int) string { return fmt.Sprintf("generated-%d", k+1) }

// ComplaintName is the file of complaint k in a corpus folder.
func ComplaintName(k int) string { return "complaints/" + ComplaintID(k) + ".yaml" }

// CasesName is the file of complaint k's triage cases.
func CasesName(k int) string { return "complaints/" + ComplaintID(k) + ".cases.yaml" }

// Limits of a generated complaint's answers. A complaint has fewer
// symptoms only when its articles have fewer causes between them.
const (
	MinComplaintSymptoms = 5
	MaxComplaintSymptoms = 10
)

var complaintCategories = []string{"Generated group A", "Generated group B", "Generated group C", "Generated group D", "Generated group E"}

var redFlagLevels = []string{"urgent", "soon", "emergency"}

// complaint writes the rules of complaint k, whose symptoms lead into the
// cause sections of articles from, from+1, ...: 2 or 3 red flags and 5 to
// 10 checker. Each symptom is one cause heading and leads to every
// section with that heading among the articles it takes; an article taken
// has every cause section reached (the checks warn otherwise), so articles
// are taken whole while they fit. The label and "mentions" name the
// heading, so every section mentions what its symptom names.
//
// It also writes the complaint's triage cases, from what it meant the
// rules to do: each red flag alone gets its own level's card, and with
// "none" too; each symptom alone leads to its sections and to no other
// symptom's; two symptoms lead to the sections of both; "none" with a
// symptom gets no card.
func complaint(k, from int, articles [][]cause) (rules, cases string) {
	r := rand.New(rand.NewPCG(uint64(k), streamSalt^0x636f6d706c61696e)) // "complain"
	want := MinComplaintSymptoms + r.IntN(MaxComplaintSymptoms-MinComplaintSymptoms+1)
	type symptom struct {
		title string
		links []cause
	}
	var symptoms []*symptom
	byTitle := map[string]*symptom{}
	for _, j := range r.Perm(len(articles)) {
		if len(symptoms) >= want {
			break
		}
		fresh := map[string]bool{}
		for _, c := range articles[j] {
			if byTitle[c.title] == nil {
				fresh[c.title] = true
			}
		}
		if len(symptoms)+len(fresh) > MaxComplaintSymptoms {
			continue
		}
		for _, c := range articles[j] {
			s := byTitle[c.title]
			if s == nil {
				s = &symptom{title: c.title}
				byTitle[c.title] = s
				symptoms = append(symptoms, s)
			}
			s.links = append(s.links, c)
		}
	}

	part := partOf(from)
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated rules for testing the symptom checker at scale: filler, not health advice.\n")
	fmt.Fprintf(&b, "id: %s\n", ComplaintID(k))
	fmt.Fprintf(&b, "name: %s pain (generated %d)\n", strings.ToUpper(part.name[:1])+part.name[1:], k+1)
	fmt.Fprintf(&b, "description: Generated filler for testing the checker with many complaints. It is not health advice.\n")
	fmt.Fprintf(&b, "category: %s\n", complaintCategories[k%len(complaintCategories)])
	b.WriteString("last_reviewed: 2026-10-01\nnext_review: 2027-10-01\n")
	b.WriteString("safety_net: \"Generated filler where the thresholds for getting help would go. It is not health advice.\"\n")
	b.WriteString("red_flags:\n  question: Do you have any of these made-up signs?\n  hint: Generated filler. Select all that apply.\n  flags:\n")
	var c strings.Builder
	c.WriteString("# Generated triage cases for the generated rules beside them: filler, not health advice.\ncases:\n")
	writeCase := func(name, first string, answers []string, sections, not []cause) {
		fmt.Fprintf(&c, "  - name: %s\n    answers: [%s]\n    first_card: %s\n", name, strings.Join(answers, ", "), first)
		for _, list := range []struct {
			key   string
			links []cause
		}{{"sections", sections}, {"not_sections", not}} {
			if len(list.links) == 0 {
				continue
			}
			fmt.Fprintf(&c, "    %s:\n", list.key)
			for _, l := range list.links {
				fmt.Fprintf(&c, "      - %s#%s\n", l.slug, l.id)
			}
		}
	}
	for f := range 2 + r.IntN(2) {
		level := redFlagLevels[(k+f)%len(redFlagLevels)]
		id := fmt.Sprintf("generated-sign-%d", f+1)
		writeCase(fmt.Sprintf("made-up sign %d alone", f+1), level, []string{id}, nil, nil)
		writeCase(fmt.Sprintf("made-up sign %d with none", f+1), level, []string{"none", id}, nil, nil)
		fmt.Fprintf(&b, "    - id: generated-sign-%d\n", f+1)
		fmt.Fprintf(&b, "      label: A made-up warning sign, number %d\n", f+1)
		fmt.Fprintf(&b, "      when: you have made-up warning sign number %d\n", f+1)
		fmt.Fprintf(&b, "      level: %s\n", level)
		fmt.Fprintf(&b, "      advice: \"Generated advice for sign %d: filler, not health advice.\"\n", f+1)
	}
	b.WriteString("symptom_groups:\n")
	half := (len(symptoms) + 1) / 2
	for g, group := range [][]*symptom{symptoms[:half], symptoms[half:]} {
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  - question: Generated question %c\n    hint: Select all that apply.\n    symptoms:\n", 'A'+g)
		for _, s := range group {
			fmt.Fprintf(&b, "      - id: %s\n", symptomID(s.title))
			fmt.Fprintf(&b, "        label: \"A made-up sign: %s\"\n", strings.ToLower(s.title[:1])+s.title[1:])
			fmt.Fprintf(&b, "        mentions: %q\n", s.title)
			b.WriteString("        sections:\n")
			for _, l := range s.links {
				fmt.Fprintf(&b, "          - to: %s#%s\n", l.slug, l.id)
			}
		}
	}
	for i, s := range symptoms {
		var others []cause
		for _, o := range symptoms {
			if o != s {
				others = append(others, o.links[0])
			}
		}
		writeCase(fmt.Sprintf("made-up symptom %d alone", i+1), "none", []string{symptomID(s.title)}, s.links, others)
		if i > 0 {
			prev := symptoms[i-1]
			writeCase(fmt.Sprintf("made-up symptoms %d and %d, with none", i, i+1), "none", []string{"none", symptomID(prev.title), symptomID(s.title)}, []cause{prev.links[0], s.links[0]}, nil)
		}
	}
	return b.String(), c.String()
}

// symptomID is a symptom's id from its heading, within the 64-byte limit.
func symptomID(title string) string {
	id := contentfile.Slugify(title)
	if len(id) > 60 {
		id = strings.TrimRight(id[:60], "-")
	}
	return id
}
