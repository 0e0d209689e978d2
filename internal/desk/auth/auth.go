// Package auth decides who may use the editors' desk: it keeps editors'
// accounts (e-mail, role, argon2id hash), signs them in with a throttle
// per account and per client, keeps their sessions server-side, and
// writes the audit log of who signed in, failed to, or changed what. All
// of it lives in the site's database (package store), so replicas share
// accounts, sessions, counts and the log.
//
// Nothing secret leaves this package in a form that can reach a log: a
// SessionID prints as "[session]", passwords are never stored or
// returned, only a session id's SHA-256 is stored, and the throttle keeps
// only the SHA-256 of what was typed as an e-mail.
package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"healthsite/internal/desk/password"
	"healthsite/internal/store"
)

// Role is what an account may do.
type Role string

const (
	// Editor reads feedback and acts on it.
	Editor Role = "editor"
	// Admin does what an editor does and manages accounts.
	Admin Role = "admin"
)

// ParseRole reads "editor" or "admin".
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Editor, Admin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: want editor or admin", s)
}

// Allows reports whether an account of role r may do what needs role
// need: an admin may do everything an editor may.
func (r Role) Allows(need Role) bool {
	switch need {
	case Editor:
		return r == Editor || r == Admin
	case Admin:
		return r == Admin
	}
	return false
}

// Options tune a Store. A zero field takes its default.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Params are argon2id's costs for new hashes; default password.Default.
	// A sign-in with a hash made with weaker ones rehashes it.
	Params password.Params
	// IdleTimeout ends a session not used for this long; default 30
	// minutes. MaxAge ends any session this long after sign-in; default
	// 12 hours.
	IdleTimeout, MaxAge time.Duration
	// Throttle bounds failed sign-ins.
	Throttle Throttle
}

// Throttle is how failed sign-ins are limited, per account (the e-mail
// typed) and per client (its address).
type Throttle struct {
	// Limit failures in a row lock the account or client; default 5.
	Limit int
	// Delay is the first lock's length, doubling with each failure
	// after; default 1 minute. MaxDelay caps it; default 1 hour.
	Delay, MaxDelay time.Duration
	// Forget drops the count of an account or client with no failure
	// for this long; default 24 hours.
	Forget time.Duration
}

const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxAge      = 12 * time.Hour
)

// DefaultThrottle: after 5 failures, 1 minute, then 2, 4, ... up to an
// hour for each failure after; forgotten after a day without one.
var DefaultThrottle = Throttle{Limit: 5, Delay: time.Minute, MaxDelay: time.Hour, Forget: 24 * time.Hour}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Params == (password.Params{}) {
		o.Params = password.Default
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	t, d := &o.Throttle, DefaultThrottle
	if t.Limit <= 0 {
		t.Limit = d.Limit
	}
	if t.Delay <= 0 {
		t.Delay = d.Delay
	}
	if t.MaxDelay <= 0 {
		t.MaxDelay = d.MaxDelay
	}
	if t.Forget <= 0 {
		t.Forget = d.Forget
	}
	return o
}

// Store keeps accounts, sessions, sign-in counts and the audit log in a
// database whose schema is current (see store.Open). It is safe for
// concurrent use, and replicas may share a PostgreSQL database.
type Store struct {
	db   *store.DB
	opts Options
	q    queries
}

// New returns a Store over db. It prepares the dummy hash that sign-ins
// for unknown accounts are checked against (see password.Prepare).
func New(db *store.DB, opts Options) *Store {
	password.Prepare()
	return &Store{db: db, opts: opts.withDefaults(), q: newQueries(db.Dialect)}
}

// Options are the Store's options, defaults filled in.
func (s *Store) Options() Options { return s.opts }

func (s *Store) now() int64 { return s.opts.Now().UnixMilli() }

// Account is an editor's or admin's account.
type Account struct {
	ID       int64
	Email    string
	Role     Role
	Disabled bool
	Created  time.Time
	// PasswordSet is when its password was last set.
	PasswordSet time.Time
}

var (
	// ErrNoAccount: no account has that e-mail or id.
	ErrNoAccount = errors.New("auth: no such account")
	// ErrAccountExists: an account already has that e-mail.
	ErrAccountExists = errors.New("an account with that e-mail address already exists")
	// ErrBadEmail: what was typed is not a plain e-mail address.
	ErrBadEmail = errors.New("enter an e-mail address, like name@example.org")
)

// NormalizeEmail returns an e-mail address as accounts keep it: trimmed
// and lower-case. It refuses anything that is not a plain address
// (name@domain, no display name, at most 254 bytes).
func NormalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" || len(e) > 254 {
		return "", ErrBadEmail
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", ErrBadEmail
	}
	return e, nil
}

// Actor is who does something, for the audit log.
type Actor struct {
	// AccountID is the account's id, or 0 for none (the command line,
	// an unknown account).
	AccountID int64
	// Name is the account's e-mail, or what the actor is.
	Name string
	// Client is the client's address, or "" for the command line.
	Client string
}

// CommandLine is the actor of `healthsite editors` commands.
var CommandLine = Actor{Name: "command line"}

// ActorOf is the actor for an account signed in from client.
func ActorOf(a Account, client string) Actor {
	return Actor{AccountID: a.ID, Name: a.Email, Client: client}
}

// AddAccount makes an account with a password that passes
// password.Check, and records it in the audit log as done by by. It
// returns a *password.PolicyError for a password refused,
// ErrAccountExists when the e-mail has one.
func (s *Store) AddAccount(ctx context.Context, email string, role Role, pw string, by Actor) (Account, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Account{}, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return Account{}, err
	}
	if err := password.Check(pw, email); err != nil {
		return Account{}, err
	}
	hash := password.New(pw, s.opts.Params)
	now := s.now()
	var a Account
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, s.q.countEmail, email).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return ErrAccountExists
		}
		var id int64
		if err := tx.QueryRowContext(ctx, s.q.insertAccount, email, string(role), hash, now, now).Scan(&id); err != nil {
			return err
		}
		a = Account{ID: id, Email: email, Role: role, Created: time.UnixMilli(now), PasswordSet: time.UnixMilli(now)}
		return s.record(ctx, tx, by, "account.add", fmt.Sprintf("%s, %s", email, role))
	})
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// Accounts lists every account, by e-mail.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.SQL.QueryContext(ctx, s.q.accounts)
	if err != nil {
		return nil, fmt.Errorf("auth: listing accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanAccount(r scanner, more ...any) (Account, error) {
	var (
		a                 Account
		role              string
		created, password int64
	)
	if err := r.Scan(append([]any{&a.ID, &a.Email, &role, &a.Disabled, &created, &password}, more...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return a, ErrNoAccount
		}
		return a, fmt.Errorf("auth: reading an account: %w", err)
	}
	a.Role = Role(role)
	a.Created, a.PasswordSet = time.UnixMilli(created), time.UnixMilli(password)
	return a, nil
}

// AccountByEmail finds the account with an e-mail, as typed.
func (s *Store) AccountByEmail(ctx context.Context, email string) (Account, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Account{}, ErrNoAccount
	}
	return scanAccount(s.db.SQL.QueryRowContext(ctx, s.q.accountByEmail, email))
}

// AccountByID finds the account with an id.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	return scanAccount(s.db.SQL.QueryRowContext(ctx, s.q.accountByID, id))
}

// Disable stops an account signing in and ends its sessions. Accounts are
// never deleted, so that the audit log keeps naming them.
func (s *Store) Disable(ctx context.Context, id int64, by Actor) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := scanAccount(tx.QueryRowContext(ctx, s.q.accountByID, id))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.disable, true, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.deleteSessionsOf, id); err != nil {
			return err
		}
		return s.record(ctx, tx, by, "account.disable", a.Email)
	})
}

// SetPassword gives an account a new password that passes password.Check,
// ends its sessions and forgets its failed sign-ins. A disabled account
// stays disabled.
func (s *Store) SetPassword(ctx context.Context, id int64, pw string, by Actor) error {
	a, err := s.AccountByID(ctx, id)
	if err != nil {
		return err
	}
	if err := password.Check(pw, a.Email); err != nil {
		return err
	}
	hash := password.New(pw, s.opts.Params)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.setPassword, hash, s.now(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.deleteSessionsOf, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.deleteThrottle, accountKey(a.Email)); err != nil {
			return err
		}
		return s.record(ctx, tx, by, "account.reset-password", a.Email)
	})
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	defer tx.Rollback() // after Commit, does nothing
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// hashKey is what is stored of a secret or of what was typed.
func hashKey(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// SessionID is a session's secret id: 256 random bits, 43 characters of
// base64url, kept only in the editor's cookie. It prints and logs as
// "[session]"; string(id) is its value.
type SessionID string

// String hides the id from fmt.
func (SessionID) String() string { return "[session]" }

// LogValue hides the id from log/slog.
func (SessionID) LogValue() slog.Value { return slog.StringValue("[session]") }
