// Package desk is the editors' desk: a separate web app, on its own
// listener, where editors sign in and act on readers' feedback. Everything
// public stays anonymous; this is the site's one door with a lock.
//
// Where a request goes: every route is a row of the route table
// (routes.go), which builds the router, and every request passes the same
// middleware chain, in this order: a request id; the desk's security
// headers (strict CSP, no-store, frame-ancestors 'none', noindex); the
// access log (path only, never the query); panic recovery; limits on
// methods, addresses and bodies; resource isolation (a cross-site request
// that is not a top-level navigation is refused) and
// http.CrossOriginProtection for every state-changing request; the
// session from the cookie. Then the row's guard: a route that needs a
// session sends a request without one to the sign-in page, and answers a
// role that may not with 403, recorded in the audit log. Handlers are
// thin: they parse the request, call plain functions (package attention,
// feedback's queries, package auth), and render a web/desk component into
// a buffer before sending it.
package desk

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"healthsite/internal/accesslog"
	"healthsite/internal/content"
	"healthsite/internal/desk/auth"
	"healthsite/internal/feedback"
	"healthsite/internal/prepared"
	"healthsite/internal/store"
)

// Config is what the desk needs. Zero values take the defaults noted.
type Config struct {
	// DB is the site's database, schema current (store.Open).
	DB *store.DB
	// Site is the site being served, for articles' titles, review dates
	// and sign-offs; it is called on every request, so a reloaded site
	// shows at once.
	Site func() *content.Site
	// BaseURL is the desk's own origin, like https://desk.example.org.
	// Over https its cookie is Secure with the __Host- prefix. Default
	// http://localhost:8081.
	BaseURL string
	// PublicURL is the public site's origin, for links to its pages.
	// Default http://localhost:8080.
	PublicURL string
	// Logger receives errors; default none.
	Logger *slog.Logger
	// AccessLog receives one JSON line per request; nil discards them.
	AccessLog io.Writer
	// TrustedProxies are the CIDR prefixes of reverse proxies whose
	// X-Forwarded-For names the client (as the public server's).
	TrustedProxies []string
	// Auth tunes accounts, sessions and the throttle (tests shorten
	// them); its clock is Now's.
	Auth auth.Options
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// DefaultBaseURL is where the desk is when nothing says otherwise.
const DefaultBaseURL = "http://localhost:8081"

// Desk is the desk's http.Handler.
type Desk struct {
	cfg      Config
	base     *url.URL
	public   string
	log      *slog.Logger
	access   *accesslog.Logger
	auth     *auth.Store
	feedback *feedback.Store
	assets   *prepared.Assets
	proxies  []netip.Prefix
	cookie   cookieSpec
	table    []route
	router   http.Handler
}

// New builds the desk over cfg.DB.
func New(cfg Config) (*Desk, error) {
	if cfg.DB == nil {
		return nil, fmt.Errorf("desk: no database")
	}
	if cfg.Site == nil {
		cfg.Site = func() *content.Site { return nil }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.AccessLog == nil {
		cfg.AccessLog = io.Discard
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	base, err := parseOrigin("desk base URL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	public, err := parseOrigin("public base URL", cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	proxies, err := parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	assets, err := loadAssets()
	if err != nil {
		return nil, err
	}
	cfg.Auth.Now = cfg.Now
	d := &Desk{
		cfg: cfg, base: base, public: public.String(), log: cfg.Logger,
		access:   accesslog.New(cfg.AccessLog),
		auth:     auth.New(cfg.DB, cfg.Auth),
		feedback: feedback.New(cfg.DB, feedback.Options{Today: func() feedback.Date { return feedback.DateOf(cfg.Now().UTC()) }}),
		assets:   assets,
		proxies:  proxies,
		cookie:   cookieFor(base),
	}
	d.table = d.routeTable()
	d.router = d.routes()
	return d, nil
}

// ServeHTTP answers a desk request.
func (d *Desk) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.router.ServeHTTP(w, r) }

// Close stops the desk's feedback writer (it writes nothing, but owns a
// goroutine) and flushes the access log. It does not close the database.
func (d *Desk) Close() error {
	d.feedback.Close()
	d.access.Close()
	return nil
}

// Auth is the desk's account store, for the commands that share its
// database.
func (d *Desk) Auth() *auth.Store { return d.auth }

// parseOrigin checks that raw is an absolute http or https origin.
func parseOrigin(what, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("desk: the %s %q must be an origin like https://desk.example.org", what, raw)
	}
	return u, nil
}

func parsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("desk: trusted proxy %q is not a CIDR prefix like 10.0.0.0/8", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
