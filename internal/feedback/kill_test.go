package feedback

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

// TestAcknowledgedAnswersSurviveSIGKILL starts a process that records
// answers as fast as it can and prints each one's hash once Record has
// returned, kills it with SIGKILL mid-stream, and checks that every answer
// it acknowledged is stored exactly once, and that the counts per page per
// day agree with the answers stored (no transaction was half done).
func TestAcknowledgedAnswersSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		ctx := ctxFor(t)
		dsn := k.DSN(t)
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()

		cmd := exec.Command(os.Args[0], "-test.run=^TestRecordingProcess$")
		cmd.Env = append(os.Environ(), "FEEDBACK_TEST_RECORD_DSN="+dsn)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		const killAfter = 500
		acked := map[string]bool{}
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			line := lines.Text()
			if len(line) != 64 {
				continue // not a hash: the test framework's own output
			}
			acked[line] = true
			if len(acked) == killAfter {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
			}
			// Go on reading what it acknowledged before it died.
		}
		var exit *exec.ExitError
		if err := cmd.Wait(); !errors.As(err, &exit) || exit.ExitCode() != -1 {
			t.Fatalf("the recording process ended with %v, want killed by a signal", err)
		}
		if len(acked) < killAfter {
			t.Fatalf("the process acknowledged %d answers before it ended, want at least %d", len(acked), killAfter)
		}

		db, err = store.Open(ctx, dsn) // SQLite recovers from its WAL here
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for h := range acked {
			sum, _ := hex.DecodeString(h)
			if n := count(t, db, "SELECT count(*) FROM answers WHERE token_hash = ?", sum); n != 1 {
				t.Fatalf("an acknowledged answer is stored %d times, want once", n)
			}
		}
		answers := count(t, db, "SELECT count(*) FROM answers")
		counted := count(t, db, "SELECT SUM(yes_count + no_count) FROM page_day_counts")
		if answers != counted {
			t.Errorf("%d answers stored but the counts say %d", answers, counted)
		}
		t.Logf("%d answers acknowledged before SIGKILL, %d stored", len(acked), answers)
	})
}

// TestRecordingProcess is the process TestAcknowledgedAnswersSurviveSIGKILL
// starts and kills.
func TestRecordingProcess(t *testing.T) {
	dsn := os.Getenv("FEEDBACK_TEST_RECORD_DSN")
	if dsn == "" {
		t.Skip("run by TestAcknowledgedAnswersSurviveSIGKILL in a process of its own")
	}
	// In case the test that should kill it does not.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, Options{})
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for c := range 16 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				tok, err := s.Record(ctx, Answer{Page: fmt.Sprintf("/articles/a%d", c), Helpful: i%2 == 0})
				if err != nil {
					return
				}
				mu.Lock()
				fmt.Printf("%x\n", tok.hash()) // one write each, after the commit
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	t.Error("not killed within a minute")
}
