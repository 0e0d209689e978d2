package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"healthsite/internal/desk/auth"
	"healthsite/internal/desk/password"
	"healthsite/internal/store"
)

const editorsUsage = `Usage: healthsite editors add -role editor|admin [-database DSN] EMAIL
       healthsite editors list [-database DSN]
       healthsite editors disable [-database DSN] EMAIL
       healthsite editors reset-password [-database DSN] EMAIL

Manages the accounts of the editors' desk (healthsite -desk-addr). add and
reset-password read the password from standard input (one line), or, when
standard input is a terminal or empty, make one and print it once. A
password needs 12 characters or more and must not be a common one.
disable stops an account signing in and ends its sessions; accounts are
never deleted, so the audit log keeps naming them. Flags go before EMAIL.
Run any of them with -h for its flags.
`

// runEditors is "healthsite editors add|list|disable|reset-password". It
// returns the exit code: 0 done, 1 refused or failed, 2 misused.
func runEditors(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, editorsUsage)
		return 2
	}
	cmd := args[0]
	switch cmd {
	case "add", "list", "disable", "reset-password":
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, editorsUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "healthsite editors: unknown command %q\n\n%s", cmd, editorsUsage)
		return 2
	}
	fset := flag.NewFlagSet("healthsite editors "+cmd, flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := addDatabaseFlags(fset)
	role := fset.String("role", "", "the account's `role`: editor (reads and acts on feedback) or admin (also manages accounts)")
	if cmd != "add" {
		fset.Lookup("role").Usage = "(add only)"
	}
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: %s [flags]", fset.Name())
		if cmd != "list" {
			fmt.Fprint(fset.Output(), " EMAIL")
		}
		fmt.Fprint(fset.Output(), "\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	wantArgs := 1
	if cmd == "list" {
		wantArgs = 0
	}
	if fset.NArg() != wantArgs {
		fmt.Fprintf(stderr, "%s: want %d argument(s), got %q\n", fset.Name(), wantArgs, fset.Args())
		fset.Usage()
		return 2
	}
	if cmd != "add" && *role != "" {
		fmt.Fprintf(stderr, "%s: -role is for add only\n", fset.Name())
		return 2
	}
	var r auth.Role
	if cmd == "add" {
		var err error
		if r, err = auth.ParseRole(*role); err != nil {
			fmt.Fprintf(stderr, "%s: -role: %v\n", fset.Name(), err)
			return 2
		}
	}
	if err := editors(cmd, db, r, fset.Arg(0), stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fset.Name(), err)
		return 1
	}
	return 0
}

// editors runs one command against the database the flags name, which
// must be migrated already (healthsite migrate, or the server, does it).
func editors(cmd string, flags *databaseFlags, role auth.Role, email string, stdin io.Reader, stdout io.Writer) error {
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
	s := auth.New(db, auth.Options{})
	switch cmd {
	case "list":
		return listAccounts(ctx, s, stdout)
	case "add":
		pw, generated, err := readPassword(stdin, email)
		if err != nil {
			return err
		}
		a, err := s.AddAccount(ctx, email, role, pw, auth.CommandLine)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s, %s\n", a.Email, a.Role)
		printGenerated(stdout, generated, pw)
		return nil
	}
	a, err := s.AccountByEmail(ctx, email)
	if errors.Is(err, auth.ErrNoAccount) {
		return fmt.Errorf("no account has the e-mail %s", email)
	}
	if err != nil {
		return err
	}
	switch cmd {
	case "disable":
		if err := s.Disable(ctx, a.ID, auth.CommandLine); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled %s; its sessions have ended\n", a.Email)
	case "reset-password":
		pw, generated, err := readPassword(stdin, a.Email)
		if err != nil {
			return err
		}
		if err := s.SetPassword(ctx, a.ID, pw, auth.CommandLine); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new password set for %s; its sessions have ended\n", a.Email)
		if a.Disabled {
			fmt.Fprintln(stdout, "the account is still disabled")
		}
		printGenerated(stdout, generated, pw)
	}
	return nil
}

func listAccounts(ctx context.Context, s *auth.Store, w io.Writer) error {
	list, err := s.Accounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "email\trole\tstate\tadded\tpassword set")
	for _, a := range list {
		state := "active"
		if a.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Email, a.Role, state, a.Created.UTC().Format("2006-01-02"), a.PasswordSet.UTC().Format("2006-01-02"))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d accounts\n", len(list))
	return nil
}

// readPassword reads one line from stdin, the password, unless stdin is a
// terminal (nobody is piping one in: it would echo as typed) or gives
// nothing, when it makes one. Only the line's end is trimmed.
func readPassword(stdin io.Reader, email string) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return password.Generate(email), true, nil
		}
	}
	line, err := bufio.NewReaderSize(io.LimitReader(stdin, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("reading the password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return password.Generate(email), true, nil
	}
	return line, false, nil
}

func printGenerated(w io.Writer, generated bool, pw string) {
	if generated {
		fmt.Fprintf(w, "password (shown only now; give it to them in person): %s\n", pw)
	}
}
