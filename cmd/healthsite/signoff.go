package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/signoff"
)

// runSignOff is "healthsite signoff": it records in each file a
// clinician's approval of its text as it is now, and returns the exit code.
func runSignOff(args []string, stdout, stderr io.Writer, now time.Time) int {
	fset := flag.NewFlagSet("healthsite signoff", flag.ContinueOnError)
	fset.SetOutput(stderr)
	by := fset.String("by", "", "the clinician who reviewed the text, with their role, like \"Dr A. Example, GP\"")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite signoff -by \"Name, role\" FILE...\n\n"+
			"Records in each article (*.md) or rules file (complaints/*.yaml) that the\n"+
			"clinician named by -by reviewed and approved its text today, with a hash of\n"+
			"that text. Pages say \"Reviewed by\" them while the text is unchanged, and\n"+
			"that it changed since their review once it is edited. Run it only once the\n"+
			"clinician has read the file as it is now.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() == 0 || *by == "" {
		fset.Usage()
		return 2
	}
	status := 0
	for _, file := range fset.Args() {
		if err := signFile(file, *by, now); err != nil {
			fmt.Fprintf(stderr, "healthsite signoff: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: signed off by %s on %s\n", file, *by, now.UTC().Format("2 January 2006"))
	}
	return status
}

// signFile signs one file in place, replacing it whole so that a reader
// (the -dev preview) never sees half a file.
func signFile(file, by string, now time.Time) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	// The name as the articles folder has it: rules files are known by
	// their folder.
	name := filepath.Base(file)
	if filepath.Base(filepath.Dir(file)) == checker.ComplaintsDir {
		name = checker.ComplaintsDir + "/" + name
	}
	signed, err := signoff.Sign(name, src, by, now)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".signoff-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(signed); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
