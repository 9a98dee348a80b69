-- Jobs (#16): a batch action on list rows or an import, run in the background in transactions
-- of up to 1,000 rows; its progress is kept here so a reload shows where it is, and every row it
-- could not take is kept with why, for the result page and the error report.

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    -- What it does: `customers.assign`, `opportunities.share`, `import.customers` …
    kind        TEXT NOT NULL,
    -- Whom it names (the new owner, the user shared with) or the file imported, as shown.
    target      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'done', 'failed')),
    total       INTEGER NOT NULL DEFAULT 0,
    processed   INTEGER NOT NULL DEFAULT 0,
    succeeded   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_user ON jobs (user_id, id);

CREATE TABLE job_errors (
    id        INTEGER PRIMARY KEY,
    job_id    INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    -- An import's row in its file (the header is row 1); none for a batch.
    row_no    INTEGER,
    -- What the row is to a reader: a record's name (or #id when it is not the user's to see),
    -- an imported row's 客户名称.
    label     TEXT NOT NULL,
    -- The field refused ('' for the row as a whole) and why (a message key).
    field     TEXT NOT NULL,
    reason    TEXT NOT NULL
);
CREATE INDEX job_errors_job ON job_errors (job_id, id);
