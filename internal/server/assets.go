package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// asset is one static file, served under a name that contains a hash of its
// bytes, so it can be cached forever and a new version is a new URL.
type asset struct {
	name        string // original name, like "site.css"
	hashedName  string // like "site.3f2a1c9b.css"
	contentType string
	body        []byte
	// immutable is served under the hashed name, unhashed under the
	// plain one (only the favicon, which browsers ask for by that name).
	immutable, unhashed *response
}

// assets are the static files by hashed name, and the URL of each by original name.
type assets struct {
	byHashed map[string]*asset
	byName   map[string]*asset
}

// hashedName puts the start of the content's hash into a file name:
// site.css becomes site.3f2a1c9b0e.css.
func hashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// devOnlyAssets exist only in the authoring preview.
var devOnlyAssets = map[string]bool{"dev.js": true}

func loadAssets(fsys fs.FS, dev bool) (*assets, error) {
	as := &assets{byHashed: map[string]*asset{}, byName: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") || (devOnlyAssets[p] && !dev) {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ext := path.Ext(p)
		a := &asset{
			name:        p,
			hashedName:  hashedName(p, body),
			contentType: contentTypeOf(ext),
			body:        body,
		}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		a.immutable = newResponse(a.contentType, cacheImmutable, body)
		a.unhashed = newResponse(a.contentType, "public, max-age=86400", body)
		as.byHashed[a.hashedName] = a
		as.byName[p] = a
		return nil
	})
	return as, err
}

// assetTypes are fixed here rather than read from the system's MIME
// tables, which differ between machines (.ico, .js) and would change the
// headers, and so the ETags, a replica sends.
var assetTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".ico":  "image/x-icon",
	".svg":  "image/svg+xml",
}

func contentTypeOf(ext string) string {
	if t, ok := assetTypes[ext]; ok {
		return t
	}
	return mime.TypeByExtension(ext)
}

// url is the path at which the named asset is served.
func (as *assets) url(name string) string {
	a, ok := as.byName[name]
	if !ok {
		panic(fmt.Sprintf("static asset %q does not exist", name)) // a programming error, caught by every test
	}
	return "/static/" + a.hashedName
}
