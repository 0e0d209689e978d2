package prepared

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Cache lifetimes of static files: forever under a hashed name, which
// changes with the content; a day under a plain name, which does not.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	cachePlainName = "public, max-age=86400"
)

// asset is one static file, served under a name that contains a hash of its
// bytes, so it can be cached forever and a new version is a new URL.
type asset struct {
	hashedName string // like "site.3f2a1c9b.css"
	body       []byte
	// hashed is served under the hashed name, plain under the original
	// name (only the favicon, which browsers ask for by that name).
	hashed, plain *Response
}

// Assets are static files, kept in memory and served under hashed names.
type Assets struct {
	byHashed map[string]*asset
	byName   map[string]*asset
}

// HashedName puts the start of the content's hash into a file name:
// site.css becomes site.3f2a1c9b0e.css.
func HashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// LoadAssets reads every file of fsys except Go files and those skip
// reports on.
func LoadAssets(fsys fs.FS, skip func(name string) bool) (*Assets, error) {
	as := &Assets{byHashed: map[string]*asset{}, byName: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") || (skip != nil && skip(p)) {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ctype := contentTypeOf(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a := &asset{
			hashedName: HashedName(p, body),
			body:       body,
			hashed:     New(http.StatusOK, ctype, CacheImmutable, body),
			plain:      New(http.StatusOK, ctype, cachePlainName, body),
		}
		// Every page asks for the stylesheet and scripts: make their
		// encodings now (a few milliseconds), so brotli is sent from the
		// first request. Plain names serve only the favicon, whose
		// encodings are made if ever asked for.
		a.hashed.EncodeAll()
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

// URL is the path at which the named file is served, under "/static/".
// It panics on a name that does not exist: that is a programming error,
// which every test meets.
func (as *Assets) URL(name string) string {
	a, ok := as.byName[name]
	if !ok {
		panic(fmt.Sprintf("static asset %q does not exist", name))
	}
	return "/static/" + a.hashedName
}

// Has reports whether a file of that name exists.
func (as *Assets) Has(name string) bool {
	_, ok := as.byName[name]
	return ok
}

// Bytes returns the named file's content.
func (as *Assets) Bytes(name string) ([]byte, bool) {
	a, ok := as.byName[name]
	if !ok {
		return nil, false
	}
	return a.body, true
}

// ByHashedName returns the response for a hashed name, like
// "site.3f2a1c9b0e.css".
func (as *Assets) ByHashedName(hashed string) (*Response, bool) {
	a, ok := as.byHashed[hashed]
	if !ok {
		return nil, false
	}
	return a.hashed, true
}

// ByPlainName returns the response for a file under its own name, for the
// few files clients ask for by a fixed name (favicon.ico).
func (as *Assets) ByPlainName(name string) (*Response, bool) {
	a, ok := as.byName[name]
	if !ok {
		return nil, false
	}
	return a.plain, true
}
