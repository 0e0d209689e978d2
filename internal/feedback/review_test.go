package feedback

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"healthsite/internal/store/storetest"
)

// queue fills a store with comments on pages a and b, one a day from
// today-9 to today (a on even days, b on odd), the latest two "=..." and
// a section, and returns it with the comments' texts newest first.
func queue(t *testing.T, k storetest.Kind) (*Store, []string) {
	t.Helper()
	day := today.AddDays(-9)
	s, _ := newStore(t, k, Options{Today: func() Date { return day }})
	var texts []string
	for i := range 10 {
		page, section, text := "/articles/a", "", fmt.Sprintf("comment %d", i)
		if i%2 == 1 {
			page = "/articles/b"
		}
		if i >= 8 {
			section, text = "causes", fmt.Sprintf("=HYPERLINK(%d)", i)
		}
		tok := record(t, s, Answer{Page: page, Helpful: i%3 == 0})
		comment(t, s, tok, section, text)
		texts = append([]string{text}, texts...)
		day = day.AddDays(1)
	}
	return s, texts
}

func textsOf(cs []QueuedComment) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

func TestReview(t *testing.T) {
	storetest.Run(t, func(t *testing.T, k storetest.Kind) {
		t.Run("queue pages newest first, filtered", func(t *testing.T) {
			t.Parallel()
			s, texts := queue(t, k)
			ctx := ctxFor(t)
			var got []string
			var after Cursor
			for pages := 0; ; pages++ {
				cs, next, err := s.Comments(ctx, CommentFilter{}, after, 3)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, textsOf(cs)...)
				if next.IsZero() {
					break
				}
				after = next
				if pages > 5 {
					t.Fatal("the queue does not end")
				}
			}
			if !slices.Equal(got, texts) {
				t.Errorf("paged queue = %q, want %q", got, texts)
			}
			for _, tt := range []struct {
				name string
				f    CommentFilter
				want []string
			}{
				{"page", CommentFilter{Page: "/articles/b"}, []string{"=HYPERLINK(9)", "comment 7", "comment 5", "comment 3", "comment 1"}},
				{"days", CommentFilter{From: today.AddDays(-2), To: today.AddDays(-1)}, []string{"=HYPERLINK(8)", "comment 7"}},
				{"page and days", CommentFilter{Page: "/articles/a", From: today.AddDays(-3)}, []string{"=HYPERLINK(8)", "comment 6"}},
				{"state", CommentFilter{State: StateNew, To: today.AddDays(-8)}, []string{"comment 1", "comment 0"}},
				{"no such page", CommentFilter{Page: "/articles/c"}, nil},
			} {
				cs, next, err := s.Comments(ctx, tt.f, Cursor{}, 50)
				if err != nil || !next.IsZero() || !slices.Equal(textsOf(cs), tt.want) {
					t.Errorf("%s: %q, next %v, %v; want %q", tt.name, textsOf(cs), next, err, tt.want)
				}
				if n, err := s.CountComments(ctx, tt.f); err != nil || n != int64(len(tt.want)) {
					t.Errorf("%s: CountComments = %d, %v; want %d", tt.name, n, err, len(tt.want))
				}
			}
		})
		t.Run("marks change states", func(t *testing.T) {
			t.Parallel()
			s, _ := queue(t, k)
			ctx := ctxFor(t)
			cs, _, err := s.Comments(ctx, CommentFilter{Page: "/articles/a"}, Cursor{}, 50)
			if err != nil || len(cs) != 5 {
				t.Fatal(len(cs), err)
			}
			n, err := s.SetCommentStates(ctx, []CommentID{cs[0].ID, cs[1].ID}, StateSpam)
			if err != nil || n != 2 {
				t.Fatalf("SetCommentStates = %d, %v; want 2", n, err)
			}
			spam, _, err := s.Comments(ctx, CommentFilter{State: StateSpam}, Cursor{}, 50)
			if err != nil || !slices.Equal(textsOf(spam), textsOf(cs[:2])) {
				t.Errorf("spam = %q, %v", textsOf(spam), err)
			}
			if n, err := s.CountComments(ctx, CommentFilter{State: StateNew}); err != nil || n != 8 {
				t.Errorf("%d new, %v; want 8", n, err)
			}
			for _, bad := range []struct {
				ids   []CommentID
				state CommentState
			}{
				{[]CommentID{cs[0].ID}, "deleted"},
				{[]CommentID{"not an id"}, StateReviewed},
				{make([]CommentID, MaxMarks+1), StateReviewed},
			} {
				if _, err := s.SetCommentStates(ctx, bad.ids, bad.state); err == nil {
					t.Errorf("SetCommentStates(%d ids, %q) accepted", len(bad.ids), bad.state)
				}
			}
		})
		t.Run("export is CSV with formulas defused", func(t *testing.T) {
			t.Parallel()
			s, _ := queue(t, k)
			var buf bytes.Buffer
			n, err := s.ExportComments(ctxFor(t), &buf, CommentFilter{From: today.AddDays(-1)})
			if err != nil || n != 2 {
				t.Fatalf("ExportComments = %d, %v", n, err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{CommentsHeader,
				{today.String(), "/articles/b", "causes", "yes", "new", "'=HYPERLINK(9)"},
				{today.AddDays(-1).String(), "/articles/a", "causes", "no", "new", "'=HYPERLINK(8)"},
			}
			if fmt.Sprint(rows) != fmt.Sprint(want) {
				t.Errorf("export:\n%q\nwant\n%q", rows, want)
			}
		})
		t.Run("a page's sections and summary", func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t, k, Options{})
			for i, a := range []Answer{
				{Day: today, Page: "/articles/a", Section: "causes", Helpful: false},
				{Day: today, Page: "/articles/a", Section: "causes", Helpful: true},
				{Day: today.AddDays(-10), Page: "/articles/a", Helpful: false},
				{Day: today.AddDays(-40), Page: "/articles/a", Helpful: false},
				{Day: today.AddDays(-100), Page: "/articles/a", Helpful: true},
				{Day: today, Page: "/articles/b", Helpful: true},
			} {
				if _, err := s.Record(ctxFor(t), a); err != nil {
					t.Fatal(i, err)
				}
			}
			secs, err := s.PageSections(ctxFor(t), "/articles/a", today.AddDays(-89), today)
			want := []SectionCounts{{"", Counts{0, 2}}, {"causes", Counts{1, 1}}}
			if err != nil || !slices.Equal(secs, want) {
				t.Errorf("PageSections = %+v, %v; want %+v", secs, err, want)
			}
			sum, err := s.PageSummaryOf(ctxFor(t), "/articles/a", today)
			wantSum := PageSummary{Page: "/articles/a", Days7: Counts{1, 1}, Days30: Counts{1, 2}, Days90: Counts{1, 3}}
			if err != nil || sum != wantSum {
				t.Errorf("PageSummaryOf = %+v, %v; want %+v", sum, err, wantSum)
			}
			if sum, err := s.PageSummaryOf(ctxFor(t), "/articles/none", today); err != nil || sum.Days90.Total() != 0 {
				t.Errorf("a page without answers: %+v, %v", sum, err)
			}
		})
	})
}

func TestParseCommentID(t *testing.T) {
	good := commentIDOf(bytes.Repeat([]byte{0xfe}, 32))
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{string(good), true},
		{"", false},
		{strings.Repeat("A", 42), false},
		{string(good) + "=", false},
		{strings.Replace(string(good), "_", "/", 1), false},
	} {
		if _, err := ParseCommentID(tt.in); (err == nil) != tt.ok {
			t.Errorf("ParseCommentID(%q) error %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}
