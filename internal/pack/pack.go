// Package pack writes and opens site packs: a site validated once, by
// `healthsite build`, kept in a form a server starts from without parsing
// Markdown or YAML or indexing search (Datasette's "baked data": read-only
// files a replica can trust).
//
// A pack is a folder:
//
//	pack.json    the format version, the sources' hash, every file's size
//	site.bin     the articles' front matter and outlines (articles.go), the
//	             checker's files and the synonyms (content.Frozen, in gob),
//	             mapped into memory
//	sources.bin  the articles' compressed sources end to end, mapped into
//	             memory and read only when a page is rendered
//	search.db    the search index, a SQLite file opened read-only
//	html.bin     optional: every article's HTML as the server that built
//	             the pack shows it (content.EncodeRendered), compressed,
//	             mapped; used only by a server with the same Renderer, so
//	             that it parses no Markdown at all
//
// pack.json is written last and the folder is renamed into place, so a
// folder with a pack.json is a whole pack; a pack is never changed once
// written, which is what lets sources.bin be mapped.
package pack

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"healthsite/internal/checker"
	"healthsite/internal/content"
)

// FormatVersion is the version of the pack's layout and of what site.bin
// holds. A server opens only packs of its own version: gob would read
// another quietly, leaving new fields empty. TestFormatIsPinned fails
// when content.Frozen changes shape, as a reminder to raise it.
const FormatVersion = 1

// The files of a pack.
const (
	ManifestFile = "pack.json"
	SiteFile     = "site.bin"
	SourcesFile  = "sources.bin"
	SearchFile   = "search.db"
	HTMLFile     = "html.bin"
)

// Manifest is pack.json.
type Manifest struct {
	Format int `json:"format"`
	// Sources is the hex SHA-256 of the files the site was built from
	// (SourcesHash).
	Sources  string `json:"sources_sha256"`
	Articles int    `json:"articles"`
	// BuiltBy names the program that wrote the pack, for people.
	BuiltBy string `json:"built_by,omitempty"`
	// Renderer names the program that made html.bin; "" when the pack has
	// none.
	Renderer string `json:"renderer,omitempty"`
	// Files are the sizes of the pack's other files, checked at open: a
	// copy cut short is refused, not served.
	Files map[string]int64 `json:"files"`
}

// ErrFormat means a folder is not a pack this server can open: another
// format version, or not a pack at all.
var ErrFormat = errors.New("not a site pack of this version")

// ErrStale means a pack was built from other sources than the ones asked
// for.
var ErrStale = errors.New("the site pack was built from other articles")

// HTML is how a pack gets its articles' HTML (html.bin): Render makes an
// article's, compressed (content.EncodeRendered), as the server Renderer
// names shows it. A zero HTML writes none, and servers render each
// article from its source.
type HTML struct {
	Renderer string
	Render   func(*content.Article) ([]byte, error)
}

// Write writes a pack of site, built from sources with the hash given, to
// dir, which must not exist, with its articles' HTML as html says.
// saveIndex writes the site's search index as a SQLite file at the path
// it is given. The pack is written in a new folder beside dir and renamed
// to it when whole.
func Write(ctx context.Context, dir string, site *content.Site, sources, builtBy string, html HTML, saveIndex func(ctx context.Context, path string) error) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("%s already exists: a pack is never written over", dir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	// Readable by all, as a build's output is: an image's server runs as
	// another user than the build that wrote its pack.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	frozen, srcs := site.Freeze()
	gobbed, err := encodeSite(frozen)
	if err != nil {
		return fmt.Errorf("encoding the site: %w", err)
	}
	if err := writeFile(filepath.Join(tmp, SiteFile), gobbed); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, SourcesFile), bytes.Join(srcs, nil)); err != nil {
		return err
	}
	files := []string{SiteFile, SourcesFile, SearchFile}
	if html.Render != nil {
		b, err := renderAll(ctx, frozen.Articles, html.Render)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(tmp, HTMLFile), b); err != nil {
			return err
		}
		files = append(files, HTMLFile)
	} else {
		html.Renderer = ""
	}
	if err := saveIndex(ctx, filepath.Join(tmp, SearchFile)); err != nil {
		return fmt.Errorf("writing the search index: %w", err)
	}
	m := Manifest{Format: FormatVersion, Sources: sources, Articles: len(site.Articles), BuiltBy: builtBy, Renderer: html.Renderer, Files: map[string]int64{}}
	for _, name := range files {
		fi, err := os.Stat(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		m.Files[name] = fi.Size()
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, ManifestFile), append(js, '\n')); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	done = true
	return nil
}

// renderAll is html.bin: every article's HTML, in the order of articles,
// made on every core, as a table (appendTable).
func renderAll(ctx context.Context, articles []*content.Article, render func(*content.Article) ([]byte, error)) ([]byte, error) {
	out := make([][]byte, len(articles))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, a := range articles {
		g.Go(func() (err error) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if out[i], err = render(a); err != nil {
				return fmt.Errorf("rendering %s: %w", a.File, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return appendTable(nil, out), nil
}

// keepRendered gives each article its HTML from html.bin's bytes b.
func keepRendered(articles []*content.Article, b []byte) error {
	html, rest, err := splitTable(b)
	if err != nil || len(rest) > 0 {
		return fmt.Errorf("%s: %w", HTMLFile, errShort)
	}
	if len(html) != len(articles) {
		return fmt.Errorf("%s holds %d articles' HTML, the site %d", HTMLFile, len(html), len(articles))
	}
	for i, a := range articles {
		a.KeepRendered(html[i])
	}
	return nil
}

// writeFile writes a file and syncs it: a pack that says it is whole is.
func writeFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// Pack is an open pack: its site, and where its search index is. Its
// files stay mapped for the life of the process: the site's text points
// into them.
type Pack struct {
	Manifest Manifest
	Site     *content.Site
	dir      string
}

// ReadManifest reads a pack's pack.json and checks its format version.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	js, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("%s: no %s: %w (make one with healthsite build)", dir, ManifestFile, ErrFormat)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(js, &m); err != nil {
		return m, fmt.Errorf("%s: %s: %v: %w", dir, ManifestFile, err, ErrFormat)
	}
	if m.Format != FormatVersion {
		return m, fmt.Errorf("%s is a pack of format %d, and this server reads format %d: %w (build it again with this version: healthsite build)", dir, m.Format, FormatVersion, ErrFormat)
	}
	for _, name := range []string{SiteFile, SourcesFile, SearchFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return m, fmt.Errorf("%s: %w", dir, err)
		}
		if want, ok := m.Files[name]; !ok || fi.Size() != want {
			return m, fmt.Errorf("%s: %s is %d bytes, and the pack says %d: %w (a copy cut short? build it again)", dir, name, fi.Size(), want, ErrFormat)
		}
	}
	return m, nil
}

// Open opens the pack in dir with the server's options (its static
// files). When sources is not empty, a pack built from other sources is
// refused with ErrStale. renderer names the server: when the pack's HTML
// was made by the same one, its articles are given it, and none of them
// is parsed to be shown; otherwise each is rendered from its source.
func Open(dir string, opts content.Options, sources, renderer string) (*Pack, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if sources != "" && m.Sources != sources {
		return nil, fmt.Errorf("%s: %w", dir, ErrStale)
	}
	siteBin, err := mapFile(filepath.Join(dir, SiteFile))
	if err != nil {
		return nil, err
	}
	frozen, err := decodeSite(siteBin)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %v: %w", dir, SiteFile, err, ErrFormat)
	}
	srcs, err := mapFile(filepath.Join(dir, SourcesFile))
	if err != nil {
		return nil, err
	}
	site, err := content.Thaw(frozen, srcs, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if m.Renderer != "" && m.Renderer == renderer {
		html, err := mapFile(filepath.Join(dir, HTMLFile))
		if err != nil {
			return nil, err
		}
		if err := keepRendered(frozen.Articles, html); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
	}
	return &Pack{Manifest: m, Site: site, dir: dir}, nil
}

// SearchPath is the pack's search index file.
func (p *Pack) SearchPath() string { return filepath.Join(p.dir, SearchFile) }

// siteHeader is what site.bin holds before its articles.
type siteHeader struct {
	Articles    int
	SourceSizes []int
	Checker     checker.Files
	Synonyms    *content.Synonyms
}

// encodeSite writes f: the header's length and the header in gob, then
// every article in the format of articles.go.
func encodeSite(f content.Frozen) ([]byte, error) {
	var header bytes.Buffer
	if err := gob.NewEncoder(&header).Encode(siteHeader{Articles: len(f.Articles), SourceSizes: f.SourceSizes, Checker: f.Checker, Synonyms: f.Synonyms}); err != nil {
		return nil, err
	}
	var w articleWriter
	for _, a := range f.Articles {
		w.article(a)
	}
	b := binary.AppendUvarint(nil, uint64(header.Len()))
	b = append(b, header.Bytes()...)
	b = append(b, w.table()...)
	return append(b, w.b...), nil
}

// decodeSite reads what encodeSite wrote. The articles' strings point
// into b, which must not change or go away while the site is used.
func decodeSite(b []byte) (content.Frozen, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return content.Frozen{}, errShort
	}
	var h siteHeader
	if err := gob.NewDecoder(bytes.NewReader(b[k : k+int(n)])).Decode(&h); err != nil {
		return content.Frozen{}, err
	}
	rest := b[k+int(n):]
	if h.Articles < 0 || h.Articles > len(rest) {
		return content.Frozen{}, fmt.Errorf("%d articles", h.Articles)
	}
	f := content.Frozen{Articles: make([]*content.Article, h.Articles), SourceSizes: h.SourceSizes, Checker: h.Checker, Synonyms: h.Synonyms}
	// One block for every article: 100,000 small allocations cost the
	// collector more than the reading.
	block := make([]content.Article, h.Articles)
	r := articleReader{b: rest}
	r.readTable()
	if r.err != nil {
		return content.Frozen{}, fmt.Errorf("the table of strings: %w", r.err)
	}
	for i := range block {
		if err := r.article(&block[i]); err != nil {
			return content.Frozen{}, fmt.Errorf("article %d: %w", i+1, err)
		}
		f.Articles[i] = &block[i]
	}
	if len(r.b) > 0 {
		return content.Frozen{}, fmt.Errorf("%d bytes after the last article", len(r.b))
	}
	return f, nil
}
