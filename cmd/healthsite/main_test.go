package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"healthsite/internal/server"
)

// buildBinary builds the real command once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "healthsite")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// logWatcher reads the server's log as it is written: the address it
// serves on, and how many requests it answered with 200.
type logWatcher struct {
	mu      sync.Mutex
	partial []byte
	addr    chan string
	served  atomic.Int64
	text    strings.Builder
}

// saw reports whether the log has a line with msg in it so far.
func (l *logWatcher) saw(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.text.String(), msg)
}

// all is the log so far.
func (l *logWatcher) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

func (l *logWatcher) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	l.text.Write(p)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		var line struct {
			Msg, Addr string
			Status    int
		}
		if json.Unmarshal(l.partial[:i], &line) == nil {
			switch {
			case line.Msg == "serving":
				l.addr <- line.Addr
			case line.Msg == "request" && line.Status == 200:
				l.served.Add(1)
			}
		}
		l.partial = l.partial[i+1:]
	}
}

// startBinary starts bin on a free loopback port and returns its address
// once it logs that it is serving.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, string, *logWatcher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	logs := &logWatcher{addr: make(chan string, 1)}
	cmd.Stderr = logs // Wait waits until all of it is read
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-logs.addr:
		return cmd, a, logs
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("server did not start serving within 30s")
	}
	return nil, "", nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd, addr, _ := startBinary(t, bin)

	if code, body := get(t, "http://"+addr+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz = %d %q, want 200 ok", code, body)
	}
	code, body := get(t, "http://"+addr+"/articles/neck-pain-after-cervical-massage")
	if code != 200 || !strings.Contains(body, `id="neck-muscle-strain"`) {
		t.Fatalf("article = %d, want 200 with its sections", code)
	}

	stopWithSIGTERM(t, cmd)
}

// TestDrainOnSIGTERM: after SIGTERM the server says it is not ready
// while it goes on serving readers for -drain, then stops with status
// 0; SIGINT, someone at a terminal, does not wait.
func TestDrainOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd, addr, logs := startBinary(t, bin, "-drain", "3s")
	waitReady(t, addr)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !logs.saw(`"msg":"draining"`) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if code, body := get(t, "http://"+addr+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "draining") {
		t.Errorf("/readyz while draining = %d %q, want 503 draining", code, body)
	}
	for _, path := range []string{"/articles/neck-pain-after-cervical-massage", "/healthz", "/search?q=pain"} {
		if code, _ := get(t, "http://"+addr+path); code != http.StatusOK {
			t.Errorf("%s while draining = %d, want 200: readers are still sent here", path, code)
		}
	}
	waitExit(t, cmd)

	cmd, addr, _ = startBinary(t, bin, "-drain", "10m")
	waitReady(t, addr)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd) // within 15 s: Ctrl-C does not wait ten minutes
}

// waitReady waits until the server at addr says it is ready.
func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := get(t, "http://"+addr+"/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d %q after 30 s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stopWithSIGTERM signals the server and fails unless it exits 0 within
// 15 seconds.
func stopWithSIGTERM(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd)
}

// waitExit fails unless cmd exits 0 within 15 seconds.
func waitExit(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after SIGTERM the server exited with %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("server did not stop within 15s of the signal")
	}
}

func TestBinaryRefusesBadArticles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bad := "---\ntitle: Broken\nlast_reviewed: yesterday\n---\n\nText.\n"
	if err := os.WriteFile(filepath.Join(dir, "broken.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	out, err := exec.Command(bin, "-addr", "127.0.0.1:0", "-articles", dir).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit = %v, want status 1; output:\n%s", err, out)
	}
	for _, want := range []string{
		`broken.md:3: front matter: "yesterday" is not a date`,
		`broken.md:1: front matter: "summary" is required`,
		"refusing to start",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
}

// migratedDataDir is a new -data-dir whose database the binary has
// migrated, as an operator would before a first start with the desk.
func migratedDataDir(t *testing.T, bin string) string {
	t.Helper()
	data := t.TempDir()
	if out, err := exec.Command(bin, "migrate", "-data-dir", data).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	return data
}

// articlesCopy copies the bundled articles into a new folder named
// "articles", for a test to change.
func articlesCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "articles")
	if err := os.CopyFS(dir, os.DirFS("../../articles")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// replaceOnce replaces the first from in the file at path with to; a file
// without from is an error, so a test never runs on an edit that did not
// happen.
func replaceOnce(path, from, to string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !strings.Contains(string(src), from) {
		return fmt.Errorf("%s has no %q", filepath.Base(path), from)
	}
	return os.WriteFile(path, []byte(strings.Replace(string(src), from, to, 1)), 0o644)
}

// A triage case that fails stops the server as a broken file does: it is
// a reader sent to the wrong place.
func TestServerRefusesAFailingCase(t *testing.T) {
	dir := articlesCopy(t)
	cases := filepath.Join(dir, "complaints", "neck-pain.cases.yaml")
	if err := replaceOnce(cases, "answers: [dizziness]\n    first_card: urgent", "answers: [dizziness]\n    first_card: none"); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-articles", dir}, io.Discard)
	if err == nil {
		t.Fatal("the server started with a failing case")
	}
	for _, want := range []string{"refusing to start", `complaints/neck-pain.cases.yaml:`, `case "dizziness, alone": the first care card is urgent, want none`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("HEALTHSITE_ADDR", "127.0.0.1:9999")
	t.Setenv("HEALTHSITE_BASE_URL", "https://health.example.org")
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:9999" || o.baseURL != "https://health.example.org" {
		t.Errorf("got addr %q base %q from the environment", o.addr, o.baseURL)
	}
	o, err = parseFlags([]string{"-addr", ":1234"}, io.Discard)
	if err != nil || o.addr != ":1234" {
		t.Errorf("a flag should override the environment: addr %q, err %v", o.addr, err)
	}
	if _, err := parseFlags([]string{"stray"}, io.Discard); err == nil {
		t.Error("a stray argument was accepted")
	}
}

func TestCacheFlags(t *testing.T) {
	for _, tt := range []struct {
		args                   []string
		wantPages, wantAnswers int
		wantErr                bool
	}{
		{nil, server.DefaultPageCacheBytes >> 20, server.DefaultAnswerCacheBytes >> 20, false},
		{[]string{"-page-cache-mb", "100", "-answer-cache-mb", "10"}, 100, 10, false},
		{[]string{"-page-cache-mb", "0", "-answer-cache-mb", "0"}, 0, 0, false}, // none
		{[]string{"-answer-cache-mb", "-5"}, 0, 0, true},
	} {
		o, err := parseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%q: error %v, want error %v", tt.args, err, tt.wantErr)
		}
		if err == nil && (o.pageCacheMB != tt.wantPages || o.answerCacheMB != tt.wantAnswers) {
			t.Errorf("%q: caches %d and %d MB, want %d and %d", tt.args, o.pageCacheMB, o.answerCacheMB, tt.wantPages, tt.wantAnswers)
		}
	}
}

// SIGTERM while requests are in flight: each one that reached the server
// completes, new connections are refused, and the process exits 0.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd, addr, logs := startBinary(t, bin, "-shutdown-timeout", "10s")
	const page = "/articles/neck-pain-after-cervical-massage"

	// A crowd of requests around the signal. (A request whose headers have
	// not fully arrived is not in flight: net/http drops those on shutdown
	// by design, and clients retry them.)
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		completed int
		broken    []string
	)
	stop := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get("http://" + addr + page)
				if err != nil {
					// No response at all: refused once the listener is
					// closed, or never accepted from the listen queue. The
					// server's own log below shows none of these was a
					// request it had started on.
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				mu.Lock()
				if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "</html>") {
					broken = append(broken, fmt.Sprintf("status %d, %d bytes, err %v", resp.StatusCode, len(body), err))
				} else {
					completed++
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	stopWithSIGTERM(t, cmd)
	close(stop)
	wg.Wait()
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("new connections are still accepted after shutdown")
	}
	if completed == 0 {
		t.Error("no request completed: the load never ran")
	}
	// Every request the server answered reached its client whole.
	if served := logs.served.Load(); served != int64(completed) {
		t.Errorf("the server answered %d requests but clients received %d whole", served, completed)
	}
	for _, b := range broken {
		t.Errorf("broken request: %s", b)
	}
	t.Logf("%d requests completed around SIGTERM", completed)
}

func TestCheckCommand(t *testing.T) {
	t.Run("broken articles", func(t *testing.T) {
		var out, errOut strings.Builder
		code := runCheck([]string{"testdata/broken"}, &out, &errOut)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, want := range []string{
			`testdata/broken/no-summary.md:1: error: front matter: "summary" is required`,
			`testdata/broken/no-summary.md:3: error: front matter: "2026-13-01" is not a date`,
			`testdata/broken/Bad_Name.md:1: error: front matter: at least one entry in "sources" is required`,
			`testdata/broken/Bad_Name.md: error: the file name gives the slug "Bad_Name"`,
			`testdata/broken/Bad_Name.md:12: error: section id "same" is already used by the heading on line 8`,
			"5 errors, 0 warnings",
		} {
			if !strings.Contains(out.String(), want+"") {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})
	t.Run("bundled articles, strict", func(t *testing.T) {
		var out, errOut strings.Builder
		if code := runCheck([]string{"-strict", "../../articles"}, &out, &errOut); code != 0 {
			t.Errorf("exit %d, want 0:\n%s%s", code, out.String(), errOut.String())
		}
		if !strings.Contains(out.String(), "0 errors, 0 warnings") {
			t.Errorf("output = %q", out.String())
		}
	})
	// A copy of the bundled articles whose neck-pain rules are changed by edit.
	bundledWith := func(t *testing.T, edit func(string) string) string {
		t.Helper()
		dir := t.TempDir()
		for _, name := range []string{"neck-pain-after-cervical-massage.md", "complaints/neck-pain.yaml"} {
			data, err := os.ReadFile(filepath.Join("../../articles", name))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".yaml") {
				data = []byte(edit(string(data)))
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	t.Run("overdue rules fail strict", func(t *testing.T) {
		dir := bundledWith(t, func(s string) string {
			return strings.NewReplacer("last_reviewed: 2026-11-24", "last_reviewed: 2024-01-10", "next_review: 2027-11-24", "next_review: 2025-01-10").Replace(s)
		})
		var out, errOut strings.Builder
		if code := runCheck([]string{dir}, &out, &errOut); code != 0 {
			t.Errorf("without -strict: exit %d, want 0 (a warning):\n%s", code, out.String())
		}
		out.Reset()
		if code := runCheck([]string{"-strict", dir}, &out, &errOut); code != 1 {
			t.Errorf("with -strict: exit %d, want 1", code)
		}
		if want := filepath.Join(dir, "complaints/neck-pain.yaml") + ": warning: review overdue since 10 January 2025"; !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	})
	t.Run("rules without red flags are an error", func(t *testing.T) {
		dir := bundledWith(t, func(s string) string {
			return s[:strings.Index(s, "  flags:")] + s[strings.Index(s, "symptom_groups:"):]
		})
		var out, errOut strings.Builder
		if code := runCheck([]string{dir}, &out, &errOut); code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		if want := filepath.Join(dir, "complaints/neck-pain.yaml") + ":34: error: the complaint has no red flags of its own"; !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	})
	t.Run("not a folder", func(t *testing.T) {
		var out, errOut strings.Builder
		if code := runCheck([]string{"no/such/folder"}, &out, &errOut); code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
	})
}

// "healthsite signoff" records a sign-off that check accepts; an edit
// after it is a warning (an error under -strict) naming the day, and
// signing again clears it.
func TestSignOffCommand(t *testing.T) {
	dir := articlesCopy(t)
	day := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	article := filepath.Join(dir, "neck-pain-after-cervical-massage.md")
	rules := filepath.Join(dir, "complaints", "neck-pain.yaml")
	var out, errOut strings.Builder
	if code := runSignOff([]string{"-by", "Dr A. Example, GP", article, rules}, &out, &errOut, day); code != 0 {
		t.Fatalf("signoff: exit %d: %s", code, errOut.String())
	}
	if want := article + ": signed off by Dr A. Example, GP on 4 December 2026\n"; !strings.Contains(out.String(), want) {
		t.Errorf("output %q lacks %q", out.String(), want)
	}
	check := func(strict bool) (int, string) {
		var out, errOut strings.Builder
		args := []string{dir}
		if strict {
			args = append([]string{"-strict"}, args...)
		}
		code := runCheck(args, &out, &errOut)
		return code, out.String()
	}
	if code, got := check(true); code != 0 {
		t.Fatalf("check -strict after signing off: exit %d:\n%s", code, got)
	}

	if err := replaceOnce(rules, "label: Feeling dizzy", "label: Dizziness"); err != nil {
		t.Fatal(err)
	}
	want := rules + ": warning: changed since clinical sign-off on 4 December 2026 (by Dr A. Example, GP)"
	if code, got := check(false); code != 0 || !strings.Contains(got, want) {
		t.Errorf("check after an edit: exit %d, want 0 with %q:\n%s", code, want, got)
	}
	if code, _ := check(true); code != 1 {
		t.Errorf("check -strict after an edit: exit %d, want 1", code)
	}
	out.Reset()
	if code := runSignOff([]string{"-by", "Dr B. Other, GP", rules}, &out, &errOut, day.AddDate(0, 0, 1)); code != 0 {
		t.Fatalf("signing again: exit %d: %s", code, errOut.String())
	}
	if code, got := check(true); code != 0 {
		t.Errorf("check -strict after signing again: exit %d:\n%s", code, got)
	}

	errOut.Reset()
	if code := runSignOff([]string{article}, &out, &errOut, day); code != 2 {
		t.Errorf("without -by: exit %d, want 2", code)
	}
	if code := runSignOff([]string{"-by", "Dr A", filepath.Join(dir, "synonyms.yaml")}, &out, &errOut, day); code != 1 || !strings.Contains(errOut.String(), "only an article") {
		t.Errorf("signing synonyms.yaml: exit %d, %q", code, errOut.String())
	}
}

// One validator: healthsite check reports an error exactly when the server
// refuses to start, at the same file and line, for every kind of broken
// folder; check only adds warnings.
func TestCheckAndServerRefuseTheSameFolders(t *testing.T) {
	const article = "neck-pain-after-cervical-massage.md"
	const rules = "complaints/neck-pain.yaml"
	const cases = "complaints/neck-pain.cases.yaml"
	edit := func(file, from, to string) func(string) error {
		return func(dir string) error { return replaceOnce(filepath.Join(dir, file), from, to) }
	}
	write := func(file, text string) func(string) error {
		return func(dir string) error { return os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644) }
	}
	folders := []struct {
		name   string
		change func(dir string) error
		// broken: the server refuses it; false for a folder it serves
		broken bool
	}{
		{"the bundled articles", func(string) error { return nil }, false},
		{"a share image that is not a picture", edit(article, "care_level: urgent\n", "care_level: urgent\nimage: favicon.ico\nimage_alt: An icon\n"), true},
		{"a picture static/ does not have", edit(article, "## Too much force during manipulation\n", "![A drawing](/static/missing.png)\n\n## Too much force during manipulation\n"), true},
		{"a link to a missing article", edit(article, "[see a doctor promptly](#when-to-get-medical-help)", "[see a doctor promptly](/articles/nowhere)"), true},
		{"a link to a missing section", edit(article, "[see a doctor promptly](#when-to-get-medical-help)", "[see a doctor promptly](#nowhere)"), true},
		{"an unknown field in front matter", edit(article, "care_level: urgent\n", "care_level: urgent\nreviwed: yes\n"), true},
		{"a bad date", edit(article, "next_review: 2027-11-24", "next_review: 24/11/2027"), true},
		{"a reviewer named without a sign-off", edit(article, "clinical_review: pending\n", "reviewed_by: Dr A\n"), true},
		{"rules without red flags", edit(rules, "  flags:\n", "  flagz:\n"), true},
		{"a rules link to a missing section", edit(rules, "#cervical-facet-joint-disorder", "#nowhere"), true},
		{"an unknown field in the rules", edit(rules, "    symptoms:\n", "    symptomz: []\n    symptoms:\n"), true},
		{"a complaint with a reserved id", func(dir string) error {
			if err := edit(rules, "id: neck-pain\n", "id: results\n")(dir); err != nil {
				return err
			}
			if err := os.Rename(filepath.Join(dir, rules), filepath.Join(dir, "complaints/results.yaml")); err != nil {
				return err
			}
			return os.Remove(filepath.Join(dir, cases))
		}, true},
		{"a failing triage case", edit(cases, "answers: [stiff-neck]\n    first_card: none", "answers: [stiff-neck]\n    first_card: urgent"), true},
		{"a case with an unknown answer", edit(cases, "answers: [swelling]\n", "answers: [swollen]\n"), true},
		{"an unknown field in the cases", edit(cases, "    first_card: urgent\n", "    first_card: urgent\n    first_section: x\n"), true},
		{"a bad synonym", edit("synonyms.yaml", "  - [manipulation, massage]\n", "  - [Manipulation, massage]\n"), true},
		{"two articles with one slug", write("copy.md", "---\ntitle: Copy\nslug: neck-pain-after-cervical-massage\nsummary: S.\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\nsources:\n  - {title: T, publisher: P, author: A, date: 2025-01-01}\n---\n\n## When to get medical help\n\nNow.\n"), true},
	}
	// at reads "file:line" from each error line of check or the server.
	at := func(lines []string, dir string) []string {
		var out []string
		for _, l := range lines {
			l = strings.TrimPrefix(l, dir+string(filepath.Separator))
			file, rest, ok := strings.Cut(l, ": ")
			if !ok {
				continue
			}
			if strings.HasPrefix(rest, "error: ") || !strings.Contains(l, ": warning: ") {
				out = append(out, file)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, f := range folders {
		t.Run(f.name, func(t *testing.T) {
			dir := articlesCopy(t)
			if err := f.change(dir); err != nil {
				t.Fatal(err)
			}
			var out, errOut strings.Builder
			code := runCheck([]string{dir}, &out, &errOut)
			var checkErrors []string
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.Contains(l, ": error: ") {
					checkErrors = append(checkErrors, l)
				}
			}
			// The server loads the folder, then stops at once: ctx is done.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, []string{"-addr", "127.0.0.1:0", "-articles", dir}, io.Discard)
			refused := err != nil && strings.Contains(err.Error(), "refusing to start")
			if refused != f.broken || (code == 1) != f.broken {
				t.Fatalf("server refused: %v, check exit %d; want broken = %v\ncheck:\n%s\nserver: %v", refused, code, f.broken, out.String(), err)
			}
			if !f.broken {
				return
			}
			serverLines := strings.Split(err.Error(), "\n")[1:]
			got, want := at(checkErrors, dir), at(serverLines, dir)
			if len(got) == 0 || !slices.Equal(got, want) {
				t.Errorf("check's errors at %q, the server's problems at %q:\ncheck:\n%s\nserver:\n%s", got, want, out.String(), err)
			}
		})
	}
}

// TestMain gives every server the tests start (in this process or as the
// built binary) a database in a folder of its own, never data/ beside the
// tests: HEALTHSITE_DATA_DIR is the -data-dir default.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "healthsite-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("HEALTHSITE_DATA_DIR", dir)
	os.Setenv("HEALTHSITE_PACK_CACHE", filepath.Join(dir, "packs"))
	// Tests stop servers with SIGTERM: the drain is for load balancers,
	// which they have none of (TestDrainOnSIGTERM sets its own).
	os.Setenv("HEALTHSITE_DRAIN", "0")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
