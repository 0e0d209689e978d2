package feedback

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// ExportHeader is the first line Export writes: its columns.
var ExportHeader = []string{"day", "page", "section", "answer", "comment"}

// Export writes every answer kept from since onwards (everything, for the
// zero Date) as CSV: ExportHeader, then one row per answer in order of
// day and page, with "yes" or "no" and its comment if it has one. A
// comment that starts like a spreadsheet formula (=, +, -, @, a tab or a
// carriage return) gets a ' in front, as OWASP advises for CSV: an
// editor opening the file must not run a reader's formula.
func (s *Store) Export(ctx context.Context, w io.Writer, since Date) error {
	if since.IsZero() {
		since = NewDate(1, 1, 1)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.q.export, since)
	if err != nil {
		return fmt.Errorf("feedback: exporting: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	for rows.Next() {
		var (
			day                    Date
			page, section, comment string
			helpful                bool
		)
		if err := rows.Scan(&day, &page, &section, &helpful, &comment); err != nil {
			return fmt.Errorf("feedback: exporting: %w", err)
		}
		answer := "no"
		if helpful {
			answer = "yes"
		}
		if err := cw.Write([]string{day.String(), page, section, answer, defuseFormula(comment)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("feedback: exporting: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// defuseFormula puts a ' before a cell a spreadsheet would read as a
// formula.
func defuseFormula(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// Counts are the answers to a page over some days.
type Counts struct {
	Yes, No int64
}

// Total is the number of answers.
func (c Counts) Total() int64 { return c.Yes + c.No }

// NoRate is the share of answers that were No, from 0 to 1; 0 when there
// were none.
func (c Counts) NoRate() float64 {
	if c.Total() == 0 {
		return 0
	}
	return float64(c.No) / float64(c.Total())
}

// PageSummary is a page's answers over the last 7, 30 and 90 days.
type PageSummary struct {
	Page                  string
	Days7, Days30, Days90 Counts
}

// Summary counts the answers to every page answered in the 90 days ending
// today (today and the 89 days before), and in the last 7 and 30 of them,
// in order of page. It reads the counts per page per day, which the
// retention purge keeps, so it is the same after a purge.
func (s *Store) Summary(ctx context.Context, today Date) ([]PageSummary, error) {
	from := func(days int) Date { return today.AddDays(1 - days) }
	rows, err := s.db.SQL.QueryContext(ctx, s.q.summary,
		from(7), from(7), from(30), from(30), from(90), today)
	if err != nil {
		return nil, fmt.Errorf("feedback: summarising: %w", err)
	}
	defer rows.Close()
	var out []PageSummary
	for rows.Next() {
		var p PageSummary
		if err := rows.Scan(&p.Page, &p.Days7.Yes, &p.Days7.No, &p.Days30.Yes, &p.Days30.No, &p.Days90.Yes, &p.Days90.No); err != nil {
			return nil, fmt.Errorf("feedback: summarising: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback: summarising: %w", err)
	}
	return out, nil
}

// Stored counts, of toks, those whose answer the database holds, and how
// many rows hold them: for checking that every acknowledged answer was
// kept, once (scripts/feedback-durability.sh). An answer's token hash is
// its key, so rows can exceed found only if that ever stops being true.
func (s *Store) Stored(ctx context.Context, toks []Token) (found, rows int, err error) {
	q := s.db.Dialect.Rebind("SELECT count(*) FROM answers WHERE token_hash = ?")
	for _, t := range toks {
		var n int
		if err := s.db.SQL.QueryRowContext(ctx, q, t.hash()).Scan(&n); err != nil {
			return found, rows, err
		}
		if n > 0 {
			found++
		}
		rows += n
	}
	return found, rows, nil
}
