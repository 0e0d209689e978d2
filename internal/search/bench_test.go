package search

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"healthsite/internal/content"
	"healthsite/internal/corpus"
)

// Benchmarks at the size the targets are set at: 10,000 generated articles
// plus the bundled one (HEALTHSITE_BENCH_ARTICLES overrides the 10,000).
//
//	go test -run '^$' -bench . -benchtime 200x ./internal/search

func benchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("HEALTHSITE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 10000
}

var bench struct {
	once sync.Once
	site *content.Site
	ix   *Index
	err  error
}

func benchIndex(b *testing.B) (*content.Site, *Index) {
	b.Helper()
	bench.once.Do(func() {
		bench.site, bench.err = content.Load(withBundled(corpus.FS(benchArticles())))
		if bench.err == nil {
			bench.ix, bench.err = Build(context.Background(), bench.site, os.TempDir())
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

// BenchmarkBuild reports how long indexing the whole site takes and the
// memory it keeps: resident memory (RSS, with the engine's own) and Go
// heap, after garbage collection, against before it; with the index in a
// file in the system's temporary folder (as the server keeps it by
// default) and in memory.
func BenchmarkBuild(b *testing.B) {
	site, err := content.Load(withBundled(corpus.FS(benchArticles())))
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
