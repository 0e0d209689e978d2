package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"healthsite/web"
)

// readmeSection returns the README's section under the heading, up to the
// next heading of the same level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	_, section, ok := strings.Cut(readFile(t, "../../README.md"), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("the README has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// codeBlocks returns the fenced blocks of a Markdown text whose info
// string (what follows the opening "```") is info.
func codeBlocks(text, info string) []string {
	var blocks []string
	var block []string
	inside, keep := false, false
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		switch {
		case !inside && strings.HasPrefix(line, "```"):
			inside, keep = true, strings.TrimSpace(line[3:]) == info
			block = nil
		case inside && line == "```":
			if keep {
				blocks = append(blocks, strings.Join(block, "\n"))
			}
			inside = false
		case inside:
			block = append(block, line)
		}
	}
	return blocks
}

type readmeCase struct {
	Name        string   `yaml:"name"`
	Answers     []string `yaml:"answers"`
	FirstCard   string   `yaml:"first_card"`
	Sections    []string `yaml:"sections"`
	NotSections []string `yaml:"not_sections"`
}

// TestReadmeCheckerExample keeps the README's checker section true: the
// cases it shows are cases of the bundled complaint, word for word, and
// the counts it gives are theirs, and the failing output it shows is
// what check prints after the edit it describes.
func TestReadmeCheckerExample(t *testing.T) {
	section := readmeSection(t, "## The symptom checker")

	yamlBlocks := codeBlocks(section, "yaml")
	if len(yamlBlocks) != 1 {
		t.Fatalf("the section has %d yaml blocks, want 1 (a case file)", len(yamlBlocks))
	}
	var shown, real struct {
		Cases []readmeCase `yaml:"cases"`
	}
	if err := yaml.Unmarshal([]byte(yamlBlocks[0]), &shown); err != nil {
		t.Fatalf("the README's case file: %v", err)
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "../../articles/complaints/neck-pain.cases.yaml")), &real); err != nil {
		t.Fatal(err)
	}
	if len(shown.Cases) == 0 {
		t.Fatal("the README's case file has no cases")
	}
	for _, c := range shown.Cases {
		i := indexOfCase(real.Cases, c.Name)
		if i < 0 {
			t.Errorf("the README shows case %q, which neck-pain.cases.yaml does not have", c.Name)
			continue
		}
		if diff := cmp.Diff(real.Cases[i], c); diff != "" {
			t.Errorf("the README's case %q differs from the file (-file +README):\n%s", c.Name, diff)
		}
	}

	// The counts, as the about page words them from the loaded cases.
	var counts web.CaseCounts
	for _, c := range real.Cases {
		counts.Total++
		switch c.FirstCard {
		case "emergency":
			counts.Emergency++
		case "urgent":
			counts.Urgent++
		case "soon":
			counts.Soon++
		case "none":
			counts.NoSign++
		}
	}
	want := "**" + strings.TrimSuffix(counts.Sentence(), ".") + "**"
	for name, text := range map[string]string{"README.md": section, "doc/writing.md": readFile(t, "../../doc/writing.md")} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("%s does not say %s", name, want)
		}
	}

	// The failing run: the README says it follows lowering "Feeling dizzy"
	// from urgent to soon.
	if !strings.Contains(section, "lowered \"Feeling dizzy\" from `urgent` to `soon`") {
		t.Fatal("the section no longer describes the edit that makes cases fail; update this test with it")
	}
	var output string
	for _, b := range codeBlocks(section, "") {
		if cmdLine, rest, ok := strings.Cut(b, "\n"); ok && cmdLine == "$ go run ./cmd/healthsite check" {
			output = rest
		}
	}
	if output == "" {
		t.Fatal("the section shows no output of \"$ go run ./cmd/healthsite check\"")
	}

	dir := articlesCopy(t)
	const dizziness = "- id: dizziness\n      label: Feeling dizzy\n      when: you feel dizzy and have neck pain\n      level: "
	if err := replaceOnce(filepath.Join(dir, "complaints", "neck-pain.yaml"), dizziness+"urgent\n", dizziness+"soon\n"); err != nil {
		t.Fatal(err)
	}

	var out, errOut strings.Builder
	if code := runCheck([]string{dir}, &out, &errOut); code != 1 {
		t.Errorf("check exited %d, want 1", code)
	}
	got := strings.ReplaceAll(out.String(), dir+string(filepath.Separator), "articles/")
	if diff := cmp.Diff(strings.TrimSpace(output), strings.TrimSpace(got)); diff != "" {
		t.Errorf("the README's failing output differs from check's (-README +check):\n%s", diff)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func indexOfCase(cases []readmeCase, name string) int {
	for i, c := range cases {
		if c.Name == name {
			return i
		}
	}
	return -1
}
