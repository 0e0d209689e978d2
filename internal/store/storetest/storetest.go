// Package storetest gives each test a fresh database of each kind the site
// runs on, so that one table of tests covers SQLite and PostgreSQL alike.
//
// SQLite needs nothing: a file in the test's temporary folder. PostgreSQL
// needs a running server named by HEALTHSITE_TEST_POSTGRES, a URL like
// postgres://postgres@/postgres?host=/tmp/pg (`bash .ci/run` starts a
// throwaway cluster and sets it); each test gets a new database in it,
// dropped when the test ends. Without the variable the PostgreSQL half is
// skipped, saying how to run it, unless CI is set: then it fails.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"healthsite/internal/store"
)

// PostgresEnv names the variable that holds the test server's URL.
const PostgresEnv = "HEALTHSITE_TEST_POSTGRES"

// Kind is one kind of database the tests run against.
type Kind struct {
	Name    string
	Dialect store.Dialect
	// DSN returns the DSN of a new, empty database of this kind (no
	// schema), removed when the test ends.
	DSN func(t testing.TB) string
}

// Kinds are every kind of database the site runs on.
var Kinds = []Kind{
	{Name: "sqlite", Dialect: store.SQLite, DSN: SQLiteDSN},
	{Name: "postgres", Dialect: store.Postgres, DSN: PostgresDSN},
}

// Run runs test once per kind of database, as subtests named for them.
func Run(t *testing.T, test func(t *testing.T, k Kind)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			if k.Dialect == store.Postgres {
				postgresServer(t) // skip (or fail) once, not in every subtest
			}
			test(t, k)
		})
	}
}

// Open returns a new database of this kind with the schema applied,
// closed when the test ends.
func (k Kind) Open(t testing.TB) *store.DB {
	t.Helper()
	dsn := k.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening a new %s database: %v", k.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLiteDSN returns the DSN of a SQLite file in the test's temporary
// folder, not yet made.
func SQLiteDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), store.DefaultFile)
}

// PostgresDSN makes a new, empty database in the server HEALTHSITE_TEST_POSTGRES
// names and returns its DSN; the database is dropped when the test ends.
// Without the variable it skips the test, or fails it when CI is set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	server := postgresServer(t)
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", PostgresEnv)
	}
	admin, err := adminDB(server)
	if err != nil {
		t.Fatalf("connecting to %s: %v", store.Describe(server), err)
	}
	name := "healthsite_test_" + rand.Text()[:16]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// rand.Text is base32: upper-case letters and digits, so the name
	// needs quoting to keep its case, and nothing in it can break out.
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		t.Fatalf("making a test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE: a test that failed halfway may have left connections.
		if _, err := admin.ExecContext(ctx, `DROP DATABASE "`+name+`" WITH (FORCE)`); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// postgresServer is the test server's URL, or it skips the test (fails it
// when CI is set) when there is none.
func postgresServer(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI, but %s is not set: .ci/setup/30-postgres.sh starts a cluster and sets it", PostgresEnv)
		}
		t.Skipf("PostgreSQL half skipped: set %s to a running server's URL, like postgres://postgres@/postgres?host=/tmp/pg, to run it (bash .ci/run starts a throwaway cluster and sets it)", PostgresEnv)
	}
	return server
}

var admin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// adminDB is one connection pool to the test server for the whole test
// binary, to make and drop databases.
func adminDB(dsn string) (*sql.DB, error) {
	admin.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, err := store.Connect(ctx, dsn)
		if err != nil {
			admin.err = err
			return
		}
		admin.db = db.SQL
	})
	return admin.db, admin.err
}
