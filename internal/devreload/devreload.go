// Package devreload is the authoring preview's watcher: it reloads the
// articles folder on every save and hands the result to the server, a new
// site when it loads, or the list of problems when it does not.
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

	"healthsite/internal/content"
)

// Target is what a reload updates: the server.
type Target interface {
	Update(*content.Site) error
	ShowProblems([]string) error
}

// settle is how long the folder must be quiet before a reload: editors
// often save with several writes and renames.
const settle = 100 * time.Millisecond

// Run watches dir until ctx ends, reloading after each burst of changes.
func Run(ctx context.Context, dir string, target Target, log *slog.Logger) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return err
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if relevant(ev.Name) {
				timer.Reset(settle)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			log.Warn("watching articles", "error", err)
		case <-timer.C:
			Reload(os.DirFS(dir), target, log)
		}
	}
}

// relevant reports whether a changed file is one the site loads, rather
// than an editor's swap or backup file.
func relevant(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
		return false
	}
	ext := filepath.Ext(base)
	return ext == ".md" || ext == ".yaml"
}

// Reload loads fsys and updates target: a new site, or, when the files
// have problems, the problems, while the last good site stays up.
func Reload(fsys fs.FS, target Target, log *slog.Logger) {
	site, err := content.Load(fsys)
	if err != nil {
		var probs content.Problems
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
		return
	}
	if err := target.Update(site); err != nil {
		log.Error("rendering the reloaded site", "error", err)
		return
	}
	log.Info("reloaded articles", "articles", len(site.Articles))
}
