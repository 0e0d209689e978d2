package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"healthsite/internal/content"
)

// The sources' hash names what a site was loaded from: the SHA-256 of
// every file Load reads (content.SourceFiles), each as its name and the
// SHA-256 of its contents, in name order. A pack built from the same
// files has the same hash, and an edit to any of them changes it. Hashing
// each file on its own lets the files be hashed on every core, or as Load
// reads them (Recorder), instead of in one more pass over them all.

// SourcesHash is the sources' hash of the files in fsys (an articles
// folder), read on every core.
func SourcesHash(fsys fs.FS) (string, error) {
	names, err := content.SourceFiles(fsys)
	if err != nil {
		return "", err
	}
	sums := make([][sha256.Size]byte, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			src, err := fs.ReadFile(fsys, name)
			sums[i] = sha256.Sum256(src)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return "", err
	}
	return combine(names, sums), nil
}

func combine(names []string, sums [][sha256.Size]byte) string {
	h := sha256.New()
	for i, name := range names {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(sums[i][:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Recorder is fsys with the hash of every file read through it kept, so
// that a build loads its articles and learns their sources' hash in one
// pass, and the hash is of exactly the bytes it loaded: a file saved in
// the middle of a build cannot give the pack a hash of other contents
// than its own.
type Recorder struct {
	fs.FS
	mu   sync.Mutex
	sums map[string][sha256.Size]byte
}

// NewRecorder returns a Recorder over fsys.
func NewRecorder(fsys fs.FS) *Recorder {
	return &Recorder{FS: fsys, sums: map[string][sha256.Size]byte{}}
}

// ReadFile reads a file, as fs.ReadFile does, and keeps its hash.
func (r *Recorder) ReadFile(name string) ([]byte, error) {
	src, err := fs.ReadFile(r.FS, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	r.mu.Lock()
	r.sums[name] = sum
	r.mu.Unlock()
	return src, nil
}

// SourcesHash is the sources' hash of the files read so far; a source
// file that was not read through ReadFile is read now.
func (r *Recorder) SourcesHash() (string, error) {
	names, err := content.SourceFiles(r.FS)
	if err != nil {
		return "", err
	}
	sums := make([][sha256.Size]byte, len(names))
	for i, name := range names {
		r.mu.Lock()
		sum, ok := r.sums[name]
		r.mu.Unlock()
		if !ok {
			if _, err := r.ReadFile(name); err != nil {
				return "", err
			}
			r.mu.Lock()
			sum = r.sums[name]
			r.mu.Unlock()
		}
		sums[i] = sum
	}
	return combine(names, sums), nil
}
