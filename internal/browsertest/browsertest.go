// Package browsertest drives the site in real headless Chromium for tests:
// it finds the browser and axe-core, starts one browser per test binary,
// opens a tab per test, records console errors and failed requests, runs
// axe-core, and saves screenshots for people to look at.
//
// When Chromium or node_modules/axe-core is missing the suites are skipped
// with one line saying why, except when the CI environment variable is set:
// then a missing tool fails the run.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's Chromium; CHROMIUM overrides it.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// RepoRoot is the folder holding go.mod, found from the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// AxePath is axe-core's browser bundle, installed by `npm ci`.
func AxePath() string {
	root, err := RepoRoot()
	if err != nil {
		return ""
	}
	return filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
}

// Missing lists the tools the browser suites need that are not installed.
func Missing() []string {
	var missing []string
	if _, err := exec.LookPath(ChromiumPath()); err != nil {
		missing = append(missing, "Chromium at "+ChromiumPath()+" (apt-get install chromium)")
	}
	if _, err := os.Stat(AxePath()); err != nil {
		missing = append(missing, "axe-core at node_modules/axe-core (npm ci)")
	}
	return missing
}

// Main runs a browser test binary. It returns the exit code for os.Exit.
// When tools are missing it runs no test and says so: on the terminal for
// a person (go test hides the output of passing packages), and as a
// failure when CI is set.
func Main(m *testing.M, suite string) int {
	if missing := Missing(); len(missing) > 0 {
		msg := fmt.Sprintf("%s: browser tests skipped: missing %s", suite, strings.Join(missing, " and "))
		if os.Getenv("CI") != "" {
			fmt.Fprintln(os.Stderr, "FAIL: "+msg+" (CI is set, so this is an error)")
			return 1
		}
		fmt.Fprintln(os.Stderr, msg)
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprintln(tty, msg)
			tty.Close()
		}
		return 0
	}
	code := m.Run()
	shared.close()
	if dir := screenshotDir; dir != "" {
		fmt.Printf("%s: screenshots in %s\n", suite, dir)
	}
	return code
}

// shared is the one browser a test binary uses; tabs are cheap, browsers are not.
var shared sharedBrowser

type sharedBrowser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
	dir    string
}

func (s *sharedBrowser) close() {
	if s.cancel != nil {
		s.cancel()
		os.RemoveAll(s.dir)
	}
}

func startBrowser() (context.Context, error) {
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "healthsite-chromium-")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(ChromiumPath()),
			chromedp.UserDataDir(dir),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-quic", true),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		shared.cancel = func() { cancelCtx(); cancelAlloc() }
		shared.ctx = ctx
		shared.err = chromedp.Do(ctx) // starts the browser
	})
	return shared.ctx, shared.err
}

// Options set up a tab.
type Options struct {
	Width, Height int64 // viewport; 1280x800 when zero
	NoJavaScript  bool
}

// Page is one browser tab.
type Page struct {
	t    testing.TB
	Ctx  context.Context
	noJS bool

	mu       sync.Mutex
	problems []string // console errors and failed requests
}

// NewPage opens a tab that closes when the test ends.
func NewPage(t testing.TB, o Options) *Page {
	t.Helper()
	root, err := startBrowser()
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancel := chromedp.NewContext(root)
	t.Cleanup(cancel)
	// A generous bound per test, so a hung page fails instead of hanging CI.
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	p := &Page{t: t, Ctx: ctx, noJS: o.NoJavaScript}

	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("opening a tab: %v", err)
	}
	console := chromedp.Console(ctx)
	failed := chromedp.Events(ctx, network.LoadingFailed)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.addProblem("console: " + m.String())
			}
		}
	}()
	go func() {
		for ev, err := range failed {
			if err != nil {
				return
			}
			if ev.Canceled {
				continue // a navigation away from a loading page, not a failure
			}
			p.addProblem(fmt.Sprintf("request failed: %s (%s)", ev.RequestID, ev.ErrorText))
		}
	}()

	w, h := o.Width, o.Height
	if w == 0 {
		w, h = 1280, 800
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatalf("setting the viewport: %v", err)
	}
	if o.NoJavaScript {
		p.setScripts(false)
	}
	return p
}

// setScripts turns the page's JavaScript on or off.
func (p *Page) setScripts(on bool) {
	p.t.Helper()
	if _, err := chromedp.Call(p.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		p.t.Fatalf("turning JavaScript on=%v: %v", on, err)
	}
}

func (p *Page) addProblem(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, s)
}

// Problems are the console errors and failed requests seen so far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// Do runs actions, failing the test on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.Ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Navigate loads url and waits for the page to load.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.Do(chromedp.Navigate(url))
}

// Eval evaluates a JavaScript expression, waits for it if it is a promise,
// and decodes its result.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Press sends one key, like "\t" for Tab or "\r" for Enter, to the focused element.
func (p *Page) Press(key string) {
	p.t.Helper()
	p.Do(chromedp.KeyEvent(key))
}

var (
	screenshotDir  string
	screenshotOnce sync.Once
)

// Screenshot saves a full-page PNG named name.png in the screenshot folder
// (HEALTHSITE_SCREENSHOTS, or a folder under the system temp dir) and
// returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	screenshotOnce.Do(func() {
		screenshotDir = os.Getenv("HEALTHSITE_SCREENSHOTS")
		if screenshotDir == "" {
			screenshotDir = filepath.Join(os.TempDir(), "healthsite-screenshots")
		}
		_ = os.MkdirAll(screenshotDir, 0o755)
	})
	buf, err := chromedp.Run(p.Ctx, chromedp.FullScreenshot(100) /* 100 gives a PNG */)
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screenshotDir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatalf("saving screenshot: %v", err)
	}
	return path
}

// Click clicks the first element matching a CSS selector.
func (p *Page) Click(selector string) {
	p.t.Helper()
	p.Do(chromedp.Click(chromedp.CSS(selector)))
}

// ClickAndWait clicks the first element matching a CSS selector and waits
// for the page it leads to to load.
func (p *Page) ClickAndWait(selector string) {
	p.t.Helper()
	// Scrolled to at once first: the site scrolls smoothly (unless the
	// reader asks for less motion), and a click computed while the page
	// was still moving landed beside the button now and then, so the
	// form was never sent.
	scroll := `document.querySelector(` + strconv.Quote(selector) + `).scrollIntoView({block: "center", behavior: "instant"})`
	if _, err := chromedp.Run(p.Ctx, chromedp.Evaluate[chromedp.Void](scroll)); err != nil {
		p.t.Fatalf("scrolling to %s: %v", selector, err)
	}
	if _, err := chromedp.Run(p.Ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(selector)))); err != nil {
		p.t.Fatalf("clicking %s: %v", selector, err)
	}
}

// WaitFor waits until a JavaScript expression is true, failing the test
// after 10 seconds.
func (p *Page) WaitFor(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.Ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// EmulateMedia sets a CSS media feature, like prefers-reduced-motion.
func (p *Page) EmulateMedia(feature, value string) {
	p.t.Helper()
	_, err := chromedp.Call(p.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: feature, Value: value}},
	})
	if err != nil {
		p.t.Fatalf("emulating %s: %s: %v", feature, value, err)
	}
}

// EmulateMediaType renders the page for a CSS media type, like "print";
// "" goes back to the screen.
func (p *Page) EmulateMediaType(media string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		p.t.Fatalf("emulating media %q: %v", media, err)
	}
}

// AllowClipboard lets pages from origin read and write the clipboard
// without asking, as a reader who said yes would.
func (p *Page) AllowClipboard(origin string) {
	p.t.Helper()
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(p.Ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name},
			Setting:    browser.PermissionSettingGranted,
			Origin:     origin,
		})
		if err != nil {
			p.t.Fatalf("allowing %s: %v", name, err)
		}
	}
}

// pdfPage matches one page object of a PDF ("/Type /Page", not "/Pages").
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// PrintPages prints the page as Chromium's print dialog would on US Letter
// paper (shorter than A4, so the stricter of the two common sizes) with its
// default margins, and returns how many sheets it takes.
func (p *Page) PrintPages() int {
	p.t.Helper()
	res, err := chromedp.Call(p.Ctx, page.PrintToPDF, page.PrintToPDFParams{})
	if err != nil {
		p.t.Fatalf("printing: %v", err)
	}
	return len(pdfPage.FindAll(res.Data, -1))
}
