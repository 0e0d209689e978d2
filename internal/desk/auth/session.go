package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"healthsite/internal/desk/password"
)

var (
	// ErrBadCredentials: the e-mail has no account, the password is
	// wrong, or the account is disabled. Which, the desk never says.
	ErrBadCredentials = errors.New("auth: e-mail or password not recognised")
	// ErrNoSession: the id names no session, or one that has ended
	// (idle, too old, signed out, its account disabled).
	ErrNoSession = errors.New("auth: no session")
)

// ThrottledError: the account or the client failed to sign in too often,
// and must wait RetryAfter before trying again. No password was checked.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("auth: too many failed sign-ins; try again in %s", e.RetryAfter)
}

// Session is a signed-in account: its id goes in the editor's cookie.
type Session struct {
	ID      SessionID
	Account Account
}

// sessionIDLen is the length of every id newSessionID makes.
const sessionIDLen = 43

func newSessionID() SessionID {
	b := make([]byte, 32)
	rand.Read(b) // never fails: it crashes the program instead
	return SessionID(base64.RawURLEncoding.EncodeToString(b))
}

// validID reports whether id could be one newSessionID made: the wrong
// length or alphabet is refused without asking the database.
func validID(id SessionID) bool {
	if len(id) != sessionIDLen {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(string(id))
	return err == nil
}

// SignIn checks an e-mail and password typed at the desk, from client (see
// ClientKey), and starts a session with a new id.
//
// A wrong e-mail, a wrong password and a disabled account all return
// ErrBadCredentials, after the same work: an unknown account's password
// is hashed against a dummy hash. Every attempt is charged to the account
// and to the client before the password is checked (see Throttle), so
// that parallel guesses cannot slip past the count; a success forgets the
// account's failures and takes its own attempt off the client's. Once
// either has failed Throttle.Limit times, SignIn returns a
// *ThrottledError without checking the password. Every outcome but the
// throttled one (recorded once, when the lock starts) goes in the audit
// log.
func (s *Store) SignIn(ctx context.Context, email, pw, client string) (Session, error) {
	keys := [2][]byte{accountKey(email), clientKey(client)}
	locked, err := s.charge(ctx, keys)
	if err != nil {
		return Session{}, err
	}
	if wait := locked.wait(); wait > 0 {
		return Session{}, &ThrottledError{RetryAfter: wait}
	}

	var (
		hash    string
		ok      bool
		rehash  bool
		account Account
	)
	account, err = scanAccount(s.db.SQL.QueryRowContext(ctx, s.q.accountByEmailWithHash, normalizedOrRaw(email)), &hash)
	switch {
	case errors.Is(err, ErrNoAccount):
		password.VerifyDummy(pw)
	case err != nil:
		return Session{}, err
	case account.Disabled:
		password.VerifyDummy(pw) // the same work, and never a yes
	default:
		ok, rehash, err = password.Verify(hash, pw, s.opts.Params)
		if err != nil {
			return Session{}, fmt.Errorf("auth: account %d: %w", account.ID, err)
		}
	}

	if !ok {
		actor := Actor{Name: "unknown account", Client: client}
		detail := "no account has the e-mail typed"
		if account.ID != 0 {
			actor = ActorOf(account, client)
			detail = "wrong password"
			if account.Disabled {
				detail = "account disabled"
			}
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if err := s.record(ctx, tx, actor, "signin.failed", detail); err != nil {
				return err
			}
			for _, l := range locked.started(s.opts.Throttle) {
				if err := s.record(ctx, tx, actor, "signin.locked", l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return Session{}, err
		}
		return Session{}, ErrBadCredentials
	}

	id := newSessionID()
	now := s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.forgive(ctx, tx, keys); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q.insertSession, hashKey(string(id)), account.ID, now, now); err != nil {
			return err
		}
		// Sessions past their age are dropped here, at the only moment
		// one is made, rather than by a timer each replica would run.
		if _, err := tx.ExecContext(ctx, s.q.deleteOldSessions, now-s.opts.MaxAge.Milliseconds()); err != nil {
			return err
		}
		if rehash {
			if _, err := tx.ExecContext(ctx, s.q.rehash, password.New(pw, s.opts.Params), account.ID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, ActorOf(account, client), "signin", "")
	})
	if err != nil {
		return Session{}, err
	}
	return Session{ID: id, Account: account}, nil
}

// normalizedOrRaw is the e-mail as accounts keep it, or, when what was
// typed is not an e-mail, a value that finds no account.
func normalizedOrRaw(email string) string {
	if e, err := NormalizeEmail(email); err == nil {
		return e
	}
	return "" // matches no account: the table refuses an empty e-mail
}

// Session returns the account signed in with id, and notes that the
// session was used (at most once a minute, to spare the database a write
// for every page). It returns ErrNoSession for an id that names no
// session, or one that has ended: 30 minutes idle, 12 hours old, or its
// account disabled; an ended session is deleted.
func (s *Store) Session(ctx context.Context, id SessionID) (Account, error) {
	if !validID(id) {
		return Account{}, ErrNoSession
	}
	key := hashKey(string(id))
	var created, seen int64
	a, err := scanAccount(s.db.SQL.QueryRowContext(ctx, s.q.session, key), &created, &seen)
	if errors.Is(err, ErrNoAccount) {
		return Account{}, ErrNoSession
	}
	if err != nil {
		return Account{}, err
	}
	now := s.now()
	if a.Disabled || now-seen >= s.opts.IdleTimeout.Milliseconds() || now-created >= s.opts.MaxAge.Milliseconds() {
		if _, err := s.db.SQL.ExecContext(ctx, s.q.deleteSession, key); err != nil {
			return Account{}, fmt.Errorf("auth: ending a session: %w", err)
		}
		return Account{}, ErrNoSession
	}
	if now-seen >= touchEvery.Milliseconds() {
		if _, err := s.db.SQL.ExecContext(ctx, s.q.touchSession, now, key); err != nil {
			return Account{}, fmt.Errorf("auth: noting a session's use: %w", err)
		}
	}
	return a, nil
}

// touchEvery is how often a session's last use is written. A session may
// so end up to this much before IdleTimeout after its last request, never
// after.
const touchEvery = time.Minute

// SignOut ends the session id names, if there is one, and records it.
func (s *Store) SignOut(ctx context.Context, id SessionID, a Account, client string) error {
	if !validID(id) {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.deleteSession, hashKey(string(id))); err != nil {
			return err
		}
		return s.record(ctx, tx, ActorOf(a, client), "signout", "")
	})
}

// Sessions counts the sessions an account has open (for tests and the
// accounts page).
func (s *Store) Sessions(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := s.db.SQL.QueryRowContext(ctx, s.q.countSessions, accountID).Scan(&n)
	return n, err
}
