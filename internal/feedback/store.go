package feedback

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"healthsite/internal/store"
)

// Options tune a Store. A zero field takes its default.
type Options struct {
	// RetentionMonths is how long answers and comments are kept before
	// Purge drops them, leaving only the counts per page per day.
	// Default 18.
	RetentionMonths int
	// CommentDays is how many days after its answer's day a token still
	// takes a comment. Default 1: the answer's day and the next, so that
	// an answer given just before midnight can still be followed by its
	// comment.
	CommentDays int
	// MaxBatch is the most answers and comments one transaction holds.
	// Default 1024.
	MaxBatch int
	// CommitTimeout bounds a transaction whose callers allow longer (or
	// set no deadline), so that a hung database cannot hold the writer
	// for ever. Default 10s.
	CommitTimeout time.Duration
	// Today is the current day, for tokens' expiry and for answers given
	// without a day. Default: today in UTC.
	Today func() Date
}

const (
	DefaultRetentionMonths = 18
	DefaultCommentDays     = 1
	defaultMaxBatch        = 1024
	defaultCommitTimeout   = 10 * time.Second
)

func (o Options) withDefaults() Options {
	if o.RetentionMonths <= 0 {
		o.RetentionMonths = DefaultRetentionMonths
	}
	if o.CommentDays <= 0 {
		o.CommentDays = DefaultCommentDays
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = defaultMaxBatch
	}
	if o.CommitTimeout <= 0 {
		o.CommitTimeout = defaultCommitTimeout
	}
	if o.Today == nil {
		o.Today = func() Date { return DateOf(time.Now().UTC()) }
	}
	return o
}

// Store keeps feedback in a database opened by package store.
//
// Every change goes through one writer goroutine, which commits in
// groups: it takes the first change waiting, then every other that arrived
// while the previous transaction was committing (up to MaxBatch), writes
// them all in one transaction, and only after it commits answers each
// caller. With synchronous commits (SQLite's synchronous=FULL, PostgreSQL's
// default) the cost of a commit is a sync to disk, and one sync now serves
// many readers, so throughput grows with load while no answer is
// acknowledged before it is durable. A transaction that fails fails every
// caller in it, and stores none of their changes.
//
// A caller's context bounds its wait: when it ends first, the caller gets
// its error at once. Its answer is then not acknowledged, but may still
// be stored if its transaction was already committing.
//
// A Store is safe for concurrent use; replicas may share a PostgreSQL
// database, each with its own Store.
type Store struct {
	db   *store.DB
	opts Options
	q    queries

	jobs   chan *job
	mu     sync.RWMutex // held to read while sending on jobs, to write when closing it
	closed bool
	done   chan struct{} // closed when the writer has finished

	transactions, failed, answers, comments atomic.Int64

	purgeChunk int // the most answers one transaction of Purge deletes

	// beforeCommit, when set (by tests), runs in every transaction just
	// before it commits, with how many changes it holds; an error fails
	// the transaction.
	beforeCommit func(ctx context.Context, tx *sql.Tx, changes int) error
}

// New starts a Store writing to db, whose schema must be current (see
// store.Open). Close stops it.
func New(db *store.DB, opts Options) *Store {
	opts = opts.withDefaults()
	s := &Store{
		db:   db,
		opts: opts,
		q:    newQueries(db.Dialect),
		jobs: make(chan *job, opts.MaxBatch),
		done: make(chan struct{}),

		purgeChunk: 5000,
	}
	go s.write()
	return s
}

// Close stops taking changes, waits for those already waiting to be
// committed, and stops the writer. It does not close the database.
func (s *Store) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.jobs)
	}
	s.mu.Unlock()
	<-s.done
	return nil
}

// Stats count what a Store has done since New.
type Stats struct {
	Transactions int64 // committed
	Failed       int64 // transactions that failed, with every change in them
	Answers      int64 // answers committed
	Comments     int64 // comments committed
}

// Stats returns the counts so far.
func (s *Store) Stats() Stats {
	return Stats{s.transactions.Load(), s.failed.Load(), s.answers.Load(), s.comments.Load()}
}

// Ping reports whether the database answers a query, for readiness.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.SQL.PingContext(ctx)
}

// Record stores an answer and returns the token that links a comment to
// it. It returns only once the answer is committed, or with an error: an
// *InvalidError for a malformed page or section, the context's error when
// it ends first, ErrClosed, or the database's (which the server should
// answer with a 503).
func (s *Store) Record(ctx context.Context, a Answer) (Token, error) {
	if err := checkName("page", a.Page, maxPageBytes); err != nil {
		return "", err
	}
	if !strings.HasPrefix(a.Page, "/") {
		return "", &InvalidError{"page", "is not a path"}
	}
	if err := checkName("section", a.Section, maxSectionBytes); err != nil {
		return "", err
	}
	if a.Day.IsZero() {
		a.Day = s.opts.Today()
	}
	tok := newToken()
	if err := s.do(ctx, &job{answer: &a, hash: tok.hash()}); err != nil {
		return "", err
	}
	return tok, nil
}

// Comment attaches a comment to the answer tok was given for, scrubbed of
// anything personal (see Scrub), and returns once it is committed. Besides
// Record's errors it returns ErrUnknownToken when no answer has tok (or
// its answer is more than Options.CommentDays old), ErrTokenUsed when that
// answer already has a comment, and an *InvalidError for a comment that is
// empty, longer than MaxCommentRunes, or not valid UTF-8.
func (s *Store) Comment(ctx context.Context, tok Token, section, text string) error {
	if err := checkName("section", section, maxSectionBytes); err != nil {
		return err
	}
	text, err := cleanComment(text)
	if err != nil {
		return err
	}
	if len(tok) != tokenLen {
		return ErrUnknownToken // not one of ours: no need to ask the database
	}
	return s.do(ctx, &job{comment: &Comment{Section: section, Text: Scrub(text)}, hash: tok.hash()})
}

// Purged counts what Purge removed.
type Purged struct {
	Answers, Comments int64
}

// Purge drops every answer and comment from before the retention period
// (Options.RetentionMonths before today), keeping the counts per page per
// day; on SQLite it then checkpoints the WAL (see store.DB.Checkpoint),
// so that the text is gone from the files too. The server runs it daily.
// It goes through the writer in transactions of at most 5,000 answers, so
// that answers recorded meanwhile wait for no more than a short delete.
func (s *Store) Purge(ctx context.Context, today Date) (Purged, error) {
	cutoff := s.RetentionCutoff(today)
	var total Purged
	for {
		j := &job{purge: &purgeJob{before: cutoff}}
		if err := s.do(ctx, j); err != nil {
			return total, err
		}
		total.Answers += j.purge.answers
		total.Comments += j.purge.comments
		if j.purge.answers < int64(s.purgeChunk) {
			break
		}
	}
	// SQLite zeroes what it deletes in its file, but the WAL may still
	// hold the pages as they were before.
	if err := s.db.Checkpoint(ctx); err != nil {
		return total, fmt.Errorf("feedback: purged, but: %w", err)
	}
	return total, nil
}

// RetentionCutoff is the first day Purge keeps, given today.
func (s *Store) RetentionCutoff(today Date) Date {
	return today.AddMonths(-s.opts.RetentionMonths)
}

const (
	maxPageBytes    = 512
	maxSectionBytes = 200
)

// checkName refuses a page or section that no page table would have:
// invalid UTF-8 or control characters (which PostgreSQL may refuse, failing
// every answer in the transaction), or too long.
func checkName(field, v string, maxBytes int) error {
	switch {
	case field == "page" && v == "":
		return &InvalidError{field, "is empty"}
	case len(v) > maxBytes:
		return &InvalidError{field, fmt.Sprintf("is longer than %d bytes", maxBytes)}
	case !utf8.ValidString(v):
		return &InvalidError{field, "is not valid UTF-8"}
	case strings.ContainsFunc(v, unicode.IsControl):
		return &InvalidError{field, "has control characters"}
	}
	return nil
}

// cleanComment checks a comment and tidies it: line ends become \n,
// control characters other than tabs and newlines go (a textarea sends
// none; PostgreSQL refuses NUL), and space at either end is trimmed.
func cleanComment(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", &InvalidError{"comment", "is not valid UTF-8"}
	}
	if utf8.RuneCountInString(text) > MaxCommentRunes {
		return "", &InvalidError{"comment", fmt.Sprintf("is longer than %d characters", MaxCommentRunes)}
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	if text == "" {
		return "", &InvalidError{"comment", "is empty"}
	}
	return text, nil
}

// job is one change for the writer: an answer, a comment or a chunk of
// purge. The writer sets err and closes done.
type job struct {
	ctx     context.Context
	hash    []byte // the token's, for an answer or a comment
	answer  *Answer
	comment *Comment
	purge   *purgeJob
	err     error
	done    chan struct{}
}

type purgeJob struct {
	before            Date
	answers, comments int64
}

// do hands j to the writer and waits for its result, or for ctx to end.
func (s *Store) do(ctx context.Context, j *job) error {
	j.ctx, j.done = ctx, make(chan struct{})
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	select {
	case s.jobs <- j:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		return fmt.Errorf("feedback: waiting to write: %w", ctx.Err())
	}
	select {
	case <-j.done:
		return j.err
	case <-ctx.Done():
		return fmt.Errorf("feedback: waiting for the commit: %w", ctx.Err())
	}
}

// write is the writer goroutine: it commits groups of waiting jobs until
// Close, then those still waiting.
func (s *Store) write() {
	defer close(s.done)
	for j := range s.jobs {
		batch := []*job{j}
	gather:
		for len(batch) < s.opts.MaxBatch {
			select {
			case j, ok := <-s.jobs:
				if !ok {
					break gather
				}
				batch = append(batch, j)
			default:
				break gather
			}
		}
		s.commit(batch)
	}
}

// commit writes batch in one transaction and answers every job in it.
func (s *Store) commit(batch []*job) {
	live := make([]*job, 0, len(batch))
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			// Its caller has gone with an error: storing it now would
			// store what the reader was told failed.
			j.err = fmt.Errorf("feedback: waiting to write: %w", err)
			close(j.done)
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := s.txContext(live)
	err := s.inTransaction(ctx, live)
	cancel()
	if err != nil {
		s.failed.Add(1)
		err = fmt.Errorf("feedback: writing to the database: %w", err)
	} else {
		s.transactions.Add(1)
	}
	for _, j := range live {
		switch {
		case err != nil:
			j.err = err
		case j.answer != nil:
			s.answers.Add(1)
		case j.comment != nil && j.err == nil:
			s.comments.Add(1)
		}
		close(j.done)
	}
}

// txContext bounds a transaction by the latest deadline of its callers
// (no caller still waiting needs it to run longer), and by CommitTimeout.
func (s *Store) txContext(batch []*job) (context.Context, context.CancelFunc) {
	limit := time.Now().Add(s.opts.CommitTimeout)
	var latest time.Time
	for _, j := range batch {
		d, ok := j.ctx.Deadline()
		if !ok {
			latest = limit
			break
		}
		if d.After(latest) {
			latest = d
		}
	}
	if latest.After(limit) {
		latest = limit
	}
	return context.WithDeadline(context.Background(), latest)
}

func (s *Store) inTransaction(ctx context.Context, batch []*job) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit, does nothing
	var answers []*job
	for _, j := range batch {
		if j.answer != nil {
			answers = append(answers, j)
		}
	}
	if err := s.insertAnswers(ctx, tx, answers); err != nil {
		return err
	}
	for _, j := range batch {
		switch {
		case j.comment != nil:
			err = s.insertComment(ctx, tx, j)
		case j.purge != nil:
			err = s.purge(ctx, tx, j.purge)
		}
		if err != nil {
			return err
		}
	}
	if s.beforeCommit != nil {
		if err := s.beforeCommit(ctx, tx, len(batch)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// insertAnswers inserts the answers and adds them to the counts per page
// per day, with multi-row statements (one round trip for many rows).
func (s *Store) insertAnswers(ctx context.Context, tx *sql.Tx, jobs []*job) error {
	if len(jobs) == 0 {
		return nil
	}
	var args []any
	rest := jobs
	for size := range chunks(len(rest)) {
		args = args[:0]
		for _, j := range rest[:size] {
			a := j.answer
			args = append(args, j.hash, a.Day, a.Page, a.Section, a.Helpful)
		}
		rest = rest[size:]
		if _, err := tx.ExecContext(ctx, s.q.insertAnswers[size], args...); err != nil {
			return err
		}
	}
	return s.addCounts(ctx, tx, jobs)
}

// chunks splits n rows into statements of 2^k rows, largest first (up to
// maxRowsPerStatement): few statements a batch, and few different ones, so
// PostgreSQL's cache of prepared statements keeps them all.
func chunks(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for n > 0 {
			size := maxRowsPerStatement
			for size > n {
				size /= 2
			}
			n -= size
			if !yield(size) {
				return
			}
		}
	}
}

// maxRowsPerStatement keeps a statement's parameters (5 a row) well under
// SQLite's and PostgreSQL's limits.
const maxRowsPerStatement = 128

// addCounts adds answers to the counts per page per day, in the same
// transaction as the answers themselves. Rows are updated in order of page
// and day, so that two replicas' transactions take their row locks in the
// same order and never deadlock.
func (s *Store) addCounts(ctx context.Context, tx *sql.Tx, jobs []*job) error {
	type key struct {
		page string
		day  Date
	}
	type counts struct{ yes, no int64 }
	byKey := map[key]*counts{}
	for _, j := range jobs {
		k := key{j.answer.Page, j.answer.Day}
		c := byKey[k]
		if c == nil {
			c = &counts{}
			byKey[k] = c
		}
		if j.answer.Helpful {
			c.yes++
		} else {
			c.no++
		}
	}
	keys := make([]key, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.page, b.page), strings.Compare(a.day.String(), b.day.String()))
	})
	var args []any
	for size := range chunks(len(keys)) {
		args = args[:0]
		for _, k := range keys[:size] {
			args = append(args, k.page, k.day, byKey[k].yes, byKey[k].no)
		}
		keys = keys[size:]
		if _, err := tx.ExecContext(ctx, s.q.addCounts[size], args...); err != nil {
			return err
		}
	}
	return nil
}

// insertComment adds j's comment to its answer, if the answer exists, is
// recent enough and has none; otherwise it sets j.err and changes nothing,
// so the transaction goes on for the others.
func (s *Store) insertComment(ctx context.Context, tx *sql.Tx, j *job) error {
	oldest := s.opts.Today().AddDays(-s.opts.CommentDays)
	res, err := tx.ExecContext(ctx, s.q.insertComment, j.comment.Section, j.comment.Text, j.hash, oldest)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var day Date
	var used bool
	switch err := tx.QueryRowContext(ctx, s.q.tokenState, j.hash).Scan(&day, &used); {
	case err == sql.ErrNoRows:
		j.err = ErrUnknownToken
	case err != nil:
		return err
	case day.Before(oldest):
		j.err = ErrUnknownToken
	case used:
		j.err = ErrTokenUsed
	default:
		return fmt.Errorf("a comment was not stored for a recent answer without one")
	}
	return nil
}

// purge deletes the comments from before p.before, and up to
// s.purgeChunk answers.
func (s *Store) purge(ctx context.Context, tx *sql.Tx, p *purgeJob) error {
	res, err := tx.ExecContext(ctx, s.q.purgeComments, p.before)
	if err != nil {
		return err
	}
	if p.comments, err = res.RowsAffected(); err != nil {
		return err
	}
	res, err = tx.ExecContext(ctx, s.q.purgeAnswers, p.before, s.purgeChunk)
	if err != nil {
		return err
	}
	p.answers, err = res.RowsAffected()
	return err
}

// queries are the statements a Store runs, in its database's dialect.
type queries struct {
	insertAnswers map[int]string // by rows
	addCounts     map[int]string
	insertComment string
	tokenState    string
	purgeComments string
	purgeAnswers  string
	export        string
	summary       string
}

func newQueries(d store.Dialect) queries {
	q := queries{
		insertAnswers: map[int]string{},
		addCounts:     map[int]string{},
		// INSERT ... SELECT copies the answer's day, page and helpful,
		// and inserts nothing when the token is unknown or too old
		// (WHERE) or already has a comment (ON CONFLICT).
		insertComment: d.Rebind(`INSERT INTO comments (token_hash, day, page, section, helpful, body)
			SELECT token_hash, day, page, ?, helpful, ? FROM answers WHERE token_hash = ? AND day >= ?
			ON CONFLICT (token_hash) DO NOTHING`),
		tokenState: d.Rebind(`SELECT a.day, c.token_hash IS NOT NULL FROM answers a
			LEFT JOIN comments c ON c.token_hash = a.token_hash WHERE a.token_hash = ?`),
		purgeComments: d.Rebind(`DELETE FROM comments WHERE day < ?`),
		// The answers' comments went first; ON DELETE CASCADE is a
		// second guarantee.
		purgeAnswers: d.Rebind(`DELETE FROM answers WHERE token_hash IN
			(SELECT token_hash FROM answers WHERE day < ? LIMIT ?)`),
		// A comment's section, when it names one, is more precise than
		// its answer's.
		export: d.Rebind(`SELECT a.day, a.page,
				CASE WHEN c.section IS NOT NULL AND c.section <> '' THEN c.section ELSE a.section END AS section,
				a.helpful, COALESCE(c.body, '') AS body
			FROM answers a LEFT JOIN comments c ON c.token_hash = a.token_hash
			WHERE a.day >= ? ORDER BY a.day, a.page, section, a.helpful, body`),
		summary: d.Rebind(`SELECT page,
				CAST(SUM(CASE WHEN day >= ? THEN yes_count ELSE 0 END) AS BIGINT),
				CAST(SUM(CASE WHEN day >= ? THEN no_count ELSE 0 END) AS BIGINT),
				CAST(SUM(CASE WHEN day >= ? THEN yes_count ELSE 0 END) AS BIGINT),
				CAST(SUM(CASE WHEN day >= ? THEN no_count ELSE 0 END) AS BIGINT),
				CAST(SUM(yes_count) AS BIGINT), CAST(SUM(no_count) AS BIGINT)
			FROM page_day_counts WHERE day >= ? AND day <= ? GROUP BY page ORDER BY page`),
	}
	for size := 1; size <= maxRowsPerStatement; size *= 2 {
		q.insertAnswers[size] = d.Rebind(`INSERT INTO answers (token_hash, day, page, section, helpful) VALUES ` +
			values(size, 5))
		q.addCounts[size] = d.Rebind(`INSERT INTO page_day_counts (page, day, yes_count, no_count) VALUES ` +
			values(size, 4) + ` ON CONFLICT (page, day) DO UPDATE SET
				yes_count = page_day_counts.yes_count + excluded.yes_count,
				no_count = page_day_counts.no_count + excluded.no_count`)
	}
	return q
}

// values is "(?, ?), (?, ?)" for rows of columns.
func values(rows, columns int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", columns), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}
