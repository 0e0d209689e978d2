-- Readers' answers to "Is this page helpful?", their comments, and counts
-- per page per day. Nothing personal: no IP, user agent, cookie, referrer
-- or time of day, only the day (a date, not a timestamp). No key counts
-- up: rows are keyed by the SHA-256 of the answer's random token, so no
-- id says which request in an access log made them. The sqlite folder has
-- the same schema.

-- +goose Up
CREATE TABLE answers (
    token_hash bytea   NOT NULL PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    day        date    NOT NULL,
    page       text    NOT NULL CHECK (page <> ''),
    section    text    NOT NULL DEFAULT '',
    helpful    boolean NOT NULL
);
-- Export and the retention purge read a range of days.
CREATE INDEX answers_day ON answers (day);

-- At most one comment per answer, already scrubbed of anything personal.
-- day, page and helpful are the answer's, copied so that the editors'
-- desk lists comments from this table alone; state is the desk's.
CREATE TABLE comments (
    token_hash bytea   NOT NULL PRIMARY KEY REFERENCES answers (token_hash) ON DELETE CASCADE,
    day        date    NOT NULL,
    page       text    NOT NULL,
    section    text    NOT NULL DEFAULT '',
    helpful    boolean NOT NULL,
    body       text    NOT NULL CHECK (body <> ''),
    state      text    NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'reviewed', 'actionable', 'spam'))
);
-- The desk's lists: comments in a state, newest first; a page's comments;
-- and the retention purge, by day.
CREATE INDEX comments_state_day ON comments (state, day);
CREATE INDEX comments_page_day ON comments (page, day);
CREATE INDEX comments_day ON comments (day);

-- Answers counted per page per day, in the same transaction as each
-- answer. Kept after the retention purge drops the answers themselves.
CREATE TABLE page_day_counts (
    page      text   NOT NULL,
    day       date   NOT NULL,
    yes_count bigint NOT NULL DEFAULT 0 CHECK (yes_count >= 0),
    no_count  bigint NOT NULL DEFAULT 0 CHECK (no_count >= 0),
    PRIMARY KEY (page, day)
);
-- Summaries over the last 7, 30 and 90 days read a range of days across
-- every page: this index alone answers them (an index-only scan), however
-- long the history.
CREATE INDEX page_day_counts_day ON page_day_counts (day) INCLUDE (page, yes_count, no_count);

-- +goose Down
DROP TABLE page_day_counts;
DROP TABLE comments;
DROP TABLE answers;
