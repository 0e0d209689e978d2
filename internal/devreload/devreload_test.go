package devreload

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/server"
)

func articleText(line string) string {
	return "---\ntitle: Preview test\nsummary: An article edited while the preview runs.\nlast_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
		"sources:\n  - {title: A, publisher: B, author: C, date: 2025-01-01}\n---\n\n" + line + "\n\n## When to get medical help\n\nSee a doctor.\n"
}

func write(t *testing.T, path, text string) {
	t.Helper()
	// Write and rename, as many editors save, so a reader never sees half a file.
	tmp := path + ".tmp~"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls until the page satisfies ok, for at most a few seconds.
func waitFor(t *testing.T, url string, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := get(t, url)
		if code == 200 && ok(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5s the page still does not show %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPreviewReloadsOnSave(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "preview-test.md")
	write(t, file, articleText("First version of the text."))
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(site, server.Config{BaseURL: "http://localhost:8080", Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, dir, srv, slog.New(slog.DiscardHandler)) }()
	time.Sleep(100 * time.Millisecond) // let the watcher start
	page := ts.URL + "/articles/preview-test"

	// Readers keep reading throughout; no request may fail or see a mix.
	var failures atomic.Int32
	var reads atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(page)
				if err != nil {
					failures.Add(1)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				reads.Add(1)
				text := string(b)
				whole := strings.Contains(text, "</html>") && strings.Count(text, " version of the text.") == 1
				if resp.StatusCode != 200 || !whole || strings.Contains(text, "Broken version") {
					failures.Add(1)
				}
			}
		}()
	}

	start := time.Now()
	write(t, file, articleText("Second version of the text."))
	waitFor(t, page, "the saved text", func(b string) bool { return strings.Contains(b, "Second version") })
	t.Logf("new text served %v after the save", time.Since(start).Round(time.Millisecond))

	// A broken save: the last good text stays, with a banner naming the problem.
	write(t, file, strings.Replace(articleText("Broken version."), "last_reviewed: 2026-01-01", "last_reviewed: soon", 1))
	body := waitFor(t, page, "the problems banner", func(b string) bool { return strings.Contains(b, "dev-banner") })
	if !strings.Contains(body, "Second version") || strings.Contains(body, "Broken version") {
		t.Error("a broken save replaced the last good text")
	}
	if !strings.Contains(body, "preview-test.md:4: front matter: &#34;soon&#34; is not a date") && !strings.Contains(body, `preview-test.md:4: front matter: &quot;soon&quot; is not a date`) {
		t.Errorf("the banner does not name the file, line and problem:\n%s", body[strings.Index(body, "dev-banner"):][:400])
	}

	// Fixing the file removes the banner.
	write(t, file, articleText("Third version of the text."))
	waitFor(t, page, "the fixed text without the banner", func(b string) bool {
		return strings.Contains(b, "Third version") && !strings.Contains(b, "dev-banner")
	})

	close(stop)
	wg.Wait()
	if n := failures.Load(); n != 0 {
		t.Errorf("%d of %d requests during reloads failed or saw a broken page", n, reads.Load())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestPreviewScriptAndEvents(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "preview-test.md"), articleText("Text."))
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(site, server.Config{BaseURL: "http://localhost:8080", Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	_, body := get(t, ts.URL+"/articles/preview-test")
	i := strings.Index(body, `/static/dev.`)
	if i < 0 {
		t.Fatal("the preview page does not load the live-reload script")
	}
	script := body[i : i+strings.Index(body[i:], `"`)]
	if code, js := get(t, ts.URL+script); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("GET %s: %d", script, code)
	}

	resp, err := http.Get(ts.URL + "/_dev/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q", ct)
	}
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		var all string
		for !strings.Contains(all, "event: reload") {
			n, err := resp.Body.Read(buf)
			if err != nil {
				break
			}
			all += string(buf[:n])
		}
		got <- all
	}()
	time.Sleep(50 * time.Millisecond)
	if err := srv.Update(site); err != nil {
		t.Fatal(err)
	}
	select {
	case all := <-got:
		if !strings.Contains(all, "event: reload") {
			t.Errorf("events stream = %q, want a reload event", all)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reload event within 5s of an update")
	}
}

func complaintText(label string) string {
	return "id: preview-pain\nname: Preview pain\ndescription: A complaint edited while the preview runs.\n" +
		"last_reviewed: 2026-01-01\nnext_review: 2030-01-01\n" +
		"red_flags:\n  question: Any of these?\n  flags: [{id: flag, label: A flag, when: you have the flag, level: urgent, advice: See a doctor.}]\n" +
		"symptom_groups:\n  - question: Pain\n    symptoms:\n      - {id: ache, label: " + label + ", sections: [{to: preview-test#when-to-get-medical-help}]}\n" +
		"safety_net: See a doctor if it lasts.\n"
}

// Saving a complaint's rules refreshes its form and results, as saving an
// article refreshes its page; a rules folder made while the preview runs
// is watched from then on.
func TestPreviewReloadsComplaintRules(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "preview-test.md"), articleText("Text."))
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(site, server.Config{BaseURL: "http://localhost:8080", Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = Run(ctx, dir, srv, slog.New(slog.DiscardHandler)) }()
	time.Sleep(100 * time.Millisecond) // let the watcher start

	form, results := ts.URL+"/symptoms/preview-pain", ts.URL+"/symptoms/preview-pain/results?symptom=ache"
	if code, _ := get(t, form); code != http.StatusNotFound {
		t.Fatalf("a complaint without rules: status %d, want 404", code)
	}
	// The folder is made after the preview started, with the file in it.
	if err := os.Mkdir(filepath.Join(dir, checker.ComplaintsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(dir, checker.ComplaintsDir, "preview-pain.yaml")
	write(t, rules, complaintText("First label"))
	waitFor(t, form, "the new complaint's form", func(b string) bool { return strings.Contains(b, "First label") })
	waitFor(t, results, "the new complaint's results", func(b string) bool { return strings.Contains(b, "First label") })

	write(t, rules, complaintText("Second label"))
	waitFor(t, form, "the edited label on the form", func(b string) bool { return strings.Contains(b, "Second label") })
	waitFor(t, results, "the edited label on the results", func(b string) bool { return strings.Contains(b, "Second label") })

	// A broken save keeps the last good rules and names the problem.
	write(t, rules, strings.Replace(complaintText("Broken label"), "level: urgent", "level: later", 1))
	body := waitFor(t, form, "the problems banner", func(b string) bool { return strings.Contains(b, "dev-banner") })
	if !strings.Contains(body, "Second label") || !strings.Contains(body, "complaints/preview-pain.yaml:8: red flag &#34;flag&#34;: level &#34;later&#34;") {
		t.Errorf("the banner does not name the file, line and problem, or the last good rules went:\n%s", body[strings.Index(body, "dev-banner"):][:400])
	}
}

func TestRelevant(t *testing.T) {
	dir := filepath.FromSlash("/site/articles")
	for path, want := range map[string]string{
		"back-pain.md":                   "back-pain.md",
		"symptoms.yaml":                  "symptoms.yaml", // refused by the loader, with a message
		"complaints":                     "complaints",
		"complaints/back-pain.yaml":      "complaints/back-pain.yaml",
		"complaints/_site-wide.yaml":     "complaints/_site-wide.yaml",
		"complaints/.back-pain.yaml.swp": "",
		"complaints/back-pain.yaml~":     "",
		"complaints/notes.md":            "",
		"drafts/back-pain.md":            "",
		".back-pain.md.swp":              "",
		"back-pain.md~":                  "",
		"complaints/old/back-pain.yaml":  "",
		"../elsewhere/complaints/x.yaml": "",
	} {
		got, ok := relevant(dir, filepath.Join(dir, filepath.FromSlash(path)))
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("relevant(%q) = %q, want %q", path, got, want)
		}
	}
}
