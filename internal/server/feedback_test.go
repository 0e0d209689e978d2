package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"healthsite/internal/feedback"
	"healthsite/internal/htmltest"
	"healthsite/internal/store"
	"healthsite/internal/store/storetest"
)

const articlePage = "/articles/" + seedSlug

// newFeedbackServer is the bundled site with a real feedback store on a
// database of kind k, which the test can read back.
func newFeedbackServer(t *testing.T, k storetest.Kind) (*Server, *store.DB, *logBuffer) {
	t.Helper()
	db := k.Open(t)
	fs := feedback.New(db, feedback.Options{})
	t.Cleanup(func() { fs.Close() })
	cfg := testConfig()
	cfg.Feedback = fs
	s, logs := newTestServerWith(t, cfg)
	return s, db, logs
}

// post sends a feedback form as a browser on this site does.
func post(t *testing.T, h http.Handler, form url.Values, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/feedback", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// count is how many answers, and comments, the database holds.
func count(t *testing.T, db *store.DB) (answers, comments int) {
	t.Helper()
	ctx := context.Background()
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM answers").Scan(&answers); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM comments").Scan(&comments); err != nil {
		t.Fatal(err)
	}
	return answers, comments
}

// A reader answers, is sent back to the page, which thanks them and asks
// what was wrong; they comment, and are thanked. Without JavaScript, with
// nothing but forms and redirects.
func TestFeedbackFlow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		s, db, logs := newFeedbackServer(t, k)
		page := htmltest.Parse(t, do(t, s, http.MethodGet, articlePage).Body.Bytes())
		form := htmltest.One(t, page, "#feedback form")
		if attr(form, "method") != "post" || attr(form, "action") != "/feedback" {
			t.Fatalf("the feedback form is %s %s", attr(form, "method"), attr(form, "action"))
		}
		htmltest.One(t, form, `input[type=hidden][name=page][value="`+articlePage+`"]`)

		rec := post(t, s, url.Values{"page": {articlePage}, "answer": {"no"}}, nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("answer: status %d, want 303", rec.Code)
		}
		to, _ := url.Parse(rec.Header().Get("Location"))
		if to.Path != articlePage || to.Fragment != "feedback" || to.Query().Get("feedback") != "no" || to.Query().Get("token") == "" {
			t.Fatalf("answer sent the reader to %q", to)
		}
		if a, c := count(t, db); a != 1 || c != 0 {
			t.Fatalf("%d answers and %d comments stored, want 1 and 0", a, c)
		}

		rec = do(t, s, http.MethodGet, to.RequestURI())
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("the page thanking the reader: status %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
		}
		block := htmltest.One(t, htmltest.Parse(t, rec.Body.Bytes()), "#feedback")
		text := htmltest.Text(block)
		if !strings.Contains(text, "Thank you for your feedback") || !strings.Contains(text, "What was wrong? (optional)") {
			t.Errorf("the block says %q", text)
		}
		htmltest.One(t, block, `input[type=hidden][name=token][value="`+to.Query().Get("token")+`"]`)
		htmltest.One(t, block, `select[name=section] option[value="neck-muscle-strain"]`)
		// The kept page everyone else gets is the one asking the question.
		if text := htmltest.Text(htmltest.One(t, htmltest.Parse(t, do(t, s, http.MethodGet, articlePage).Body.Bytes()), "#feedback")); !strings.Contains(text, "Is this page helpful?") {
			t.Errorf("the next reader's page says %q", text)
		}

		rec = post(t, s, url.Values{"page": {articlePage}, "token": {to.Query().Get("token")}, "section": {"neck-muscle-strain"},
			"comment": {"The medicines list confused me. Call me on 07700 900123 or mail jo@example.com"}}, nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("comment: status %d, want 303:\n%s", rec.Code, rec.Body.String())
		}
		if loc := rec.Header().Get("Location"); loc != articlePage+"?feedback=sent#feedback" {
			t.Errorf("comment sent the reader to %q", loc)
		}
		if a, c := count(t, db); a != 1 || c != 1 {
			t.Fatalf("%d answers and %d comments stored, want 1 and 1", a, c)
		}
		var body, section string
		if err := db.SQL.QueryRow("SELECT body, section FROM comments").Scan(&body, &section); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "07700") || strings.Contains(body, "jo@example.com") || section != "neck-muscle-strain" {
			t.Errorf("stored comment %q about %q: personal details kept", body, section)
		}
		thanks := htmltest.Text(htmltest.One(t, htmltest.Parse(t, do(t, s, http.MethodGet, articlePage+"?feedback=sent").Body.Bytes()), "#feedback"))
		if !strings.Contains(thanks, "Thank you for your feedback") || strings.Contains(thanks, "What was wrong") {
			t.Errorf("the last block says %q", thanks)
		}

		// The same token takes one comment only.
		rec = post(t, s, url.Values{"page": {articlePage}, "token": {to.Query().Get("token")}, "comment": {"Again"}}, nil)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("a second comment: status %d, want 422", rec.Code)
		}
		s.FlushLogs()
		for _, secret := range []string{"medicines list", "07700", "jo@example", to.Query().Get("token"), "Again"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
	})
}

// The pages that ask, and those that must not: never next to a reader's
// answers or searches.
func TestWhereFeedbackIsAsked(t *testing.T) {
	s, _, _ := newFeedbackServer(t, storetest.Kinds[0])
	for _, tt := range []struct {
		path string
		asks bool
	}{
		{articlePage, true},
		{"/symptoms", true},
		{"/symptoms/neck-pain", true},
		{"/symptoms/neck-pain?symptom=stiff-neck", false},
		{"/symptoms/neck-pain/results?symptom=stiff-neck", false},
		{"/symptoms/neck-pain/results?symptom=none", false},
		{"/search?q=neck", false},
		{"/", false},
		{"/about", false},
	} {
		rec := do(t, s, http.MethodGet, tt.path)
		if rec.Code != http.StatusOK && rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s: status %d", tt.path, rec.Code)
		}
		if got := len(htmltest.All(t, htmltest.Parse(t, rec.Body.Bytes()), "#feedback")) > 0; got != tt.asks {
			t.Errorf("%s asks for feedback: %v, want %v", tt.path, got, tt.asks)
		}
	}
}

// Bad input gets a clear answer, and nothing is stored.
func TestHostileFeedback(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		s, db, _ := newFeedbackServer(t, k)
		answer := url.Values{"page": {articlePage}, "answer": {"yes"}}
		long := strings.Repeat("é", 1001)
		tests := []struct {
			name   string
			send   func() *httptest.ResponseRecorder
			status int
			says   string // on the page sent back
		}{
			{"from another site (Sec-Fetch-Site)", func() *httptest.ResponseRecorder {
				return post(t, s, answer, http.Header{"Sec-Fetch-Site": {"cross-site"}})
			}, 403, "sent from another website"},
			{"from another site (Origin)", func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/feedback", strings.NewReader(answer.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", "https://evil.example")
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				return rec
			}, 403, "sent from another website"},
			{"an unknown page", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {"/articles/no-such-article"}, "answer": {"yes"}}, nil)
			}, 404, "Page not found"},
			{"a page that does not ask", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {"/symptoms/neck-pain/results"}, "answer": {"yes"}}, nil)
			}, 404, "Page not found"},
			{"an unknown section", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "token": {strings.Repeat("a", 43)}, "section": {"nowhere"}, "comment": {"Hi"}}, nil)
			}, 422, "Choose a part of this page from the list"},
			{"a comment over 1,000 characters", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "token": {strings.Repeat("a", 43)}, "comment": {long}}, nil)
			}, 422, "1,000 characters or fewer"},
			{"a comment that is not UTF-8", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "token": {strings.Repeat("a", 43)}, "comment": {"bad \xff byte"}}, nil)
			}, 422, "characters we cannot read"},
			{"a body over 8 KiB", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}, "pad": {strings.Repeat("x", 9000)}}, nil)
			}, 413, "too much to send"},
			{"a wrong content type", func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/feedback", strings.NewReader(`{"answer":"yes"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				return rec
			}, 415, "cannot read what was sent"},
			{"another method", func() *httptest.ResponseRecorder {
				return do(t, s, http.MethodGet, "/feedback")
			}, 405, "cannot do that"},
			{"an answer that is not yes or no", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "answer": {"maybe"}}, nil)
			}, 400, "could not understand"},
			{"a filled-in trap", func() *httptest.ResponseRecorder {
				return post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}, "website": {"http://spam.example"}}, nil)
			}, 303, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := tt.send()
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d:\n%s", rec.Code, tt.status, rec.Body.String())
				}
				if a, c := count(t, db); a != 0 || c != 0 {
					t.Errorf("%d answers and %d comments stored, want none", a, c)
				}
				if got := rec.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q", got)
				}
				if tt.status == 405 && rec.Header().Get("Allow") != "POST" {
					t.Errorf("Allow = %q, want POST", rec.Header().Get("Allow"))
				}
				if tt.says != "" {
					doc := htmltest.Parse(t, rec.Body.Bytes())
					if !strings.Contains(htmltest.Text(doc), tt.says) {
						t.Errorf("the page does not say %q", tt.says)
					}
				}
				if tt.status == 422 {
					// The form again, with what the reader wrote.
					if !strings.Contains(rec.Body.String(), "textarea") {
						t.Error("no form on the 422 page")
					}
					if tt.name == "a comment over 1,000 characters" && !strings.Contains(rec.Body.String(), long) {
						t.Error("the comment was not kept")
					}
				}
				if strings.Contains(rec.Body.String(), "goroutine") {
					t.Error("a stack trace")
				}
			})
		}
	})
}

// A database that is down or slow gives the reader a friendly 503 on the
// feedback form only: the pages keep serving.
func TestFeedbackWhenTheDatabaseIsDown(t *testing.T) {
	cfg := testConfig()
	cfg.Feedback = downStore{}
	s, _ := newTestServerWith(t, cfg)
	rec := post(t, s, url.Values{"page": {articlePage}, "answer": {"no"}}, nil)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q: want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if text := htmltest.Text(htmltest.Parse(t, rec.Body.Bytes())); !strings.Contains(text, "could not save your feedback") {
		t.Errorf("the page says %q", text)
	}
	if rec := do(t, s, http.MethodGet, articlePage); rec.Code != http.StatusOK {
		t.Errorf("the article while the database is down: %d", rec.Code)
	}
}

// downStore is a database that does not answer: every write runs into
// the server's wait.
type downStore struct{}

func (downStore) Record(ctx context.Context, _ feedback.Answer) (feedback.Token, error) {
	<-ctx.Done()
	return "", errors.New("database unreachable: " + ctx.Err().Error())
}

func (downStore) Ping(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

func (downStore) Comment(ctx context.Context, _ feedback.Token, _, _ string) error {
	<-ctx.Done()
	return errors.New("database unreachable: " + ctx.Err().Error())
}

// Answers are rate limited with their own count.
func TestFeedbackRateLimit(t *testing.T) {
	s, _, _ := newFeedbackServer(t, storetest.Kinds[0])
	s.cfg.RateLimit = RateLimit{Requests: 2, Window: time.Minute}
	s.router = s.routes(s.table)
	var codes []int
	for range 3 {
		codes = append(codes, post(t, s, url.Values{"page": {articlePage}, "answer": {"yes"}}, nil).Code)
	}
	if codes[0] != 303 || codes[1] != 303 || codes[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want 303 303 429", codes)
	}
	if rec := do(t, s, http.MethodGet, "/symptoms/neck-pain/results?symptom=stiff-neck"); rec.Code != http.StatusOK {
		t.Errorf("a result after feedback hit its limit: %d (a count of its own)", rec.Code)
	}
}
