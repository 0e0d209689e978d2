package prepared

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAssetsUnderHashedNames(t *testing.T) {
	fsys := fstest.MapFS{
		"site.css":    {Data: []byte("body { color: black }")},
		"favicon.ico": {Data: []byte{0, 0, 1, 0}},
		"embed.go":    {Data: []byte("package static")},
		"dev.js":      {Data: []byte("// preview only")},
	}
	as, err := LoadAssets(fsys, func(name string) bool { return name == "dev.js" })
	if err != nil {
		t.Fatal(err)
	}
	url := as.URL("site.css")
	if want := "/static/" + HashedName("site.css", fsys["site.css"].Data); url != want {
		t.Fatalf("URL = %q, want %q", url, want)
	}
	if !strings.HasPrefix(url, "/static/site.") || !strings.HasSuffix(url, ".css") || len(url) != len("/static/site..css")+10 {
		t.Errorf("URL = %q, want /static/site.<10 hex digits>.css", url)
	}
	r, ok := as.ByHashedName(strings.TrimPrefix(url, "/static/"))
	if !ok {
		t.Fatal("the hashed name is not served")
	}
	rec := httptest.NewRecorder()
	r.Serve(rec, httptest.NewRequest("GET", url, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != CacheImmutable || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("status %d, Cache-Control %q, Content-Type %q", rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("Content-Type"))
	}
	if _, ok := as.ByHashedName("site.css"); ok {
		t.Error("the plain name is served as if it were hashed")
	}
	if _, ok := as.ByPlainName("favicon.ico"); !ok {
		t.Error("favicon.ico is not served under its own name")
	}
	for _, name := range []string{"embed.go", "dev.js"} {
		if as.Has(name) {
			t.Errorf("%s is served; it was to be skipped", name)
		}
	}
	if HashedName("site.css", []byte("a")) == HashedName("site.css", []byte("b")) {
		t.Error("different content, same hashed name")
	}
}

func TestAssetURLOfAMissingFilePanics(t *testing.T) {
	as, _ := LoadAssets(fstest.MapFS{}, nil)
	defer func() {
		if recover() == nil {
			t.Error("URL of a missing file did not panic")
		}
	}()
	as.URL("missing.css")
}
