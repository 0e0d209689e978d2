package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"healthsite/internal/desk/auth"
	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

// editorsRun runs `healthsite editors ARGS` with stdin, and returns its
// exit code and output.
func editorsRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runEditors(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// signInWith checks a password against the database, as the desk would.
func signInWith(t *testing.T, dsn, email, pw string) error {
	t.Helper()
	db, err := store.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = auth.New(db, auth.Options{}).SignIn(context.Background(), email, pw, "192.0.2.1")
	return err
}

var generatedPassword = regexp.MustCompile(`password \(shown only now; give it to them in person\): (\S+)\n`)

func TestEditorsCommands(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		dsn := k.DSN(t)
		if code, _, errOut := editorsRun(t, "", "list", "-database", dsn); code != 1 || !strings.Contains(errOut, "") {
			t.Errorf("list before migrate: exit %d, %s", code, errOut)
		}
		if code := runMigrate([]string{"-database", dsn}, io.Discard, io.Discard); code != 0 {
			t.Fatalf("migrate: exit %d", code)
		}
		// The password on standard input.
		code, out, errOut := editorsRun(t, "a long passphrase for the desk\n", "add", "-role", "admin", "-database", dsn, "Jane@Example.org")
		if code != 0 || out != "added jane@example.org, admin\n" {
			t.Fatalf("add: exit %d, %q, %q", code, out, errOut)
		}
		if err := signInWith(t, dsn, "jane@example.org", "a long passphrase for the desk"); err != nil {
			t.Errorf("signing in with the password given: %v", err)
		}
		// None given: one is made and printed once.
		code, out, _ = editorsRun(t, "", "add", "-role", "editor", "-database", dsn, "sam@example.org")
		m := generatedPassword.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("add with no password: exit %d, %q", code, out)
		}
		if err := signInWith(t, dsn, "sam@example.org", m[1]); err != nil {
			t.Errorf("signing in with the password made: %v", err)
		}
		code, out, _ = editorsRun(t, "", "list", "-database", dsn)
		if code != 0 || !regexp.MustCompile(`(?m)^jane@example.org\s+admin\s+active`).MatchString(out) || !strings.Contains(out, "2 accounts") {
			t.Errorf("list: exit %d\n%s", code, out)
		}
		code, out, _ = editorsRun(t, "", "reset-password", "-database", dsn, "sam@example.org")
		m2 := generatedPassword.FindStringSubmatch(out)
		if code != 0 || m2 == nil || m2[1] == m[1] {
			t.Fatalf("reset-password: exit %d, %q", code, out)
		}
		if err := signInWith(t, dsn, "sam@example.org", m[1]); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("the old password after a reset: %v", err)
		}
		if code, out, _ := editorsRun(t, "", "disable", "-database", dsn, "sam@example.org"); code != 0 || !strings.Contains(out, "disabled sam@example.org") {
			t.Errorf("disable: exit %d, %q", code, out)
		}
		if err := signInWith(t, dsn, "sam@example.org", m2[1]); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("a disabled account signs in: %v", err)
		}
		for _, tt := range []struct {
			name, stdin string
			args        []string
			code        int
			says        string
		}{
			{"a common password", "password1234\n", []string{"add", "-role", "editor", "-database", dsn, "kim@example.org"}, 1, "common password"},
			{"a short password", "short\n", []string{"add", "-role", "editor", "-database", dsn, "kim@example.org"}, 1, "at least 12"},
			{"the same e-mail", "", []string{"add", "-role", "editor", "-database", dsn, "JANE@example.org"}, 1, "already exists"},
			{"not an e-mail", "", []string{"add", "-role", "editor", "-database", dsn, "kim"}, 1, "e-mail address"},
			{"an unknown role", "", []string{"add", "-role", "owner", "-database", dsn, "kim@example.org"}, 2, "unknown role"},
			{"no role", "", []string{"add", "-database", dsn, "kim@example.org"}, 2, "unknown role"},
			{"no such account", "", []string{"disable", "-database", dsn, "nobody@example.org"}, 1, "no account"},
			{"no e-mail", "", []string{"disable", "-database", dsn}, 2, "want 1 argument"},
			{"an unknown command", "", []string{"delete"}, 2, "unknown command"},
			{"role on disable", "", []string{"disable", "-role", "admin", "-database", dsn, "jane@example.org"}, 2, "add only"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				code, _, errOut := editorsRun(t, tt.stdin, tt.args...)
				if code != tt.code || !strings.Contains(errOut, tt.says) {
					t.Errorf("exit %d, stderr %q; want %d saying %q", code, errOut, tt.code, tt.says)
				}
				if tt.stdin != "" && strings.Contains(errOut, strings.TrimSpace(tt.stdin)) {
					t.Error("the error repeats the password")
				}
			})
		}
	})
}

// The binary serves the desk on -desk-addr, beside the public site, which
// does not know the desk's paths; SIGTERM stops both.
func TestBinaryServesTheDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := migratedDataDir(t, bin)
	add := exec.Command(bin, "editors", "add", "-role", "editor", "-data-dir", data, "jane@example.org")
	add.Stdin = strings.NewReader("a long passphrase for the desk\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("editors add: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-desk-addr", "127.0.0.1:0", "-data-dir", data)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := map[string]string{}
	var lines []string
	sc := bufio.NewScanner(stderr)
	for len(addrs) < 3 && sc.Scan() {
		lines = append(lines, sc.Text())
		var l struct{ Msg, Addr, Database string }
		if json.Unmarshal(sc.Bytes(), &l) == nil {
			switch l.Msg {
			case "serving", "desk serving":
				addrs[l.Msg] = l.Addr
			case "database":
				addrs[l.Msg] = l.Database
			}
		}
	}
	go io.Copy(io.Discard, stderr) // keep the pipe drained
	if len(addrs) < 3 {
		_ = cmd.Process.Kill()
		t.Fatalf("the server did not log its addresses and database:\n%s", strings.Join(lines, "\n"))
	}
	if want := "SQLite " + filepath.Join(data, "healthsite.db"); addrs["database"] != want {
		t.Errorf("database logged as %q, want %q", addrs["database"], want)
	}
	if code, body := get(t, "http://"+addrs["desk serving"]+"/desk/sign-in"); code != 200 || !strings.Contains(body, "Sign in") {
		t.Errorf("desk sign-in page: %d", code)
	}
	if code, _ := get(t, "http://"+addrs["serving"]+"/desk/sign-in"); code != 404 {
		t.Errorf("the public listener answers /desk/sign-in with %d, want 404", code)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm("http://"+addrs["desk serving"]+"/desk/sign-in", url.Values{"email": {"jane@example.org"}, "password": {"a long passphrase for the desk"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Errorf("signing in: status %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	stopWithSIGTERM(t, cmd)
}
