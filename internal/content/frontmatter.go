package content

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"healthsite/internal/contentfile"
)

// frontMatter is the YAML block at the top of an article file. Unknown
// fields are errors: a misspelt "next_reveiw" must not be silently ignored.
type frontMatter struct {
	Title   string `yaml:"title"`
	Slug    string `yaml:"slug"`
	Summary string `yaml:"summary"`
	Author  string `yaml:"author"`
	// ReviewedBy is refused: a clinician's review is a sign-off bound to
	// the text (ClinicalSignOff), which a name alone cannot be.
	ReviewedBy   string           `yaml:"reviewed_by"`
	Published    contentfile.Date `yaml:"published"`
	LastReviewed contentfile.Date `yaml:"last_reviewed"`
	NextReview   contentfile.Date `yaml:"next_review"`
	Tags         []string         `yaml:"tags"`
	Sources      []Source         `yaml:"sources"`
	Image        string           `yaml:"image"`
	ImageAlt     string           `yaml:"image_alt"`

	// ClinicalReview is "pending" or absent: see Article.ClinicalReviewPending.
	ClinicalReview string `yaml:"clinical_review"`
	// ClinicalSignOff is a clinician's approval of this text (signoff.go).
	ClinicalSignOff *contentfile.SignOffYAML `yaml:"clinical_signoff"`
	// signOffLine is the file line of ClinicalSignOff, for its problems.
	signOffLine int
	// CareLevel is how urgent the "When to get medical help" section is:
	// emergency, urgent or soon; absent means urgent (Article.CareLevel).
	CareLevel string `yaml:"care_level"`
}

// frontMatterFirstLine is the file line of the first YAML line: line 1 is "---".
const frontMatterFirstLine = 2

// decodeFrontMatter decodes and validates front matter, reporting every
// problem with the line in the article file where it is.
func decodeFrontMatter(file string, raw []byte) (frontMatter, contentfile.Problems) {
	var fm frontMatter
	var probs contentfile.Problems

	// One YAML parse: the node tree gives line numbers and the unknown
	// fields, and decodes into fm without parsing the text again (start-up
	// parses thousands of these).
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		contentfile.AddYAMLError(&probs, file, err, frontMatterFirstLine, "front matter: ")
		return fm, probs
	}
	lines := keyLines(&root)
	unknownFrontMatterFields(&probs, file, &root)
	if err := root.Decode(&fm); err != nil {
		contentfile.AddYAMLError(&probs, file, err, frontMatterFirstLine, "front matter: ")
	}

	line := func(key string) int {
		if l, ok := lines[key]; ok {
			return l
		}
		return 1
	}
	required := func(key, value string) {
		if strings.TrimSpace(value) == "" {
			probs.Add(file, line(key), "front matter: %q is required", key)
		}
	}
	required("title", fm.Title)
	required("summary", fm.Summary)
	// yaml.v3 leaves a key with no value ("last_reviewed:") at the zero
	// date without calling contentfile.Date.UnmarshalYAML, so a zero date is missing
	// unless the decoder already reported an unreadable one on its line.
	requiredDate := func(key string, d contentfile.Date) {
		if !d.IsZero() || probs.OnLine(file, lines[key]) {
			return
		}
		probs.Add(file, line(key), "front matter: %q is required (YYYY-MM-DD)", key)
	}
	requiredDate("last_reviewed", fm.LastReviewed)
	requiredDate("next_review", fm.NextReview)
	if !fm.LastReviewed.IsZero() && !fm.NextReview.IsZero() && fm.NextReview.Before(fm.LastReviewed.Time) {
		probs.Add(file, line("next_review"), "front matter: next_review %s is earlier than last_reviewed %s", fm.NextReview.ISO(), fm.LastReviewed.ISO())
	}
	fm.signOffLine = line(contentfile.SignOffField)
	contentfile.RefuseReviewedBy(&probs, file, line("reviewed_by"), "front matter: ", fm.ReviewedBy, file)
	switch {
	case fm.ClinicalReview == "":
	case fm.ClinicalReview != clinicalReviewPending:
		probs.Add(file, line("clinical_review"), "front matter: clinical_review %q: the only value is %q (no clinician has reviewed the article yet); once one has, they sign it off with healthsite signoff", fm.ClinicalReview, clinicalReviewPending)
	case fm.ClinicalSignOff != nil:
		probs.Add(file, line("clinical_review"), "front matter: clinical_review %q says no clinician has reviewed the article, but it has a %s: keep one", fm.ClinicalReview, contentfile.SignOffField)
	}
	if _, ok := contentfile.ParseLevel(fm.CareLevel); fm.CareLevel != "" && !ok {
		probs.Add(file, line("care_level"), "front matter: care_level %q is not one of emergency, urgent, soon (how urgent the %q section is; leave it out for urgent)", fm.CareLevel, "When to get medical help")
	}
	if fm.Slug != "" && !contentfile.SlugPattern.MatchString(fm.Slug) {
		probs.Add(file, line("slug"), "front matter: slug %q must be lowercase letters, digits and single hyphens", fm.Slug)
	}
	if fm.Image != "" && strings.TrimSpace(fm.ImageAlt) == "" {
		probs.Add(file, line("image"), "front matter: image %q needs an %q describing it", fm.Image, "image_alt")
	}
	if fm.Image != "" && (strings.ContainsAny(fm.Image, "/\\") || strings.HasPrefix(fm.Image, ".")) {
		probs.Add(file, line("image"), "front matter: image %q must be the name of a file in static/, like back-pain.png", fm.Image)
	}
	if len(fm.Sources) == 0 {
		probs.Add(file, line("sources"), "front matter: at least one entry in %q is required", "sources")
	}
	for i, s := range fm.Sources {
		at := lines["sources."+strconv.Itoa(i)]
		if at == 0 {
			at = line("sources")
		}
		for _, f := range []struct{ key, value string }{{"title", s.Title}, {"publisher", s.Publisher}, {"author", s.Author}} {
			if strings.TrimSpace(f.value) == "" {
				probs.Add(file, at, "front matter: source %d needs a %q", i+1, f.key)
			}
		}
		if s.Date.IsZero() {
			probs.Add(file, at, "front matter: source %d needs a %q (YYYY-MM-DD)", i+1, "date")
		}
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				probs.Add(file, at, "front matter: source %d url %q must be an absolute http or https address", i+1, s.URL)
			}
		}
	}
	return fm, probs
}

// unknownFrontMatterFields reports fields front matter does not have, at
// any depth: a misspelt "next_reveiw" must not be silently ignored.
func unknownFrontMatterFields(probs *contentfile.Problems, file string, root *yaml.Node) {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return
	}
	contentfile.UnknownFields(probs, file, frontMatterFirstLine-1, "front matter: ", root.Content[0], reflect.TypeFor[frontMatter]())
}

// keyLines maps each top-level key, and each item of "sources" as
// "sources.N", to its line in the article file.
func keyLines(root *yaml.Node) map[string]int {
	lines := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		lines[k.Value] = k.Line + frontMatterFirstLine - 1
		if k.Value == "sources" && v.Kind == yaml.SequenceNode {
			for j, item := range v.Content {
				lines["sources."+strconv.Itoa(j)] = item.Line + frontMatterFirstLine - 1
			}
		}
	}
	return lines
}
