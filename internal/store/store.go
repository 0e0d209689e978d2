// Package store opens the site's database: an embedded SQLite file by
// default, or a PostgreSQL server, named by one DSN string. It sets up the
// connection (SQLite's pragmas for durable commits, PostgreSQL's driver),
// keeps the schema current with the migrations embedded in it, and tells
// callers which SQL dialect they speak. What goes in the tables is the
// business of the packages that use them (feedback).
//
// A DSN is "sqlite:PATH" or a "postgres://" or "postgresql://" URL. Both
// are served through database/sql, so one code path writes to either.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// Dialect is the SQL a database speaks, where SQLite and PostgreSQL differ.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database and its dialect.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect
}

// BusyTimeout is how long a SQLite connection waits for another's write
// lock before failing. A caller's context deadline, when shorter, ends the
// wait sooner.
const BusyTimeout = 5 * time.Second

// DefaultFile is the SQLite file DefaultDSN names inside the data folder.
const DefaultFile = "healthsite.db"

// DefaultDSN makes the data folder dir if it does not exist (readable only
// by its owner: the database holds readers' comments) and returns the DSN
// of the SQLite file DefaultFile in it.
func DefaultDSN(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("store: the data folder is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("store: making the data folder: %w", err)
	}
	return "sqlite:" + filepath.Join(dir, DefaultFile), nil
}

// Describe names the database dsn points to for messages and logs: a
// PostgreSQL URL without its password, or a SQLite file's path.
func Describe(dsn string) string {
	dialect, rest, err := parse(dsn)
	switch {
	case err != nil:
		return "an unrecognised database"
	case dialect == SQLite:
		return "SQLite " + rest
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "a PostgreSQL server" // unparseable: show nothing that may be secret
	}
	return "PostgreSQL " + u.Redacted()
}

// parse splits dsn into its dialect and, for SQLite, the file's path. Its
// errors never repeat dsn, which may hold a password.
func parse(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return "", "", errors.New(`store: "sqlite:" needs a file, like sqlite:data/healthsite.db`)
		}
		return SQLite, path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, "", nil
	}
	// Name the scheme only when it is one (before "://"): what comes
	// before a lone colon may be a user name.
	scheme, _, ok := strings.Cut(dsn, "://")
	if !ok || strings.ContainsAny(scheme, ":/@") {
		scheme = ""
	}
	return "", "", fmt.Errorf("store: unknown kind of database %q: want sqlite:PATH or a postgres:// URL", scheme)
}

// Open connects to the database dsn names, creating a SQLite file if there
// is none, and applies every migration it lacks (see Migrate): what a
// server does at start. ctx bounds the whole of it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, _, err := openAndMigrate(ctx, dsn)
	return db, err
}

// Migrate applies every migration the database dsn names lacks, as Open
// does, says which, and closes it: what `healthsite migrate` does.
func Migrate(ctx context.Context, dsn string) (Migrated, error) {
	db, m, err := openAndMigrate(ctx, dsn)
	if err != nil {
		return m, err
	}
	return m, db.Close()
}

func openAndMigrate(ctx context.Context, dsn string) (*DB, Migrated, error) {
	dialect, path, err := parse(dsn)
	if err != nil {
		return nil, Migrated{}, err
	}
	if dialect == SQLite {
		// Made here, not by SQLite, so that only its owner can read it;
		// SQLite gives the -wal and -shm files the same permissions.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, Migrated{}, fmt.Errorf("store: creating the database file: %w", err)
		}
		f.Close()
	}
	db, err := Connect(ctx, dsn)
	if err != nil {
		return nil, Migrated{}, err
	}
	m, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, m, err
	}
	return db, m, nil
}

// Connect connects to the database dsn names and checks that it answers,
// without changing its schema. A SQLite file must exist already, so that a
// typo in a path is an error, not a new empty database.
func Connect(ctx context.Context, dsn string) (*DB, error) {
	dialect, path, err := parse(dsn)
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: there is no database %s (the server, or healthsite migrate, makes it)", Describe(dsn))
		}
	}
	db := &DB{Dialect: dialect}
	switch dialect {
	case SQLite:
		db.SQL, err = sql.Open("sqlite", sqliteDSN(path))
	case Postgres:
		db.SQL, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", Describe(dsn), err)
	}
	switch dialect {
	case SQLite:
		// One writer at a time is all SQLite allows; the others read
		// (WAL lets them read while it writes).
		db.SQL.SetMaxOpenConns(8)
		db.SQL.SetMaxIdleConns(8)
	case Postgres:
		db.SQL.SetMaxOpenConns(16)
		db.SQL.SetMaxIdleConns(16)
		db.SQL.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := db.check(ctx); err != nil {
		db.SQL.Close()
		return nil, fmt.Errorf("store: connecting to %s: %w", Describe(dsn), err)
	}
	return db, nil
}

// sqliteDSN is modernc.org/sqlite's name for the file at path, with the
// settings every connection gets:
//   - journal_mode WAL: readers (export, summaries) do not block the
//     writer, nor it them, and a commit appends to one file;
//   - synchronous FULL: a commit returns only once the WAL is synced to
//     disk, so an answer acknowledged is never lost, even to a power cut
//     (NORMAL, WAL's usual setting, may lose the last commits then);
//   - busy_timeout: wait for another connection's write lock instead of
//     failing at once (the caller's deadline still ends the wait);
//   - foreign_keys: SQLite does not enforce them unless asked;
//   - secure_delete: a deleted row's bytes are overwritten with zeros,
//     not left in a free page, so that a comment past its retention is
//     gone from the file, not only from the table (deletes are rare here:
//     the daily purge);
//   - _txlock=immediate: a transaction takes the write lock when it
//     begins, so it waits its turn there rather than failing with
//     SQLITE_BUSY halfway when two want to write;
//   - mode=rw: never create the file (Open makes it, with its permissions).
//
// The path goes in a file: URI made absolute, so that characters like ?
// and # in a folder's name are escaped, not read as parameters.
func sqliteDSN(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	q := url.Values{}
	q.Set("mode", "rw")
	q.Set("_txlock", "immediate")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "secure_delete(ON)")
	return u.String() + "?" + q.Encode()
}

// check makes a connection and, for SQLite, confirms that the settings
// durability rests on took effect: journal_mode=WAL, for one, is quietly
// refused on some file systems.
func (db *DB) check(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return err
	}
	if db.Dialect != SQLite {
		return nil
	}
	s, err := db.SQLiteSettings(ctx)
	if err != nil {
		return err
	}
	if s.JournalMode != "wal" || s.Synchronous != 2 || !s.ForeignKeys || !s.SecureDelete {
		return fmt.Errorf("SQLite settings did not take: %+v; want journal_mode wal, synchronous 2 (FULL), foreign_keys and secure_delete on", s)
	}
	return nil
}

// SQLiteSettings are the pragmas of a SQLite connection that make its
// commits durable.
type SQLiteSettings struct {
	JournalMode   string
	Synchronous   int // 2 is FULL
	ForeignKeys   bool
	SecureDelete  bool
	BusyTimeoutMS int
}

// SQLiteSettings reads the pragmas of one of the pool's connections (every
// connection gets the same).
func (db *DB) SQLiteSettings(ctx context.Context) (SQLiteSettings, error) {
	var s SQLiteSettings
	if db.Dialect != SQLite {
		return s, errors.New("store: not a SQLite database")
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return s, err
	}
	defer conn.Close()
	for _, p := range []struct {
		pragma string
		into   any
	}{
		{"journal_mode", &s.JournalMode},
		{"synchronous", &s.Synchronous},
		{"foreign_keys", &s.ForeignKeys},
		{"secure_delete", &s.SecureDelete},
		{"busy_timeout", &s.BusyTimeoutMS},
	} {
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.into); err != nil {
			return s, fmt.Errorf("reading PRAGMA %s: %w", p.pragma, err)
		}
	}
	return s, nil
}

// Checkpoint moves everything in a SQLite database's WAL into its file
// and empties the WAL, so that rows deleted (and zeroed, see sqliteDSN)
// leave no older copy in the WAL either. It waits, within ctx, for
// readers to finish with older pages. It does nothing for PostgreSQL.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	var busy, walPages, moved int
	if err := db.SQL.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &walPages, &moved); err != nil {
		return fmt.Errorf("store: checkpointing the WAL: %w", err)
	}
	if busy != 0 {
		return errors.New("store: checkpointing the WAL: readers or a writer kept it from finishing")
	}
	return nil
}

// Close closes every connection. For SQLite, the last one to close folds
// the WAL back into the database file and removes it.
func (db *DB) Close() error {
	return db.SQL.Close()
}

// Rebind turns the ? placeholders of a query written for SQLite into the
// dialect's: $1, $2... for PostgreSQL. It leaves alone a ? inside a quoted
// string or identifier. Queries are written once, with ?, and rebound once
// when a package starts, not for every call.
func (d Dialect) Rebind(query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
