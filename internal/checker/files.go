package checker

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"healthsite/internal/contentfile"
)

// oldSymptomsFile held the rules when the checker knew one complaint. It
// is refused, not ignored, so that rules are never silently dropped.
const oldSymptomsFile = "symptoms.yaml"

// Files are the checker's files of a site as read and decoded, before
// Link checks them against each other and the articles. Reread keeps the
// ones that did not change.
type Files struct {
	byName map[string]*rulesFile
}

// ReadFiles reads every rules and cases file of fsys (an articles folder),
// reporting every problem a file has on its own.
func ReadFiles(fsys fs.FS) (Files, contentfile.Problems) {
	names, probs := fileNames(fsys)
	files, ps := readFiles(fsys, names)
	return Files{byName: files}, append(probs, ps...)
}

// Names are the files read, sorted.
func (fs_ Files) Names() []string {
	return slices.Sorted(maps.Keys(fs_.byName))
}

// ListFiles names the checker's files in fsys, as ReadFiles would read
// them: for the preview, which reads what a new rules folder holds.
func ListFiles(fsys fs.FS) []string {
	names, _ := fileNames(fsys)
	return names
}

// Change is what Reread changed.
type Change struct {
	// Complaints are the ids of complaints whose rules changed (all of
	// them when the site-wide red flags did), under their old and new id.
	Complaints []string
	// ComplaintList reports that the list of complaints changed: one was
	// added or removed, or its name, description, category or review date.
	ComplaintList bool
	// Cases reports that a complaint's triage cases changed.
	Cases bool
}

// The rules files as written. Items remember their line (UnmarshalYAML),
// so that every problem is reported where it is.
type (
	complaintYAML struct {
		ID           string           `yaml:"id"`
		Name         string           `yaml:"name"`
		Description  string           `yaml:"description"`
		Category     string           `yaml:"category"`
		LastReviewed contentfile.Date `yaml:"last_reviewed"`
		NextReview   contentfile.Date `yaml:"next_review"`
		// ReviewedBy is refused, as in front matter (signoff.go).
		ReviewedBy      string                   `yaml:"reviewed_by"`
		ClinicalSignOff *contentfile.SignOffYAML `yaml:"clinical_signoff"`
		RedFlags        struct {
			Question string        `yaml:"question"`
			Hint     string        `yaml:"hint"`
			Flags    []redFlagYAML `yaml:"flags"`
		} `yaml:"red_flags"`
		SafetyNet     string      `yaml:"safety_net"`
		SymptomGroups []groupYAML `yaml:"symptom_groups"`
	}
	siteWideYAML struct {
		LastReviewed    contentfile.Date         `yaml:"last_reviewed"`
		NextReview      contentfile.Date         `yaml:"next_review"`
		ReviewedBy      string                   `yaml:"reviewed_by"`
		ClinicalSignOff *contentfile.SignOffYAML `yaml:"clinical_signoff"`
		RedFlags        []redFlagYAML            `yaml:"red_flags"`
	}
	redFlagYAML struct {
		ID     string `yaml:"id"`
		Label  string `yaml:"label"`
		Hint   string `yaml:"hint"`
		When   string `yaml:"when"`
		Level  string `yaml:"level"`
		Advice string `yaml:"advice"`
		Line   int    `yaml:"-"`
	}
	groupYAML struct {
		Question string        `yaml:"question"`
		Hint     string        `yaml:"hint"`
		Symptoms []symptomYAML `yaml:"symptoms"`
		Line     int           `yaml:"-"`
	}
	symptomYAML struct {
		ID       string     `yaml:"id"`
		Label    string     `yaml:"label"`
		Hint     string     `yaml:"hint"`
		Mentions string     `yaml:"mentions"`
		Sections []linkYAML `yaml:"sections"`
		Line     int        `yaml:"-"`
	}
	linkYAML struct {
		To       string `yaml:"to"`
		Weight   int    `yaml:"weight"`
		Mentions string `yaml:"mentions"`
		Line     int    `yaml:"-"`
	}
)

func (f *redFlagYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain redFlagYAML
	f.Line = n.Line
	return n.Decode((*plain)(f))
}

func (g *groupYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain groupYAML
	g.Line = n.Line
	return n.Decode((*plain)(g))
}

func (s *symptomYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain symptomYAML
	s.Line = n.Line
	return n.Decode((*plain)(s))
}

func (l *linkYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain linkYAML
	l.Line = n.Line
	return n.Decode((*plain)(l))
}

// rulesFile is one rules file, read and decoded but not yet checked
// against the articles: Reload keeps it for files that did not change.
type rulesFile struct {
	name string
	src  []byte
	// keys are the lines of the top-level keys, for problems about a
	// missing or wrong value.
	keys      map[string]int
	complaint *complaintYAML // for a complaint's file
	siteWide  *siteWideYAML  // for SiteWideFile
	cases     *casesYAML     // for a complaint's cases (cases.go)
}

// keyLine is the line of a top-level key, or 1 when it is missing.
func (f *rulesFile) keyLine(key string) int { return max(f.keys[key], 1) }

// fileNames lists the checker's files of fsys, and reports the old single
// rules file if it is still there.
func fileNames(fsys fs.FS) ([]string, contentfile.Problems) {
	var probs contentfile.Problems
	if _, err := fs.Stat(fsys, oldSymptomsFile); err == nil {
		probs.Add(oldSymptomsFile, 0, "the checker's rules are now one file per complaint in %s/: move these into %s/{complaint-id}.yaml (see the README) and delete this file", ComplaintsDir, ComplaintsDir)
	}
	names, err := fs.Glob(fsys, ComplaintsDir+"/*.yaml")
	if err != nil {
		probs.Add(ComplaintsDir, 0, "cannot list: %v", err)
	}
	return names, probs
}

// IsRulesFile reports whether a path (relative to the articles folder,
// with slashes) is a rules file the site loads: a complaint's, or the
// site-wide red flags (not a complaint's cases).
func IsRulesFile(name string) bool {
	dir, file := path.Split(name)
	return dir == ComplaintsDir+"/" && path.Ext(file) == ".yaml" && !strings.HasSuffix(file, casesSuffix)
}

// readFiles reads and decodes files, reporting every problem that a file
// has on its own.
func readFiles(fsys fs.FS, names []string) (map[string]*rulesFile, contentfile.Problems) {
	out := make(map[string]*rulesFile, len(names))
	var probs contentfile.Problems
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			probs.Add(name, 0, "cannot read: %v", err)
			continue
		}
		f, ps := parseRules(name, src)
		probs = append(probs, ps...)
		if f != nil {
			out[name] = f
		}
	}
	return out, probs
}

// parseRules decodes one file: a complaint's rules or cases, or
// SiteWideFile. It checks the YAML, unknown fields and types; what needs
// the articles or the other files is checked by Link.
func parseRules(name string, src []byte) (*rulesFile, contentfile.Problems) {
	var probs contentfile.Problems
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		contentfile.AddYAMLError(&probs, name, err, 1, "")
		return nil, probs
	}
	f := &rulesFile{name: name, src: src}
	var into any
	switch {
	case IsCasesFile(name):
		f.cases = &casesYAML{}
		into = f.cases
		if root.Kind == 0 {
			probs.Add(name, 1, "there are no cases: list them under \"cases\", or delete the file")
			return nil, probs
		}
	case name == SiteWideFile:
		f.siteWide = &siteWideYAML{}
		into = f.siteWide
	default:
		f.complaint = &complaintYAML{}
		into = f.complaint
	}
	if root.Kind == 0 { // an empty file
		return f, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		probs.Add(name, max(root.Line, 1), "the file must be a set of fields, like \"name: Back pain\"")
		return nil, probs
	}
	f.keys = contentfile.TopKeyLines(&root)
	contentfile.UnknownFields(&probs, name, 0, "", root.Content[0], reflect.TypeOf(into))
	if err := root.Decode(into); err != nil {
		contentfile.AddYAMLError(&probs, name, err, 1, "")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return f, nil
}

// Reread reads again the files among changed (paths relative to fsys,
// like "complaints/back-pain.yaml"; others are ignored), dropping those
// that no longer exist, and says what changed. Files not named are kept
// as they were read.
func (fs_ Files) Reread(fsys fs.FS, changed []string) (Files, Change, contentfile.Problems) {
	var ch Change
	files := make(map[string]*rulesFile, len(fs_.byName))
	for name, f := range fs_.byName {
		files[name] = f
	}
	var probs contentfile.Problems
	var names []string
	for _, name := range changed {
		switch {
		case name == oldSymptomsFile:
			if _, err := fs.Stat(fsys, name); err == nil {
				_, ps := fileNames(fsys)
				probs = append(probs, ps...)
			}
		case IsComplaintFile(name):
			names = append(names, name)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var present []string
	for _, name := range names {
		if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
			if old, ok := files[name]; ok {
				ruleFileChanged(fs_.byName, old, nil, &ch)
				delete(files, name)
			}
			continue
		}
		present = append(present, name)
	}
	read, ps := readFiles(fsys, present)
	probs = append(probs, ps...)
	for name, f := range read {
		old := files[name]
		if old != nil && bytes.Equal(old.src, f.src) {
			continue // saved without a change
		}
		ruleFileChanged(fs_.byName, old, f, &ch)
		files[name] = f
	}
	slices.Sort(ch.Complaints)
	ch.Complaints = slices.Compact(ch.Complaints)
	return Files{byName: files}, ch, probs
}

// ruleFileChanged records a file that appeared (old nil), went (f
// nil) or was edited: the forms and results of its complaint change, of
// every complaint for the site-wide red flags, and the list of complaints
// when one comes or goes or shows differently there.
func ruleFileChanged(before map[string]*rulesFile, old, f *rulesFile, ch *Change) {
	if (old != nil && old.cases != nil) || (f != nil && f.cases != nil) {
		ch.Cases = true
		return
	}
	if (old != nil && old.siteWide != nil) || (f != nil && f.siteWide != nil) {
		for _, other := range before {
			if other.complaint != nil && other.complaint.ID != "" {
				ch.Complaints = append(ch.Complaints, other.complaint.ID)
			}
		}
		return
	}
	if old == nil || f == nil {
		ch.ComplaintList = true
	}
	for _, r := range []*rulesFile{old, f} {
		if r != nil && r.complaint.ID != "" {
			ch.Complaints = append(ch.Complaints, r.complaint.ID)
		}
	}
	if old != nil && f != nil {
		a, b := old.complaint, f.complaint
		if a.ID != b.ID || a.Name != b.Name || a.Description != b.Description || a.Category != b.Category ||
			!a.LastReviewed.Equal(b.LastReviewed.Time) {
			ch.ComplaintList = true
		}
	}
}
