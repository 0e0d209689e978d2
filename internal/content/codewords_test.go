package content_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
)

// No complaint's words in code: everything a checker says about one
// complaint is in its rules file. This fails if web/, internal/ or cmd/
// name the bundled complaint ("neck", its id, or one of its answer ids
// made of several words) anywhere but in test data: _test.go files and
// testdata folders. Generated *_templ.go files are code. Word lists
// (.txt, like the desk's list of common passwords) are data that
// happens to contain words, not code that talks about a complaint.
func TestNoComplaintWordsInCode(t *testing.T) {
	site, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"neck"}
	for _, c := range site.Complaints {
		words = append(words, c.ID)
		for _, f := range c.RedFlags {
			if strings.Contains(f.ID, "-") {
				words = append(words, f.ID)
			}
		}
		for _, s := range c.Symptoms {
			if strings.Contains(s.ID, "-") {
				words = append(words, s.ID)
			}
		}
	}
	var checked int
	for _, dir := range []string{"../../web", "../../internal", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(path, "_test.go") || filepath.Ext(path) == ".txt" {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checked++
			lower := strings.ToLower(string(src))
			for _, w := range words {
				if i := strings.Index(lower, w); i >= 0 {
					line := strings.Count(lower[:i], "\n") + 1
					t.Errorf("%s:%d: names %q, a word of one complaint: put it in the complaint's rules file", strings.TrimPrefix(path, "../../"), line, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the test looking in the right folders?", checked)
	}
}
