package pack_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
	"healthsite/internal/pack"
	"healthsite/internal/search"
	"healthsite/internal/server"
	"healthsite/static"
)

// library is the bundled articles with 300 generated ones and their
// complaints: pictures, links, sign-offs, synonyms, many complaints.
func library(t testing.TB) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	for name, data := range corpus.Files(300) {
		out[name] = &fstest.MapFile{Data: data}
	}
	err := fs.WalkDir(articles.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(articles.FS, name)
		out[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// loadIndexed loads src as the server does and builds its search index.
func loadIndexed(t testing.TB, src fs.FS) (*content.Site, *search.Index) {
	t.Helper()
	site, err := content.LoadWith(src, server.ContentOptions(static.FS))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Build(context.Background(), site, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	return site, ix
}

// writePack loads src as the server does and writes its pack.
func writePack(t testing.TB, src fs.FS) (string, *content.Site, *search.Index) {
	t.Helper()
	site, ix := loadIndexed(t, src)
	sources, err := pack.SourcesHash(src)
	if err != nil {
		t.Fatal(err)
	}
	render, err := server.ArticleRenderer(site, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "pack")
	if err := pack.Write(context.Background(), dir, site, sources, "test", pack.HTML{Renderer: testRenderer, Render: render}, ix.Save); err != nil {
		t.Fatal(err)
	}
	return dir, site, ix
}

// testRenderer names the server that made the packs' HTML in these tests.
const testRenderer = "test"

// fixedNow is the day both servers think it is, so review dates read alike.
func fixedNow() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) }

func serve(t testing.TB, site *content.Site, ix *search.Index) http.Handler {
	t.Helper()
	s, err := server.New(site, server.Config{BaseURL: "https://health.example", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.ServeIndex(ix); err != nil {
		t.Fatal(err)
	}
	return s
}

// A pack serves the site exactly as the Markdown it was built from: every
// page of the sitemap, the checker's forms and results, searches, feeds
// and errors, byte for byte, with the same status and headers.
// It does so with the HTML the pack keeps, and without it (a server of
// another build, which renders each article from its source).
func TestPackServesTheSameSite(t *testing.T) {
	src := library(t)
	dir, site, built := writePack(t, src)
	fromFiles := serve(t, site, built)
	for _, renderer := range []string{testRenderer, "another build"} {
		t.Run(renderer, func(t *testing.T) { testPackServesTheSameSite(t, dir, site, fromFiles, renderer) })
	}
}

func testPackServesTheSameSite(t *testing.T, dir string, site *content.Site, fromFiles http.Handler, renderer string) {
	p, err := pack.Open(dir, server.ContentOptions(static.FS), "", renderer)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(context.Background(), p.SearchPath(), p.Site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ix.Close)
	fromPack := serve(t, p.Site, ix)

	paths := sitemapPaths(t, fromFiles)
	if len(paths) < len(site.Articles) {
		t.Fatalf("the sitemap lists %d pages for %d articles", len(paths), len(site.Articles))
	}
	for _, c := range site.Complaints {
		form := "/symptoms/" + c.ID
		paths = append(paths, form, form+"/results?symptom=none")
		for _, f := range c.RedFlags {
			paths = append(paths, form+"/results?symptom="+url.QueryEscape(f.ID))
		}
		for _, s := range c.Symptoms {
			paths = append(paths, form+"/results?symptom="+url.QueryEscape(s.ID))
		}
	}
	paths = append(paths, "/feed.xml", "/robots.txt", "/opensearch.xml", "/articles/no-such-article",
		"/search?q=neck+pain", "/search?q=nekc+pian", "/search?q=sore+throat", "/search?q=pain&page=2",
		"/search?q=xyzzy+qwerty", "/search?q=stiff+knee+after+running")
	for _, a := range site.Articles[:20] {
		paths = append(paths, "/search?q="+url.QueryEscape(a.Title))
	}
	for _, path := range paths {
		want, got := get(t, fromFiles, path), get(t, fromPack, path)
		if want.status != got.status || !reflect.DeepEqual(want.header, got.header) || !bytes.Equal(want.body, got.body) {
			t.Errorf("%s: from the pack %d %v (%d bytes), from the files %d %v (%d bytes)", path, got.status, got.header, len(got.body), want.status, want.header, len(want.body))
		}
	}
	t.Logf("%d responses compared", len(paths))
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t testing.TB, h http.Handler, path string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "identity")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	header := rec.Result().Header.Clone()
	header.Del("Date")
	header.Del("X-Request-Id")
	body, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{rec.Code, header, body}
}

func sitemapPaths(t testing.TB, h http.Handler) []string {
	t.Helper()
	r := get(t, h, "/sitemap.xml")
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(r.body, &sm); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	var out []string
	for _, u := range sm.URLs {
		parsed, err := url.Parse(u.Loc)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parsed.RequestURI())
	}
	return out
}

// A pack of another format, a folder that is no pack, a pack cut short
// and a pack of other articles are refused, each saying why.
func TestPacksRefused(t *testing.T) {
	dir, _, _ := writePack(t, articles.FS)
	sources, err := pack.SourcesHash(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	opts := server.ContentOptions(static.FS)
	if _, err := pack.Open(dir, opts, sources, testRenderer); err != nil {
		t.Fatalf("the pack of the bundled articles, for them: %v", err)
	}
	copyOf := func(t *testing.T) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "copy")
		if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return out
	}
	edit := func(t *testing.T, dir, name string, change func([]byte) []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, change(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name    string
		dir     func(t *testing.T) string
		sources string
		want    error
		says    string
	}{
		{"another format", func(t *testing.T) string {
			d := copyOf(t)
			edit(t, d, pack.ManifestFile, func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"format": 1`), []byte(`"format": 99`), 1)
			})
			return d
		}, "", pack.ErrFormat, "format 99"},
		{"not a pack", func(t *testing.T) string { return t.TempDir() }, "", pack.ErrFormat, "healthsite build"},
		{"the articles' folder", func(t *testing.T) string { return "../../articles" }, "", pack.ErrFormat, "no pack.json"},
		{"cut short", func(t *testing.T) string {
			d := copyOf(t)
			edit(t, d, pack.SiteFile, func(b []byte) []byte { return b[:len(b)/2] })
			return d
		}, "", pack.ErrFormat, "cut short"},
		{"stale", func(t *testing.T) string { return dir }, strings.Repeat("0", 64), pack.ErrStale, "other articles"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pack.Open(tt.dir(t), opts, tt.sources, testRenderer)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

// The sources' hash changes with any file the site is loaded from, and
// with nothing else.
func TestSourcesHash(t *testing.T) {
	base := fstest.MapFS{
		"a.md":                    {Data: []byte("a")},
		"complaints/x.yaml":       {Data: []byte("x")},
		"complaints/x.cases.yaml": {Data: []byte("c")},
		"synonyms.yaml":           {Data: []byte("s")},
	}
	h0, err := pack.SourcesHash(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		file    string
		changes bool
	}{
		{"an article", "a.md", true},
		{"a complaint", "complaints/x.yaml", true},
		{"its cases", "complaints/x.cases.yaml", true},
		{"the synonyms", "synonyms.yaml", true},
		{"a file the site does not read", "notes.txt", false},
		{"a file in a folder the site does not read", "drafts/b.md", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			fsys[tt.file] = &fstest.MapFile{Data: []byte("changed")}
			h, err := pack.SourcesHash(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if (h != h0) != tt.changes {
				t.Errorf("hash changed: %v, want %v", h != h0, tt.changes)
			}
		})
	}
}

// A pack is written whole or not at all, and never over another.
func TestWriteNeverOverwrites(t *testing.T) {
	dir, site, ix := writePack(t, articles.FS)
	if err := pack.Write(context.Background(), dir, site, "x", "test", pack.HTML{}, ix.Save); err == nil {
		t.Error("a pack was written over another")
	}
	failing := filepath.Join(filepath.Dir(dir), "failing")
	err := pack.Write(context.Background(), failing, site, "x", "test", pack.HTML{}, func(context.Context, string) error { return errors.New("disk full") })
	if err == nil {
		t.Fatal("a failed index write made a pack")
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"pack"}) {
		t.Errorf("after a failed write the folder holds %q, want only the first pack", names)
	}
}

// A Recorder's hash is the sources' hash of the bytes loaded through it:
// the same as SourcesHash's for files that did not change, and the hash
// of what was read, not of what is there now, for a file saved since.
func TestRecorderHashesWhatWasLoaded(t *testing.T) {
	want, err := pack.SourcesHash(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	rec := pack.NewRecorder(articles.FS)
	if _, err := content.LoadWith(rec, server.ContentOptions(static.FS)); err != nil {
		t.Fatal(err)
	}
	if got, err := rec.SourcesHash(); err != nil || got != want {
		t.Errorf("the recorder's hash %q (%v), SourcesHash's %q", got, err, want)
	}

	fsys := fstest.MapFS{"a.md": {Data: []byte("a")}, "synonyms.yaml": {Data: []byte("s")}}
	before, _ := pack.SourcesHash(fsys)
	rec = pack.NewRecorder(fsys)
	if _, err := rec.ReadFile("a.md"); err != nil {
		t.Fatal(err)
	}
	fsys["a.md"] = &fstest.MapFile{Data: []byte("saved during the load")}
	after, _ := pack.SourcesHash(fsys)
	got, err := rec.SourcesHash() // reads synonyms.yaml, never read before
	if err != nil || got != before || got == after {
		t.Errorf("hash %q (%v): want the hash of the bytes read, %q, not of the file now, %q", got, err, before, after)
	}
}

// A pack's HTML is what its articles show, but only to a server of the
// build that made it: another renders each article from its source. HTML
// that does not fit its article is an error, not a page.
func TestPackHTMLIsUsedOnlyByItsRenderer(t *testing.T) {
	site, ix := loadIndexed(t, articles.FS)
	const marker = "<p>made when the pack was built</p>"
	write := func(render func(*content.Article) ([]byte, error)) string {
		dir := filepath.Join(t.TempDir(), "pack")
		if err := pack.Write(context.Background(), dir, site, "x", "test", pack.HTML{Renderer: testRenderer, Render: render}, ix.Save); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	marked := write(func(a *content.Article) ([]byte, error) {
		r := content.Rendered{IntroHTML: marker, SectionHTML: make([]string, len(a.Sections))}
		return content.EncodeRendered(r), nil
	})
	page := func(dir, renderer string) *httptest.ResponseRecorder {
		p, err := pack.Open(dir, server.ContentOptions(static.FS), "", renderer)
		if err != nil {
			t.Fatal(err)
		}
		s, err := server.New(p.Site, server.Config{BaseURL: "https://health.example"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/articles/"+site.Articles[0].Slug, nil))
		return rec
	}
	if rec := page(marked, testRenderer); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), marker) {
		t.Errorf("the pack's own renderer: %d, the pack's HTML shown: %v", rec.Code, strings.Contains(rec.Body.String(), marker))
	}
	if rec := page(marked, "another build"); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), marker) {
		t.Errorf("another build: %d, the pack's HTML shown: %v", rec.Code, strings.Contains(rec.Body.String(), marker))
	}
	short := write(func(a *content.Article) ([]byte, error) {
		return content.EncodeRendered(content.Rendered{IntroHTML: marker}), nil
	})
	if rec := page(short, testRenderer); rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), marker) {
		t.Errorf("HTML with too few sections: %d, want the 500 page", rec.Code)
	}
}
