-- Uploaded files (附件), kept in the database so that every app instance on one database
-- serves them. A file belongs to whoever uploaded it until a record refers to it (the
-- 签约信息 of an opportunity; later an announcement); who may download it follows that record.

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES users (id),
    uploaded_at  TEXT NOT NULL
);

ALTER TABLE signings ADD COLUMN attachment_id INTEGER REFERENCES attachments (id);
CREATE INDEX signings_attachment ON signings (attachment_id);
