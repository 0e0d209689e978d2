package content

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
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
	ReviewedBy   string   `yaml:"reviewed_by"`
	Published    Date     `yaml:"published"`
	LastReviewed Date     `yaml:"last_reviewed"`
	NextReview   Date     `yaml:"next_review"`
	Tags         []string `yaml:"tags"`
	Sources      []Source `yaml:"sources"`
	Image        string   `yaml:"image"`
	ImageAlt     string   `yaml:"image_alt"`

	// ClinicalReview is "pending" or absent: see Article.ClinicalReviewPending.
	ClinicalReview string `yaml:"clinical_review"`
	// ClinicalSignOff is a clinician's approval of this text (signoff.go).
	ClinicalSignOff *signOffYAML `yaml:"clinical_signoff"`
	// signOffLine is the file line of ClinicalSignOff, for its problems.
	signOffLine int
	// CareLevel is how urgent the "When to get medical help" section is:
	// emergency, urgent or soon; absent means urgent (Article.CareLevel).
	CareLevel string `yaml:"care_level"`
}

// frontMatterFirstLine is the file line of the first YAML line: line 1 is "---".
const frontMatterFirstLine = 2

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type .*$`)
	cannotDecode = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.*)$")
	slugPattern  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// decodeFrontMatter decodes and validates front matter, reporting every
// problem with the line in the article file where it is.
func decodeFrontMatter(file string, raw []byte) (frontMatter, Problems) {
	var fm frontMatter
	var probs Problems

	// One YAML parse: the node tree gives line numbers and the unknown
	// fields, and decodes into fm without parsing the text again (start-up
	// parses thousands of these).
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		addYAMLError(&probs, file, err, frontMatterFirstLine, "front matter: ")
		return fm, probs
	}
	lines := keyLines(&root)
	unknownFrontMatterFields(&probs, file, &root)
	if err := root.Decode(&fm); err != nil {
		addYAMLError(&probs, file, err, frontMatterFirstLine, "front matter: ")
	}

	line := func(key string) int {
		if l, ok := lines[key]; ok {
			return l
		}
		return 1
	}
	required := func(key, value string) {
		if strings.TrimSpace(value) == "" {
			probs.add(file, line(key), "front matter: %q is required", key)
		}
	}
	required("title", fm.Title)
	required("summary", fm.Summary)
	// yaml.v3 leaves a key with no value ("last_reviewed:") at the zero
	// date without calling Date.UnmarshalYAML, so a zero date is missing
	// unless the decoder already reported an unreadable one on its line.
	requiredDate := func(key string, d Date) {
		if !d.IsZero() || probs.onLine(file, lines[key]) {
			return
		}
		probs.add(file, line(key), "front matter: %q is required (YYYY-MM-DD)", key)
	}
	requiredDate("last_reviewed", fm.LastReviewed)
	requiredDate("next_review", fm.NextReview)
	if !fm.LastReviewed.IsZero() && !fm.NextReview.IsZero() && fm.NextReview.Before(fm.LastReviewed.Time) {
		probs.add(file, line("next_review"), "front matter: next_review %s is earlier than last_reviewed %s", fm.NextReview.ISO(), fm.LastReviewed.ISO())
	}
	fm.signOffLine = line(SignOffField)
	if fm.ReviewedBy != "" {
		probs.add(file, line("reviewed_by"), "front matter: %q is replaced by a clinician's sign-off bound to the text, which lapses when the text changes: run healthsite signoff -by %q %s", "reviewed_by", strings.TrimSpace(fm.ReviewedBy), file)
	}
	switch {
	case fm.ClinicalReview == "":
	case fm.ClinicalReview != clinicalReviewPending:
		probs.add(file, line("clinical_review"), "front matter: clinical_review %q: the only value is %q (no clinician has reviewed the article yet); once one has, they sign it off with healthsite signoff", fm.ClinicalReview, clinicalReviewPending)
	case fm.ClinicalSignOff != nil:
		probs.add(file, line("clinical_review"), "front matter: clinical_review %q says no clinician has reviewed the article, but it has a %s: keep one", fm.ClinicalReview, SignOffField)
	}
	if _, ok := levelNames[fm.CareLevel]; fm.CareLevel != "" && !ok {
		probs.add(file, line("care_level"), "front matter: care_level %q is not one of emergency, urgent, soon (how urgent the %q section is; leave it out for urgent)", fm.CareLevel, "When to get medical help")
	}
	if fm.Slug != "" && !slugPattern.MatchString(fm.Slug) {
		probs.add(file, line("slug"), "front matter: slug %q must be lowercase letters, digits and single hyphens", fm.Slug)
	}
	if fm.Image != "" && strings.TrimSpace(fm.ImageAlt) == "" {
		probs.add(file, line("image"), "front matter: image %q needs an %q describing it", fm.Image, "image_alt")
	}
	if fm.Image != "" && (strings.ContainsAny(fm.Image, "/\\") || strings.HasPrefix(fm.Image, ".")) {
		probs.add(file, line("image"), "front matter: image %q must be the name of a file in static/, like back-pain.png", fm.Image)
	}
	if len(fm.Sources) == 0 {
		probs.add(file, line("sources"), "front matter: at least one entry in %q is required", "sources")
	}
	for i, s := range fm.Sources {
		at := lines["sources."+strconv.Itoa(i)]
		if at == 0 {
			at = line("sources")
		}
		for _, f := range []struct{ key, value string }{{"title", s.Title}, {"publisher", s.Publisher}, {"author", s.Author}} {
			if strings.TrimSpace(f.value) == "" {
				probs.add(file, at, "front matter: source %d needs a %q", i+1, f.key)
			}
		}
		if s.Date.IsZero() {
			probs.add(file, at, "front matter: source %d needs a %q (YYYY-MM-DD)", i+1, "date")
		}
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				probs.add(file, at, "front matter: source %d url %q must be an absolute http or https address", i+1, s.URL)
			}
		}
	}
	return fm, probs
}

// unknownFrontMatterFields reports fields front matter does not have, at
// any depth: a misspelt "next_reveiw" must not be silently ignored.
func unknownFrontMatterFields(probs *Problems, file string, root *yaml.Node) {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return
	}
	unknownFields(probs, file, frontMatterFirstLine-1, "front matter: ", root.Content[0], reflect.TypeFor[frontMatter]())
}

// knownFields are the yaml names of a struct's fields with their types,
// read once per type from its tags.
var knownFields sync.Map // reflect.Type -> map[string]reflect.Type

func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := knownFields.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	knownFields.Store(t, fields)
	return fields
}

// Dates and nodes are read whole, not as mappings of fields.
var (
	dateType = reflect.TypeFor[Date]()
	nodeType = reflect.TypeFor[yaml.Node]()
)

// unknownFields reports every field, at any depth of n, that t (the struct
// n decodes into) does not have, with lines offset by lineOffset and the
// message after prefix. It is the one check of unknown fields for every
// YAML the site reads: front matter, rules, cases and synonyms.
func unknownFields(probs *Problems, file string, lineOffset int, prefix string, n *yaml.Node, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct && t != dateType && t != nodeType:
		fields := fieldsOf(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				probs.add(file, k.Line+lineOffset, "%sunknown field %q", prefix, k.Value)
				continue
			}
			unknownFields(probs, file, lineOffset, prefix, n.Content[i+1], ft)
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for _, item := range n.Content {
			unknownFields(probs, file, lineOffset, prefix, item, t.Elem())
		}
	}
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

// topKeyLines maps each top-level key of a YAML file to its line.
func topKeyLines(root *yaml.Node) map[string]int {
	out := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i].Line
	}
	return out
}

// addYAMLError turns yaml.v3's messages, whose line numbers count from the
// start of the YAML, into problems with file line numbers; firstLine is the
// file line where the YAML starts.
func addYAMLError(probs *Problems, file string, err error, firstLine int, prefix string) {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for _, msg := range msgs {
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + firstLine - 1
			msg = m[2]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unknown field %q", m[1])
		} else if m := cannotDecode.FindStringSubmatch(msg); m != nil {
			what := strconv.Quote(m[2])
			if m[2] == "" {
				what = yamlKinds[m[1]]
			}
			msg = fmt.Sprintf("%s is not %s", what, describeGoType(m[3]))
		}
		probs.add(file, line, "%s%s", prefix, msg)
	}
}

// yamlKinds names YAML node kinds for readers who do not know YAML's tags.
var yamlKinds = map[string]string{"map": "a set of fields", "seq": "a list", "str": "text", "int": "a number", "bool": "yes/no", "float": "a number", "timestamp": "a date", "null": "nothing"}

func describeGoType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]content.Source"):
		return "a list of sources"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "content.Source":
		return "a source (title, publisher, author, date)"
	case t == "string":
		return "text"
	case strings.HasPrefix(t, "content.frontMatter"):
		return "a set of fields"
	default:
		return "the right kind of value"
	}
}
