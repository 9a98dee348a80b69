-- Login sessions (the token is kept only as its SHA-256) and login throttling.

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE ended_at IS NULL;

ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN first_failed_at TEXT;
ALTER TABLE users ADD COLUMN locked_until TEXT;
