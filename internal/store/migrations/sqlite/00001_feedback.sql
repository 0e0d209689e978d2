-- Readers' answers to "Is this page helpful?", their comments, and counts
-- per page per day. Nothing personal: no IP, user agent, cookie, referrer
-- or time of day, only the day. No key counts up: rows are keyed by the
-- SHA-256 of the answer's random token (WITHOUT ROWID, so there is no
-- hidden rowid either), so their order says nothing about which request
-- in an access log made them. The postgres folder has the same schema.

-- +goose Up
CREATE TABLE answers (
    token_hash BLOB NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    day        TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    page       TEXT NOT NULL CHECK (page <> ''),
    section    TEXT NOT NULL DEFAULT '',
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1))
) STRICT, WITHOUT ROWID;
-- Export and the retention purge read a range of days.
CREATE INDEX answers_day ON answers (day);

-- At most one comment per answer, already scrubbed of anything personal.
-- day, page and helpful are the answer's, copied so that the editors'
-- desk lists comments from this table alone; state is the desk's.
CREATE TABLE comments (
    token_hash BLOB NOT NULL PRIMARY KEY REFERENCES answers (token_hash) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    page       TEXT NOT NULL,
    section    TEXT NOT NULL DEFAULT '',
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    body       TEXT NOT NULL CHECK (body <> ''),
    state      TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'reviewed', 'actionable', 'spam'))
) STRICT, WITHOUT ROWID;
-- The desk's lists: comments in a state, newest first; a page's comments;
-- and the retention purge, by day.
CREATE INDEX comments_state_day ON comments (state, day);
CREATE INDEX comments_page_day ON comments (page, day);
CREATE INDEX comments_day ON comments (day);

-- Answers counted per page per day, in the same transaction as each
-- answer. Kept after the retention purge drops the answers themselves.
CREATE TABLE page_day_counts (
    page      TEXT NOT NULL,
    day       TEXT NOT NULL,
    yes_count INTEGER NOT NULL DEFAULT 0 CHECK (yes_count >= 0),
    no_count  INTEGER NOT NULL DEFAULT 0 CHECK (no_count >= 0),
    PRIMARY KEY (page, day)
) STRICT, WITHOUT ROWID;
-- Summaries over the last 7, 30 and 90 days read a range of days across
-- every page: this index alone answers them, however long the history.
CREATE INDEX page_day_counts_day ON page_day_counts (day, page, yes_count, no_count);

-- +goose Down
DROP TABLE page_day_counts;
DROP TABLE comments;
DROP TABLE answers;
