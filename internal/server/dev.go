package server

import (
	"net/http"
	"time"
)

// devEvents is the preview's live-reload channel (Server-Sent Events): it
// sends "reload" each time a new state is swapped in. Only routed with -dev.
func (s *Server) devEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's write timeout would cut this long response short.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(": connected\n\n"))
	_ = rc.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		st := s.state.Load()
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			_, _ = w.Write([]byte(": keep-alive\n\n"))
		case <-st.changed:
			_, _ = w.Write([]byte("event: reload\ndata: changed\n\n"))
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
