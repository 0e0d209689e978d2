// Command healthsite-bare is the load test's ceiling for net/http: it
// serves files' bytes, and their .gz next to them, from memory with
// pre-built headers and nothing else, no router and no middleware.
// scripts/loadtest.sh runs it beside the real server, so the real server's
// cost can be read against what net/http itself costs on the same machine
// in the same sitting.
//
//	healthsite-bare -addr 127.0.0.1:9000 -root DIR
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type file struct {
	gz       []byte
	length   []string
	encoding []string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	root := flag.String("root", "", "folder of files, each with its .gz beside it")
	flag.Parse()
	files := map[string]*file{}
	err := filepath.WalkDir(*root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".gz") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel := "/" + strings.TrimSuffix(strings.TrimPrefix(p, *root+"/"), ".gz")
		rel = strings.TrimSuffix(rel, "index.html")
		files[rel] = &file{gz: b, length: []string{strconv.Itoa(len(b))}, encoding: []string{"gzip"}}
		return nil
	})
	if err != nil || len(files) == 0 {
		fmt.Fprintln(os.Stderr, "healthsite-bare: no .gz files under -root:", err)
		os.Exit(1)
	}
	contentType := []string{"text/html; charset=utf-8"}
	srv := &http.Server{
		Addr:              *addr,
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, ok := files[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			h := w.Header()
			h["Content-Type"] = contentType
			h["Content-Encoding"] = f.encoding
			h["Content-Length"] = f.length
			_, _ = w.Write(f.gz)
		}),
	}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "healthsite-bare:", err)
		os.Exit(1)
	}
}
