package content

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// SymptomsFile is the file beside the articles that holds the symptom
// checker's rules. It is optional: a site without it has no checker.
const SymptomsFile = "symptoms.yaml"

// NoneID is the reserved answer "No, I do not have any of these", which
// cannot be ticked together with a red flag.
const NoneID = "none"

// Level is how urgently a red flag needs medical help.
type Level int

// Levels, most urgent first: sorting by Level puts emergencies on top.
const (
	Emergency Level = iota
	Urgent
	Soon
)

var levelNames = map[string]Level{"emergency": Emergency, "urgent": Urgent, "soon": Soon}

func (l Level) String() string {
	for name, v := range levelNames {
		if v == l {
			return name
		}
	}
	return "unknown"
}

// Symptoms are the validated rules of the symptom checker.
type Symptoms struct {
	File         string
	LastReviewed Date
	// NextReview is when the rules are next due to be checked against the
	// articles they point to; never earlier than LastReviewed.
	NextReview Date
	RedFlags   []*RedFlag
	Symptoms   []*Symptom
	// Groups are the symptom groups in the order they first appear.
	Groups []*SymptomGroup
	byID   map[string]any
}

// RedFlag is an answer that means the reader should get medical help.
type RedFlag struct {
	ID     string
	Label  string
	Hint   string
	Level  Level
	Advice string
}

// Symptom is an answer that leads to article sections.
type Symptom struct {
	ID       string
	Label    string
	Hint     string
	Group    string
	Sections []SectionLink
}

// SymptomGroup is a set of symptoms shown together under one legend.
type SymptomGroup struct {
	ID       string // for the fieldset's id, like "group-pain"
	Name     string
	Symptoms []*Symptom
}

// SectionLink is where a symptom leads: a section of an article.
type SectionLink struct {
	Article *Article
	Heading Heading
	Weight  int
}

// URL is the site-relative address of the section.
func (l SectionLink) URL() string { return "/articles/" + l.Article.Slug + "#" + l.Heading.ID }

// RedFlag returns the red flag with the given id.
func (s *Symptoms) RedFlag(id string) (*RedFlag, bool) {
	f, ok := s.byID[id].(*RedFlag)
	return f, ok
}

// Symptom returns the symptom with the given id.
func (s *Symptoms) Symptom(id string) (*Symptom, bool) {
	sy, ok := s.byID[id].(*Symptom)
	return sy, ok
}

// Known reports whether id is an answer the checker knows, "none" included.
func (s *Symptoms) Known(id string) bool {
	_, ok := s.byID[id]
	return ok || id == NoneID
}

// symptomsFile is the YAML as written.
type symptomsFile struct {
	LastReviewed Date `yaml:"last_reviewed"`
	NextReview   Date `yaml:"next_review"`
	RedFlags     []struct {
		ID     string `yaml:"id"`
		Label  string `yaml:"label"`
		Hint   string `yaml:"hint"`
		Level  string `yaml:"level"`
		Advice string `yaml:"advice"`
	} `yaml:"red_flags"`
	Symptoms []struct {
		ID       string `yaml:"id"`
		Label    string `yaml:"label"`
		Hint     string `yaml:"hint"`
		Group    string `yaml:"group"`
		Sections []struct {
			To     string `yaml:"to"`
			Weight int    `yaml:"weight"`
		} `yaml:"sections"`
	} `yaml:"symptoms"`
}

var answerID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// maxAnswerIDLen keeps ids well inside the 64-byte limit on result links.
const maxAnswerIDLen = 64

// loadSymptoms reads and validates the rules against the loaded articles.
// It returns nil and no problems when the site has no rules file.
func loadSymptoms(fsys fs.FS, bySlug map[string]*Article) (*Symptoms, Problems) {
	file := SymptomsFile
	src, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var probs Problems
	if err != nil {
		probs.add(file, 0, "cannot read: %v", err)
		return nil, probs
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		addYAMLError(&probs, file, err, 1, "")
		return nil, probs
	}
	var raw symptomsFile
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		addYAMLError(&probs, file, err, 1, "")
		return nil, probs
	}
	lines := listLines(&root)

	s := &Symptoms{File: file, LastReviewed: raw.LastReviewed, NextReview: raw.NextReview, byID: map[string]any{}}
	// keyLine is the line of a top-level key, or 1 when it is missing.
	keyLine := func(key string) int { return max(lines.at(key, 0), 1) }
	for _, d := range []struct {
		key  string
		date Date
	}{{"last_reviewed", s.LastReviewed}, {"next_review", s.NextReview}} {
		if d.date.IsZero() {
			probs.add(file, keyLine(d.key), "%q is required (YYYY-MM-DD)", d.key)
		}
	}
	if !s.LastReviewed.IsZero() && !s.NextReview.IsZero() && s.NextReview.Before(s.LastReviewed.Time) {
		probs.add(file, keyLine("next_review"), "next_review %s is earlier than last_reviewed %s", s.NextReview.ISO(), s.LastReviewed.ISO())
	}
	checkID := func(kind, id string, line int) bool {
		switch {
		case id == "":
			probs.add(file, line, "%s has no id", kind)
		case id == NoneID:
			probs.add(file, line, "%s id %q is reserved for \"No, I do not have any of these\"", kind, id)
		case !answerID.MatchString(id) || len(id) > maxAnswerIDLen:
			probs.add(file, line, "%s id %q must be lowercase letters, digits and single hyphens, at most %d bytes", kind, id, maxAnswerIDLen)
		case s.byID[id] != nil:
			probs.add(file, line, "%s id %q is used twice", kind, id)
		default:
			return true
		}
		return false
	}

	for i, f := range raw.RedFlags {
		line := lines.at("red_flags", i)
		ok := checkID("red flag", f.ID, line)
		level, known := levelNames[f.Level]
		if !known {
			probs.add(file, line, "red flag %q: level %q is not one of emergency, urgent, soon", f.ID, f.Level)
		}
		if strings.TrimSpace(f.Label) == "" {
			probs.add(file, line, "red flag %q has no label", f.ID)
		}
		if strings.TrimSpace(f.Advice) == "" {
			probs.add(file, line, "red flag %q has no advice", f.ID)
		}
		if ok {
			rf := &RedFlag{ID: f.ID, Label: strings.TrimSpace(f.Label), Hint: strings.TrimSpace(f.Hint), Level: level, Advice: strings.TrimSpace(f.Advice)}
			s.RedFlags = append(s.RedFlags, rf)
			s.byID[f.ID] = rf
		}
	}

	groups := map[string]*SymptomGroup{}
	for i, sy := range raw.Symptoms {
		line := lines.at("symptoms", i)
		ok := checkID("symptom", sy.ID, line)
		if strings.TrimSpace(sy.Label) == "" {
			probs.add(file, line, "symptom %q has no label", sy.ID)
		}
		if strings.TrimSpace(sy.Group) == "" {
			probs.add(file, line, "symptom %q has no group", sy.ID)
		}
		if len(sy.Sections) == 0 {
			probs.add(file, line, "symptom %q points to no article section", sy.ID)
		}
		out := &Symptom{ID: sy.ID, Label: strings.TrimSpace(sy.Label), Hint: strings.TrimSpace(sy.Hint), Group: strings.TrimSpace(sy.Group)}
		seen := map[string]bool{}
		for j, sec := range sy.Sections {
			at := lines.at("symptoms."+strconv.Itoa(i)+".sections", j)
			if at == 0 {
				at = line
			}
			slug, id, found := strings.Cut(sec.To, "#")
			if !found || slug == "" || id == "" {
				probs.add(file, at, "symptom %q: %q must be written article-slug#section-id", sy.ID, sec.To)
				continue
			}
			a, known := bySlug[slug]
			if !known {
				probs.add(file, at, "symptom %q: no article with slug %q", sy.ID, slug)
				continue
			}
			h, known := a.Heading(id)
			if !known {
				probs.add(file, at, "symptom %q: article %q has no section %q", sy.ID, slug, id)
				continue
			}
			if seen[sec.To] {
				probs.add(file, at, "symptom %q points to %q twice", sy.ID, sec.To)
				continue
			}
			seen[sec.To] = true
			if sec.Weight < 0 {
				probs.add(file, at, "symptom %q: weight %d must not be negative", sy.ID, sec.Weight)
			}
			w := sec.Weight
			if w == 0 {
				w = 1
			}
			out.Sections = append(out.Sections, SectionLink{Article: a, Heading: h, Weight: w})
		}
		if !ok {
			continue
		}
		s.Symptoms = append(s.Symptoms, out)
		s.byID[out.ID] = out
		g := groups[out.Group]
		if g == nil {
			g = &SymptomGroup{ID: "group-" + Slugify(out.Group), Name: out.Group}
			groups[out.Group] = g
			s.Groups = append(s.Groups, g)
		}
		g.Symptoms = append(g.Symptoms, out)
	}
	if len(raw.Symptoms) == 0 {
		probs.add(file, 1, "there are no symptoms")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}

// listLines maps each top-level key that is not a list (like
// "next_review") to its own line, "red_flags" and "symptoms" to the line of
// each item, and "symptoms.N.sections" to the lines of that symptom's
// section links.
func listLines(root *yaml.Node) lineIndex {
	out := lineIndex{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, v := m.Content[i].Value, m.Content[i+1]
		if v.Kind != yaml.SequenceNode {
			out[key] = []int{m.Content[i].Line}
			continue
		}
		for j, item := range v.Content {
			out[key] = append(out[key], item.Line)
			if key != "symptoms" || item.Kind != yaml.MappingNode {
				continue
			}
			for k := 0; k+1 < len(item.Content); k += 2 {
				if item.Content[k].Value == "sections" && item.Content[k+1].Kind == yaml.SequenceNode {
					for _, sec := range item.Content[k+1].Content {
						out["symptoms."+strconv.Itoa(j)+".sections"] = append(out["symptoms."+strconv.Itoa(j)+".sections"], sec.Line)
					}
				}
			}
		}
	}
	return out
}

// lineIndex holds the lines of list items, by list.
type lineIndex map[string][]int

// at is the line of item i of a list, or 0 when unknown.
func (l lineIndex) at(key string, i int) int {
	if i < len(l[key]) {
		return l[key][i]
	}
	return 0
}
