package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

func TestDescribeNeverShowsAPassword(t *testing.T) {
	for _, tt := range []struct {
		dsn, want string
	}{
		{"sqlite:data/healthsite.db", "SQLite data/healthsite.db"},
		{"postgres://feedback:s3cret@db.example.org:5432/site?sslmode=require", "PostgreSQL postgres://feedback:xxxxx@db.example.org:5432/site?sslmode=require"},
		{"postgresql://feedback@/site?host=/run/pg", "PostgreSQL postgresql://feedback@/site?host=/run/pg"},
		{"postgres://feedback:s3cret@%zz/site", "a PostgreSQL server"},
		{"mysql://feedback:s3cret@db/site", "an unrecognised database"},
		{"feedback:s3cret@db", "an unrecognised database"},
	} {
		t.Run(tt.dsn, func(t *testing.T) {
			if got := store.Describe(tt.dsn); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOpenRefusesWhatItCannotOpen(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, dsn, want string
	}{
		{"empty", "", `unknown kind of database ""`},
		{"another database", "mysql://feedback:s3cret@db/site", `unknown kind of database "mysql"`},
		{"no scheme", "feedback:s3cret@db/site", `unknown kind of database ""`},
		{"sqlite without a file", "sqlite:", `"sqlite:" needs a file`},
		{"sqlite in a missing folder", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "x.db"), "creating the database file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(ctx, tt.dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestRebind(t *testing.T) {
	for _, tt := range []struct {
		dialect     store.Dialect
		query, want string
	}{
		{store.SQLite, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = ? AND c = ?"},
		{store.Postgres, "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{store.Postgres, "INSERT INTO t VALUES (?, ?), (?, ?)", "INSERT INTO t VALUES ($1, $2), ($3, $4)"},
		{store.Postgres, `SELECT '?', "a?b", ? FROM t WHERE x = 'it''s?' AND y = ?`, `SELECT '?', "a?b", $1 FROM t WHERE x = 'it''s?' AND y = $2`},
		{store.Postgres, "SELECT 1", "SELECT 1"},
	} {
		if got := tt.dialect.Rebind(tt.query); got != tt.want {
			t.Errorf("%s Rebind(%q) = %q, want %q", tt.dialect, tt.query, got, tt.want)
		}
	}
}

func TestDefaultDSNMakesAPrivateFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	dsn, err := store.DefaultDSN(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := "sqlite:" + filepath.Join(dir, "healthsite.db"); dsn != want {
		t.Errorf("DefaultDSN = %q, want %q", dsn, want)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("the data folder was not made: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data folder mode %v, want 0700", perm)
	}
	if _, err := store.DefaultDSN(""); err == nil {
		t.Error("DefaultDSN accepted an empty folder")
	}
}

func TestSQLiteIsDurableAndPrivate(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.SQLiteDSN(t)
	path := strings.TrimPrefix(dsn, "sqlite:")

	// Connect never makes a file: a mistyped path is an error.
	if db, err := store.Connect(ctx, dsn); err == nil {
		db.Close()
		t.Fatal("Connect to a missing file succeeded")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Connect made the file (stat: %v)", err)
	}

	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.SQLiteSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.SQLiteSettings{JournalMode: "wal", Synchronous: 2, ForeignKeys: true, SecureDelete: true, BusyTimeoutMS: 5000}
	if got != want {
		t.Errorf("settings %+v, want %+v", got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode %v, want 0600 (it holds readers' comments)", perm)
	}
}

// migrationFiles are the migrations embedded for dialect, by name.
func migrationFiles(t *testing.T, dialect store.Dialect) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", string(dialect)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestMigrationsApplyOnceAndAgainDoNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		ctx := context.Background()
		dsn := k.DSN(t)
		if k.Dialect == store.SQLite {
			// Connect wants the file to exist; Open would migrate it.
			if err := os.WriteFile(strings.TrimPrefix(dsn, "sqlite:"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		db, err := store.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if pending, err := db.Pending(ctx); err != nil || !pending {
			t.Fatalf("a new database: Pending = %v, %v; want true", pending, err)
		}

		first, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		files := migrationFiles(t, k.Dialect)
		var applied []string
		for _, m := range first.Applied {
			applied = append(applied, m.File)
		}
		if !slices.Equal(applied, files) {
			t.Errorf("first Migrate applied %q, want every file: %q", applied, files)
		}
		if want := int64(len(files)); first.Version != want {
			t.Errorf("version after migrating: %d, want %d", first.Version, want)
		}

		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Applied) != 0 || again.Version != first.Version {
			t.Errorf("second Migrate: %+v, want nothing applied and version %d", again, first.Version)
		}
		if pending, err := db.Pending(ctx); err != nil || pending {
			t.Errorf("after migrating: Pending = %v, %v; want false", pending, err)
		}
	})
}

// TestSchemaHasOnlyTheseColumns lists every column of the feedback tables:
// none may hold a time of day, an address, an agent or a raw token, so a
// new column fails here until someone has looked at what it keeps. The
// editors' desk's tables (00002) are about editors, not readers: they keep
// times (sessions, the audit log) and an editor's address (the audit log)
// by design, but no password, session id or e-mail typed, only hashes.
func TestSchemaHasOnlyTheseColumns(t *testing.T) {
	want := map[store.Dialect][]string{
		store.SQLite: {
			"answers.day TEXT", "answers.helpful INTEGER", "answers.page TEXT", "answers.section TEXT", "answers.token_hash BLOB",
			"comments.body TEXT", "comments.day TEXT", "comments.helpful INTEGER", "comments.page TEXT", "comments.section TEXT", "comments.state TEXT", "comments.token_hash BLOB",
			"desk_audit.action TEXT", "desk_audit.actor TEXT", "desk_audit.at_ms INTEGER", "desk_audit.client TEXT", "desk_audit.detail TEXT", "desk_audit.editor_id INTEGER", "desk_audit.id INTEGER",
			"desk_sessions.created_ms INTEGER", "desk_sessions.editor_id INTEGER", "desk_sessions.id_hash BLOB", "desk_sessions.seen_ms INTEGER",
			"desk_signin_throttle.failures INTEGER", "desk_signin_throttle.key_hash BLOB", "desk_signin_throttle.last_ms INTEGER", "desk_signin_throttle.locked_until_ms INTEGER",
			"editors.created_ms INTEGER", "editors.disabled INTEGER", "editors.email TEXT", "editors.id INTEGER", "editors.password_hash TEXT", "editors.password_ms INTEGER", "editors.role TEXT",
			"page_day_counts.day TEXT", "page_day_counts.no_count INTEGER", "page_day_counts.page TEXT", "page_day_counts.yes_count INTEGER",
		},
		store.Postgres: {
			"answers.day date", "answers.helpful boolean", "answers.page text", "answers.section text", "answers.token_hash bytea",
			"comments.body text", "comments.day date", "comments.helpful boolean", "comments.page text", "comments.section text", "comments.state text", "comments.token_hash bytea",
			"desk_audit.action text", "desk_audit.actor text", "desk_audit.at_ms bigint", "desk_audit.client text", "desk_audit.detail text", "desk_audit.editor_id bigint", "desk_audit.id bigint",
			"desk_sessions.created_ms bigint", "desk_sessions.editor_id bigint", "desk_sessions.id_hash bytea", "desk_sessions.seen_ms bigint",
			"desk_signin_throttle.failures bigint", "desk_signin_throttle.key_hash bytea", "desk_signin_throttle.last_ms bigint", "desk_signin_throttle.locked_until_ms bigint",
			"editors.created_ms bigint", "editors.disabled boolean", "editors.email text", "editors.id bigint", "editors.password_hash text", "editors.password_ms bigint", "editors.role text",
			"page_day_counts.day date", "page_day_counts.no_count bigint", "page_day_counts.page text", "page_day_counts.yes_count bigint",
		},
	}
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		db := k.Open(t)
		query := `SELECT m.name || '.' || p.name || ' ' || p.type FROM sqlite_schema m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT IN ('goose_db_version', 'sqlite_sequence') ORDER BY 1`
		if k.Dialect == store.Postgres {
			query = `SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name <> 'goose_db_version' ORDER BY 1`
		}
		rows, err := db.SQL.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want[k.Dialect]) {
			t.Errorf("columns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want[k.Dialect], "\n"))
		}
	})
}

// TestConcurrentMigrations starts processes that migrate one new
// PostgreSQL database at the same moment, as replicas starting together
// do: each must succeed, and each migration be applied once.
func TestConcurrentMigrations(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dsn := storetest.PostgresDSN(t)
	const processes = 4
	type proc struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		out   strings.Builder
	}
	var procs []*proc
	for range processes {
		p := &proc{cmd: exec.Command(os.Args[0], "-test.run=^TestMigratingProcess$", "-test.v")}
		p.cmd.Env = append(os.Environ(), "STORE_TEST_MIGRATE_DSN="+dsn)
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		var err error
		if p.stdin, err = p.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
	}
	// Each process connects, then waits for this line, so that all
	// migrate at once rather than in the order they started.
	for _, p := range procs {
		fmt.Fprintln(p.stdin, "go")
		p.stdin.Close()
	}
	applied := 0
	for i, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, p.out.String())
			continue
		}
		var n int
		for line := range strings.Lines(p.out.String()) {
			if _, err := fmt.Sscanf(line, "applied %d", &n); err == nil {
				applied += n
			}
		}
	}
	files := migrationFiles(t, store.Postgres)
	if applied != len(files) {
		t.Errorf("the processes applied %d migrations between them, want %d (each once)", applied, len(files))
	}

	db, err := store.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, versions int
	if err := db.SQL.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if rows != len(files) || versions != len(files) {
		t.Errorf("goose_db_version has %d rows for %d versions, want %d of each", rows, versions, len(files))
	}
}

// TestMigratingProcess is a process TestConcurrentMigrations starts.
func TestMigratingProcess(t *testing.T) {
	dsn := os.Getenv("STORE_TEST_MIGRATE_DSN")
	if dsn == "" {
		t.Skip("run by TestConcurrentMigrations in processes of its own")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	m, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("applied %d\n", len(m.Applied))
}

// TestConnectHonoursTheDeadline: a server that accepts connections and
// never answers must cost the caller its deadline, not a hang.
func TestConnectHonoursTheDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the test ends
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	db, err := store.Connect(ctx, "postgres://feedback:s3cret@"+ln.Addr().String()+"/site?sslmode=disable")
	took := time.Since(start)
	if err == nil {
		db.Close()
		t.Fatal("Connect to a silent server succeeded")
	}
	if took > 5*time.Second {
		t.Errorf("Connect took %v to give up, want about the 300ms deadline", took)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %q shows the password", err)
	}
}

// TestMigrationsGoDownAndUpAgain: each migration's down part undoes its up
// part exactly, so that up again succeeds.
func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		ctx := context.Background()
		db := k.Open(t)
		if err := db.MigrateDownAll(ctx); err != nil {
			t.Fatalf("down: %v", err)
		}
		if pending, err := db.Pending(ctx); err != nil || !pending {
			t.Fatalf("after going down: Pending = %v, %v; want true", pending, err)
		}
		m, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("up again: %v", err)
		}
		if got, want := len(m.Applied), len(migrationFiles(t, k.Dialect)); got != want {
			t.Errorf("up again applied %d migrations, want %d", got, want)
		}
	})
}
