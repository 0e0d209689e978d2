// Command healthsite-gen writes a folder of synthetic articles, and the
// symptom checker's complaints that lead into them (one per 100 articles,
// in complaints/), for measuring start-up time and memory with many
// articles:
//
//	go run ./cmd/healthsite-gen -n 10000 -o /tmp/corpus
//	go run ./cmd/healthsite -articles /tmp/corpus
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"healthsite/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "how many articles to write")
	out := flag.String("o", "", "the `folder` to write them to (created if missing)")
	flag.Parse()
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: healthsite-gen -n COUNT -o FOLDER")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "healthsite-gen:", err)
		os.Exit(1)
	}
	files := 0
	for name, data := range corpus.Files(*n) {
		path := filepath.Join(*out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "healthsite-gen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "healthsite-gen:", err)
			os.Exit(1)
		}
		files++
	}
	fmt.Printf("wrote %d articles and %d complaints (%d files) to %s\n", *n, corpus.Complaints(*n), files, *out)
}
