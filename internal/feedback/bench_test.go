package feedback

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"healthsite/internal/store/storetest"
)

// BenchmarkRecord records answers from many callers at once, as a busy
// server would, on each kind of database, and reports acknowledged answers
// a second, the 99th percentile of Record's latency, and how many answers
// each transaction held. Run it briefly:
//
//	go test -run '^$' -bench Record -benchtime 3s ./internal/feedback
func BenchmarkRecord(b *testing.B) {
	for _, k := range storetest.Kinds {
		for _, callers := range []int{16, 64} {
			b.Run(fmt.Sprintf("%s/callers=%d", k.Name, callers), func(b *testing.B) {
				s := New(k.Open(b), Options{})
				defer s.Close()
				ctx := context.Background()
				var (
					mu        sync.Mutex
					latencies []time.Duration
				)
				// RunParallel starts parallelism × GOMAXPROCS goroutines.
				b.SetParallelism(max(1, callers/runtime.GOMAXPROCS(0)))
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					var own []time.Duration
					for i := 0; pb.Next(); i++ {
						t0 := time.Now()
						if _, err := s.Record(ctx, Answer{Day: today, Page: fmt.Sprintf("/articles/a%d", i%50), Helpful: i%3 != 0}); err != nil {
							b.Error(err)
							return
						}
						own = append(own, time.Since(t0))
					}
					mu.Lock()
					latencies = append(latencies, own...)
					mu.Unlock()
				})
				elapsed := time.Since(start)
				b.StopTimer()
				if len(latencies) == 0 {
					return
				}
				slices.Sort(latencies)
				st := s.Stats()
				b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "answers/s")
				b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(st.Answers)/float64(max(1, st.Transactions)), "answers/commit")
			})
		}
	}
}

// BenchmarkSummary summarises a year of counts for 1,000 pages (365,000
// rows of counts per page per day; a million answers in 90 days is about
// 11 per page per day), the query the editors' desk will list pages with.
func BenchmarkSummary(b *testing.B) {
	for _, k := range storetest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			db := k.Open(b)
			s := New(db, Options{})
			defer s.Close()
			ctx := context.Background()
			tx, err := db.SQL.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			const pages, days = 1000, 365
			args := make([]any, 0, 4*maxRowsPerStatement)
			rows := 0
			for p := range pages {
				for d := range days {
					args = append(args, fmt.Sprintf("/articles/page-%04d", p), today.AddDays(-d), (p+d)%13, (p*d)%7)
					if rows++; rows == maxRowsPerStatement {
						if _, err := tx.ExecContext(ctx, s.q.addCounts[rows], args...); err != nil {
							b.Fatal(err)
						}
						args, rows = args[:0], 0
					}
				}
			}
			for size := range chunks(rows) {
				if _, err := tx.ExecContext(ctx, s.q.addCounts[size], args[:4*size]...); err != nil {
					b.Fatal(err)
				}
				args = args[4*size:]
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if k.Name == "postgres" {
				// As autovacuum would after a bulk load: the planner's
				// statistics and the visibility map for an index-only scan.
				if _, err := db.SQL.ExecContext(ctx, "VACUUM ANALYZE page_day_counts"); err != nil {
					b.Fatal(err)
				}
			} else if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				got, err := s.Summary(ctx, today)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != pages {
					b.Fatalf("%d pages summarised, want %d", len(got), pages)
				}
			}
		})
	}
}
