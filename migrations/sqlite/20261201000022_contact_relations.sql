-- 联系人关系图 (#16): how a customer's contacts stand to one another — 上级, 下属, 影响, 决策人,
-- 同事 — recorded on the customer page and drawn as a graph.

CREATE TABLE contact_relations (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    from_contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    to_contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL
        CHECK (kind IN ('superior', 'subordinate', 'influences', 'decides_for', 'colleague')),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    CHECK (from_contact_id <> to_contact_id)
);
CREATE UNIQUE INDEX contact_relations_pair ON contact_relations (from_contact_id, to_contact_id, kind);
CREATE INDEX contact_relations_customer ON contact_relations (customer_id, id);
