-- 销售活动: calls and visits logged against a customer, and optionally one of its
-- opportunities, with the contacts met.

CREATE TABLE activities (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'joint_visit')),
    activity_date  TEXT NOT NULL,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE CASCADE,
    notes          TEXT NOT NULL,
    done           BOOLEAN NOT NULL DEFAULT FALSE,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL
);
CREATE INDEX activities_customer ON activities (customer_id, activity_date DESC, id DESC);
CREATE INDEX activities_opportunity ON activities (opportunity_id, activity_date DESC, id DESC);

CREATE TABLE activity_contacts (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, contact_id)
);
