package server

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Readiness, for orchestrators and load balancers. /healthz says the
// process answers (liveness: restart it if not); /readyz says this
// replica should be sent readers now. It is not while search is still
// indexing the site being served (search would answer 503), while the
// feedback database does not answer (the form would), or once the
// replica is draining before it stops: turning unready first, while it
// still serves everything, lets a load balancer move readers elsewhere
// before any connection is refused.

// readyWait bounds how long /readyz waits for the database: a probe that
// times out is as bad as a 503, and a probe's own timeout is usually 1 s.
const readyWait = 800 * time.Millisecond

// pingEvery is how long a database answer is trusted: probes from every
// orchestrator and proxy, and anyone on the public listener, then cost
// the database one query a second at most.
const pingEvery = time.Second

// Drain makes /readyz answer 503 from now on, while every page is still
// served: the first step of a graceful shutdown (see cmd/healthsite).
func (s *Server) Drain() { s.draining.Store(true) }

// notReady is why the server should not be sent readers, or "" when it
// should. The reasons name no address, file or error: /readyz is public.
func (s *Server) notReady(ctx context.Context) string {
	if s.draining.Load() {
		return "draining: this replica is shutting down"
	}
	if ix := s.index.Load(); ix == nil || ix.Site() != s.Site() {
		return "starting: the search index is being built"
	}
	if s.cfg.Feedback != nil && s.ping.check(ctx, s.cfg.Feedback.Ping) != nil {
		return "the feedback database does not answer"
	}
	return ""
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = textPlain
	h["Cache-Control"] = noStore
	if why := s.notReady(r.Context()); why != "" {
		h.Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(why + "\n"))
		return
	}
	_, _ = w.Write(readyBody)
}

var readyBody = []byte("ready\n")

// pinger remembers the database's last answer for pingEvery, and lets one
// probe at a time ask it again.
type pinger struct {
	mu   sync.Mutex
	at   time.Time
	last error
}

func (p *pinger) check(ctx context.Context, ping func(context.Context) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < pingEvery {
		return p.last
	}
	ctx, cancel := context.WithTimeout(ctx, readyWait)
	defer cancel()
	p.last, p.at = ping(ctx), time.Now()
	return p.last
}
