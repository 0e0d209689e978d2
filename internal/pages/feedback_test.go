package pages

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"healthsite/web"
)

func TestReadFeedback(t *testing.T) {
	env := viewEnv(t)
	tests := []struct {
		name, form string
		wantErr    error // nil, ErrNotAPage, or any *BadRequestError
		bad        bool
		answer     string
	}{
		{"an answer", "page=%2Farticles%2Fknee&answer=no", nil, false, "no"},
		{"the list of complaints", "page=%2Fsymptoms&answer=yes", nil, false, "yes"},
		{"a complaint's form", "page=%2Fsymptoms%2Fknee-pain&answer=yes", nil, false, "yes"},
		{"a comment", "page=%2Farticles%2Fknee&token=abc&comment=hi", nil, false, ""},
		{"a result", "page=%2Fsymptoms%2Fknee-pain%2Fresults&answer=yes", ErrNotAPage, false, ""},
		{"no page", "answer=yes", ErrNotAPage, false, ""},
		{"another site", "page=https%3A%2F%2Fevil.example%2F&answer=yes", ErrNotAPage, false, ""},
		{"not yes or no", "page=%2Farticles%2Fknee&answer=maybe", nil, true, ""},
		{"nothing", "page=%2Farticles%2Fknee", nil, true, ""},
		{"both", "page=%2Farticles%2Fknee&answer=no&token=abc", nil, true, ""},
		{"a token too long", "page=%2Farticles%2Fknee&token=" + strings.Repeat("a", 65), nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.form)
			f, err := ReadFeedback(env.Site, v)
			var bad *BadRequestError
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("error %v, want %v", err, tt.wantErr)
			case tt.bad && !errors.As(err, &bad):
				t.Errorf("error %v, want a bad request", err)
			case tt.wantErr == nil && !tt.bad && err != nil:
				t.Errorf("error %v, want none", err)
			case err == nil && f.Answer != tt.answer:
				t.Errorf("answer %q, want %q", f.Answer, tt.answer)
			}
		})
	}
}

func TestFeedbackBlockStates(t *testing.T) {
	env := viewEnv(t)
	for _, tt := range []struct {
		query string
		state web.FeedbackState
	}{
		{"", web.FeedbackAsk},
		{"feedback=no&token=abc", web.FeedbackComment},
		{"feedback=yes&token=abc", web.FeedbackComment},
		{"feedback=no", web.FeedbackAsk},
		{"feedback=sent", web.FeedbackThanks},
		{"feedback=no&token=" + strings.Repeat("a", 65), web.FeedbackAsk},
	} {
		v := feedbackBlock(env.Site, "/articles/knee", tt.query)
		if v == nil || v.State != tt.state {
			t.Errorf("%q: %+v, want state %v", tt.query, v, tt.state)
		}
	}
	if v := feedbackBlock(env.Site, "/articles/knee", "feedback=yes&token=t"); !v.Helpful || v.Token != "t" || len(v.Sections) != 3 {
		t.Errorf("after Yes: %+v", v)
	}
}

// FuzzFeedbackForm: whatever a feedback form's body holds, reading and
// checking it never panics, accepts only forms about pages that ask, and
// the form sent back shows what was written as text, never as markup.
func FuzzFeedbackForm(f *testing.F) {
	for _, seed := range []string{
		"page=%2Farticles%2Fknee&answer=no",
		"page=%2Farticles%2Fknee&token=abc&section=swelling&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"page=%2Fsymptoms&answer=yes&website=x",
		"page=%2Farticles%2Fknee&token=a&comment=%ff%fe",
		"page=%2Farticles%2Fknee&token=a&section=%22%3E%3Cb%3E&comment=x",
		"page=%2Farticles%2Fknee&page=%2Fsymptoms&answer=no&answer=yes",
		"%zz",
	} {
		f.Add(seed)
	}
	env := viewEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		fb, err := ReadFeedback(env.Site, form)
		if err != nil {
			return
		}
		if _, ok := feedbackTargetOf(env.Site, fb.Page); !ok {
			t.Fatalf("accepted feedback about %q", fb.Page)
		}
		if fb.Answer != "" && fb.Answer != "yes" && fb.Answer != "no" {
			t.Fatalf("accepted the answer %q", fb.Answer)
		}
		errs := CheckFeedback(env.Site, fb)
		if fb.Answer == "" && (utf8.RuneCountInString(fb.Comment) > MaxComment || !utf8.ValidString(fb.Comment)) && len(errs) == 0 {
			t.Fatalf("a comment of %d characters passed", utf8.RuneCountInString(fb.Comment))
		}
		b := FeedbackAgain(env, fb, errs)
		var out bytes.Buffer
		if err := web.FeedbackPage(b.Head, b.View).Render(context.Background(), &out); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out.Bytes()) {
			t.Fatal("the page sent back is not UTF-8")
		}
		if strings.Contains(fb.Comment, "<b") && strings.Contains(out.String(), "<b") && !strings.Contains(out.String(), "&lt;b") {
			t.Fatal("the comment reached the page as markup")
		}
	})
}
