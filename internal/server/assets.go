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
}

// assets are the static files by hashed name, and the URL of each by original name.
type assets struct {
	byHashed map[string]*asset
	byName   map[string]*asset
}

func loadAssets(fsys fs.FS) (*assets, error) {
	as := &assets{byHashed: map[string]*asset{}, byName: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		a := &asset{
			name:        p,
			hashedName:  strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext,
			contentType: mime.TypeByExtension(ext),
			body:        body,
		}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		as.byHashed[a.hashedName] = a
		as.byName[p] = a
		return nil
	})
	return as, err
}

// url is the path at which the named asset is served.
func (as *assets) url(name string) string {
	a, ok := as.byName[name]
	if !ok {
		panic(fmt.Sprintf("static asset %q does not exist", name)) // a programming error, caught by every test
	}
	return "/static/" + a.hashedName
}
