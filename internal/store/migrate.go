package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the schema as numbered goose files, one folder per
// dialect: the two differ in types (BLOB and bytea, TEXT days and date)
// but not in tables, columns or indexes. A change to the schema is a new
// file in each folder, never an edit to one already applied somewhere.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migration is one migration file applied by Migrate.
type Migration struct {
	Version int64
	File    string
}

// Migrated is what Migrate did.
type Migrated struct {
	Applied []Migration // in the order applied; empty when the schema was current
	Version int64       // the schema's version afterwards
}

// Migrate applies every embedded migration the database lacks, each in its
// own transaction, and says which. On PostgreSQL it first takes goose's
// session-level advisory lock, so replicas starting together, or a
// `healthsite migrate` run beside them, apply each migration once: the
// others wait for the lock, then find nothing to do. A SQLite file belongs
// to one server, so it has no such lock.
func (db *DB) Migrate(ctx context.Context) (Migrated, error) {
	p, err := db.provider()
	if err != nil {
		return Migrated{}, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return Migrated{}, fmt.Errorf("store: migrating the database: %w", err)
	}
	var m Migrated
	for _, r := range results {
		m.Applied = append(m.Applied, Migration{Version: r.Source.Version, File: r.Source.Path})
	}
	if m.Version, err = p.GetDBVersion(ctx); err != nil {
		return m, fmt.Errorf("store: reading the schema's version: %w", err)
	}
	return m, nil
}

// Pending reports whether the database lacks migrations this binary has,
// for commands that read it and must not change its schema.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: reading the schema's version: %w", err)
	}
	return pending, nil
}

// migrationLockSeconds is how often a replica waiting for another's
// migrations tries the lock again (goose's least), and how many times:
// five minutes in all, as goose's default.
const migrationLockSeconds, migrationLockTries = 1, 300

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return nil, err
	}
	// Only these files, never migrations registered elsewhere in the
	// binary; goose logs nothing unless asked to be verbose.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(migrationLockSeconds, migrationLockTries))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.SQL, sub, opts...)
}
