package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/pack"
	"healthsite/internal/search"
	"healthsite/internal/server"
	"healthsite/static"

	"golang.org/x/sync/errgroup"
)

// runBuild is "healthsite build": it validates a folder of articles as the
// server does at start and writes a site pack, which `healthsite -pack`
// serves with nothing to parse or index.
func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("healthsite build", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := fset.String("articles", "", "the articles `folder` (default: the articles built into the binary)")
	out := fset.String("o", "", "the pack `folder` to write; it must not exist")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite build [-articles FOLDER] -o PACK\n\n"+
			"Validates the articles exactly as the server does at start, refusing any\n"+
			"error (healthsite check also lists warnings), indexes them for search, and\n"+
			"writes a site pack to PACK, which healthsite -pack PACK serves at once.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *out == "" || fset.NArg() > 0 {
		fset.Usage()
		return 2
	}
	src, err := articlesFS(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "healthsite build:", err)
		return 2
	}
	start := time.Now()
	m, err := buildPack(ctx, src, *out)
	if err != nil {
		fmt.Fprintf(stderr, "healthsite build: %v\n", err)
		return 1
	}
	var size int64
	for _, n := range m.Files {
		size += n
	}
	fmt.Fprintf(stdout, "wrote %s: %d articles, %.1f MB, in %.2f s\n", *out, m.Articles, float64(size)/1e6, time.Since(start).Seconds())
	return 0
}

// articlesFS is the articles folder dir, or the bundled articles for "".
func articlesFS(dir string) (fs.FS, error) {
	if dir == "" {
		return articles.FS, nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("-articles %q is not a folder", dir)
	}
	return os.DirFS(dir), nil
}

// buildPack loads and validates src, indexes it and writes a pack to out.
// It does the work once, in as few passes as it can: the sources' hash is
// taken from the bytes the load reads (pack.Recorder), and the site's
// files are encoded and written, and its articles' HTML made, while the
// search index is built, whose insertions are one writer's work and would
// leave a core idle.
func buildPack(ctx context.Context, src fs.FS, out string) (pack.Manifest, error) {
	if _, err := os.Stat(out); err == nil {
		return pack.Manifest{}, fmt.Errorf("%s already exists: a pack is never written over", out)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rec := pack.NewRecorder(src)
	var site *content.Site
	indexed := make(chan *search.Index, 1)
	var indexErr error
	err := func() (err error) {
		// Loaded as the server loads (loadSite); the collector is not
		// loosened for the rest, whose heap grows with the site: at
		// 100,000 articles it passed loadHeapLimit, and the collector ran
		// without end (a build of 279 s against 84 s).
		if site, err = loadSite(rec); err != nil {
			return fmt.Errorf("the articles have problems:\n%w", err)
		}
		sources, err := rec.SourcesHash()
		if err != nil {
			return err
		}
		go func() {
			ix, err := search.Build(ctx, site, "")
			indexErr = err
			indexed <- ix
		}()
		var ix *search.Index
		got := false
		wait := func() *search.Index {
			if !got {
				ix, got = <-indexed, true
			}
			return ix
		}
		defer func() {
			if !got {
				cancel() // the pack failed first: stop indexing
			}
			if wait() != nil {
				ix.Close()
			}
		}()
		// Every article's HTML too, on the core the index leaves idle:
		// a server of this build started from the pack parses no Markdown.
		render, err := server.ArticleRenderer(site, nil)
		if err != nil {
			return err
		}
		var html pack.HTML
		if id := rendererID(); id != "" {
			html = pack.HTML{Renderer: id, Render: render}
		}
		return pack.Write(ctx, out, site, sources, builtBy(), html, func(ctx context.Context, path string) error {
			if wait() == nil {
				return fmt.Errorf("indexing for search: %w", indexErr)
			}
			return ix.Save(ctx, path)
		})
	}()
	if err != nil {
		return pack.Manifest{}, err
	}
	return pack.ReadManifest(out)
}

// builtBy names this program for a pack's manifest.
func builtBy() string {
	name := "healthsite"
	if bi, ok := debug.ReadBuildInfo(); ok {
		name += " " + bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				name += " " + s.Value
			}
		}
	}
	return name
}

// openedSite is the site a server starts with, and its search index when
// one was made beforehand (a pack's).
type openedSite struct {
	site  *content.Site
	index *search.Index
	// cache, when not "", is where a pack of site is written once its
	// index is built (-articles without -dev, see cachedPackDir).
	cache   string
	sources string
}

// openSite makes the site a server starts with: from -pack; from a pack
// kept in the cache for an unchanged -articles folder; else from the
// articles, parsed and validated.
func openSite(ctx context.Context, o options, log *slog.Logger) (*openedSite, error) {
	if o.pack != "" {
		return openPack(ctx, o.pack, "")
	}
	src, err := articlesFS(o.articlesDir)
	if err != nil {
		return nil, err
	}
	if o.articlesDir == "" || o.dev || o.packCache == "" {
		site, err := loadSite(src)
		if err != nil {
			return nil, fmt.Errorf("refusing to start, the articles have problems:\n%w", err)
		}
		return &openedSite{site: site}, nil
	}
	sources, err := pack.SourcesHash(src)
	if err != nil {
		return nil, err
	}
	dir := cachedPackDir(o.packCache, sources)
	if _, err := os.Stat(filepath.Join(dir, pack.ManifestFile)); err == nil {
		opened, err := openPack(ctx, dir, sources)
		if err == nil {
			now := time.Now()
			os.Chtimes(dir, now, now) // newest, for dropOldPacks
			log.Info("articles unchanged since a pack was kept of them: serving it", "pack", dir)
			return opened, nil
		}
		log.Warn("a kept pack of these articles cannot be used; loading the articles", "pack", dir, "error", err)
	}
	// The pack kept is named by the hash of the bytes loaded: a file saved
	// since the hash above was taken must not give it another's name.
	rec := pack.NewRecorder(src)
	site, err := loadSite(rec)
	if err != nil {
		return nil, fmt.Errorf("refusing to start, the articles have problems:\n%w", err)
	}
	if sources, err = rec.SourcesHash(); err != nil {
		return nil, err
	}
	return &openedSite{site: site, cache: cachedPackDir(o.packCache, sources), sources: sources}, nil
}

// openPack opens the pack in dir and its search index; sources, when not
// "", is the hash the pack must have been built from.
func openPack(ctx context.Context, dir, sources string) (*openedSite, error) {
	if _, err := pack.ReadManifest(dir); err != nil {
		return nil, err
	}
	// The site and the search index are read at once, on two cores.
	var p *pack.Pack
	var ix *search.Index
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		return loosenGC(func() (err error) {
			p, err = pack.Open(dir, server.ContentOptions(static.FS), sources, rendererID())
			return err
		})
	})
	g.Go(func() (err error) {
		ix, err = search.Read(gctx, filepath.Join(dir, pack.SearchFile))
		return err
	})
	if err := g.Wait(); err != nil {
		if ix != nil {
			ix.Close()
		}
		return nil, err
	}
	if err := ix.Bind(p.Site); err != nil {
		ix.Close()
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return &openedSite{site: p.Site, index: ix}, nil
}

// keepPack writes a pack of site and its index ix to the cache, for the
// next start over the same articles, and drops the oldest kept packs.
func (os_ *openedSite) keepPack(ctx context.Context, ix *search.Index, log *slog.Logger) {
	if os_.cache == "" || ix == nil || ix.Site() != os_.site {
		return
	}
	if err := os.MkdirAll(filepath.Dir(os_.cache), 0o755); err != nil {
		log.Warn("cannot keep a pack of the articles", "error", err)
		return
	}
	start := time.Now()
	// No HTML: rendering every article would take the cores from readers
	// now, for a faster crawl after the next start.
	if err := pack.Write(ctx, os_.cache, os_.site, os_.sources, builtBy(), pack.HTML{}, ix.Save); err != nil {
		// Another replica over the same folder may have kept it first.
		if _, statErr := os.Stat(filepath.Join(os_.cache, pack.ManifestFile)); statErr != nil {
			log.Warn("cannot keep a pack of the articles", "pack", os_.cache, "error", err)
		}
		return
	}
	log.Info("kept a pack of the articles for the next start", "pack", os_.cache, "took", time.Since(start).String())
	dropOldPacks(filepath.Dir(os_.cache), keptPacks)
}

// keptPacks is how many packs the cache keeps: a few versions of a folder
// being edited, or a few folders.
const keptPacks = 3

// cachedPackDir is where the pack of the articles with this sources'
// hash is kept, for this binary: a pack is only as right as the code that
// built it, so a new binary builds its own.
func cachedPackDir(cache, sources string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s", sources, pack.FormatVersion, binaryID())
	return filepath.Join(cache, "packs", hex.EncodeToString(h.Sum(nil))[:32])
}

// rendererID names what makes an article's HTML: this executable, by the
// SHA-256 of its bytes, since the HTML depends on the code, the templates
// and the static files' hashed names it holds. Builds of the same code are
// the same bytes, wherever they are copied (the image copies the binary
// that built its pack). "" when the executable cannot be read: then a
// pack's HTML is not trusted, and articles are rendered as asked for.
var rendererID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})

// binaryID names this build: its commit when it was built from a clean
// one, else its executable's size and time.
func binaryID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev string
		modified := true
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && !modified {
			return rev
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

// dropOldPacks removes all but the keep newest packs in dir/packs, and
// any half-written one a killed server left.
func dropOldPacks(dir string, keep int) {
	entries, err := os.ReadDir(filepath.Join(dir, "packs"))
	if err != nil {
		return
	}
	type kept struct {
		path string
		at   time.Time
	}
	var packs []kept
	for _, e := range entries {
		path := filepath.Join(dir, "packs", e.Name())
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if e.Name()[0] == '.' && time.Since(fi.ModTime()) > time.Hour {
			os.RemoveAll(path) // a pack a killed process left half-written
			continue
		}
		packs = append(packs, kept{path, fi.ModTime()})
	}
	slices.SortFunc(packs, func(a, b kept) int { return b.at.Compare(a.at) })
	for _, p := range packs[min(keep, len(packs)):] {
		os.RemoveAll(p.path)
	}
}

// defaultPackCache is the cache folder for kept packs: the user's cache
// folder, or none when there is no such folder.
func defaultPackCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "healthsite")
}
