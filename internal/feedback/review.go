package feedback

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// What editors read and mark: the comments queue, one page's answers, and
// CSV of a queue. Marks are written straight to the database rather than
// through the writer goroutine: they are rare, made by a few editors, and
// the writer's group commit exists for readers' answers. SQLite orders
// them with the writer's transactions (each takes the write lock when it
// begins, and waits up to store.BusyTimeout for it); PostgreSQL locks only
// the rows marked.

// CommentState is where a comment stands with the editors.
type CommentState string

const (
	StateNew        CommentState = "new"
	StateReviewed   CommentState = "reviewed"
	StateActionable CommentState = "actionable"
	StateSpam       CommentState = "spam"
)

// CommentStates are every state, in the order the desk offers them.
var CommentStates = []CommentState{StateNew, StateReviewed, StateActionable, StateSpam}

// ParseCommentState reads a state's name.
func ParseCommentState(s string) (CommentState, error) {
	for _, st := range CommentStates {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("%q is not a comment state", s)
}

// CommentID names a comment in the desk's links and forms: its answer's
// token hash (what the table is keyed by), in base64url. It is not the
// token, which is never stored, and cannot be turned back into one.
type CommentID string

// ParseCommentID reads a CommentID, refusing anything that is not the
// base64url of 32 bytes.
func ParseCommentID(s string) (CommentID, error) {
	if _, err := commentHash(CommentID(s)); err != nil {
		return "", err
	}
	return CommentID(s), nil
}

func commentHash(id CommentID) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(string(id))
	if err != nil || len(b) != 32 {
		return nil, errors.New("not a comment id")
	}
	return b, nil
}

func commentIDOf(hash []byte) CommentID {
	return CommentID(base64.RawURLEncoding.EncodeToString(hash))
}

// CommentFilter chooses comments. A zero field chooses every value.
type CommentFilter struct {
	Page     string // the page's path, exactly
	State    CommentState
	From, To Date // days, both included
}

// Cursor is a place in a queue, newest first: the queue after it starts
// with the next older comment. The zero Cursor is the start.
type Cursor struct {
	Day Date
	ID  CommentID
}

// IsZero reports whether c is the start of the queue.
func (c Cursor) IsZero() bool { return c.Day.IsZero() }

// QueuedComment is a comment as the desk lists it.
type QueuedComment struct {
	ID      CommentID
	Day     Date
	Page    string
	Section string
	Helpful bool
	Text    string
	State   CommentState
}

// where is the filter's WHERE clause (with ? placeholders) and its
// arguments.
func (f CommentFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Page != "" {
		conds, args = append(conds, "page = ?"), append(args, f.Page)
	}
	if f.State != "" {
		conds, args = append(conds, "state = ?"), append(args, string(f.State))
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "day >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "day <= ?"), append(args, f.To)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

const commentColumns = `token_hash, day, page, section, helpful, body, state`

// Comments returns up to limit comments that f chooses, newest first,
// after the cursor, and the cursor of the next page (zero when there is
// none). The indexes on (state, day), (page, day) and (day) give the
// order: a page costs limit rows, however long the queue.
func (s *Store) Comments(ctx context.Context, f CommentFilter, after Cursor, limit int) ([]QueuedComment, Cursor, error) {
	where, args := f.where()
	if !after.IsZero() {
		hash, err := commentHash(after.ID)
		if err != nil {
			return nil, Cursor{}, err
		}
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += "(day < ? OR (day = ? AND token_hash < ?))"
		args = append(args, after.Day, after.Day, hash)
	}
	query := s.db.Dialect.Rebind(`SELECT ` + commentColumns + ` FROM comments` + where +
		` ORDER BY day DESC, token_hash DESC LIMIT ?`)
	rows, err := s.db.SQL.QueryContext(ctx, query, append(args, limit+1)...)
	if err != nil {
		return nil, Cursor{}, fmt.Errorf("feedback: listing comments: %w", err)
	}
	defer rows.Close()
	var out []QueuedComment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, Cursor{}, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, Cursor{}, fmt.Errorf("feedback: listing comments: %w", err)
	}
	var next Cursor
	if len(out) > limit {
		out = out[:limit]
		last := out[len(out)-1]
		next = Cursor{Day: last.Day, ID: last.ID}
	}
	return out, next, nil
}

func scanComment(rows interface{ Scan(...any) error }) (QueuedComment, error) {
	var (
		c     QueuedComment
		hash  []byte
		state string
	)
	if err := rows.Scan(&hash, &c.Day, &c.Page, &c.Section, &c.Helpful, &c.Text, &state); err != nil {
		return c, fmt.Errorf("feedback: reading a comment: %w", err)
	}
	c.ID, c.State = commentIDOf(hash), CommentState(state)
	return c, nil
}

// CountComments counts the comments f chooses.
func (s *Store) CountComments(ctx context.Context, f CommentFilter) (int64, error) {
	where, args := f.where()
	var n int64
	if err := s.db.SQL.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT COUNT(*) FROM comments`+where), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("feedback: counting comments: %w", err)
	}
	return n, nil
}

// MaxMarks is the most comments one SetCommentStates marks: a page of the
// desk's queue, with room to spare.
const MaxMarks = 500

// SetCommentStates puts the comments ids names in state, and returns how
// many it changed (ids of comments since purged change nothing).
func (s *Store) SetCommentStates(ctx context.Context, ids []CommentID, state CommentState) (int64, error) {
	if _, err := ParseCommentState(string(state)); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if len(ids) > MaxMarks {
		return 0, fmt.Errorf("feedback: %d comments to mark, at most %d at once", len(ids), MaxMarks)
	}
	args := []any{string(state)}
	for _, id := range ids {
		hash, err := commentHash(id)
		if err != nil {
			return 0, err
		}
		args = append(args, hash)
	}
	query := s.db.Dialect.Rebind(`UPDATE comments SET state = ? WHERE token_hash IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + `)`)
	res, err := s.db.SQL.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("feedback: marking comments: %w", err)
	}
	return res.RowsAffected()
}

// CommentsHeader is the first line ExportComments writes: its columns.
var CommentsHeader = []string{"day", "page", "section", "answer", "state", "comment"}

// ExportComments writes the comments f chooses as CSV, newest first, and
// returns how many. Cells that start like a spreadsheet formula get a '
// in front, as Export's do.
func (s *Store) ExportComments(ctx context.Context, w io.Writer, f CommentFilter) (int64, error) {
	where, args := f.where()
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Dialect.Rebind(`SELECT `+commentColumns+` FROM comments`+where+
		` ORDER BY day DESC, token_hash DESC`), args...)
	if err != nil {
		return 0, fmt.Errorf("feedback: exporting comments: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(CommentsHeader); err != nil {
		return 0, err
	}
	var n int64
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return n, err
		}
		answer := "no"
		if c.Helpful {
			answer = "yes"
		}
		if err := cw.Write([]string{c.Day.String(), defuseFormula(c.Page), defuseFormula(c.Section), answer, string(c.State), defuseFormula(c.Text)}); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("feedback: exporting comments: %w", err)
	}
	cw.Flush()
	return n, cw.Error()
}

// SectionCounts are the answers about one section of a page ("" for the
// whole page).
type SectionCounts struct {
	Section string
	Counts
}

// PageSections counts a page's answers by section over the days from and
// to (both included), in order of section. It reads the answers, which
// the retention purge drops: counts older than that are only in
// PageSummaryOf's totals.
func (s *Store) PageSections(ctx context.Context, page string, from, to Date) ([]SectionCounts, error) {
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Dialect.Rebind(`SELECT section,
			CAST(SUM(CASE WHEN helpful THEN 1 ELSE 0 END) AS BIGINT),
			CAST(SUM(CASE WHEN helpful THEN 0 ELSE 1 END) AS BIGINT)
		FROM answers WHERE page = ? AND day >= ? AND day <= ? GROUP BY section ORDER BY section`), page, from, to)
	if err != nil {
		return nil, fmt.Errorf("feedback: counting a page's sections: %w", err)
	}
	defer rows.Close()
	var out []SectionCounts
	for rows.Next() {
		var c SectionCounts
		if err := rows.Scan(&c.Section, &c.Yes, &c.No); err != nil {
			return nil, fmt.Errorf("feedback: counting a page's sections: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PageSummaryOf is Summary for one page.
func (s *Store) PageSummaryOf(ctx context.Context, page string, today Date) (PageSummary, error) {
	from := func(days int) Date { return today.AddDays(1 - days) }
	p := PageSummary{Page: page}
	err := s.db.SQL.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT
			CAST(COALESCE(SUM(CASE WHEN day >= ? THEN yes_count ELSE 0 END), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN day >= ? THEN no_count ELSE 0 END), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN day >= ? THEN yes_count ELSE 0 END), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN day >= ? THEN no_count ELSE 0 END), 0) AS BIGINT),
			CAST(COALESCE(SUM(yes_count), 0) AS BIGINT), CAST(COALESCE(SUM(no_count), 0) AS BIGINT)
		FROM page_day_counts WHERE page = ? AND day >= ? AND day <= ?`),
		from(7), from(7), from(30), from(30), page, from(90), today).
		Scan(&p.Days7.Yes, &p.Days7.No, &p.Days30.Yes, &p.Days30.No, &p.Days90.Yes, &p.Days90.No)
	if err != nil {
		return p, fmt.Errorf("feedback: summarising a page: %w", err)
	}
	return p, nil
}
