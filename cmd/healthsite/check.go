package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"healthsite/internal/contentcheck"
	"healthsite/internal/server"
	"healthsite/static"
)

// runCheck is "healthsite check": it reports every problem in an articles
// folder, one per line, and returns the exit code.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("healthsite check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	strict := fset.Bool("strict", false, "fail (exit 1) on warnings too")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite check [-strict] [FOLDER]\n\n"+
			"Checks the articles in FOLDER (default ./articles) as the server loads them, and\n"+
			"reports every error and warning as file:line: message. Exit status 1 on any\n"+
			"error, or with -strict on any warning.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	dir := "articles"
	switch fset.NArg() {
	case 0:
	case 1:
		dir = fset.Arg(0)
	default:
		fset.Usage()
		return 2
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "healthsite check: %q is not a folder\n", dir)
		return 2
	}
	var errs, warns int
	for _, f := range contentcheck.Check(os.DirFS(dir), server.ContentOptions(static.FS), time.Now()) {
		f.File = filepath.Join(dir, f.File)
		fmt.Fprintln(stdout, f)
		if f.Severity == contentcheck.Error {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(stdout, "%d %s, %d %s\n", errs, plural(errs, "error"), warns, plural(warns, "warning"))
	if errs > 0 || (*strict && warns > 0) {
		return 1
	}
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
