package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// listenerLog notes the address each "... serving" line of the server's
// log names, by message.
type listenerLog struct {
	mu      sync.Mutex
	partial []byte
	text    strings.Builder
	addrs   map[string]string
}

func (l *listenerLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text.Write(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		var line struct{ Msg, Addr string }
		if json.Unmarshal(l.partial[:i], &line) == nil && strings.HasSuffix(line.Msg, "serving") {
			l.addrs[line.Msg] = line.Addr
		}
		l.partial = l.partial[i+1:]
	}
}

// waitFor returns the addresses of the listeners msgs name once all have
// logged that they are serving.
func (l *listenerLog) waitFor(t *testing.T, msgs ...string) map[string]string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		l.mu.Lock()
		got := map[string]string{}
		for _, m := range msgs {
			if a := l.addrs[m]; a != "" {
				got[m] = a
			}
		}
		text := l.text.String()
		l.mu.Unlock()
		if len(got) == len(msgs) {
			return got
		}
		if strings.Contains(text, `"level":"ERROR"`) {
			t.Fatalf("the server failed to start:\n%s", text)
		}
	}
	t.Fatal("the server did not log its listeners within 30s")
	return nil
}

// scrape gets url and parses it as Prometheus does.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s: %d %s, want 200 text/plain", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing %s: %v", url, err)
	}
	return fams
}

// The binary serves /metrics on -metrics-addr and on the desk's listener,
// in the text format Prometheus parses, and never on the public listener.
func TestBinaryServesMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := migratedDataDir(t, bin)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-desk-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0", "-data-dir", data)
	logs := &listenerLog{addrs: map[string]string{}}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := logs.waitFor(t, "serving", "desk serving", "metrics serving")
	public, desk, metrics := "http://"+addrs["serving"], "http://"+addrs["desk serving"], "http://"+addrs["metrics serving"]

	if code, _ := get(t, public+"/articles/neck-pain-after-cervical-massage"); code != 200 {
		t.Fatalf("article: %d", code)
	}
	// The request is counted once its handler returns, which may be just
	// after the client has read the response.
	var fams map[string]*dto.MetricFamily
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		fams = scrape(t, metrics+"/metrics")
		if counted(fams["healthsite_http_requests_total"], "article", "200") || time.Now().After(deadline) {
			break
		}
	}
	if !counted(fams["healthsite_http_requests_total"], "article", "200") {
		t.Errorf("healthsite_http_requests_total has no article 200: %v", fams["healthsite_http_requests_total"])
	}
	for name, typ := range map[string]dto.MetricType{
		"healthsite_http_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"healthsite_search_duration_seconds":       dto.MetricType_HISTOGRAM,
		"healthsite_search_unavailable_total":      dto.MetricType_COUNTER,
		"healthsite_cache_hits_total":              dto.MetricType_COUNTER,
		"healthsite_cache_misses_total":            dto.MetricType_COUNTER,
		"healthsite_cache_evictions_total":         dto.MetricType_COUNTER,
		"healthsite_cache_bytes":                   dto.MetricType_GAUGE,
		"healthsite_feedback_writes_total":         dto.MetricType_COUNTER,
		"healthsite_feedback_errors_total":         dto.MetricType_COUNTER,
		"healthsite_build_info":                    dto.MetricType_GAUGE,
		"go_goroutines":                            dto.MetricType_GAUGE,
		"process_resident_memory_bytes":            dto.MetricType_GAUGE,
	} {
		if f := fams[name]; f == nil || f.GetType() != typ {
			t.Errorf("%s: %v, want a %v", name, f, typ)
		}
	}
	if f := fams["healthsite_build_info"]; f != nil {
		m := f.GetMetric()[0]
		if m.GetGauge().GetValue() != 1 || !hasLabel(m, "goversion", "go1.") {
			t.Errorf("healthsite_build_info = %v", m)
		}
	}

	scrape(t, desk+"/metrics")
	if code, body := get(t, desk+"/desk/sign-in"); code != 200 || !strings.Contains(body, "Sign in") {
		t.Errorf("the desk's sign-in page beside its metrics: %d", code)
	}
	for _, url := range []string{public + "/metrics", metrics + "/desk/sign-in", metrics + "/"} {
		if code, _ := get(t, url); code != 404 {
			t.Errorf("GET %s = %d, want 404", url, code)
		}
	}
	stopWithSIGTERM(t, cmd)
}

// counted reports whether f has a series for page and code with a count.
func counted(f *dto.MetricFamily, page, code string) bool {
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["page"] == page && labels["code"] == code && m.GetCounter().GetValue() > 0 {
			return true
		}
	}
	return false
}

// hasLabel reports whether m has label name with a value starting with
// prefix.
func hasLabel(m *dto.Metric, name, prefix string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && strings.HasPrefix(l.GetValue(), prefix) {
			return true
		}
	}
	return false
}
