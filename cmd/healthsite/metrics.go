package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"healthsite/internal/server"
)

// metricsPath is where Prometheus scrapes, on the desk's listener or
// -metrics-addr's: never on the public one, whose readers have no
// business knowing the server's insides.
const metricsPath = "/metrics"

func addMetricsFlags(fset *flag.FlagSet) *string {
	return fset.String("metrics-addr", envOr("HEALTHSITE_METRICS_ADDR", ""),
		"listen `address` of a listener serving only "+metricsPath+", for Prometheus, like 127.0.0.1:9090; empty: none. "+metricsPath+" is on -desk-addr's listener too, never the public one. Keep it off the public network (env HEALTHSITE_METRICS_ADDR)")
}

// metricsHandler serves the server's metrics with the Go runtime's and the
// process's, from a registry of its own: the global one would gather
// whatever any imported package registered in it.
func metricsHandler(s *server.Server) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo(),
	)
	reg.MustRegister(s.Collectors()...)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// buildInfo is a gauge of 1 whose labels say what is running, so that a
// dashboard can show when a new build went out, and which.
func buildInfo() prometheus.Collector {
	version, revision := "(devel)", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "healthsite_build_info",
		Help:        "Always 1; its labels are the Go version, module version and VCS revision of the running binary.",
		ConstLabels: prometheus.Labels{"goversion": runtime.Version(), "version": version, "revision": revision},
	})
	g.Set(1)
	return g
}

// withMetrics serves metrics at metricsPath and everything else with
// next. A plain comparison, not a ServeMux, so that next sees every other
// request exactly as it came.
func withMetrics(metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == metricsPath {
			metrics.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// startMetrics serves metrics alone on addr, with 404 for any other path;
// it returns nil when addr is empty.
func startMetrics(addr string, metrics http.Handler, o options, logger *slog.Logger) (*sideServer, error) {
	if addr == "" {
		return nil, nil
	}
	s, err := serveSide(addr, withMetrics(metrics, http.NotFoundHandler()), o, logger)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	logger.Info("metrics serving", "addr", s.addr.String(), "path", metricsPath)
	return s, nil
}
