package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

func TestMigrateCommand(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		dsn := k.DSN(t)
		var out, errOut bytes.Buffer
		if code := runMigrate([]string{"-database", dsn}, &out, &errOut); code != 0 {
			t.Fatalf("migrate: exit %d, stderr:\n%s", code, errOut.String())
		}
		if !strings.Contains(out.String(), "applied 00001_feedback.sql\napplied 00002_desk.sql\n") || !strings.Contains(out.String(), "schema version 2\n") {
			t.Errorf("first migrate said:\n%s", out.String())
		}
		out.Reset()
		if code := runMigrate([]string{"-database", dsn}, &out, &errOut); code != 0 {
			t.Fatalf("migrate again: exit %d, stderr:\n%s", code, errOut.String())
		}
		if got := out.String(); strings.Contains(got, "applied") || !strings.Contains(got, "schema version 2, already current") {
			t.Errorf("second migrate said:\n%s", got)
		}
	})
}

// seed records answers and a comment in the database dsn names, dated
// today as the commands see it.
func seed(t *testing.T, dsn string) feedback.Date {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := feedback.New(db, feedback.Options{})
	defer s.Close()
	today := feedback.DateOf(time.Now().UTC())
	for _, a := range []feedback.Answer{
		{Day: today, Page: "/articles/neck-pain-after-cervical-massage", Helpful: true},
		{Day: today.AddDays(-40), Page: "/articles/neck-pain-after-cervical-massage", Helpful: false},
		{Day: today, Page: "/symptoms/neck-pain", Section: "red-flags", Helpful: false},
	} {
		tok, err := s.Record(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if a.Page == "/symptoms/neck-pain" {
			if err := s.Comment(ctx, tok, "", "Too short, call me 07700 900123"); err != nil {
				t.Fatal(err)
			}
		}
	}
	return today
}

func TestFeedbackExportAndSummary(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		dsn := k.DSN(t)
		today := seed(t, dsn)
		for _, tt := range []struct {
			name string
			args []string
			want [][]string
		}{
			{"everything", nil, [][]string{
				feedback.ExportHeader,
				{today.AddDays(-40).String(), "/articles/neck-pain-after-cervical-massage", "", "no", ""},
				{today.String(), "/articles/neck-pain-after-cervical-massage", "", "yes", ""},
				{today.String(), "/symptoms/neck-pain", "red-flags", "no", "Too short, call me [removed]"},
			}},
			{"since a day", []string{"-since", today.AddDays(-1).String()}, [][]string{
				feedback.ExportHeader,
				{today.String(), "/articles/neck-pain-after-cervical-massage", "", "yes", ""},
				{today.String(), "/symptoms/neck-pain", "red-flags", "no", "Too short, call me [removed]"},
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var out, errOut bytes.Buffer
				if code := runFeedback(append([]string{"export", "-database", dsn}, tt.args...), &out, &errOut); code != 0 {
					t.Fatalf("export: exit %d, stderr:\n%s", code, errOut.String())
				}
				rows, err := csv.NewReader(&out).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(rows, tt.want, slices.Equal) {
					t.Errorf("exported\n%q\nwant\n%q", rows, tt.want)
				}
			})
		}

		var out, errOut bytes.Buffer
		if code := runFeedback([]string{"summary", "-database", dsn}, &out, &errOut); code != 0 {
			t.Fatalf("summary: exit %d, stderr:\n%s", code, errOut.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		// The checker (one No in 30 days, 100%) before the article (one
		// Yes in 30 days, 0%); the article's older No counts in 90 days.
		want := [][]string{
			{"page", "yes", "7d", "no", "7d", "yes", "30d", "no", "30d", "no", "rate", "30d", "yes", "90d", "no", "90d"},
			{"/symptoms/neck-pain", "0", "1", "0", "1", "100%", "0", "1"},
			{"/articles/neck-pain-after-cervical-massage", "1", "0", "1", "0", "0%", "1", "1"},
			{"2", "pages", "answered", "in", "the", "90", "days", "to", today.String()},
		}
		if len(lines) != len(want) {
			t.Fatalf("summary printed %d lines, want %d:\n%s", len(lines), len(want), out.String())
		}
		for i, line := range lines {
			if got := strings.Fields(line); !slices.Equal(got, want[i]) {
				t.Errorf("summary line %d: %q, want %q", i+1, got, want[i])
			}
		}
	})
}

func TestFeedbackCommandsRefuse(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no command", nil, 2, "Usage: healthsite feedback export"},
		{"unknown command", []string{"delete"}, 2, `unknown command "delete"`},
		{"a date that is not one", []string{"export", "-since", "10/11/2025", "-data-dir", dir}, 2, `"10/11/2025" is not a date`},
		{"a stray argument", []string{"summary", "-data-dir", dir, "now"}, 2, "unexpected arguments"},
		{"no database yet", []string{"summary", "-data-dir", filepath.Join(dir, "new")}, 1, "there is no database SQLite"},
		{"a database never migrated", []string{"export", "-database", "sqlite:" + empty}, 1, "lacks migrations: run healthsite migrate first"},
		{"an unknown database", []string{"export", "-database", "mysql://editor:s3cret@db/site"}, 1, `unknown kind of database "mysql"`},
		{"a server that is not there", []string{"summary", "-database", "postgres://editor:s3cret@127.0.0.1:1/site"}, 1, "connecting to PostgreSQL postgres://editor:xxxxx@127.0.0.1:1/site"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := runFeedback(tt.args, &out, &errOut); code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errOut.String(), tt.wantErr)
			}
			if strings.Contains(errOut.String()+out.String(), "s3cret") {
				t.Errorf("the password reached the output: %s", errOut.String())
			}
		})
	}
	var out, errOut bytes.Buffer
	if code := runMigrate([]string{"-database", "postgres://editor:s3cret@127.0.0.1:1/site"}, &out, &errOut); code != 1 || strings.Contains(errOut.String(), "s3cret") {
		t.Errorf("migrate against no server: exit %d, stderr %q; want 1 and no password", code, errOut.String())
	}
}

func TestDatabaseFlagsDefaults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	t.Setenv("HEALTHSITE_DATA_DIR", dir)
	t.Setenv("HEALTHSITE_DATABASE", "")
	var out, errOut bytes.Buffer
	if code := runMigrate(nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate: exit %d, stderr:\n%s", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "healthsite.db")); err != nil {
		t.Errorf("migrate with HEALTHSITE_DATA_DIR did not make the database there: %v", err)
	}

	other := filepath.Join(t.TempDir(), "other.db")
	t.Setenv("HEALTHSITE_DATABASE", "sqlite:"+other)
	if code := runMigrate(nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate: exit %d, stderr:\n%s", code, errOut.String())
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("HEALTHSITE_DATABASE was not used: %v", err)
	}
	// A flag beats the environment.
	flagged := filepath.Join(t.TempDir(), "flag.db")
	if code := runMigrate([]string{"-database", "sqlite:" + flagged}, &out, &errOut); code != 0 {
		t.Fatalf("migrate: exit %d, stderr:\n%s", code, errOut.String())
	}
	if _, err := os.Stat(flagged); err != nil {
		t.Errorf("-database was not used: %v", err)
	}
}

// TestBinaryMigratesAndExports runs the built command, through main's
// dispatch.
func TestBinaryMigratesAndExports(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir // the default data folder is ./data
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "HEALTHSITE_DATABASE=") && !strings.HasPrefix(kv, "HEALTHSITE_DATA_DIR=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("healthsite %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := run("migrate"); !strings.Contains(out, "applied 00001_feedback.sql") {
		t.Errorf("migrate said:\n%s", out)
	}
	if out := run("feedback", "export"); out != "day,page,section,answer,comment\n" {
		t.Errorf("export of an empty database:\n%q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "healthsite.db")); err != nil {
		t.Errorf("the database is not in ./data: %v", err)
	}
}
