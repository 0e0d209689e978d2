package pack_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/pack"
	"healthsite/internal/server"
	"healthsite/static"
)

// noIndex writes an empty file where the search index goes.
func noIndex(_ context.Context, path string) error { return os.WriteFile(path, nil, 0o644) }

func TestTiming(t *testing.T) {
	dir := os.Getenv("HEALTHSITE_BENCH_CORPUS")
	if dir == "" {
		t.Skip()
	}
	opts := server.ContentOptions(static.FS)
	start := time.Now()
	site, err := content.LoadWith(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v", time.Since(start))
	start = time.Now()
	sum, err := pack.SourcesHash(os.DirFS(dir))
	t.Logf("hash %v", time.Since(start))
	out := os.Getenv("HEALTHSITE_BENCH_OUT")
	start = time.Now()
	if err := pack.Write(context.Background(), out, site, sum, "test", noIndex); err != nil {
		t.Fatal(err)
	}
	t.Logf("write %v", time.Since(start))
	start = time.Now()
	p, err := pack.Open(out, opts, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("open %v (%d articles)", time.Since(start), len(p.Site.Articles))
	_ = articles.FS
	_ = errors.New
}

func TestTimingOpen(t *testing.T) {
	dir := os.Getenv("HEALTHSITE_BENCH_PACK")
	if dir == "" {
		t.Skip()
	}
	opts := server.ContentOptions(static.FS)
	start := time.Now()
	p, err := pack.Open(dir, opts, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("open %v (%d articles)", time.Since(start), len(p.Site.Articles))
}
