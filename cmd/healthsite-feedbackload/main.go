// Command healthsite-feedbackload sends readers' answers to "Is this page
// helpful?" to running servers, as browsers on the site do, from many
// clients at once, and says what was sent, acknowledged (303) and refused,
// with the acknowledged answers' rate and latency. It keeps each
// acknowledged answer's token, so that -verify can then check the
// database holds every one of them, once: the durability measurement of
// scripts/feedback-durability.sh.
//
//	healthsite-feedbackload -url http://127.0.0.1:8080 -clients 32 -duration 10s -tokens acked.txt
//	healthsite-feedbackload -verify -database sqlite:data/healthsite.db -tokens acked.txt
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/store"
)

func main() {
	urls := flag.String("url", "http://127.0.0.1:8080", "comma-separated `origins` to send to, in turn")
	page := flag.String("page", "/symptoms", "the `page` the answers are about: one that asks")
	clients := flag.Int("clients", 32, "clients sending at once")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	rate := flag.Int("rate", 0, "answers a second to send at most, from all clients together; 0 sends as fast as they are acknowledged")
	tokens := flag.String("tokens", "", "`file` to append each acknowledged answer's token to")
	verify := flag.Bool("verify", false, "instead of sending, check that -database holds every answer of -tokens, once")
	dsn := flag.String("database", "", "the `DSN` to verify against")
	flag.Parse()
	if *verify {
		if err := check(*dsn, *tokens); err != nil {
			fmt.Fprintln(os.Stderr, "healthsite-feedbackload:", err)
			os.Exit(1)
		}
		return
	}
	if err := send(strings.Split(*urls, ","), *page, *clients, *rate, *duration, *tokens); err != nil {
		fmt.Fprintln(os.Stderr, "healthsite-feedbackload:", err)
		os.Exit(1)
	}
}

// send posts answers until duration has passed and prints what happened.
// With a rate, clients take turns at a steady pace: a write load of a
// known size, for measuring reads beside it.
func send(origins []string, page string, clients, rate int, duration time.Duration, tokensFile string) error {
	var out io.Writer = io.Discard
	if tokensFile != "" {
		f, err := os.OpenFile(tokensFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		sent      atomic.Int64
		refused   sync.Map // status or error -> *atomic.Int64
		w         = bufio.NewWriter(out)
	)
	defer w.Flush()
	count := func(k string) {
		v, _ := refused.LoadOrStore(k, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients},
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	start := time.Now()
	// With a rate, the n-th answer is due n/rate after the start, whichever
	// client sends it: a client that was held up sends the next one at
	// once, so the rate is kept on average (a ticker drops the ticks
	// nobody was waiting for, and sent 844 a second for 1,000).
	var due atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; ctx.Err() == nil; i++ {
				if rate > 0 {
					at := start.Add(time.Duration(due.Add(1)-1) * time.Second / time.Duration(rate))
					select {
					case <-time.After(time.Until(at)):
					case <-ctx.Done():
						return
					}
				}
				origin := origins[i%len(origins)]
				answer := []string{"yes", "no"}[i%2]
				body := url.Values{"page": {page}, "answer": {answer}}.Encode()
				req, _ := http.NewRequest(http.MethodPost, origin+"/feedback", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", origin)
				t0 := time.Now()
				sent.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					count("error: " + errorKind(err))
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					count(fmt.Sprintf("status %d", resp.StatusCode))
					continue
				}
				loc, err := url.Parse(resp.Header.Get("Location"))
				tok := ""
				if err == nil {
					tok = loc.Query().Get("token")
				}
				if tok == "" {
					count("303 without a token")
					continue
				}
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				fmt.Fprintln(w, tok)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	fmt.Printf("sent %d, acknowledged %d (%.0f/s), p50 %v, p99 %v, max %v\n", sent.Load(), len(latencies),
		float64(len(latencies))/elapsed.Seconds(), pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	refused.Range(func(k, v any) bool {
		fmt.Printf("  not acknowledged: %s: %d\n", k, v.(*atomic.Int64).Load())
		return true
	})
	return nil
}

// errorKind names a client error without its address or port, so that
// the same failure counts once.
func errorKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	case strings.Contains(err.Error(), "EOF"):
		return "connection closed"
	}
	return "other"
}

// check reads the tokens of the acknowledged answers and says how many
// the database holds, and how many times.
func check(dsn, tokensFile string) error {
	f, err := os.Open(tokensFile)
	if err != nil {
		return err
	}
	defer f.Close()
	var toks []feedback.Token
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			toks = append(toks, feedback.Token(t))
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	ctx := context.Background()
	db, err := store.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	s := feedback.New(db, feedback.Options{})
	defer s.Close()
	found, rows, err := s.Stored(ctx, toks)
	if err != nil {
		return err
	}
	var total int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM answers").Scan(&total); err != nil {
		return err
	}
	fmt.Printf("acknowledged %d, of which stored %d (in %d rows); answers in the database %d\n", len(toks), found, rows, total)
	if found != len(toks) || rows != found {
		return fmt.Errorf("%d acknowledged answers lost, %d stored twice", len(toks)-found, rows-found)
	}
	return nil
}
