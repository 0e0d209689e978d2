package attention

import (
	"slices"
	"strings"
	"testing"
	"time"

	"healthsite/internal/checker"
	"healthsite/internal/content"
	"healthsite/internal/contentfile"
	"healthsite/internal/feedback"
)

var today = time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)

func date(y int, m time.Month, d int) contentfile.Date {
	return contentfile.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func summary(page string, yes30, no30 int64) feedback.PageSummary {
	c := feedback.Counts{Yes: yes30, No: no30}
	return feedback.PageSummary{Page: page, Days7: feedback.Counts{Yes: yes30 / 4, No: no30 / 4}, Days30: c, Days90: feedback.Counts{Yes: 3 * yes30, No: 3 * no30}}
}

func TestScore(t *testing.T) {
	later := date(2027, 6, 1)
	for _, tt := range []struct {
		name    string
		next    contentfile.Date
		signOff *contentfile.SignOff
		counts  feedback.PageSummary
		want    int
		reasons []string
		review  Review
	}{
		{"nothing to do", later, nil, summary("", 90, 10), 10, []string{"10% of 100 answers over 30 days said No (+10)"}, ReviewLater},
		{"too few answers for a rate", later, nil, summary("", 1, 18), 0, nil, ReviewLater},
		{"exactly enough answers", later, nil, summary("", 5, 15), 75, []string{"75% of 20 answers over 30 days said No (+75)"}, ReviewLater},
		{"overdue since yesterday", date(2026, 12, 3), nil, feedback.PageSummary{}, OverduePoints, []string{"review overdue by 1 day (+60)"}, Overdue},
		{"due today", date(2026, 12, 4), nil, feedback.PageSummary{}, DueSoonPoints, []string{"review due today (+30)"}, DueSoon},
		{"due in 30 days", date(2027, 1, 3), nil, feedback.PageSummary{}, DueSoonPoints, []string{"review due in 30 days (+30)"}, DueSoon},
		{"due in 31 days", date(2027, 1, 4), nil, feedback.PageSummary{}, 0, nil, ReviewLater},
		{"sign-off lapsed", later, &contentfile.SignOff{Current: false}, feedback.PageSummary{}, LapsedPoints, []string{"text changed since its clinical sign-off (+40)"}, ReviewLater},
		{"sign-off current", later, &contentfile.SignOff{Current: true}, feedback.PageSummary{}, 0, nil, ReviewLater},
		{"everything at once", date(2026, 1, 1), &contentfile.SignOff{}, summary("", 0, 40), 200,
			[]string{"100% of 40 answers over 30 days said No (+100)", "review overdue by 337 days (+60)", "text changed since its clinical sign-off (+40)"}, Overdue},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := &content.Site{Articles: []*content.Article{{Slug: "a", Title: "A", NextReview: tt.next, SignOff: tt.signOff}}}
			tt.counts.Page = "/articles/a"
			items := Rank(site, []feedback.PageSummary{tt.counts}, today)
			if tt.want == 0 && tt.counts.Days90.Total() == 0 {
				if len(items) != 0 {
					t.Errorf("a page with nothing to do and no answers is listed: %+v", items)
				}
				return
			}
			if len(items) != 1 {
				t.Fatalf("%d items, want 1", len(items))
			}
			it := items[0]
			if it.Score != tt.want || !slices.Equal(it.Reasons, tt.reasons) || it.Review != tt.review {
				t.Errorf("score %d, reasons %q, review %d; want %d, %q, %d", it.Score, it.Reasons, it.Review, tt.want, tt.reasons, tt.review)
			}
		})
	}
}

func TestRankOrdersAndNamesPages(t *testing.T) {
	later := date(2027, 6, 1)
	site := &content.Site{
		Articles: []*content.Article{
			{Slug: "fine", Title: "Fine", NextReview: later},
			{Slug: "overdue", Title: "Overdue", NextReview: date(2026, 11, 1)},
			{Slug: "unhappy", Title: "Unhappy", NextReview: later},
			{Slug: "tie-b", Title: "Tie B", NextReview: later},
			{Slug: "tie-a", Title: "Tie A", NextReview: later},
		},
		Complaints: []*checker.Complaint{{ID: "neck-pain", Name: "Neck pain", NextReview: date(2026, 12, 20)}},
	}
	items := Rank(site, []feedback.PageSummary{
		summary("/articles/unhappy", 20, 80), // 80
		summary("/articles/tie-a", 50, 50),   // 50
		summary("/articles/tie-b", 100, 100), // 50, more No
		summary("/articles/gone", 0, 30),     // 100, not on the site
		summary("/articles/fine", 100, 0),    // 0, but answered
		summary("/symptoms", 10, 10),         // 50, the list of complaints
		summary("/articles/overdue", 0, 0),   // 60
	}, today)
	var got []string
	for _, it := range items {
		got = append(got, it.Page)
	}
	want := []string{"/articles/gone", "/articles/unhappy", "/articles/overdue", "/articles/tie-b", "/articles/tie-a", "/symptoms", "/symptoms/neck-pain", "/articles/fine"}
	if !slices.Equal(got, want) {
		t.Errorf("order:\n%q\nwant\n%q", got, want)
	}
	for _, it := range items {
		switch it.Page {
		case "/articles/gone", "/symptoms":
			if it.Kind != Other || it.Title != it.Page {
				t.Errorf("%s: kind %d, title %q", it.Page, it.Kind, it.Title)
			}
		case "/symptoms/neck-pain":
			if it.Kind != Complaint || !strings.HasPrefix(it.Title, "Neck pain") || it.Slug != "neck-pain" {
				t.Errorf("complaint: %+v", it)
			}
		}
	}
}
