package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// healthsite build writes a pack of the bundled articles, -pack serves it
// with search answering from the first request, and a pack of another
// format is refused at start with a message that says what to do.
func TestBinaryBuildsAndServesAPack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "pack")
	out, err := exec.Command(bin, "build", "-o", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "wrote "+dir) {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "build", "-o", dir).CombinedOutput(); err == nil || !strings.Contains(string(out), "never written over") {
		t.Errorf("a second build over the pack: %v\n%s", err, out)
	}

	cmd, addr, _ := startBinary(t, bin, "-pack", dir)
	// No waiting: a pack's search index serves as soon as the server does.
	if code, body := get(t, "http://"+addr+"/search?q=neck+pain"); code != 200 || !strings.Contains(body, "/articles/neck-pain-after-cervical-massage") {
		t.Errorf("search at start = %d, want 200 listing the neck pain article", code)
	}
	if code, _ := get(t, "http://"+addr+"/articles/neck-pain-after-cervical-massage"); code != 200 {
		t.Errorf("article = %d, want 200", code)
	}
	stopWithSIGTERM(t, cmd)

	manifest := filepath.Join(dir, "pack.json")
	b, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, []byte(strings.Replace(string(b), `"format": 1`, `"format": 2`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin, "-addr", "127.0.0.1:0", "-pack", dir).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(string(out), "format 2") || !strings.Contains(string(out), "healthsite build") {
		t.Errorf("a pack of another format: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "-pack", dir, "-dev", "-articles", ".").CombinedOutput(); err == nil {
		t.Errorf("-pack with -dev started:\n%s", out)
	}
}

// A start over an -articles folder keeps a pack once search is indexed;
// the next start over the same files serves it, and an edit makes the
// start after it load the files again.
func TestBinaryKeepsAPackOfAnArticlesFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	articles := articlesCopy(t)
	cache := filepath.Join(t.TempDir(), "cache")
	start := func() (log string, cmd *exec.Cmd, search string) {
		t.Helper()
		cmd, addr, logs := startBinary(t, bin, "-articles", articles, "-pack-cache", cache)
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) && !logs.saw("kept a pack") && !logs.saw("serving it") {
			time.Sleep(20 * time.Millisecond)
		}
		code, _ := get(t, "http://"+addr+"/search?q=neck")
		stopWithSIGTERM(t, cmd)
		return logs.all(), cmd, http200(code)
	}
	first, _, _ := start()
	if !strings.Contains(first, "kept a pack of the articles") {
		t.Fatalf("the first start kept no pack:\n%s", first)
	}
	second, _, search := start()
	if !strings.Contains(second, "serving it") || search != "200" {
		t.Errorf("the second start did not serve the kept pack (search %s):\n%s", search, second)
	}
	f := filepath.Join(articles, "neck-pain-after-cervical-massage.md")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, append(b, []byte("\nOne more line.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	third, _, _ := start()
	if strings.Contains(third, "serving it") || !strings.Contains(third, "kept a pack of the articles") {
		t.Errorf("after an edit the start used the old pack, or kept none:\n%s", third)
	}
	packs, _ := os.ReadDir(filepath.Join(cache, "packs"))
	if len(packs) != 2 {
		t.Errorf("the cache keeps %d packs, want 2 (before and after the edit)", len(packs))
	}
}

func http200(code int) string {
	if code == 200 {
		return "200"
	}
	return "not 200"
}
