package content

import (
	"errors"
	"io/fs"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"healthsite/internal/contentfile"
)

// SynonymsFile is the file beside the articles that lists words readers
// use for the same thing, for site search. It is optional: without it,
// search finds only the words the articles use.
const SynonymsFile = "synonyms.yaml"

// Synonyms are the validated groups of words that search treats as one:
// a search for any term of a group also finds the others. They are content,
// reviewed like the articles, because a wrong group sends readers to the
// wrong section.
type Synonyms struct {
	File         string
	LastReviewed contentfile.Date
	NextReview   contentfile.Date
	Groups       []SynonymGroup
	// Distinct are phrases that mean something other than the words in
	// them do on this site ("sore throat" is not about a sore area): a
	// search that has one is taken whole, never respelt or cut down to
	// some of its words.
	Distinct []DistinctPhrase
}

// DistinctPhrase is a phrase of Synonyms.Distinct.
type DistinctPhrase struct {
	Words string
	Line  int
}

// SynonymGroup is terms that mean the same to a reader, like "belly" and
// "abdomen". A term is one or more lowercase words separated by single
// spaces.
type SynonymGroup struct {
	Terms []string
	Line  int // of the group in the file
	// TermLines are the lines of the terms, for the checks.
	TermLines []int
}

// MaxSynonymWords bounds a term: a phrase of up to four words, like
// "back of the knee".
const MaxSynonymWords = 4

// synonymTerm is lowercase words of letters and digits, separated by
// single spaces: what search compares query words with.
var synonymTerm = regexp.MustCompile(`^[\p{Ll}\p{Lo}\p{Nd}]+(?: [\p{Ll}\p{Lo}\p{Nd}]+)*$`)

// synonymsFile is the YAML as written. Groups stay nodes, so every term
// keeps its line for problems.
type synonymsFile struct {
	LastReviewed contentfile.Date `yaml:"last_reviewed"`
	NextReview   contentfile.Date `yaml:"next_review"`
	Groups       []yaml.Node      `yaml:"groups"`
	Distinct     []yaml.Node      `yaml:"distinct"`
}

// loadSynonyms reads and validates the synonyms file. It returns nil and no
// problems when the site has none.
func loadSynonyms(fsys fs.FS) (*Synonyms, contentfile.Problems) {
	file := SynonymsFile
	src, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var probs contentfile.Problems
	if err != nil {
		probs.Add(file, 0, "cannot read: %v", err)
		return nil, probs
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		contentfile.AddYAMLError(&probs, file, err, 1, "")
		return nil, probs
	}
	var raw synonymsFile
	if root.Kind != 0 { // not an empty file
		if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
			contentfile.UnknownFields(&probs, file, 0, "", root.Content[0], reflect.TypeFor[synonymsFile]())
		}
		if err := root.Decode(&raw); err != nil {
			contentfile.AddYAMLError(&probs, file, err, 1, "")
			return nil, probs
		}
	}
	keys := contentfile.TopKeyLines(&root)
	keyLine := func(key string) int { return max(keys[key], 1) }

	s := &Synonyms{File: file, LastReviewed: raw.LastReviewed, NextReview: raw.NextReview}
	contentfile.CheckReviewDates(&probs, file, keyLine, s.LastReviewed, s.NextReview)
	if len(raw.Groups) == 0 {
		probs.Add(file, keyLine("groups"), "there are no groups: list groups of words that mean the same, like [belly, abdomen]")
	}

	firstSeen := map[string]int{} // term -> line
	for _, g := range raw.Groups {
		if g.Kind != yaml.SequenceNode {
			probs.Add(file, g.Line, "a group must be a list of words, like [belly, abdomen]")
			continue
		}
		group := SynonymGroup{Line: g.Line}
		for _, n := range g.Content {
			term := strings.TrimSpace(n.Value)
			switch {
			case n.Kind != yaml.ScalarNode:
				probs.Add(file, n.Line, "a term must be text, like belly or back of the knee")
				continue
			case !synonymTerm.MatchString(term):
				probs.Add(file, n.Line, "term %q must be lowercase words of letters and digits with single spaces between them", term)
				continue
			case strings.Count(term, " ")+1 > MaxSynonymWords:
				probs.Add(file, n.Line, "term %q has more than %d words", term, MaxSynonymWords)
				continue
			}
			if first, dup := firstSeen[term]; dup {
				probs.Add(file, n.Line, "term %q is already listed on line %d: a term belongs to one group", term, first)
				continue
			}
			firstSeen[term] = n.Line
			group.Terms = append(group.Terms, term)
			group.TermLines = append(group.TermLines, n.Line)
		}
		if len(g.Content) < 2 {
			probs.Add(file, g.Line, "a group needs at least two terms that mean the same")
			continue
		}
		s.Groups = append(s.Groups, group)
	}
	for _, n := range raw.Distinct {
		phrase := strings.TrimSpace(n.Value)
		switch {
		case n.Kind != yaml.ScalarNode || !synonymTerm.MatchString(phrase):
			probs.Add(file, n.Line, "a distinct phrase must be lowercase words with single spaces between them, like sore throat")
		case !strings.Contains(phrase, " ") || strings.Count(phrase, " ")+1 > MaxSynonymWords:
			probs.Add(file, n.Line, "distinct phrase %q must have 2 to %d words", phrase, MaxSynonymWords)
		case firstSeen[phrase] != 0:
			probs.Add(file, n.Line, "%q is already listed on line %d", phrase, firstSeen[phrase])
		default:
			firstSeen[phrase] = n.Line
			s.Distinct = append(s.Distinct, DistinctPhrase{Words: phrase, Line: n.Line})
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return s, nil
}
