package search

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// queryListFile holds the queries BenchmarkQueryList runs: words of the
// generated corpus as readers would type them, by kind. It is made by
// makeQueryList from the corpus's vocabulary and the bundled synonyms;
// TestQueryListIsCurrent keeps it so.
//
//	HEALTHSITE_WRITE_QUERIES=1 go test -run TestQueryListIsCurrent ./internal/search
const queryListFile = "testdata/queries.txt"

// queryListArticles is the size of the corpus whose vocabulary the list
// is made from: a generated article's words do not depend on how many
// others there are, so the shares of articles using each word are the
// same at 100,000.
const queryListArticles = 2000

// queryKind is a heading of the list and its queries.
type queryKind struct {
	name    string
	queries []string
}

// makeQueryList makes the list from the generated corpus gen and the
// bundled site (its article's own words and its synonyms).
func makeQueryList(gen, bundled *content.Site) []queryKind {
	// How many articles use each word, and the words by that count.
	articlesUsing := map[string]int{}
	seen := map[string]bool{}
	for _, a := range gen.Articles {
		inArticle := map[string]bool{}
		for _, d := range docsOf(a) {
			for _, w := range d.words(seen) {
				inArticle[w] = true
			}
		}
		for w := range inArticle {
			articlesUsing[w]++
		}
	}
	var byUse []string
	for w := range articlesUsing {
		if !stopWords[w] && len(w) > 1 {
			byUse = append(byUse, w)
		}
	}
	slices.SortFunc(byUse, func(a, b string) int {
		return cmp.Or(cmp.Compare(articlesUsing[b], articlesUsing[a]), cmp.Compare(a, b))
	})
	n := len(gen.Articles)
	common := byUse[:20]
	var mid, rare []string // used by 5 to 50 percent of articles, by fewer
	for _, w := range byUse[20:] {
		switch share := float64(articlesUsing[w]) / float64(n); {
		case share >= 0.05 && share <= 0.5:
			mid = append(mid, w)
		case share < 0.05:
			rare = append(rare, w)
		}
	}
	// Words only the bundled article uses, nor any generated word that
	// starts as they do (a stem): with a generated word, no section has
	// both.
	generatedStem := func(w string) bool {
		prefix := w[:max(4, len(w)-2)]
		return slices.ContainsFunc(byUse, func(g string) bool { return strings.HasPrefix(g, prefix) })
	}
	var own []string
	for _, a := range bundled.Articles {
		for _, d := range docsOf(a) {
			for _, w := range d.words(seen) {
				if len(w) > 4 && !stopWords[w] && !generatedStem(w) && !slices.Contains(own, w) {
					own = append(own, w)
				}
			}
		}
	}
	slices.Sort(own)

	r := rand.New(rand.NewPCG(12, 2026))
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	misspell := func(w string) string {
		for range 20 {
			b := []byte(w)
			i := 1 + r.IntN(len(b)-1) // people seldom mistype the first letter
			switch r.IntN(4) {
			case 0: // two letters swapped
				if i == len(b)-1 {
					i--
				}
				b[i], b[i+1] = b[i+1], b[i]
			case 1: // a letter dropped
				b = slices.Delete(b, i, i+1)
			case 2: // a letter changed
				b[i] = "aeioustrnl"[r.IntN(10)]
			default: // a letter doubled
				b = slices.Insert(b, i, b[i])
			}
			if s := string(b); s != w && articlesUsing[s] == 0 && !stopWords[s] && len(s) >= 3 {
				return s
			}
		}
		return w + "e"
	}
	words := func(k int, from ...[]string) string {
		var out []string
		for len(out) < k {
			w := pick(from[r.IntN(len(from))])
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		return strings.Join(out, " ")
	}
	var kinds []queryKind
	add := func(name string, qs ...string) { kinds = append(kinds, queryKind{name, qs}) }

	add("the 20 words most articles share", common...)
	add("common words alone, searched as they are", "the", "how", "what is this", "it is not")
	var qs []string
	for i := 0; i < len(mid) && len(qs) < 20; i += max(1, len(mid)/20) {
		qs = append(qs, mid[i])
	}
	add("words 5 to 50 percent of articles use", qs...)
	qs = nil
	for i := 0; i < len(rare) && len(qs) < 15; i += max(1, len(rare)/15) {
		qs = append(qs, rare[i])
	}
	add("words fewer than 5 percent of articles use", qs...)
	qs = nil
	for i := range common {
		qs = append(qs, common[i]+" "+common[(i+1)%len(common)])
	}
	add("two common words", qs...)
	qs = nil
	for range 25 {
		qs = append(qs, words(2, common, mid, rare))
	}
	add("two words", qs...)
	qs = nil
	for i := range 15 {
		qs = append(qs, strings.Join([]string{common[i], common[i+1], common[i+2]}, " "))
	}
	add("three common words", qs...)
	qs = nil
	for range 25 {
		qs = append(qs, words(3, common, mid, rare))
	}
	add("three words", qs...)
	qs = nil
	for _, w := range common {
		qs = append(qs, misspell(w))
	}
	add("a common word misspelt", qs...)
	qs = nil
	for range 20 {
		qs = append(qs, misspell(pick(append(slices.Clip(mid), rare...))))
	}
	add("a less common word misspelt", qs...)
	qs = nil
	for i := range 15 {
		ws := strings.Fields(words(2+i%2, common, mid, rare))
		k := r.IntN(len(ws))
		ws[k] = misspell(ws[k])
		qs = append(qs, strings.Join(ws, " "))
	}
	add("two or three words, one misspelt", qs...)
	qs = nil
	if bundled.Synonyms != nil {
		for _, g := range bundled.Synonyms.Groups {
			qs = append(qs, g.Terms...)
		}
		for _, g := range bundled.Synonyms.Groups[:8] {
			qs = append(qs, g.Terms[len(g.Terms)-1]+" "+pick(mid))
		}
	}
	add("synonyms, alone and with a generated word", qs...)
	qs = nil
	for range 10 {
		qs = append(qs, fmt.Sprintf("why does my %s %s after %s", pick(mid), pick(common), pick(mid)))
	}
	add("questions", qs...)
	add("nothing found", "xyzzy", "qwertyuiop", "zzzz zzzz", "kryptonite", "blorf snark", "12345",
		"quantum chromodynamics", "xylophone zither", "mmmmmm", "asdf jkl")
	qs = nil
	for range 10 {
		qs = append(qs, pick(common)+" "+pick(own), pick(mid)+" "+pick(own))
	}
	add("words no one section has together (fewer words)", qs[:10]...)
	return kinds
}

// formatQueryList writes the list as the file holds it: a comment line
// per kind, then its queries, one a line.
func formatQueryList(kinds []queryKind) []byte {
	var b bytes.Buffer
	b.WriteString("# Queries for BenchmarkQueryList, made by makeQueryList (querylist_test.go)\n")
	b.WriteString("# from the vocabulary of " + fmt.Sprint(queryListArticles) + " generated articles and the bundled synonyms.\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "\n# %s\n", k.name)
		for _, q := range k.queries {
			b.WriteString(q + "\n")
		}
	}
	return b.Bytes()
}

// readQueryList reads the file: every line that is not blank or a
// comment is a query, and its kind is the comment above.
func readQueryList(t testing.TB) []benchQuery {
	t.Helper()
	data, err := os.ReadFile(queryListFile)
	if err != nil {
		t.Fatal(err)
	}
	var out []benchQuery
	kind := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# "):
			kind = line[2:]
		case strings.TrimSpace(line) != "":
			out = append(out, benchQuery{text: line, kind: kind})
		}
	}
	return out
}

type benchQuery struct{ text, kind string }

func TestQueryListIsCurrent(t *testing.T) {
	gen, err := content.Load(corpus.FS(queryListArticles))
	if err != nil {
		t.Fatal(err)
	}
	bundled, err := content.Load(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := formatQueryList(makeQueryList(gen, bundled))
	if os.Getenv("HEALTHSITE_WRITE_QUERIES") == "1" {
		if err := os.WriteFile(queryListFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(queryListFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what makeQueryList makes: HEALTHSITE_WRITE_QUERIES=1 go test -run TestQueryListIsCurrent ./internal/search", queryListFile)
	}
	if n := len(readQueryList(t)); n < 200 {
		t.Errorf("the list has %d queries, want at least 200", n)
	}
}
