package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Entry is one line of the audit log.
type Entry struct {
	ID int64
	At time.Time
	// AccountID is the account that acted, or 0 (the command line, an
	// unknown account).
	AccountID int64
	// Actor is the account's e-mail at the time, or what acted.
	Actor string
	// Action is what happened: signin, signin.failed, signin.locked,
	// signout, forbidden, comments.mark, comments.export, account.add,
	// account.disable, account.reset-password.
	Action string
	// Detail says more, in words: never a password, a session id or a
	// reader's comment.
	Detail string
	// Client is the client's address (see ClientKey), or "".
	Client string
}

// Record adds an entry to the audit log.
func (s *Store) Record(ctx context.Context, by Actor, action, detail string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.record(ctx, tx, by, action, detail) })
}

// record adds an entry within tx, so that the change it describes and
// the entry are committed together, or neither.
func (s *Store) record(ctx context.Context, tx *sql.Tx, by Actor, action, detail string) error {
	var id any // NULL for no account
	if by.AccountID != 0 {
		id = by.AccountID
	}
	if _, err := tx.ExecContext(ctx, s.q.insertAudit, s.now(), id, by.Name, action, detail, by.Client); err != nil {
		return fmt.Errorf("auth: writing the audit log: %w", err)
	}
	return nil
}

// Audit returns up to limit entries, newest first, older than the entry
// with id before (every entry when before is 0), and whether there are
// more.
func (s *Store) Audit(ctx context.Context, before int64, limit int) ([]Entry, bool, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.q.audit, before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("auth: reading the audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var (
			e       Entry
			at      int64
			account sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &at, &account, &e.Actor, &e.Action, &e.Detail, &e.Client); err != nil {
			return nil, false, fmt.Errorf("auth: reading the audit log: %w", err)
		}
		e.At, e.AccountID = time.UnixMilli(at), account.Int64
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("auth: reading the audit log: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
