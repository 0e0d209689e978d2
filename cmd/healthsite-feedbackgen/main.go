// Command healthsite-feedbackgen fills a database with synthetic readers'
// feedback about the pages of a generated corpus (internal/corpus), for
// measuring the editors' desk at scale:
//
//	go run ./cmd/healthsite-gen -n 2000 -o /tmp/corpus
//	go run ./cmd/healthsite-feedbackgen -data-dir /tmp/data -articles 2000
//	go run ./cmd/healthsite -articles /tmp/corpus -data-dir /tmp/data -desk-addr 127.0.0.1:8081
//
// It writes answers, comments and the counts per page per day exactly as
// the feedback store would leave them, straight to the tables, with
// multi-row inserts in large transactions (a million answers in well under
// a minute on SQLite). Pages are chosen by a Zipf law (a few pages get
// most answers), a tenth of them answered No far more often, days spread
// over the retention period, and comments' states mixed as an editor's
// queue would be. The same -seed gives the same data.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
	"healthsite/internal/feedback"
	"healthsite/internal/store"
)

func main() {
	var (
		database = flag.String("database", os.Getenv("HEALTHSITE_DATABASE"), "the `DSN` to fill: sqlite:PATH or a postgres:// URL (env HEALTHSITE_DATABASE); default the SQLite file in -data-dir")
		dataDir  = flag.String("data-dir", envOr("HEALTHSITE_DATA_DIR", "data"), "`folder` of the default SQLite database (env HEALTHSITE_DATA_DIR)")
		articles = flag.Int("articles", 2000, "the corpus's size: pages are its articles, the list of complaints and its complaints")
		answers  = flag.Int("answers", 1_000_000, "answers to write")
		comments = flag.Int("comments", 100_000, "comments among them")
		days     = flag.Int("days", 540, "days the answers spread over, ending today")
		seed     = flag.Uint64("seed", 1, "random seed")
	)
	flag.Parse()
	if *articles < 1 || *answers < 1 || *comments < 0 || *comments > *answers || *days < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: healthsite-feedbackgen [-database DSN | -data-dir DIR] [-articles N] [-answers N] [-comments N] [-days N] [-seed N]")
		os.Exit(2)
	}
	dsn := *database
	if dsn == "" {
		var err error
		if dsn, err = store.DefaultDSN(*dataDir); err != nil {
			fail(err)
		}
	}
	start := time.Now()
	g := newGenerator(*articles, *seed)
	if err := g.fill(context.Background(), dsn, *answers, *comments, *days); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %d answers and %d comments about %d pages over %d days to %s in %s\n",
		*answers, *comments, len(g.pages), *days, store.Describe(dsn), time.Since(start).Round(time.Millisecond))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "healthsite-feedbackgen:", err)
	os.Exit(1)
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// page is a page readers answer about.
type page struct {
	path     string
	topic    string   // words for comments
	sections []string // section ids answers may name
	noRate   float64  // how often its readers say No
}

type generator struct {
	r     *rand.Rand
	pages []page
	zipf  *rand.Zipf
}

func newGenerator(n int, seed uint64) *generator {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x666565646261636b))}
	for i := range n {
		p := page{path: "/articles/" + corpus.Slug(i), topic: strings.ToLower(corpus.Title(i))}
		if a, _ := content.Parse(corpus.Name(i), []byte(corpus.Article(i))); a != nil {
			for _, s := range a.Sections {
				p.sections = append(p.sections, s.ID)
			}
		}
		g.pages = append(g.pages, p)
	}
	g.pages = append(g.pages, page{path: "/symptoms", topic: "the symptom checker"})
	for k := range corpus.Complaints(n) {
		g.pages = append(g.pages, page{path: "/symptoms/" + corpus.ComplaintID(k), topic: "the symptom checker", sections: []string{"red-flags", "results"}})
	}
	// Shuffle so that popularity does not follow the corpus's order.
	g.r.Shuffle(len(g.pages), func(i, j int) { g.pages[i], g.pages[j] = g.pages[j], g.pages[i] })
	for i := range g.pages {
		g.pages[i].noRate = 0.1 + 0.2*g.r.Float64()
		if g.r.IntN(10) == 0 {
			g.pages[i].noRate = 0.5 + 0.4*g.r.Float64() // a page that fails its readers
		}
	}
	g.zipf = rand.NewZipf(g.r, 1.07, 20, uint64(len(g.pages)-1))
	return g
}

// perStatement rows go in one INSERT (5 parameters a row: well under
// both databases' limits); perTransaction rows in one transaction.
const (
	perStatement   = 500
	perTransaction = 50_000
)

type answer struct {
	hash    []byte
	day     feedback.Date
	page    *page
	section string
	helpful bool
	comment string
	state   string
}

func (g *generator) fill(ctx context.Context, dsn string, nAnswers, nComments, days int) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Dialect == store.SQLite {
		// Answers are keyed by random hashes, so every insert lands on
		// a random page of the table and its indexes: with SQLite's
		// default 2 MB cache each one read and wrote pages through the
		// kernel, and a million took two minutes, most of it in system
		// calls. A 512 MB cache holds them all. Generated data needs no
		// durability either (a crash means running again). One
		// connection does every write, so the pragmas hold for all.
		db.SQL.SetMaxOpenConns(1)
		for _, pragma := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -524288`} {
			if _, err := db.SQL.ExecContext(ctx, pragma); err != nil {
				return err
			}
		}
	}
	var existing int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM answers`).Scan(&existing); err != nil {
		return err
	}
	if existing > 0 {
		return fmt.Errorf("%s already has %d answers: fill an empty database", store.Describe(dsn), existing)
	}
	today := feedback.DateOf(time.Now().UTC())
	type key struct {
		path string
		day  feedback.Date
	}
	counts := map[key]*[2]int64{}
	commentEvery := float64(nComments) / float64(nAnswers)
	commented := 0
	batch := make([]answer, 0, perTransaction)
	for written := 0; written < nAnswers; {
		batch = batch[:0]
		for len(batch) < perTransaction && written+len(batch) < nAnswers {
			p := &g.pages[g.zipf.Uint64()]
			a := answer{hash: g.bytes(32), day: today.AddDays(-g.r.IntN(days)), page: p, helpful: g.r.Float64() >= p.noRate}
			if len(p.sections) > 0 && g.r.IntN(10) < 3 {
				a.section = p.sections[g.r.IntN(len(p.sections))]
			}
			left := nAnswers - written - len(batch)
			if commented < nComments && (g.r.Float64() < commentEvery || left <= nComments-commented) {
				a.comment, a.state = g.comment(p, a.helpful), g.state()
				commented++
			}
			c := counts[key{p.path, a.day}]
			if c == nil {
				c = &[2]int64{}
				counts[key{p.path, a.day}] = c
			}
			if a.helpful {
				c[0]++
			} else {
				c[1]++
			}
			batch = append(batch, a)
		}
		if err := g.insert(ctx, db, batch); err != nil {
			return err
		}
		written += len(batch)
		fmt.Fprintf(os.Stderr, "\r%d answers, %d comments", written, commented)
	}
	fmt.Fprintln(os.Stderr)
	// The counts per page per day, as the store keeps them beside the
	// answers.
	var rows [][]any
	for k, c := range counts {
		rows = append(rows, []any{k.path, k.day, c[0], c[1]})
	}
	if err := insertRows(ctx, db, "page_day_counts (page, day, yes_count, no_count)", rows); err != nil {
		return err
	}
	// Fresh statistics, and on PostgreSQL a visibility map, as a
	// database that grew by itself would have from autovacuum: without
	// it an index-only scan must visit the table too.
	analyze := `ANALYZE`
	if db.Dialect == store.Postgres {
		analyze = `VACUUM ANALYZE`
	}
	_, err = db.SQL.ExecContext(ctx, analyze)
	return err
}

func (g *generator) insert(ctx context.Context, db *store.DB, batch []answer) error {
	var answers, comments [][]any
	for _, a := range batch {
		answers = append(answers, []any{a.hash, a.day, a.page.path, a.section, a.helpful})
		if a.comment != "" {
			comments = append(comments, []any{a.hash, a.day, a.page.path, a.section, a.helpful, a.comment, a.state})
		}
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertTx(ctx, db.Dialect, tx, "answers (token_hash, day, page, section, helpful)", answers); err != nil {
		return err
	}
	if err := insertTx(ctx, db.Dialect, tx, "comments (token_hash, day, page, section, helpful, body, state)", comments); err != nil {
		return err
	}
	return tx.Commit()
}

func insertRows(ctx context.Context, db *store.DB, table string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), perTransaction)
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := insertTx(ctx, db.Dialect, tx, table, rows[:n]); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertTx inserts rows into table ("name (columns)") in statements of up
// to perStatement rows.
func insertTx(ctx context.Context, d store.Dialect, tx *sql.Tx, table string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), perStatement)
		cols := len(rows[0])
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
		q := d.Rebind("INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
		args := make([]any, 0, n*cols)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("inserting into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

func (g *generator) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

var (
	unhappy = []string{
		"I still don't know whether I should see a doctor about %s.",
		"The page on %s doesn't say how long it usually lasts.",
		"Too vague. What exercises actually help with %s?",
		"I was looking for what to do at night, and %s was not covered.",
		"The part about medicines for %s is confusing.",
		"It says see a doctor promptly but not what promptly means for %s.",
		"There is nothing here for children with %s.",
		"Please add pictures: I can't tell if my %s is the same.",
		"The advice contradicts what my physio said about %s.",
		"Hard to read on my phone, the lists about %s are long.",
	}
	happy = []string{
		"Clear and calm, thank you. It helped with %s.",
		"Exactly what I needed to know about %s.",
		"The when to get help part about %s was reassuring.",
		"Good page on %s, I shared it with my mum.",
	}
	noise = []string{"asdf", "test", "BUY CHEAP PILLS NOW", "great site!!!", "=1+1", "hello?"}
)

func (g *generator) comment(p *page, helpful bool) string {
	if g.r.IntN(20) == 0 {
		return noise[g.r.IntN(len(noise))]
	}
	list := unhappy
	if helpful {
		list = happy
	}
	return fmt.Sprintf(list[g.r.IntN(len(list))], p.topic)
}

// state mixes a queue as editors leave it: most new, some dealt with.
func (g *generator) state() string {
	switch n := g.r.IntN(10); {
	case n < 6:
		return "new"
	case n < 8:
		return "reviewed"
	case n < 9:
		return "actionable"
	}
	return "spam"
}
