// Package feedback keeps readers' answers to "Is this page helpful?" and
// the comments that may follow, without anything that could say who gave
// them: no address, agent, cookie, referrer or time of day, only the day;
// comments scrubbed of e-mail addresses, phone numbers and long numbers
// before they are stored, and dropped after a retention period, leaving
// counts.
//
// A Store writes through one goroutine that commits answers in groups
// (see Store), and answers a reader only once their answer is durable.
// Readers' words never reach a log, and a Token is never stored, only its
// SHA-256.
package feedback

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Date is a calendar day with no time of day: the most precise time
// feedback keeps, so that a row cannot be matched to an access log line.
// The zero Date is no day.
type Date struct {
	year  int
	month time.Month
	day   int
}

// NewDate returns the date y-m-d, normalised as time.Date does (January 32
// is February 1).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf is the day t falls on in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

func (d Date) time() time.Time { return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC) }

// String is the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.time().Format(time.DateOnly)
}

// IsZero reports whether d is no day.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays is the day n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.time().AddDate(0, 0, n)) }

// AddMonths is the day n months after d, normalised as time.AddDate: a
// month after January 31 is March 3 (or 2).
func (d Date) AddMonths(n int) Date { return DateOf(d.time().AddDate(0, n, 0)) }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.time().Before(e.time()) }

// Value stores a Date as YYYY-MM-DD: a SQLite TEXT, or a PostgreSQL date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, errors.New("feedback: storing the zero Date")
	}
	return d.String(), nil
}

// Scan reads a date column: text from SQLite, a time.Time from PostgreSQL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		p, err := ParseDate(v)
		*d = p
		return err
	case []byte:
		p, err := ParseDate(string(v))
		*d = p
		return err
	}
	return fmt.Errorf("feedback: cannot read a %T as a Date", src)
}

// Answer is one reader's answer to "Is this page helpful?".
type Answer struct {
	Day     Date   // the day it was given; Record fills in today when zero
	Page    string // the page's path, like /articles/{slug} or /symptoms/{complaint}
	Section string // the id of the section answered about, or "" for the whole page
	Helpful bool   // Yes
}

// Token links a comment to the answer it follows. Record makes one for
// each answer; the server puts it in the comment form (never a cookie).
// Only its SHA-256 is stored. It prints and logs as "[token]", so that it
// cannot reach a log by accident; string(t) is its value.
type Token string

// String hides the token from fmt; use string(t) for its value.
func (Token) String() string { return "[token]" }

// LogValue hides the token from log/slog.
func (Token) LogValue() slog.Value { return slog.StringValue("[token]") }

// newToken makes a token of 256 random bits, 43 characters safe in a URL
// or a form.
func newToken() Token {
	b := make([]byte, 32)
	rand.Read(b) // never fails: it crashes the program instead
	return Token(base64.RawURLEncoding.EncodeToString(b))
}

// hash is what is stored of a token.
func (t Token) hash() []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// tokenLen is the length of every token newToken makes, so that Comment
// can refuse anything else without asking the database.
const tokenLen = 43

// Comment is a reader's comment, as stored and exported.
type Comment struct {
	Section string
	Text    string
}

// MaxCommentRunes is the most characters a comment may have, as the form
// says.
const MaxCommentRunes = 1000

var (
	// ErrUnknownToken: no answer has this token, or it is too old to take
	// a comment (see Options.CommentDays), or retention has removed it.
	ErrUnknownToken = errors.New("feedback: unknown or expired token")
	// ErrTokenUsed: the answer with this token already has a comment.
	ErrTokenUsed = errors.New("feedback: token already used for a comment")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("feedback: store closed")
)

// InvalidError is an answer or comment refused before it reaches the
// database. The server's form and page table should have stopped it: this
// is the second line of defence. The reason never quotes the reader.
type InvalidError struct {
	Field  string // "page", "section", "comment"
	Reason string
}

func (e *InvalidError) Error() string {
	return "feedback: invalid " + e.Field + ": " + e.Reason
}
