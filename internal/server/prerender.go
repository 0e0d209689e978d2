package server

import (
	"fmt"
	"io/fs"

	"healthsite/internal/content"
	"healthsite/internal/pages"
	"healthsite/internal/prepared"
	staticfiles "healthsite/static"
)

// ArticleRenderer returns what makes an article's HTML as a server with
// the static files static (nil: the embedded ones) shows it, compressed
// for content.KeepRendered: what a site pack keeps of each article, so
// that a server started from it parses no Markdown. The HTML names the
// static files' hashed addresses, so only a server with the same files
// may use it (the pack's Renderer says which built it).
func ArticleRenderer(site *content.Site, static fs.FS) (func(*content.Article) ([]byte, error), error) {
	if static == nil {
		static = staticfiles.FS
	}
	as, err := prepared.LoadAssets(static, func(name string) bool { return devOnlyAssets[name] })
	if err != nil {
		return nil, fmt.Errorf("loading static files: %w", err)
	}
	env := pages.Env{Site: site, Assets: as}
	return func(a *content.Article) ([]byte, error) {
		r, err := pages.ArticleHTML(env, a)
		if err != nil {
			return nil, err
		}
		return content.EncodeRendered(r), nil
	}, nil
}
