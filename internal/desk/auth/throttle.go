package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// ClientKey names the client an address belongs to, for the throttle and
// the audit log: an IPv4 address as it is, an IPv6 address by its /64 (one
// home or one machine usually has a whole /64, and would otherwise get a
// fresh count for every address in it).
func ClientKey(addr netip.Addr) string {
	addr = addr.Unmap()
	if addr.Is4() || !addr.IsValid() {
		return addr.String()
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

// accountKey is the throttle's key for an e-mail as typed: the SHA-256 of
// it trimmed and lower-cased, so that "Jane@Example.org " counts with
// "jane@example.org", whether or not it has an account.
func accountKey(email string) []byte {
	return hashKey("account:" + strings.ToLower(strings.TrimSpace(email)))
}

func clientKey(client string) []byte { return hashKey("client:" + client) }

// counts are the throttle's rows for a sign-in's keys, after charging
// the attempt to them.
type counts [2]struct {
	failures    int64
	lockedUntil int64
	wasLocked   bool // locked before this attempt: it was refused, not charged
	now         int64
}

// wait is how long the attempt must wait: 0 unless a key was locked.
func (c counts) wait() time.Duration {
	var until, now int64
	for _, k := range c {
		if k.wasLocked && k.lockedUntil > until {
			until, now = k.lockedUntil, k.now
		}
	}
	if until == 0 {
		return 0
	}
	// Round up to the second, as Retry-After counts.
	return (time.Duration(until-now)*time.Millisecond + time.Second - 1).Truncate(time.Second)
}

// started describes the locks this attempt started, for the audit log.
func (c counts) started(t Throttle) []string {
	var out []string
	for i, k := range c {
		if k.failures >= int64(t.Limit) && !k.wasLocked {
			what := [2]string{"account", "client"}[i]
			out = append(out, fmt.Sprintf("%s locked for %s after %d failed sign-ins",
				what, time.Duration(k.lockedUntil-k.now)*time.Millisecond, k.failures))
		}
	}
	return out
}

// delay is how long the n-th failure in a row locks for: none before
// Limit, then Delay, doubling with each failure after, up to MaxDelay.
func (t Throttle) delay(n int64) time.Duration {
	if n < int64(t.Limit) {
		return 0
	}
	d := t.Delay
	for i := int64(t.Limit); i < n && d < t.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.MaxDelay)
}

// charge counts an attempt against the account's and the client's keys,
// in one transaction, before the password is checked: as a failure, until
// forgive says otherwise. When either key is locked it charges neither,
// and reports the lock.
func (s *Store) charge(ctx context.Context, keys [2][]byte) (counts, error) {
	var c counts
	t := s.opts.Throttle
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Read both (locking their rows on PostgreSQL, always account then
		// client, so two sign-ins cannot deadlock; SQLite's transaction
		// already holds the write lock), then decide.
		for i, key := range keys {
			if _, err := tx.ExecContext(ctx, s.q.ensureThrottle, key, now); err != nil {
				return err
			}
			var last int64
			if err := tx.QueryRowContext(ctx, s.q.readThrottle, key).Scan(&c[i].failures, &last, &c[i].lockedUntil); err != nil {
				return err
			}
			c[i].now = now
			if c[i].lockedUntil > now {
				c[i].wasLocked = true
			} else if now-last >= t.Forget.Milliseconds() {
				c[i].failures = 0 // a day without failures: start again
			}
		}
		if c[0].wasLocked || c[1].wasLocked {
			return nil
		}
		for i, key := range keys {
			c[i].failures++
			c[i].lockedUntil = 0
			if d := t.delay(c[i].failures); d > 0 {
				c[i].lockedUntil = now + d.Milliseconds()
			}
			if _, err := tx.ExecContext(ctx, s.q.writeThrottle, c[i].failures, now, c[i].lockedUntil, key); err != nil {
				return err
			}
		}
		// Counts nobody has added to for a day go, at most a few at a
		// time, so that the table holds only what is being counted.
		_, err := tx.ExecContext(ctx, s.q.forgetThrottle, now-t.Forget.Milliseconds(), now)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("auth: counting a sign-in: %w", err)
	}
	return c, nil
}

// forgive undoes a successful sign-in's charge: the account's failures
// are forgotten, and the client's count goes back by this attempt (not
// to zero: signing in to one account must not reset the count of a
// client trying many), unlocking it if that takes it under the limit.
func (s *Store) forgive(ctx context.Context, tx *sql.Tx, keys [2][]byte) error {
	if _, err := tx.ExecContext(ctx, s.q.deleteThrottle, keys[0]); err != nil {
		return err
	}
	var failures, last, lockedUntil int64
	err := tx.QueryRowContext(ctx, s.q.readThrottle, keys[1]).Scan(&failures, &last, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if failures > 0 {
		failures--
	}
	if failures < int64(s.opts.Throttle.Limit) {
		lockedUntil = 0
	}
	_, err = tx.ExecContext(ctx, s.q.writeThrottle, failures, last, lockedUntil, keys[1])
	return err
}
