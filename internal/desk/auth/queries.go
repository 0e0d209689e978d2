package auth

import "healthsite/internal/store"

// queries are the statements a Store runs, in its database's dialect.
type queries struct {
	countEmail, insertAccount, accounts, accountByEmail, accountByID string
	accountByEmailWithHash, disable, setPassword, rehash             string

	insertSession, session, touchSession, deleteSession string
	deleteSessionsOf, deleteOldSessions, countSessions  string

	ensureThrottle, readThrottle, writeThrottle, deleteThrottle, forgetThrottle string

	insertAudit, audit string
}

const accountColumns = `id, email, role, disabled, created_ms, password_ms`

func newQueries(d store.Dialect) queries {
	forUpdate := ""
	if d == store.Postgres {
		// SQLite's transactions take the write lock when they begin
		// (_txlock=immediate); PostgreSQL locks the rows read.
		forUpdate = " FOR UPDATE"
	}
	q := queries{
		countEmail:             `SELECT COUNT(*) FROM editors WHERE email = ?`,
		insertAccount:          `INSERT INTO editors (email, role, password_hash, created_ms, password_ms) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		accounts:               `SELECT ` + accountColumns + ` FROM editors ORDER BY email`,
		accountByEmail:         `SELECT ` + accountColumns + ` FROM editors WHERE email = ?`,
		accountByID:            `SELECT ` + accountColumns + ` FROM editors WHERE id = ?`,
		accountByEmailWithHash: `SELECT ` + accountColumns + `, password_hash FROM editors WHERE email = ?`,
		disable:                `UPDATE editors SET disabled = ? WHERE id = ?`,
		setPassword:            `UPDATE editors SET password_hash = ?, password_ms = ? WHERE id = ?`,
		rehash:                 `UPDATE editors SET password_hash = ? WHERE id = ?`,

		insertSession: `INSERT INTO desk_sessions (id_hash, editor_id, created_ms, seen_ms) VALUES (?, ?, ?, ?)`,
		session: `SELECT e.id, e.email, e.role, e.disabled, e.created_ms, e.password_ms, s.created_ms, s.seen_ms
			FROM desk_sessions s JOIN editors e ON e.id = s.editor_id WHERE s.id_hash = ?`,
		touchSession:      `UPDATE desk_sessions SET seen_ms = ? WHERE id_hash = ?`,
		deleteSession:     `DELETE FROM desk_sessions WHERE id_hash = ?`,
		deleteSessionsOf:  `DELETE FROM desk_sessions WHERE editor_id = ?`,
		deleteOldSessions: `DELETE FROM desk_sessions WHERE created_ms < ?`,
		countSessions:     `SELECT COUNT(*) FROM desk_sessions WHERE editor_id = ?`,

		ensureThrottle: `INSERT INTO desk_signin_throttle (key_hash, failures, last_ms) VALUES (?, 0, ?) ON CONFLICT (key_hash) DO NOTHING`,
		readThrottle:   `SELECT failures, last_ms, locked_until_ms FROM desk_signin_throttle WHERE key_hash = ?` + forUpdate,
		writeThrottle:  `UPDATE desk_signin_throttle SET failures = ?, last_ms = ?, locked_until_ms = ? WHERE key_hash = ?`,
		deleteThrottle: `DELETE FROM desk_signin_throttle WHERE key_hash = ?`,
		forgetThrottle: `DELETE FROM desk_signin_throttle WHERE key_hash IN
			(SELECT key_hash FROM desk_signin_throttle WHERE last_ms < ? AND locked_until_ms <= ? LIMIT 100)`,

		insertAudit: `INSERT INTO desk_audit (at_ms, editor_id, actor, action, detail, client) VALUES (?, ?, ?, ?, ?, ?)`,
		audit: `SELECT id, at_ms, editor_id, actor, action, detail, client FROM desk_audit
			WHERE id < ? ORDER BY id DESC LIMIT ?`,
	}
	for _, s := range []*string{
		&q.countEmail, &q.insertAccount, &q.accounts, &q.accountByEmail, &q.accountByID,
		&q.accountByEmailWithHash, &q.disable, &q.setPassword, &q.rehash,
		&q.insertSession, &q.session, &q.touchSession, &q.deleteSession,
		&q.deleteSessionsOf, &q.deleteOldSessions, &q.countSessions,
		&q.ensureThrottle, &q.readThrottle, &q.writeThrottle, &q.deleteThrottle, &q.forgetThrottle,
		&q.insertAudit, &q.audit,
	} {
		*s = d.Rebind(*s)
	}
	return q
}
