package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/store"
)

// databaseFlags are the flags that say which database a command uses.
type databaseFlags struct {
	database, dataDir string
}

func addDatabaseFlags(fset *flag.FlagSet) *databaseFlags {
	f := &databaseFlags{}
	fset.StringVar(&f.database, "database", envOr("HEALTHSITE_DATABASE", ""),
		"the `DSN` of the database: sqlite:PATH or a postgres:// URL; default the SQLite file "+store.DefaultFile+" in -data-dir. "+
			"A URL with a password belongs in the environment, not here, where other users of the machine can read it (env HEALTHSITE_DATABASE)")
	fset.StringVar(&f.dataDir, "data-dir", envOr("HEALTHSITE_DATA_DIR", "data"),
		"`folder` of the default SQLite database, made if missing (env HEALTHSITE_DATA_DIR)")
	return f
}

// dsn is the database the flags name.
func (f *databaseFlags) dsn() (string, error) {
	if f.database != "" {
		return f.database, nil
	}
	return store.DefaultDSN(f.dataDir)
}

// commandContext ends on SIGINT or SIGTERM, so that a long export or a
// migration waiting for another's lock can be stopped cleanly.
func commandContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// parseCommand parses a subcommand's flags and refuses arguments; ok is
// false with the exit code when the command should stop.
func parseCommand(fset *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(fset.Output(), "%s: unexpected arguments: %q\n", fset.Name(), fset.Args())
		fset.Usage()
		return 2, false
	}
	return 0, true
}

// runMigrate is "healthsite migrate": it brings the database's schema up
// to date (what the server also does when it starts), says what it
// applied, and returns the exit code.
func runMigrate(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("healthsite migrate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := addDatabaseFlags(fset)
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: healthsite migrate [-database DSN] [-data-dir FOLDER]\n\n"+
			"Applies the migrations the database lacks, each once, and says which. Replicas of the\n"+
			"server do the same when they start; on PostgreSQL they wait for each other.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if code, ok := parseCommand(fset, args); !ok {
		return code
	}
	dsn, err := db.dsn()
	if err != nil {
		fmt.Fprintln(stderr, "healthsite migrate:", err)
		return 1
	}
	ctx, stop := commandContext()
	defer stop()
	m, err := store.Migrate(ctx, dsn)
	if err != nil {
		fmt.Fprintln(stderr, "healthsite migrate:", err)
		return 1
	}
	for _, a := range m.Applied {
		fmt.Fprintf(stdout, "applied %s\n", a.File)
	}
	if len(m.Applied) == 0 {
		fmt.Fprintf(stdout, "%s: schema version %d, already current\n", store.Describe(dsn), m.Version)
	} else {
		fmt.Fprintf(stdout, "%s: schema version %d\n", store.Describe(dsn), m.Version)
	}
	return 0
}

// runFeedback is "healthsite feedback export|summary": it reads readers'
// feedback for editors, without changing the database.
func runFeedback(args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprint(stderr, "Usage: healthsite feedback export [-database DSN] [-since YYYY-MM-DD]\n"+
			"       healthsite feedback summary [-database DSN]\n\n"+
			"export writes every answer kept (since a day) as CSV: day,page,section,answer,comment.\n"+
			"summary lists each page's Yes and No answers over 7, 30 and 90 days, highest 30-day No rate first.\n"+
			"Run either with -h for its flags.\n")
	}
	if len(args) == 0 {
		usage()
		return 2
	}
	fset := flag.NewFlagSet("healthsite feedback "+args[0], flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := addDatabaseFlags(fset)
	var since string
	switch args[0] {
	case "export":
		fset.StringVar(&since, "since", "", "export answers from this `day` (YYYY-MM-DD) on; default every answer kept")
	case "summary":
	case "-h", "-help", "--help", "help":
		usage()
		return 0
	default:
		fmt.Fprintf(stderr, "healthsite feedback: unknown command %q\n", args[0])
		usage()
		return 2
	}
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: %s [flags]\n\nFlags:\n", fset.Name())
		fset.PrintDefaults()
	}
	if code, ok := parseCommand(fset, args[1:]); !ok {
		return code
	}
	var from feedback.Date
	if since != "" {
		var err error
		if from, err = feedback.ParseDate(since); err != nil {
			fmt.Fprintf(stderr, "%s: -since: %v\n", fset.Name(), err)
			return 2
		}
	}
	if err := readFeedback(db, args[0], from, stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fset.Name(), err)
		return 1
	}
	return 0
}

// readFeedback connects to the database without migrating it (a command
// that reads does not change the schema under a running server), and runs
// export or summary.
func readFeedback(flags *databaseFlags, command string, since feedback.Date, w io.Writer) error {
	dsn, err := flags.dsn()
	if err != nil {
		return err
	}
	ctx, stop := commandContext()
	defer stop()
	db, err := store.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if pending, err := db.Pending(ctx); err != nil {
		return err
	} else if pending {
		return fmt.Errorf("%s lacks migrations: run healthsite migrate first", store.Describe(dsn))
	}
	s := feedback.New(db, feedback.Options{})
	defer s.Close()
	if command == "export" {
		return s.Export(ctx, w, since)
	}
	today := feedback.DateOf(time.Now().UTC())
	pages, err := s.Summary(ctx, today)
	if err != nil {
		return err
	}
	writeSummary(w, pages, today)
	return nil
}

// writeSummary prints pages as a table, the highest No rate over 30 days
// first: where editors should look.
func writeSummary(w io.Writer, pages []feedback.PageSummary, today feedback.Date) {
	slices.SortStableFunc(pages, func(a, b feedback.PageSummary) int {
		return cmp.Or(cmp.Compare(b.Days30.NoRate(), a.Days30.NoRate()), strings.Compare(a.Page, b.Page))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "page\tyes 7d\tno 7d\tyes 30d\tno 30d\tno rate 30d\tyes 90d\tno 90d\n")
	for _, p := range pages {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.0f%%\t%d\t%d\n", p.Page,
			p.Days7.Yes, p.Days7.No, p.Days30.Yes, p.Days30.No, 100*p.Days30.NoRate(), p.Days90.Yes, p.Days90.No)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d pages answered in the 90 days to %s\n", len(pages), today)
}
