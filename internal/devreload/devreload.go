// Package devreload is the authoring preview's watcher: on every save it
// reads again only the files that changed and hands the server a new site
// and what changed, or the list of problems when the files do not load.
package devreload

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// Target is what a reload updates: the server.
type Target interface {
	// Site is the site being served, which a reload starts from.
	Site() *content.Site
	// Apply serves a new site, remaking only what ch touches.
	Apply(site *content.Site, ch content.Change) error
	ShowProblems([]string) error
}

// settle is how long the folder must be quiet before a reload: editors
// often save with several writes and renames within a millisecond or two.
// It is kept short because a reload of one file takes a few milliseconds
// even among thousands, and a writer waits for every one.
const settle = 15 * time.Millisecond

// Run watches dir, and the rules folder in it, until ctx ends, reloading
// after each burst of changes.
func Run(ctx context.Context, dir string, target Target, log *slog.Logger) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return err
	}
	rulesDir := filepath.Join(dir, checker.ComplaintsDir)
	if err := w.Add(rulesDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	// pending are the files changed since the last reload that worked: a
	// save that broke one file is read again with the next save of any.
	pending := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			name, ok := relevant(dir, ev.Name)
			if !ok {
				continue
			}
			if name == checker.ComplaintsDir {
				// The rules folder appeared (or went): watch it, and read
				// what it holds, which was written before the watch began.
				if ev.Has(fsnotify.Create) {
					if err := w.Add(rulesDir); err != nil {
						log.Warn("watching the rules folder", "error", err)
					}
					for _, r := range checker.ListFiles(os.DirFS(dir)) {
						pending[r] = true
					}
				}
				timer.Reset(settle)
				continue
			}
			pending[name] = true
			timer.Reset(settle)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			log.Warn("watching articles", "error", err)
		case <-timer.C:
			names := make([]string, 0, len(pending))
			for name := range pending {
				names = append(names, name)
			}
			if Reload(os.DirFS(dir), names, target, log) {
				clear(pending)
			}
		}
	}
}

// relevant reports whether a changed path is one the site loads (an
// article, a rules file, or the rules folder itself) rather than an
// editor's swap or backup file, and names it as the site does: relative
// to dir, with slashes, like "complaints/back-pain.yaml".
func relevant(dir, path string) (string, bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return "", false
	}
	name := filepath.ToSlash(rel)
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
		return "", false
	}
	switch {
	case name == checker.ComplaintsDir:
		return name, true
	case strings.Contains(name, "/"):
		return name, checker.IsComplaintFile(name)
	}
	// At the top: articles, and the old single rules file, which the
	// loader refuses with a message saying where the rules live now.
	ext := filepath.Ext(base)
	return name, ext == ".md" || ext == ".yaml"
}

// Reload reads the changed files of fsys again and updates target: a new
// site, or, when the files have problems, the problems, while the last good
// site stays up. It reports whether the new site is served.
func Reload(fsys fs.FS, changed []string, target Target, log *slog.Logger) bool {
	start := time.Now()
	// Reload refuses what Load would (a triage case that fails included),
	// so a save never serves what a start would refuse.
	site, ch, err := target.Site().Reload(fsys, changed)
	if err != nil {
		var probs contentfile.Problems
		lines := []string{err.Error()}
		if errors.As(err, &probs) {
			lines = lines[:0]
			for _, p := range probs {
				lines = append(lines, p.Error())
			}
		}
		log.Warn("articles have problems; still serving the last good version", "problems", len(lines))
		if err := target.ShowProblems(lines); err != nil {
			log.Error("showing problems", "error", err)
		}
		return false
	}
	if err := target.Apply(site, ch); err != nil {
		log.Error("serving the reloaded site", "error", err)
		if err := target.ShowProblems([]string{err.Error()}); err != nil {
			log.Error("showing problems", "error", err)
		}
		return false
	}
	log.Info("reloaded articles", "files", len(changed), "articles", len(site.Articles), "changed", len(ch.Articles), "took", time.Since(start).String())
	return true
}
