package content

import (
	"fmt"
	"io/fs"
	"slices"

	"healthsite/internal/checker"
)

// Frozen is a validated site as a site pack keeps it (internal/pack): every
// article's front matter and outline as Parse made them, the checker's
// files as decoded and the synonyms, so that Thaw makes the same Site
// without parsing Markdown or YAML. The articles' sources are kept apart
// (Sources), so a pack can leave them in a file the system pages in only
// when a page is rendered.
type Frozen struct {
	// Articles are in file order, with only their exported fields.
	Articles []*Article
	// SourceSizes are the sizes of the articles' compressed sources, one
	// per article in the same order, laid end to end in Sources.
	SourceSizes []int
	Checker     checker.Files
	Synonyms    *Synonyms
}

// Freeze is s as a pack keeps it, and its articles' compressed sources,
// end to end, in the order of Frozen.Articles.
func (s *Site) Freeze() (Frozen, [][]byte) {
	f := Frozen{Articles: s.byFile, SourceSizes: make([]int, len(s.byFile)), Checker: s.checkerFiles, Synonyms: s.Synonyms}
	sources := make([][]byte, len(s.byFile))
	for i, a := range s.byFile {
		sources[i], f.SourceSizes[i] = a.src, len(a.src)
	}
	return f, sources
}

// Thaw makes the site f froze, with sources the articles' compressed
// sources end to end, which the site keeps using (they may be a mapped
// file: they must not change while it serves). The checks that span files
// run again, as Load runs them, since they depend on opts (the static
// files the server has) as much as on the pack; the articles' own checks
// ran when the pack was built.
func Thaw(f Frozen, sources []byte, opts Options) (*Site, error) {
	if len(f.SourceSizes) != len(f.Articles) {
		return nil, fmt.Errorf("the pack lists %d articles and %d sources", len(f.Articles), len(f.SourceSizes))
	}
	off := 0
	for i, a := range f.Articles {
		n := f.SourceSizes[i]
		if n < 0 || off+n > len(sources) {
			return nil, fmt.Errorf("the pack's sources end before %s's", a.File)
		}
		a.src = sources[off : off+n : off+n]
		off += n
		a.derive()
	}
	if off != len(sources) {
		return nil, fmt.Errorf("the pack's sources are %d bytes longer than its articles'", len(sources)-off)
	}
	site, err := build(f.Articles, f.Checker, opts)
	if err != nil {
		return nil, err
	}
	site.Synonyms = f.Synonyms
	return site, nil
}

// SourceFiles names every file Load reads from fsys, sorted: the
// articles, the checker's files and the synonyms when there are any.
func SourceFiles(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	names = append(names, checker.ListFiles(fsys)...)
	if _, err := fs.Stat(fsys, SynonymsFile); err == nil {
		names = append(names, SynonymsFile)
	}
	slices.Sort(names)
	return names, nil
}
