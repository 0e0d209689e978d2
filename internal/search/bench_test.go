package search

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"healthsite/articles"
	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// Benchmarks at the size the targets are set at: 10,000 generated articles
// plus the bundled one (HEALTHSITE_BENCH_ARTICLES overrides the 10,000, and
// HEALTHSITE_BENCH_CORPUS reads a folder that cmd/healthsite-gen wrote
// instead of generating the articles again).
//
//	go test -run '^$' -bench . -benchtime 200x ./internal/search
//	go run ./cmd/healthsite-gen -n 100000 -o /tmp/c100k
//	HEALTHSITE_BENCH_CORPUS=/tmp/c100k go test -run '^$' -bench QueryList -benchtime 1x -timeout 30m ./internal/search

func benchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("HEALTHSITE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// benchCorpus is the bundled article, rules and synonyms with the
// generated articles: from the folder HEALTHSITE_BENCH_CORPUS when it is
// set, else made for benchArticles.
func benchCorpus() fs.FS {
	if dir := os.Getenv("HEALTHSITE_BENCH_CORPUS"); dir != "" {
		return overlay{articles.FS, os.DirFS(dir)}
	}
	return withBundled(corpus.FS(benchArticles()))
}

// overlay is top's files and base's, top's first when both have a name.
type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		return f, nil
	}
	return o.base.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, errTop := fs.ReadDir(o.top, name)
	base, errBase := fs.ReadDir(o.base, name)
	if errTop != nil && errBase != nil {
		return nil, errBase
	}
	out := slices.Clone(top)
	for _, e := range base {
		if !slices.ContainsFunc(top, func(t fs.DirEntry) bool { return t.Name() == e.Name() }) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

var bench struct {
	once sync.Once
	site *content.Site
	ix   *Index
	err  error
	// took is how long Build took; size is the index file's size.
	took time.Duration
	size int64
}

func benchIndex(b *testing.B) (*content.Site, *Index) {
	b.Helper()
	bench.once.Do(func() {
		bench.site, bench.err = content.Load(benchCorpus())
		if bench.err == nil {
			start := time.Now()
			bench.ix, bench.err = Build(context.Background(), bench.site, os.TempDir())
			bench.took = time.Since(start)
		}
		if bench.err == nil {
			if fi, err := os.Stat(filepath.Join(bench.ix.tmp, "index.db")); err == nil {
				bench.size = fi.Size()
			}
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.site, bench.ix
}

// benchQueries are the kinds of search readers make: a common word, two
// words, a phrase of a synonym, a rare word, a misspelling, a question,
// and nothing found.
var benchQueries = []string{
	"pain",
	"neck massage",
	"muscle strain",
	"inflamed tissue",
	"fasciitis",
	"nekc pain",
	"why does my back hurt after lifting",
	"xyzzy qwerty",
}

// BenchmarkSearch reports each query's median and 99th percentile time,
// on one goroutine: the engine's own cost, without HTTP or rendering.
func BenchmarkSearch(b *testing.B) {
	site, ix := benchIndex(b)
	for _, text := range benchQueries {
		b.Run(text, func(b *testing.B) {
			q, err := ParseQuery(text)
			if err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Search(context.Background(), site, q, 1, 10); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkQueryList runs every query of testdata/queries.txt once per
// round, on one goroutine (page 1 with snippets: the engine alone, no HTTP
// or rendering), and reports the mean, the 50th and 99th percentiles and
// the longest of every search made, then prints the slowest queries, and
// how long the index took to build and its size.
func BenchmarkQueryList(b *testing.B) {
	site, ix := benchIndex(b)
	list := readQueryList(b)
	queries := make([]Query, len(list))
	for i, q := range list {
		var err error
		if queries[i], err = ParseQuery(q.text); err != nil {
			b.Fatal(err)
		}
	}
	slowest := make([]time.Duration, len(list))
	var all []time.Duration
	for b.Loop() {
		for i, q := range queries {
			start := time.Now()
			if _, err := ix.Search(context.Background(), site, q, 1, 10); err != nil {
				b.Fatalf("%q: %v", list[i].text, err)
			}
			took := time.Since(start)
			all = append(all, took)
			slowest[i] = max(slowest[i], took)
		}
	}
	slices.Sort(all)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	b.ReportMetric(ms(sum/time.Duration(len(all))), "mean-ms")
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	b.ReportMetric(ms(all[len(all)-1]), "max-ms")
	b.ReportMetric(float64(len(list)), "queries")
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(slowest[j], slowest[i]) })
	var report strings.Builder
	fmt.Fprintf(&report, "%d rows, index built in %.2f s, %.1f MB on disk; slowest queries:\n", len(ix.rows), bench.took.Seconds(), float64(bench.size)/(1<<20))
	for _, i := range order[:min(20, len(order))] {
		fmt.Fprintf(&report, "%9.2f ms  %-40q %s\n", ms(slowest[i]), list[i].text, list[i].kind)
	}
	// Printed, not logged: the testing package cuts a benchmark's log
	// after ten lines.
	fmt.Print(report.String())
}

// BenchmarkBuild reports how long indexing the whole site takes and the
// memory it keeps: resident memory (RSS, with the engine's own) and Go
// heap, after garbage collection, against before it; with the index in a
// file in the system's temporary folder (as the server keeps it by
// default) and in memory.
func BenchmarkBuild(b *testing.B) {
	site, err := content.Load(benchCorpus())
	if err != nil {
		b.Fatal(err)
	}
	for _, where := range []struct{ name, dir string }{{"file", os.TempDir()}, {"memory", ""}} {
		b.Run(where.name, func(b *testing.B) {
			for b.Loop() {
				rss0, heap0 := settledMemory()
				start := time.Now()
				ix, err := Build(context.Background(), site, where.dir)
				if err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				rss1, heap1 := settledMemory()
				b.ReportMetric(took.Seconds(), "s/index")
				b.ReportMetric(float64(rss1-rss0)/(1<<20), "MB-rss-added")
				b.ReportMetric(float64(heap1-heap0)/(1<<20), "MB-heap-added")
				b.ReportMetric(float64(len(ix.rows)), "sections")
				ix.Close()
			}
		})
	}
}

// settledMemory is the process's resident memory and Go heap in use after
// a collection that returns free memory to the system.
func settledMemory() (rss, heap int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, int64(m.HeapInuse)
	}
	var pages, resident int64
	fmt.Sscan(string(b), &pages, &resident)
	return resident * int64(os.Getpagesize()), int64(m.HeapInuse)
}

// BenchmarkQueryListAgainstFTS5 compares the first page of each query of
// testdata/queries.txt that matches every word (no suggestion, no fewer
// words) with FTS5's own ranking of every match (ORDER BY rank, what
// search did before the ranking tables, at its cost): it prints the
// queries whose first page has other articles than FTS5's ten best (ties
// aside), and counts that were off by more than a tenth.
func BenchmarkQueryListAgainstFTS5(b *testing.B) {
	site, ix := benchIndex(b)
	t := &testing.T{} // fts5Ranking reports through a T; b fails below
	for b.Loop() {
		compared, differ, floors, countsOff := 0, 0, 0, 0
		for _, bq := range readQueryList(b) {
			q, err := ParseQuery(bq.text)
			if err != nil {
				b.Fatal(err)
			}
			res, err := ix.Search(context.Background(), site, q, 1, 10)
			if err != nil {
				b.Fatal(err)
			}
			if res.Suggestion != "" || res.Partial || len(res.Articles) == 0 {
				continue
			}
			order, best := fts5Ranking(t, ix, bq.text)
			if t.Failed() {
				b.Fatalf("%q: FTS5's ranking failed", bq.text)
			}
			compared++
			same := 0
			for i, a := range res.Articles {
				if i < len(order) && near(best[a.Slug], best[order[i]]) {
					same++
				}
			}
			if same < len(res.Articles) {
				differ++
				note := ""
				if floorOnly(b, ix, q) {
					floors++
					note = " (every word in most rows: FTS5's lowest idf)"
				}
				fmt.Printf("%-40q %2d of %2d at FTS5's score for their place%s\n", bq.text, same, len(res.Articles), note)
			}
			if math.Abs(float64(res.Total-len(order))) > 0.1*float64(len(order)) {
				countsOff++
				fmt.Printf("%-40q %d articles found (about: %v), FTS5 matches %d\n", bq.text, res.Total, res.About, len(order))
			}
		}
		fmt.Printf("%d queries compared: %d first pages differ from FTS5's (%d of them of words in most rows), %d counts off by more than a tenth\n", compared, differ, floors, countsOff)
	}
}

// floorOnly reports whether every term of q has FTS5's lowest idf.
func floorOnly(b *testing.B, ix *Index, q Query) bool {
	se, done, err := ix.session(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer done()
	p, err := se.plan(context.Background(), ix.thes.slots(q.Words))
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range p.terms {
		if t.idf != minIDF {
			return false
		}
	}
	return true
}
