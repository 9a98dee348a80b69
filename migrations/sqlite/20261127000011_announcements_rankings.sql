-- 公告通知 (announcements) with their 待阅消息, and the index the monthly rankings read.

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- The audience: one city, or the whole province when NULL.
    city_id      INTEGER REFERENCES org_units (id),
    attachment_id INTEGER REFERENCES attachments (id),
    publisher_id INTEGER NOT NULL REFERENCES users (id),
    published_at TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    withdrawn_at TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX announcements_newest ON announcements (published_at DESC, id DESC);
CREATE INDEX announcements_attachment ON announcements (attachment_id);

ALTER TABLE messages ADD COLUMN announcement_id INTEGER REFERENCES announcements (id);

-- 报备数量 counts approved filings by the month of first submission: the month's range and
-- every grouping column in the index, so a ranking reads the index alone.
CREATE INDEX opportunities_filed_month
    ON opportunities (submitted_at, owner_id, city_id, industry_id, business_type_id)
    WHERE filed_at IS NOT NULL;
