package desk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/desk/auth"
	"healthsite/internal/desk/password"
	"healthsite/internal/feedback"
	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

// The desk's tests run against its real router over a real database of
// each kind, with the bundled articles, a fixed clock, and argon2id at a
// tenth of its memory (the same code, faster).

var (
	siteOnce sync.Once
	siteVal  *content.Site
	siteErr  error
)

func bundledSite(t testing.TB) *content.Site {
	t.Helper()
	siteOnce.Do(func() { siteVal, siteErr = content.Load(articles.FS) })
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteVal
}

const (
	testBase    = "http://desk.test"
	articlePath = "/articles/neck-pain-after-cervical-massage"
	editorEmail = "edith@example.org"
	adminEmail  = "adam@example.org"
	editorPass  = "a long passphrase for editing"
	adminPass   = "another passphrase, for admin"
	// commentText is a reader's comment: it must never reach a log.
	commentText = "The dizziness part confused me completely"
)

var fastParams = password.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a log both the desk's goroutines and the test use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a desk over a fresh database with two accounts and some
// feedback.
type fixture struct {
	desk          *Desk
	db            *store.DB
	clock         *clock
	editor, admin auth.Account
	comments      []feedback.CommentID // newest first
	logs          *syncBuffer          // the error log and the access log
	remote        string               // the client's address for requests
}

func newFixture(t *testing.T, k storetest.Kind) *fixture {
	t.Helper()
	return newFixtureWith(t, k, testBase)
}

func newFixtureWith(t *testing.T, k storetest.Kind, base string) *fixture {
	t.Helper()
	f := &fixture{db: k.Open(t), clock: &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}, logs: &syncBuffer{}, remote: "192.0.2.1:1234"}
	f.seed(t)
	d, err := New(Config{
		DB: f.db, Site: func() *content.Site { return bundledSite(t) },
		BaseURL: base, PublicURL: "https://health.example.org",
		Logger: slog.New(slog.NewJSONHandler(f.logs, nil)), AccessLog: f.logs,
		Auth: auth.Options{Params: fastParams}, Now: f.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f.desk = d
	ctx := context.Background()
	if f.editor, err = d.auth.AddAccount(ctx, editorEmail, auth.Editor, editorPass, auth.CommandLine); err != nil {
		t.Fatal(err)
	}
	if f.admin, err = d.auth.AddAccount(ctx, adminEmail, auth.Admin, adminPass, auth.CommandLine); err != nil {
		t.Fatal(err)
	}
	list, _, err := d.feedback.Comments(ctx, feedback.CommentFilter{}, feedback.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		f.comments = append(f.comments, c.ID)
	}
	return f
}

// seed records answers over the last days on the article and the
// checker, with three comments.
func (f *fixture) seed(t *testing.T) {
	t.Helper()
	today := feedback.DateOf(f.clock.Now())
	day := today
	s := feedback.New(f.db, feedback.Options{Today: func() feedback.Date { return day }})
	defer s.Close()
	ctx := context.Background()
	for i := range 30 {
		day = today.AddDays(-i)
		section := ""
		if i%3 == 0 {
			section = "neck-muscle-strain"
		}
		if _, err := s.Record(ctx, feedback.Answer{Page: articlePath, Section: section, Helpful: i%4 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	for i, text := range []string{commentText, "=cmd|' /C calc'!A0", "Please add more about headaches"} {
		day = today.AddDays(-i)
		page := articlePath
		if i == 2 {
			page = "/symptoms/neck-pain"
		}
		tok, err := s.Record(ctx, feedback.Answer{Page: page, Helpful: false})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Comment(ctx, tok, "", text); err != nil {
			t.Fatal(err)
		}
	}
}

// request is one request to the desk.
type request struct {
	method, path string
	form         url.Values
	cookie       *http.Cookie
	header       http.Header
	remote       string
}

func (f *fixture) do(t *testing.T, req request) *httptest.ResponseRecorder {
	t.Helper()
	if req.method == "" {
		req.method = http.MethodGet
	}
	var body *strings.Reader
	if req.form != nil {
		body = strings.NewReader(req.form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(req.method, testBase+req.path, body)
	if req.form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.RemoteAddr = f.remote
	if req.remote != "" {
		r.RemoteAddr = req.remote
	}
	for k, v := range req.header {
		r.Header[k] = v
	}
	if req.cookie != nil {
		r.AddCookie(req.cookie)
	}
	rec := httptest.NewRecorder()
	f.desk.ServeHTTP(rec, r)
	return rec
}

// signIn signs in through the form and returns the session cookie.
func (f *fixture) signIn(t *testing.T, email, pass string) *http.Cookie {
	t.Helper()
	rec := f.do(t, request{method: http.MethodPost, path: "/desk/sign-in", form: url.Values{"email": {email}, "password": {pass}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("signing in as %s: status %d, want 303\n%s", email, rec.Code, rec.Body)
	}
	c := sessionCookie(rec)
	if c == nil || c.Value == "" {
		t.Fatalf("signing in as %s set no session cookie", email)
	}
	return c
}

// sessionCookie is the session cookie a response sets, or nil.
func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == "desk_session" || c.Name == "__Host-desk_session" {
			return c
		}
	}
	return nil
}

// state is a fingerprint of what a refused request must not change:
// every comment's state, and every account's role, password and whether
// it is disabled.
func (f *fixture) state(t *testing.T) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT token_hash, state FROM comments ORDER BY token_hash`,
		`SELECT email, role, password_hash, disabled FROM editors ORDER BY email`,
	} {
		rows, err := f.db.SQL.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%v\n", vals)
		}
		rows.Close()
	}
	var n int
	if err := f.db.SQL.QueryRow(`SELECT COUNT(*) FROM editors`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d accounts, %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

// auditCount counts the audit log's entries with an action.
func (f *fixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := f.db.SQL.QueryRow(f.db.Dialect.Rebind(`SELECT COUNT(*) FROM desk_audit WHERE action = ?`), action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
