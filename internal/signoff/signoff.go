// Package signoff records a clinician's sign-off in a content file: who
// approved it, on what day, and the hash of the exact text they approved
// (content.ArticleTextHash for an article, checker.RulesTextHash for the
// symptom checker's rules), so that the approval lapses, visibly, when the
// text changes. It edits the file's YAML as text, keeping every comment
// and the order of the other fields.
package signoff

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// Sign returns src, the file name (relative to the articles folder, like
// "back-pain.md" or "complaints/back-pain.yaml"), signed off by by on day.
// A sign-off already there is replaced; "clinical_review: pending" and
// a "reviewed_by" name (the sign-off's predecessor) are removed, since the
// sign-off says more than either. The file must otherwise be valid.
func Sign(name string, src []byte, by string, day time.Time) ([]byte, error) {
	by = strings.TrimSpace(by)
	switch {
	case by == "":
		return nil, errors.New("say who signs off, with their role: -by \"Dr A. Example, GP\"")
	case strings.ContainsAny(by, "\r\n"):
		return nil, errors.New("the name must be one line")
	}
	date := day.UTC().Format("2006-01-02")
	switch {
	case path.Ext(name) == ".md":
		return signArticle(name, src, by, date)
	case checker.IsRulesFile(name):
		return signRules(name, src, by, date)
	}
	return nil, fmt.Errorf("%s: only an article (*.md) or a rules file (%s/*.yaml) can be signed off", name, checker.ComplaintsDir)
}

// replaced are the fields a sign-off replaces.
var replaced = []string{contentfile.SignOffField, "reviewed_by", "clinical_review"}

func signArticle(name string, src []byte, by, date string) ([]byte, error) {
	front, body, ok := splitFrontMatter(src)
	if !ok {
		return nil, fmt.Errorf("%s: no front matter: the file must start with a line \"---\", then the fields, then \"---\"", name)
	}
	lines := dropKeys(front, replaced...)
	unsigned := join(lines, body)
	a, probs := content.Parse(name, unsigned)
	if len(probs) > 0 {
		return nil, fmt.Errorf("fix the file before it is signed off:\n%w", probs)
	}
	hash := content.ArticleTextHash(a.Title, a.Summary, content.ArticleBody(unsigned))
	out := join(append(lines, block(by, date, hash)...), body)
	if a, probs := content.Parse(name, out); len(probs) > 0 || a.SignOff.State() != contentfile.Reviewed {
		return nil, fmt.Errorf("%s: the signed file does not read back as signed off (%v): nothing was written", name, probs)
	}
	return out, nil
}

func signRules(name string, src []byte, by, date string) ([]byte, error) {
	lines := dropKeys(strings.SplitAfter(string(src), "\n"), replaced...)
	unsigned := []byte(strings.Join(lines, ""))
	hash, err := checker.RulesTextHash(name, unsigned)
	if err != nil {
		return nil, fmt.Errorf("fix the file before it is signed off:\n%w", err)
	}
	// After the review dates, where a reader of the file looks for them.
	at := len(lines)
	for _, key := range []string{"next_review", "last_reviewed"} {
		if i := keyLine(lines, key); i >= 0 {
			at = i + 1
			for at < len(lines) && isContinuation(lines[at]) {
				at++
			}
			break
		}
	}
	if at == len(lines) && at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += "\n"
	}
	out := slices.Insert(lines, at, block(by, date, hash)...)
	signed := []byte(strings.Join(out, ""))
	if s, err := checker.RulesSignOff(name, signed); err != nil || s.State() != contentfile.Reviewed {
		return nil, fmt.Errorf("%s: the signed file does not read back as signed off (%v): nothing was written", name, err)
	}
	return signed, nil
}

// block is the sign-off's lines.
func block(by, date, hash string) []string {
	name, _ := yaml.Marshal(by) // a string always marshals; quoted when it must be
	return []string{
		contentfile.SignOffField + ":\n",
		"  by: " + string(name),
		"  date: " + date + "\n",
		"  sha256: " + hash + "\n",
	}
}

// splitFrontMatter cuts an article into its front matter's lines (between
// the "---" lines) and the rest, from the closing "---" on.
func splitFrontMatter(src []byte) (front []string, rest []byte, ok bool) {
	lines := strings.SplitAfter(string(src), "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\r\n") != "---" {
		return nil, nil, false
	}
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\r\n") == "---" {
			return lines[1:i], []byte(strings.Join(lines[i:], "")), true
		}
	}
	return nil, nil, false
}

func join(front []string, rest []byte) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	for _, l := range front {
		b.WriteString(l)
	}
	b.Write(rest)
	return b.Bytes()
}

// dropKeys removes top-level keys, each with the lines that continue it
// (indented, or blank lines followed by indented ones).
func dropKeys(lines []string, keys ...string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		if !isKey(lines[i], keys...) {
			out = append(out, lines[i])
			continue
		}
		for i+1 < len(lines) && isContinuation(lines[i+1]) {
			i++
		}
	}
	return out
}

// isContinuation reports whether a line belongs to the key above it: it is
// indented, or it starts a flow item.
func isContinuation(line string) bool {
	return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "- ")
}

func isKey(line string, keys ...string) bool {
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(line, k); ok && strings.HasPrefix(strings.TrimLeft(rest, " "), ":") {
			return true
		}
	}
	return false
}

func keyLine(lines []string, key string) int {
	for i, l := range lines {
		if isKey(l, key) {
			return i
		}
	}
	return -1
}
