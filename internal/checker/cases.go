package checker

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"healthsite/internal/contentfile"
)

// A complaint's triage cases sit beside its rules, in
// complaints/{id}.cases.yaml: answers a reader could tick, written from
// the articles' source rather than from the rules, with the advice they
// must get first and the sections they must (and must not) be sent to.
// Link checks that each case is well formed and speaks of answers and
// sections that exist, then runs them (RunCases).

// casesSuffix ends the name of a complaint's cases file.
const casesSuffix = ".cases.yaml"

// NoCard is the first_card of a case that expects no care card at all.
const NoCard = "none"

// CaseFile is a complaint's triage cases.
type CaseFile struct {
	File  string
	Cases []*Case
}

// Case is one triage case: answers, with what the result must show.
type Case struct {
	Name string
	Line int
	// Answers are ids, as a result link has them.
	Answers []string
	// FirstCard is the level of the first care card the answers must get
	// ("emergency", "urgent", "soon"), or NoCard.
	FirstCard string
	// Sections must appear among the sections to read, NotSections must
	// not; each is "article-slug#section-id", as in the rules.
	Sections, NotSections []string
}

// Counts are how many cases expect each first card, by its name
// ("emergency", "urgent", "soon", NoCard).
func (f *CaseFile) Counts() map[string]int {
	out := map[string]int{}
	if f == nil {
		return out
	}
	for _, c := range f.Cases {
		out[c.FirstCard]++
	}
	return out
}

type (
	casesYAML struct {
		Cases []caseYAML `yaml:"cases"`
	}
	caseYAML struct {
		Name        string   `yaml:"name"`
		Answers     []string `yaml:"answers"`
		FirstCard   string   `yaml:"first_card"`
		Sections    []string `yaml:"sections"`
		NotSections []string `yaml:"not_sections"`
		Line        int      `yaml:"-"`
	}
)

func (c *caseYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain caseYAML
	c.Line = n.Line
	return n.Decode((*plain)(c))
}

// IsCasesFile reports whether a path (relative to the articles folder,
// with slashes) is a complaint's cases file.
func IsCasesFile(name string) bool {
	dir, file := path.Split(name)
	return dir == ComplaintsDir+"/" && strings.HasSuffix(file, casesSuffix)
}

// IsComplaintFile reports whether a path is a rules or cases file: what
// the preview watches in ComplaintsDir.
func IsComplaintFile(name string) bool { return IsRulesFile(name) || IsCasesFile(name) }

// linkAllCases checks every cases file against its complaint, and gives
// each complaint its cases.
func (r *Rules) linkAllCases(files map[string]*rulesFile, articles Articles) contentfile.Problems {
	var probs contentfile.Problems
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := files[name]
		if f.cases == nil {
			continue
		}
		c, ok := r.byID[casesComplaint(name)]
		if !ok {
			if _, defined := files[ComplaintsDir+"/"+casesComplaint(name)+".yaml"]; !defined {
				probs.Add(name, 1, "there is no complaint %q for these cases: name the file after its complaint, %s/{id}%s", casesComplaint(name), ComplaintsDir, casesSuffix)
			}
			continue // a complaint with problems of its own: reported there
		}
		cases, ps := linkCases(f, c, articles)
		probs = append(probs, ps...)
		c.Cases = cases
	}
	return probs
}

// casesComplaint is the id of the complaint a cases file is for.
func casesComplaint(name string) string {
	return strings.TrimSuffix(path.Base(name), casesSuffix)
}

var firstCards = []string{"emergency", "urgent", "soon", NoCard}

// linkCases checks a complaint's cases against its rules and the
// articles: every case is named once, has answers the complaint asks, a
// known first card, and sections that exist.
func linkCases(f *rulesFile, c *Complaint, articles Articles) (*CaseFile, contentfile.Problems) {
	var probs contentfile.Problems
	out := &CaseFile{File: f.name}
	if len(f.cases.Cases) == 0 {
		probs.Add(f.name, max(f.keys["cases"], 1), "there are no cases: list them under \"cases\", or delete the file")
	}
	names := map[string]int{}
	for _, raw := range f.cases.Cases {
		cs := &Case{Name: strings.TrimSpace(raw.Name), Line: raw.Line, FirstCard: raw.FirstCard}
		bad := func(format string, args ...any) {
			probs.Add(f.name, raw.Line, "case %q: %s", cs.Name, fmt.Sprintf(format, args...))
		}
		switch first, dup := names[cs.Name]; {
		case cs.Name == "":
			probs.Add(f.name, raw.Line, "a case has no \"name\": say in a few words what it tries, like \"dizziness alone\"")
		case dup:
			bad("the name is already used on line %d", first)
		default:
			names[cs.Name] = raw.Line
		}
		if !slices.Contains(firstCards, cs.FirstCard) {
			bad("first_card %q is not one of %s", cs.FirstCard, strings.Join(firstCards, ", "))
		}
		for _, id := range raw.Answers {
			if !c.Known(id) {
				bad("%q is not an answer of %s (its ids are in %s)", id, c.ID, c.File)
				continue
			}
			cs.Answers = append(cs.Answers, id)
		}
		for _, list := range []struct {
			field string
			to    []string
			into  *[]string
		}{{"sections", raw.Sections, &cs.Sections}, {"not_sections", raw.NotSections, &cs.NotSections}} {
			for _, to := range list.to {
				slug, id, ok := strings.Cut(to, "#")
				switch {
				case !ok || slug == "" || id == "":
					bad("%s: %q must be written article-slug#section-id", list.field, to)
					continue
				case !articles.HasArticle(slug):
					bad("%s: no article with slug %q", list.field, slug)
					continue
				}
				if _, ok := articles.Section(slug, id); !ok {
					bad("%s: article %q has no section %q", list.field, slug, id)
					continue
				}
				*list.into = append(*list.into, to)
			}
		}
		for _, to := range cs.Sections {
			if slices.Contains(cs.NotSections, to) {
				bad("%q is in both sections and not_sections", to)
			}
		}
		out.Cases = append(out.Cases, cs)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}
