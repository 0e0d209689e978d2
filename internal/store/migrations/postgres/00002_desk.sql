-- The editors' desk: accounts, their sessions, the sign-in throttle, the
-- audit log, and indexes its pages read feedback through. Times are Unix
-- milliseconds (bigint), the same in both dialects, so one code path
-- compares and stores them. The sqlite folder has the same schema.

-- +goose Up
-- An editor or admin. The e-mail is kept lower-case, so that one person
-- has one account whatever they type. password_hash is a PHC string
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash): the parameters travel with
-- the hash, so they can be raised without locking anyone out. Accounts are
-- disabled, never deleted, so that the audit log keeps naming them.
CREATE TABLE editors (
    id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text    NOT NULL UNIQUE CHECK (email <> '' AND email = lower(email)),
    role          text    NOT NULL CHECK (role IN ('editor', 'admin')),
    password_hash text    NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      boolean NOT NULL DEFAULT false,
    created_ms    bigint  NOT NULL,
    password_ms   bigint  NOT NULL
);

-- A signed-in browser. Only the SHA-256 of the session id is stored: the
-- table cannot be used to sign in. A session ends 30 minutes after seen_ms
-- or 12 hours after created_ms (the desk decides; these are the facts).
CREATE TABLE desk_sessions (
    id_hash    bytea  NOT NULL PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    editor_id  bigint NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
    created_ms bigint NOT NULL,
    seen_ms    bigint NOT NULL
);
-- Signing an editor out everywhere (disable, new password).
CREATE INDEX desk_sessions_editor ON desk_sessions (editor_id);
-- Dropping sessions past their 12 hours.
CREATE INDEX desk_sessions_created ON desk_sessions (created_ms);

-- Failed sign-ins counted per account and per client, so that replicas
-- share the counts. key_hash is the SHA-256 of "account:" and the e-mail
-- typed, or of "client:" and the client's address (an IPv6 client by its
-- /64): nothing typed is kept as typed.
CREATE TABLE desk_signin_throttle (
    key_hash        bytea  NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    failures        bigint NOT NULL CHECK (failures >= 0),
    last_ms         bigint NOT NULL,
    locked_until_ms bigint NOT NULL DEFAULT 0
);
-- Forgetting counts nobody has added to for a day.
CREATE INDEX desk_signin_throttle_last ON desk_signin_throttle (last_ms);

-- Who signed in, failed to, or changed what, and when. actor is the
-- account's e-mail at the time (or "unknown account", "command line");
-- detail never holds a password, a session id or a reader's comment.
CREATE TABLE desk_audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms     bigint NOT NULL,
    editor_id bigint REFERENCES editors (id),
    actor     text   NOT NULL,
    action    text   NOT NULL,
    detail    text   NOT NULL DEFAULT '',
    client    text   NOT NULL DEFAULT ''
);

-- A page's answers by section over a range of days (the desk's page of
-- an article), without reading every page's answers of those days.
CREATE INDEX answers_page_day ON answers (page, day) INCLUDE (section, helpful);

-- +goose Down
DROP INDEX answers_page_day;
DROP TABLE desk_audit;
DROP TABLE desk_signin_throttle;
DROP TABLE desk_sessions;
DROP TABLE editors;
