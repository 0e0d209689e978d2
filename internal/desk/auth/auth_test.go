package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"healthsite/internal/desk/password"
	"healthsite/internal/store/storetest"
)

// clock is a settable time for the tests' stores.
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

// fast keeps the tests quick: argon2id with a tenth of the memory.
var fast = password.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

const (
	janeEmail = "jane@example.org"
	janePass  = "correct horse battery staple"
	client1   = "192.0.2.1"
)

func newStore(t *testing.T, k storetest.Kind) (*Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	return New(k.Open(t), Options{Now: c.Now, Params: fast}), c
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func addJane(t *testing.T, s *Store, role Role) Account {
	t.Helper()
	a, err := s.AddAccount(ctxFor(t), " Jane@Example.org ", role, janePass, CommandLine)
	if err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	return a
}

// actions lists the audit log's actions, oldest first.
func actions(t *testing.T, s *Store) []string {
	t.Helper()
	entries, _, err := s.Audit(ctxFor(t), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

var tests = []struct {
	name string
	test func(t *testing.T, k storetest.Kind)
}{
	{"accounts are added, listed and refused", testAccounts},
	{"signing in makes a new session each time", testSignIn},
	{"wrong e-mail, wrong password and disabled fail alike", testFailuresAlike},
	{"sessions end idle, old, signed out, disabled, or on a new password", testSessionsEnd},
	{"the throttle holds per account across clients", testThrottlePerAccount},
	{"the throttle holds per client across accounts", testThrottlePerClient},
	{"the throttle's delays grow, and are forgotten after a day", testThrottleGrows},
	{"parallel guesses cannot slip past the throttle", testThrottleParallel},
	{"a success forgives the account, not the client", testThrottleSuccess},
	{"a weaker hash is remade at sign-in", testRehash},
	{"the audit log pages newest first", testAuditPages},
}

func TestAuth(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { tt.test(t, k) })
		}
	})
}

func testAccounts(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	ctx := ctxFor(t)
	jane := addJane(t, s, Admin)
	if jane.Email != janeEmail || jane.Role != Admin || jane.Disabled {
		t.Errorf("added %+v", jane)
	}
	for _, tt := range []struct {
		name, email, password string
		role                  Role
		want                  string
	}{
		{"same e-mail, other case", "JANE@example.org", janePass, Editor, "already exists"},
		{"not an e-mail", "jane", janePass, Editor, "e-mail address"},
		{"display name", "Jane <j@example.org>", janePass, Editor, "e-mail address"},
		{"short password", "sam@example.org", "short", Editor, "at least 12"},
		{"common password", "sam@example.org", "password1234", Editor, "common password"},
		{"unknown role", "sam@example.org", janePass, Role("owner"), "unknown role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddAccount(ctx, tt.email, tt.role, tt.password, CommandLine)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("AddAccount = %v, want an error saying %q", err, tt.want)
			}
		})
	}
	if _, err := s.AddAccount(ctx, "sam@example.org", Editor, "a different long phrase", CommandLine); err != nil {
		t.Fatal(err)
	}
	list, err := s.Accounts(ctx)
	if err != nil || len(list) != 2 || list[0].Email != janeEmail || list[1].Email != "sam@example.org" {
		t.Fatalf("Accounts = %+v, %v", list, err)
	}
	got, err := s.AccountByEmail(ctx, "JANE@example.org")
	if err != nil || got.ID != jane.ID {
		t.Errorf("AccountByEmail = %+v, %v", got, err)
	}
	if _, err := s.AccountByID(ctx, 9999); !errors.Is(err, ErrNoAccount) {
		t.Errorf("AccountByID(9999) = %v, want ErrNoAccount", err)
	}
	if got := actions(t, s); strings.Join(got, " ") != "account.add account.add" {
		t.Errorf("audit log: %q", got)
	}
}

func testSignIn(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	ctx := ctxFor(t)
	jane := addJane(t, s, Editor)
	first, err := s.SignIn(ctx, "JANE@example.org", janePass, client1)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	second, err := s.SignIn(ctx, janeEmail, janePass, client1)
	if err != nil {
		t.Fatalf("SignIn again: %v", err)
	}
	if first.ID == second.ID || len(first.ID) != 43 {
		t.Errorf("session ids %d characters, equal %v: want a new 43-character id each time", len(first.ID), first.ID == second.ID)
	}
	for _, id := range []SessionID{first.ID, second.ID} {
		if a, err := s.Session(ctx, id); err != nil || a.ID != jane.ID {
			t.Errorf("Session = %+v, %v", a, err)
		}
	}
	if fmt.Sprint(first.ID) != "[session]" || fmt.Sprintf("%v", first) == "" || strings.Contains(fmt.Sprintf("%+v", first), string(first.ID)) {
		t.Errorf("a session id prints as %q", fmt.Sprintf("%+v", first))
	}
	// Only the hash is stored: the id itself is nowhere in the table.
	var n int
	if err := s.db.SQL.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT COUNT(*) FROM desk_sessions WHERE id_hash = ?`), []byte(first.ID)).Scan(&n); err != nil || n != 0 {
		t.Errorf("the raw id is stored (%d rows, %v)", n, err)
	}
	for _, forged := range []SessionID{"", "x", SessionID(strings.Repeat("A", 43)), first.ID[:42] + "!", newSessionID()} {
		if _, err := s.Session(ctx, forged); !errors.Is(err, ErrNoSession) {
			t.Errorf("Session(forged %q) = %v, want ErrNoSession", forged, err)
		}
	}
}

func testFailuresAlike(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	ctx := ctxFor(t)
	addJane(t, s, Editor)
	sam, err := s.AddAccount(ctx, "sam@example.org", Editor, "sam's long passphrase", CommandLine)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Disable(ctx, sam.ID, CommandLine); err != nil {
		t.Fatal(err)
	}
	for i, tt := range []struct{ name, email, password string }{
		{"wrong password", janeEmail, "not jane's password"},
		{"unknown e-mail", "nobody@example.org", janePass},
		{"not an e-mail", "janePass", janePass},
		{"disabled account, right password", "sam@example.org", "sam's long passphrase"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := password.Derived()
			_, err := s.SignIn(ctx, tt.email, tt.password, fmt.Sprintf("192.0.2.%d", 10+i))
			if !errors.Is(err, ErrBadCredentials) {
				t.Errorf("SignIn = %v, want ErrBadCredentials", err)
			}
			if n := password.Derived() - before; n != 1 {
				t.Errorf("%d argon2id hashes computed, want 1: every failure does the same work", n)
			}
		})
	}
	entries, _, err := s.Audit(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries[:4] {
		if e.Action != "signin.failed" || e.Client == "" {
			t.Errorf("audit entry %+v, want signin.failed with the client", e)
		}
		if strings.Contains(e.Detail+e.Actor, "janePass") || strings.Contains(e.Detail+e.Actor, "nobody") {
			t.Errorf("the audit log keeps what was typed: %+v", e)
		}
	}
}

func testSessionsEnd(t *testing.T, k storetest.Kind) {
	s, c := newStore(t, k)
	ctx := ctxFor(t)
	jane := addJane(t, s, Editor)
	signIn := func() SessionID {
		t.Helper()
		sess, err := s.SignIn(ctx, janeEmail, janePass, client1)
		if err != nil {
			t.Fatal(err)
		}
		return sess.ID
	}
	alive := func(id SessionID) bool {
		t.Helper()
		_, err := s.Session(ctx, id)
		if err != nil && !errors.Is(err, ErrNoSession) {
			t.Fatal(err)
		}
		return err == nil
	}

	t.Run("idle", func(t *testing.T) {
		id := signIn()
		c.Add(29 * time.Minute)
		if !alive(id) {
			t.Fatal("ended after 29 idle minutes")
		}
		c.Add(29 * time.Minute) // used a minute ago... 29 since
		if !alive(id) {
			t.Fatal("ended 29 minutes after its last use")
		}
		c.Add(30 * time.Minute)
		if alive(id) {
			t.Error("alive after 30 idle minutes")
		}
	})
	t.Run("twelve hours", func(t *testing.T) {
		id := signIn()
		for range 11 * 4 {
			c.Add(15 * time.Minute)
			if !alive(id) {
				t.Fatal("ended while used every 15 minutes, under 12 hours")
			}
		}
		c.Add(59 * time.Minute) // 11:59, idle 59 minutes: ends idle anyway
		id = signIn()
		for range 12*4 - 1 {
			c.Add(15 * time.Minute)
			alive(id)
		}
		c.Add(15 * time.Minute)
		if alive(id) {
			t.Error("alive 12 hours after sign-in")
		}
	})
	t.Run("signed out", func(t *testing.T) {
		id := signIn()
		if err := s.SignOut(ctx, id, jane, client1); err != nil {
			t.Fatal(err)
		}
		if alive(id) {
			t.Error("alive after sign-out")
		}
	})
	t.Run("new password", func(t *testing.T) {
		id := signIn()
		if err := s.SetPassword(ctx, jane.ID, "another long passphrase", CommandLine); err != nil {
			t.Fatal(err)
		}
		if alive(id) {
			t.Error("alive after a new password")
		}
		if _, err := s.SignIn(ctx, janeEmail, janePass, client1); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("old password: %v", err)
		}
		if _, err := s.SignIn(ctx, janeEmail, "another long passphrase", client1); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
	t.Run("disabled", func(t *testing.T) {
		id, err := s.SignIn(ctx, janeEmail, "another long passphrase", client1)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Disable(ctx, jane.ID, CommandLine); err != nil {
			t.Fatal(err)
		}
		if alive(id.ID) {
			t.Error("alive after its account was disabled")
		}
		if n, _ := s.Sessions(ctx, jane.ID); n != 0 {
			t.Errorf("%d sessions left", n)
		}
	})
}

// fail signs in with a wrong password and returns the error.
func fail(t *testing.T, s *Store, email, client string) error {
	t.Helper()
	_, err := s.SignIn(ctxFor(t), email, "wrong password, long enough", client)
	return err
}

func wantThrottled(t *testing.T, err error, want time.Duration) {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a *ThrottledError", err)
	}
	if te.RetryAfter != want {
		t.Errorf("RetryAfter = %s, want %s", te.RetryAfter, want)
	}
}

func testThrottlePerAccount(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	addJane(t, s, Editor)
	for i := range 5 {
		if err := fail(t, s, janeEmail, fmt.Sprintf("198.51.100.%d", i)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// A sixth address, and the right password: the account is locked.
	before := password.Derived()
	_, err := s.SignIn(ctxFor(t), janeEmail, janePass, "198.51.100.99")
	wantThrottled(t, err, time.Minute)
	if password.Derived() != before {
		t.Error("a throttled sign-in checked the password")
	}
	// Another account from the sixth address is not locked.
	if err := fail(t, s, "sam@example.org", "198.51.100.99"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("another account: %v", err)
	}
	// The same for an e-mail with no account: no telling which exist.
	for i := range 5 {
		fail(t, s, "nobody@example.org", fmt.Sprintf("203.0.113.%d", i))
	}
	wantThrottled(t, fail(t, s, "NOBODY@example.org", "203.0.113.99"), time.Minute)
	if got := strings.Join(actions(t, s), " "); strings.Count(got, "signin.locked") != 2 {
		t.Errorf("audit log: %s; want one signin.locked for each account", got)
	}
}

func testThrottlePerClient(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	addJane(t, s, Editor)
	for i := range 5 {
		if err := fail(t, s, fmt.Sprintf("user%d@example.org", i), client1); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := s.SignIn(ctxFor(t), janeEmail, janePass, client1)
	wantThrottled(t, err, time.Minute)
	if _, err := s.SignIn(ctxFor(t), janeEmail, janePass, "192.0.2.2"); err != nil {
		t.Errorf("another client: %v", err)
	}
	// IPv6: one /64 is one client.
	for i := range 5 {
		a := netip.MustParseAddr(fmt.Sprintf("2001:db8:1:2::%x", i+1))
		fail(t, s, fmt.Sprintf("v6user%d@example.org", i), ClientKey(a))
	}
	wantThrottled(t, fail(t, s, "v6user9@example.org", ClientKey(netip.MustParseAddr("2001:db8:1:2:ffff::1"))), time.Minute)
}

func testThrottleGrows(t *testing.T, k storetest.Kind) {
	s, c := newStore(t, k)
	addJane(t, s, Editor)
	for i := range 5 {
		fail(t, s, janeEmail, fmt.Sprintf("198.51.100.%d", i))
	}
	wantThrottled(t, fail(t, s, janeEmail, "198.51.100.50"), time.Minute)
	c.Add(30 * time.Second)
	wantThrottled(t, fail(t, s, janeEmail, "198.51.100.51"), 30*time.Second)
	for i, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour} {
		c.Add(time.Hour) // past any lock
		if err := fail(t, s, janeEmail, fmt.Sprintf("198.51.100.%d", 60+i)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("after the lock: %v", err)
		}
		wantThrottled(t, fail(t, s, janeEmail, "198.51.100.99"), want)
	}
	c.Add(25 * time.Hour) // a day without a failure
	for i := range 4 {
		if err := fail(t, s, janeEmail, fmt.Sprintf("198.51.100.%d", 200+i)); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("a day later, failure %d: %v", i+1, err)
		}
	}
	if _, err := s.SignIn(ctxFor(t), janeEmail, janePass, "198.51.100.250"); err != nil {
		t.Errorf("a day later, the fifth attempt, right: %v", err)
	}
}

func testThrottleParallel(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	addJane(t, s, Editor)
	var (
		wg                 sync.WaitGroup
		mu                 sync.Mutex
		checked, throttled int
	)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := fail(t, s, janeEmail, fmt.Sprintf("198.51.100.%d", i))
			var te *ThrottledError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrBadCredentials):
				checked++
			case errors.As(err, &te):
				throttled++
			default:
				t.Errorf("SignIn: %v", err)
			}
		}()
	}
	wg.Wait()
	if checked != 5 || throttled != 15 {
		t.Errorf("20 parallel guesses: %d checked, %d throttled; want 5 and 15", checked, throttled)
	}
}

func testThrottleSuccess(t *testing.T, k storetest.Kind) {
	s, _ := newStore(t, k)
	addJane(t, s, Editor)
	for range 4 {
		fail(t, s, janeEmail, client1)
	}
	if _, err := s.SignIn(ctxFor(t), janeEmail, janePass, client1); err != nil {
		t.Fatalf("the fifth attempt, right: %v", err)
	}
	// The account starts again; the client has 4 failures, not 0.
	if err := fail(t, s, janeEmail, "192.0.2.50"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the account after a success: %v", err)
	}
	if err := fail(t, s, "sam@example.org", client1); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the client's fifth failure: %v", err)
	}
	wantThrottled(t, fail(t, s, "sam@example.org", client1), time.Minute)
}

func testRehash(t *testing.T, k storetest.Kind) {
	c := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	db := k.Open(t)
	weak := New(db, Options{Now: c.Now, Params: password.Params{MemoryKiB: 512, Time: 1, Threads: 1}})
	jane, err := weak.AddAccount(ctxFor(t), janeEmail, Editor, janePass, CommandLine)
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, Options{Now: c.Now, Params: fast})
	if _, err := s.SignIn(ctxFor(t), janeEmail, janePass, client1); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.SQL.QueryRow(db.Dialect.Rebind(`SELECT password_hash FROM editors WHERE id = ?`), jane.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hash, "$m=1024,t=1,p=1$") {
		t.Errorf("after sign-in the hash is %.40s..., want it remade with m=1024", hash)
	}
	if _, err := s.SignIn(ctxFor(t), janeEmail, janePass, client1); err != nil {
		t.Errorf("signing in with the remade hash: %v", err)
	}
}

func testAuditPages(t *testing.T, k storetest.Kind) {
	s, c := newStore(t, k)
	ctx := ctxFor(t)
	for i := range 7 {
		c.Add(time.Second)
		if err := s.Record(ctx, Actor{Name: "test", Client: client1}, "test", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	page, more, err := s.Audit(ctx, 0, 3)
	if err != nil || !more || len(page) != 3 || page[0].Detail != "6" || page[2].Detail != "4" {
		t.Fatalf("first page: %+v, more %v, %v", page, more, err)
	}
	page, more, err = s.Audit(ctx, page[2].ID, 3)
	if err != nil || !more || page[0].Detail != "3" {
		t.Fatalf("second page: %+v, more %v, %v", page, more, err)
	}
	page, more, err = s.Audit(ctx, page[2].ID, 3)
	if err != nil || more || len(page) != 1 || page[0].Detail != "0" || !page[0].At.Equal(time.Date(2026, 12, 4, 9, 0, 1, 0, time.UTC)) {
		t.Fatalf("last page: %+v, more %v, %v", page, more, err)
	}
}

func TestClientKey(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"::1", "::/64"},
	} {
		if got := ClientKey(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("ClientKey(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}

func TestRoleAllows(t *testing.T) {
	for _, tt := range []struct {
		r, need Role
		want    bool
	}{
		{Editor, Editor, true}, {Admin, Editor, true}, {Admin, Admin, true},
		{Editor, Admin, false}, {"", Editor, false}, {Admin, "", false},
	} {
		if got := tt.r.Allows(tt.need); got != tt.want {
			t.Errorf("%q.Allows(%q) = %v", tt.r, tt.need, got)
		}
	}
}
