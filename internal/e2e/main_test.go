package e2e

import (
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"testing"

	"healthsite/articles"
	"healthsite/internal/browsertest"
	"healthsite/internal/content"
	"healthsite/internal/server"
)

func TestMain(m *testing.M) {
	os.Exit(browsertest.Main(m, "internal/e2e"))
}

// startSite serves the bundled site on a free loopback port, with its base
// URL set to that address so share links point back at it, once its search
// index is built.
func startSite(t *testing.T) string {
	t.Helper()
	return serve(t, articles.FS)
}

// serve serves the articles of fsys as startSite does.
func serve(t *testing.T, fsys fs.FS) string {
	t.Helper()
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	srv, err := server.New(site, server.Config{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.IndexSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	return base
}

const (
	articlePath = "/articles/neck-pain-after-cervical-massage"
	chooserPath = "/symptoms"
	formPath    = "/symptoms/neck-pain"
	resultPath  = "/symptoms/neck-pain/results?symptom=dizziness&symptom=stiff-neck&symptom=tender-when-pressed"
	errorPath   = "/symptoms/neck-pain/results?symptom=none&symptom=dizziness"
	// unmatchedPath is an old result link whose answers no complaint has.
	unmatchedPath = "/symptoms/results?symptom=gone"
)
