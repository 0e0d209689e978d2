package feedback

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

// today is the day the tests' stores think it is.
var today = NewDate(2026, time.December, 4)

const (
	article = "/articles/neck-pain-after-cervical-massage"
	checker = "/symptoms/neck-pain"
)

// storeTests run against every kind of database (TestStore).
var storeTests = []struct {
	name string
	test func(t *testing.T, k storetest.Kind)
}{
	{"answers and comments round trip", testRoundTrip},
	{"only the day is stored", testOnlyTheDay},
	{"the token's hash is stored, never the token", testTokenHashOnly},
	{"comments are scrubbed before they are stored", testScrubbedBeforeStorage},
	{"concurrent answers are each stored once", testConcurrentRecords},
	{"answers waiting during a commit share the next", testGroupCommit},
	{"a failed transaction fails every caller and stores nothing", testFailedTransaction},
	{"a slow database costs the caller its deadline", testDeadline},
	{"unknown, expired and used tokens", testTokens},
	{"malformed answers and comments are refused", testInvalid},
	{"purge drops old text and keeps counts", testPurge},
	{"export writes CSV", testExport},
	{"summary counts 7, 30 and 90 days", testSummary},
	{"close commits what is waiting, then refuses", testClose},
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		for _, tt := range storeTests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				tt.test(t, k)
			})
		}
	})
}

// newStore returns a Store on a new database of kind k, whose day is today
// unless opts says otherwise.
func newStore(t *testing.T, k storetest.Kind, opts Options) (*Store, *store.DB) {
	t.Helper()
	db := k.Open(t)
	if opts.Today == nil {
		opts.Today = func() Date { return today }
	}
	s := New(db, opts)
	t.Cleanup(func() { s.Close() })
	return s, db
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func record(t *testing.T, s *Store, a Answer) Token {
	t.Helper()
	tok, err := s.Record(ctxFor(t), a)
	if err != nil {
		t.Fatalf("Record(%+v): %v", a, err)
	}
	return tok
}

func comment(t *testing.T, s *Store, tok Token, section, text string) {
	t.Helper()
	if err := s.Comment(ctxFor(t), tok, section, text); err != nil {
		t.Fatalf("Comment: %v", err)
	}
}

// count runs a query that returns one number.
func count(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.SQL.QueryRow(db.Dialect.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// exported returns Export's rows, header included.
func exported(t *testing.T, s *Store, since Date) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(ctxFor(t), &buf, since); err != nil {
		t.Fatalf("Export: %v", err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("Export wrote CSV that does not parse: %v\n%s", err, buf.String())
	}
	return rows
}

func diffRows(t *testing.T, got, want [][]string) {
	t.Helper()
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("exported\n%q\nwant\n%q", got, want)
	}
}

func testRoundTrip(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k, Options{})
	yes := record(t, s, Answer{Day: today, Page: article, Helpful: true})
	no := record(t, s, Answer{Day: today, Page: article, Section: "neck-muscle-strain", Helpful: false})
	record(t, s, Answer{Day: today.AddDays(-1), Page: checker, Helpful: false})
	if yes == no {
		t.Fatal("two answers were given the same token")
	}
	comment(t, s, yes, "", "Clear and calm, thank you.")
	comment(t, s, no, "when-to-get-medical-help", "It did not say what to do at night.")

	diffRows(t, exported(t, s, Date{}), [][]string{
		{"day", "page", "section", "answer", "comment"},
		{"2026-12-03", checker, "", "no", ""},
		{"2026-12-04", article, "", "yes", "Clear and calm, thank you."},
		{"2026-12-04", article, "when-to-get-medical-help", "no", "It did not say what to do at night."},
	})
	st := s.Stats()
	if st.Answers != 3 || st.Comments != 2 || st.Failed != 0 {
		t.Errorf("Stats = %+v, want 3 answers, 2 comments, none failed", st)
	}
}

func testOnlyTheDay(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{CommentDays: 100})
	tok := record(t, s, Answer{Day: NewDate(2026, time.November, 10), Page: article, Helpful: true})
	record(t, s, Answer{Page: checker, Helpful: true}) // no day: today
	comment(t, s, tok, "", "Helpful.")

	for _, table := range []string{"answers", "comments", "page_day_counts"} {
		rows, err := db.SQL.Query("SELECT day FROM " + table + " ORDER BY day")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var raw any
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			switch v := raw.(type) {
			case string: // SQLite keeps the day as text: exactly YYYY-MM-DD
				got = append(got, v)
			case time.Time: // PostgreSQL's date: midnight, nothing finer
				if v.Hour()+v.Minute()+v.Second()+v.Nanosecond() != 0 {
					t.Errorf("%s.day = %v, has a time of day", table, v)
				}
				got = append(got, v.Format(time.DateOnly))
			default:
				t.Errorf("%s.day is a %T", table, raw)
			}
		}
		rows.Close()
		want := map[string][]string{
			"answers":         {"2026-11-10", "2026-12-04"},
			"comments":        {"2026-11-10"},
			"page_day_counts": {"2026-11-10", "2026-12-04"},
		}[table]
		if !slices.Equal(got, want) {
			t.Errorf("%s days %q, want %q", table, got, want)
		}
	}
}

func testTokenHashOnly(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	tok := record(t, s, Answer{Day: today, Page: article, Helpful: true})
	comment(t, s, tok, "", "Good.")
	if len(tok) != tokenLen {
		t.Errorf("token is %d characters, want %d", len(tok), tokenLen)
	}
	sum := sha256.Sum256([]byte(tok))
	if n := count(t, db, "SELECT count(*) FROM answers WHERE token_hash = ?", sum[:]); n != 1 {
		t.Errorf("%d answers have the token's SHA-256, want 1", n)
	}
	if n := count(t, db, "SELECT count(*) FROM comments WHERE token_hash = ?", sum[:]); n != 1 {
		t.Errorf("%d comments have the token's SHA-256, want 1", n)
	}
	// Nothing anywhere holds the token itself, as text or bytes.
	if dump := dumpDatabase(t, k, db); bytes.Contains(dump, []byte(tok)) {
		t.Error("the token itself is in the database")
	}
}

// dumpDatabase returns every byte the database keeps: for SQLite its files
// (with the WAL), for PostgreSQL every column of every row as text.
func dumpDatabase(t *testing.T, k storetest.Kind, db *store.DB) []byte {
	t.Helper()
	var out bytes.Buffer
	if k.Dialect == store.SQLite {
		var path string
		if err := db.SQL.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(path + "*")
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out.Write(b)
		}
		if out.Len() == 0 {
			t.Fatal("read no database files")
		}
		return out.Bytes()
	}
	for _, table := range []string{"answers", "comments", "page_day_counts"} {
		rows, err := db.SQL.Query("SELECT t::text FROM " + table + " t")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			out.WriteString(row + "\n")
		}
		rows.Close()
	}
	return out.Bytes()
}

func testScrubbedBeforeStorage(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	tok := record(t, s, Answer{Day: today, Page: article, Helpful: false})
	comment(t, s, tok, "", "Please call me on 07700 900123 or write to jane.doe@example.org")
	var body string
	if err := db.SQL.QueryRow("SELECT body FROM comments").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if want := "Please call me on [removed] or write to [removed]"; body != want {
		t.Errorf("stored %q, want %q", body, want)
	}
	dump := dumpDatabase(t, k, db)
	for _, secret := range []string{"07700 900123", "jane.doe", "example.org"} {
		if bytes.Contains(dump, []byte(secret)) {
			t.Errorf("%q reached the database", secret)
		}
	}
}

func testConcurrentRecords(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	const callers, each = 200, 5
	var (
		mu     sync.Mutex
		tokens = map[Token]bool{}
		wg     sync.WaitGroup
		yes    int
	)
	for c := range callers {
		wg.Go(func() {
			for i := range each {
				helpful := (c+i)%3 != 0
				tok, err := s.Record(ctxFor(t), Answer{Day: today.AddDays(-(i % 2)), Page: fmt.Sprintf("/articles/a%d", c%7), Helpful: helpful})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if tokens[tok] {
					t.Error("a token was given twice")
				}
				tokens[tok] = true
				if helpful {
					yes++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(tokens) != callers*each {
		t.Fatalf("%d answers acknowledged, want %d", len(tokens), callers*each)
	}
	if n := count(t, db, "SELECT count(*) FROM answers"); n != callers*each {
		t.Errorf("%d answers stored, want %d", n, callers*each)
	}
	for tok := range tokens {
		if n := count(t, db, "SELECT count(*) FROM answers WHERE token_hash = ?", tok.hash()); n != 1 {
			t.Fatalf("an acknowledged answer is stored %d times, want once", n)
		}
	}
	if n := count(t, db, "SELECT SUM(yes_count) FROM page_day_counts"); n != int64(yes) {
		t.Errorf("counts say %d yes, want %d", n, yes)
	}
	if n := count(t, db, "SELECT SUM(yes_count + no_count) FROM page_day_counts"); n != callers*each {
		t.Errorf("counts say %d answers, want %d", n, callers*each)
	}
	st := s.Stats()
	t.Logf("%d answers in %d transactions", st.Answers, st.Transactions)
	if st.Answers != callers*each || st.Transactions > st.Answers {
		t.Errorf("Stats = %+v", st)
	}
}

// gate holds a Store's writer inside its first transaction until opened,
// so that tests can line callers up behind it; then it runs then (if
// set) in every later transaction.
type gate struct {
	entered, open chan struct{}
	once          sync.Once
}

func holdWriter(s *Store, then func(ctx context.Context, changes int) error) *gate {
	g := &gate{entered: make(chan struct{}), open: make(chan struct{})}
	first := true
	s.beforeCommit = func(ctx context.Context, _ *sql.Tx, changes int) error {
		if first {
			first = false
			close(g.entered)
			<-g.open
			return nil
		}
		if then != nil {
			return then(ctx, changes)
		}
		return nil
	}
	return g
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// lineUp starts n callers of Record behind a held writer and waits until
// all are queued; their results come on the channel.
func lineUp(t *testing.T, s *Store, g *gate, n int) chan error {
	t.Helper()
	t.Cleanup(g.release)
	go func() {
		if _, err := s.Record(ctxFor(t), Answer{Day: today, Page: "/articles/first", Helpful: true}); err != nil {
			t.Errorf("the first answer: %v", err)
		}
	}()
	<-g.entered
	results := make(chan error, n)
	for i := range n {
		go func() {
			_, err := s.Record(ctxFor(t), Answer{Day: today, Page: article, Helpful: i%2 == 0})
			results <- err
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); len(s.jobs) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d callers queued", len(s.jobs), n)
		}
		time.Sleep(time.Millisecond)
	}
	return results
}

func testGroupCommit(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	var sizes []int
	g := holdWriter(s, func(_ context.Context, changes int) error {
		sizes = append(sizes, changes)
		return nil
	})
	const n = 50
	results := lineUp(t, s, g, n)
	g.release()
	for range n {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(sizes, []int{n}) {
		t.Errorf("the %d waiting answers were committed in transactions of %v, want one of %d", n, sizes, n)
	}
	if got := count(t, db, "SELECT count(*) FROM answers"); got != n+1 {
		t.Errorf("%d answers stored, want %d", got, n+1)
	}
}

func testFailedTransaction(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	boom := errors.New("the disk is full")
	failed := 0
	g := holdWriter(s, func(_ context.Context, changes int) error {
		if failed++; failed == 1 {
			return boom
		}
		return nil
	})
	const n = 20
	results := lineUp(t, s, g, n)
	g.release()
	for range n {
		if err := <-results; !errors.Is(err, boom) {
			t.Errorf("a caller in the failed transaction got %v, want %v", err, boom)
		}
	}
	// Only the first answer, in the transaction before, is stored, and
	// the counts agree: the failed transaction's rows and counts went
	// together.
	if got := count(t, db, "SELECT count(*) FROM answers"); got != 1 {
		t.Errorf("%d answers stored, want 1", got)
	}
	if got := count(t, db, "SELECT SUM(yes_count + no_count) FROM page_day_counts"); got != 1 {
		t.Errorf("counts say %d answers, want 1", got)
	}
	if st := s.Stats(); st.Failed != 1 || st.Answers != 1 {
		t.Errorf("Stats = %+v, want 1 failed transaction and 1 answer", st)
	}
	// The writer goes on.
	record(t, s, Answer{Day: today, Page: article, Helpful: true})
}

func testDeadline(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	record(t, s, Answer{Day: today, Page: article, Helpful: true})

	// Another connection holds the write lock, as a long transaction or
	// a stuck server would.
	lock, err := db.SQL.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if k.Dialect == store.SQLite {
		_, err = lock.Exec("DELETE FROM answers WHERE day < '2000-01-01'") // any write: BEGIN IMMEDIATE took the lock
	} else {
		_, err = lock.Exec("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE")
	}
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Record(ctx, Answer{Day: today, Page: article, Helpful: false})
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Record against a locked database: %v, want context.DeadlineExceeded", err)
	}
	if took > 3*time.Second {
		t.Errorf("Record took %v, want about its 300ms deadline", took)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	// The writer recovers, and the answer whose caller was told it failed
	// is not stored.
	record(t, s, Answer{Day: today, Page: checker, Helpful: true})
	if got := count(t, db, "SELECT count(*) FROM answers WHERE helpful = ?", false); got != 0 {
		t.Errorf("the answer that timed out was stored (%d rows)", got)
	}
}

func testTokens(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k, Options{})
	fresh := record(t, s, Answer{Day: today, Page: article, Helpful: true})
	yesterday := record(t, s, Answer{Day: today.AddDays(-1), Page: article, Helpful: true})
	old := record(t, s, Answer{Day: today.AddDays(-2), Page: article, Helpful: true})
	ctx := ctxFor(t)
	for _, tt := range []struct {
		name string
		tok  Token
		want error
	}{
		{"today's", fresh, nil},
		{"yesterday's", yesterday, nil},
		{"the same again", fresh, ErrTokenUsed},
		{"two days old", old, ErrUnknownToken},
		{"never given", newToken(), ErrUnknownToken},
		{"not a token", Token("abc"), ErrUnknownToken},
		{"empty", Token(""), ErrUnknownToken},
	} {
		if err := s.Comment(ctx, tt.tok, "", "Useful."); !errors.Is(err, tt.want) {
			t.Errorf("%s token: Comment = %v, want %v", tt.name, err, tt.want)
		}
	}
	if st := s.Stats(); st.Comments != 2 {
		t.Errorf("Stats.Comments = %d, want 2", st.Comments)
	}
}

func testInvalid(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	ctx := ctxFor(t)
	tok := record(t, s, Answer{Day: today, Page: article, Helpful: false})
	for _, tt := range []struct {
		name, section, text, field string
	}{
		{"too long", "", strings.Repeat("é", MaxCommentRunes+1), "comment"},
		{"not UTF-8", "", "bad \xff byte", "comment"},
		{"empty", "", " \n\t ", "comment"},
		{"only control characters", "", "\x00\x01", "comment"},
		{"section not UTF-8", "\xff", "fine", "section"},
		{"section with a newline", "a\nb", "fine", "section"},
		{"section too long", strings.Repeat("s", 201), "fine", "section"},
	} {
		err := s.Comment(ctx, tok, tt.section, tt.text)
		var invalid *InvalidError
		if !errors.As(err, &invalid) || invalid.Field != tt.field {
			t.Errorf("%s: Comment = %v, want an *InvalidError for the %s", tt.name, err, tt.field)
		}
	}
	for _, tt := range []struct {
		name  string
		a     Answer
		field string
	}{
		{"no page", Answer{}, "page"},
		{"not a path", Answer{Page: "articles/x"}, "page"},
		{"page not UTF-8", Answer{Page: "/\xff"}, "page"},
		{"page with NUL", Answer{Page: "/a\x00"}, "page"},
		{"page too long", Answer{Page: "/" + strings.Repeat("a", 512)}, "page"},
		{"section with a tab", Answer{Page: article, Section: "a\tb"}, "section"},
	} {
		_, err := s.Record(ctx, tt.a)
		var invalid *InvalidError
		if !errors.As(err, &invalid) || invalid.Field != tt.field {
			t.Errorf("%s: Record = %v, want an *InvalidError for the %s", tt.name, err, tt.field)
		}
	}
	// At the limit is fine, and tidied: \r\n becomes \n, NUL goes, the
	// ends are trimmed.
	long := strings.Repeat("é", MaxCommentRunes-6) + "\r\nok\x00 " // 1,000 exactly
	comment(t, s, tok, "", long)
	var body string
	if err := db.SQL.QueryRow("SELECT body FROM comments").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("é", MaxCommentRunes-6) + "\nok"; body != want {
		t.Errorf("stored a comment of %d characters, want %d", len([]rune(body)), len([]rune(want)))
	}
}

func testPurge(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{CommentDays: 10000}) // old answers may take comments here
	s.purgeChunk = 3                                     // purge in several transactions
	cutoff := s.RetentionCutoff(today)
	if want := NewDate(2025, time.June, 4); cutoff != want {
		t.Fatalf("18 months before %v is %v, want %v", today, cutoff, want)
	}
	for i := range 7 {
		tok := record(t, s, Answer{Day: cutoff.AddDays(-1 - i), Page: article, Helpful: i%2 == 0})
		comment(t, s, tok, "", fmt.Sprintf("old comment %d", i))
	}
	kept := record(t, s, Answer{Day: cutoff, Page: article, Helpful: false})
	comment(t, s, kept, "", "kept comment")
	before, err := s.Summary(ctxFor(t), cutoff)
	if err != nil {
		t.Fatal(err)
	}
	countsBefore := count(t, db, "SELECT SUM(yes_count + no_count) FROM page_day_counts")

	got, err := s.Purge(ctxFor(t), today)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Purged{Answers: 7, Comments: 7}); got != want {
		t.Errorf("Purge = %+v, want %+v", got, want)
	}
	diffRows(t, exported(t, s, Date{}), [][]string{
		ExportHeader,
		{"2025-06-04", article, "", "no", "kept comment"},
	})
	if n := count(t, db, "SELECT count(*) FROM comments"); n != 1 {
		t.Errorf("%d comments left, want 1", n)
	}
	if n := count(t, db, "SELECT SUM(yes_count + no_count) FROM page_day_counts"); n != countsBefore || n != 8 {
		t.Errorf("counts say %d answers after the purge, want %d as before", n, countsBefore)
	}
	after, err := s.Summary(ctxFor(t), cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(after, before) {
		t.Errorf("summary changed by the purge:\n%+v\nwas\n%+v", after, before)
	}
	// Nothing of the old comments' text is left: for SQLite, not even in
	// its files' free pages or WAL.
	if dump := dumpDatabase(t, k, db); bytes.Contains(dump, []byte("old comment")) {
		t.Error("an old comment's text is still in the database")
	}
	if !bytes.Contains(dumpDatabase(t, k, db), []byte("kept comment")) {
		t.Error("the dump does not find the kept comment: it cannot see the old ones either")
	}
	if got, err := s.Purge(ctxFor(t), today); err != nil || got != (Purged{}) {
		t.Errorf("purging again: %+v, %v; want nothing", got, err)
	}
}

func testExport(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k, Options{})
	tricky := "He said \"stop\", then, later:\nno more; it's fine"
	tok := record(t, s, Answer{Day: today, Page: article, Section: "neck-muscle-strain", Helpful: false})
	comment(t, s, tok, "", tricky)
	formula := record(t, s, Answer{Day: today, Page: checker, Helpful: false})
	comment(t, s, formula, "", `=HYPERLINK("http://evil.example","click")`)
	record(t, s, Answer{Day: today.AddDays(-10), Page: article, Helpful: true})

	var buf bytes.Buffer
	if err := s.Export(ctxFor(t), &buf, today.AddDays(-1)); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(buf.String(), "\n"); first != "day,page,section,answer,comment" {
		t.Errorf("first line %q, want the header", first)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, rows, [][]string{
		ExportHeader,
		{"2026-12-04", article, "neck-muscle-strain", "no", tricky},
		{"2026-12-04", checker, "", "no", `'=HYPERLINK("http://evil.example","click")`},
	})
	if n := len(exported(t, s, Date{})); n != 4 {
		t.Errorf("exporting everything: %d lines, want 4", n)
	}
}

func testSummary(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k, Options{})
	for _, a := range []struct {
		daysAgo int
		helpful bool
	}{
		{0, true}, {6, false}, // in all three windows
		{7, true}, {29, false}, // in 30 and 90
		{30, true}, {89, false}, // in 90 only
		{90, true}, {-1, false}, // in none: too old, and tomorrow
	} {
		record(t, s, Answer{Day: today.AddDays(-a.daysAgo), Page: article, Helpful: a.helpful})
	}
	record(t, s, Answer{Day: today.AddDays(-3), Page: checker, Helpful: false})
	record(t, s, Answer{Day: today.AddDays(-100), Page: "/articles/old", Helpful: false})

	got, err := s.Summary(ctxFor(t), today)
	if err != nil {
		t.Fatal(err)
	}
	want := []PageSummary{
		{Page: article, Days7: Counts{1, 1}, Days30: Counts{2, 2}, Days90: Counts{3, 3}},
		{Page: checker, Days7: Counts{0, 1}, Days30: Counts{0, 1}, Days90: Counts{0, 1}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Summary =\n%+v\nwant\n%+v", got, want)
	}
	if r := want[0].Days30.NoRate(); r != 0.5 {
		t.Errorf("NoRate = %v, want 0.5", r)
	}
	if r := (Counts{}).NoRate(); r != 0 {
		t.Errorf("NoRate of nothing = %v, want 0", r)
	}
}

func testClose(t *testing.T, k storetest.Kind) {
	s, db := newStore(t, k, Options{})
	g := holdWriter(s, nil)
	const n = 10
	results := lineUp(t, s, g, n)
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	time.Sleep(50 * time.Millisecond) // Close is waiting for the writer
	g.release()
	for range n {
		if err := <-results; err != nil {
			t.Errorf("an answer waiting at Close: %v, want it committed", err)
		}
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, "SELECT count(*) FROM answers"); got != n+1 {
		t.Errorf("%d answers stored, want %d", got, n+1)
	}
	if _, err := s.Record(ctxFor(t), Answer{Page: article}); !errors.Is(err, ErrClosed) {
		t.Errorf("Record after Close: %v, want ErrClosed", err)
	}
}

func TestTokenNeverPrints(t *testing.T) {
	tok := newToken()
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("answer", "token", tok)
	for _, out := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %s %+v", tok, tok, struct{ T Token }{tok}), logged.String()} {
		if strings.Contains(out, string(tok)) {
			t.Errorf("the token's value reached %q", out)
		}
	}
	if !strings.Contains(logged.String(), `"token":"[token]"`) {
		t.Errorf("log line %s, want the token as [token]", logged.String())
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2025-11-10")
	if err != nil || d != NewDate(2025, time.November, 10) || d.String() != "2025-11-10" {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"", "2025-13-01", "10/11/2025", "2025-11-10T10:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
	london, _ := time.LoadLocation("Europe/London")
	if got := DateOf(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC).In(london)); got != NewDate(2026, 7, 1) {
		t.Errorf("DateOf in London = %v, want 2026-07-01", got)
	}
	if got := NewDate(2026, 3, 1).AddDays(-1); got != NewDate(2026, 2, 28) {
		t.Errorf("AddDays = %v", got)
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Error("the zero Date should print empty and be zero")
	}
	if _, err := (Date{}).Value(); err == nil {
		t.Error("the zero Date was stored")
	}
}
